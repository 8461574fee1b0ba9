"""The course store, run by the server, the command line and the facilitator's tools (never by a
learner's kernel): SQLAlchemy models, alembic migrations and the queries on them, on SQLite by
default or on PostgreSQL shared by several servers."""
