"""Getting records out and bringing them together: CSV and xAPI exports, a trainee's full
record for a family, and signed record bundles that merge one laptop's records into another's.

Import the submodule you need; this package imports nothing itself.
"""
