"""The bottom room, importable from anywhere (a learner's kernel included): every setting and
environment variable, the grammar of ids, signed links and the secret, the clock, and the errors
a page can meet. It needs only the standard library, pydantic and itsdangerous."""
