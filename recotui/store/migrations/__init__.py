"""Alembic migrations, shipped inside the package so an installed client upgrades its store."""

# The newest revision. Checked against alembic's own head by a test; lets start-up skip
# importing alembic when the store is already current.
HEAD_REVISION = "0006"
