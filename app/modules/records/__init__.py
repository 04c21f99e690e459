"""Training records: SQLAlchemy models, the database, profiles and stores.

Import the submodules you need (`records.database`, `records.profile_store`, ...). This package
imports nothing itself so that `import app.modules.records` stays cheap at start-up.
"""
