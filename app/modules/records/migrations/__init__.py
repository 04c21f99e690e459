"""Alembic migrations for the records database (run by records.migrate, or the alembic CLI)."""
