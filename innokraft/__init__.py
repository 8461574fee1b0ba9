"""Innokraft: the course engine (config, texts, links, store, pages, serving)."""

__version__ = "0.1.0"
