"""The ground floor: what every other floor may use (errors for people, the progress protocol).

Imports nothing from the program; see docs/architecture.md.
"""
