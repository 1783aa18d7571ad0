"""Alembic environment: the app passes an open connection in ``config.attributes``."""

from alembic import context

from jituan_desktop.persistence.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - offline/CLI use is not supported
    raise RuntimeError("run migrations through jituan_desktop.persistence.migrate")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
