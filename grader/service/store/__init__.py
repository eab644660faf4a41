"""Storage: the tables (schema.py), their migrations (Alembic, migrations/) and the engine."""
