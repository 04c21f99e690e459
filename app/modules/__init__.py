"""The training domain: pure Python, no Qt widgets (see docs/architecture.md)."""
