"""Training records: SQLAlchemy models, the database, accounts and stores.

Import the submodules you need (`records.database`, `records.accounts`, ...). This package
imports nothing itself so that `import app.modules.records` stays cheap at start-up.
"""
