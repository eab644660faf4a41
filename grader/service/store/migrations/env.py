"""Alembic's environment: always run with a connection the service hands over (database.migrate)."""

from alembic import context

from grader.service.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
