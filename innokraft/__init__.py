"""Innokraft: the course engine, in rooms named for who runs them.

- core: settings, ids, signed links, the secret, the clock, errors (no Jupyter, no database)
- course: the content model (course.yaml, texts, facts, checks, instruments, progress rules)
- store: the database (models, migrations, queries)
- grading: the nbgrader bridge (assignments, exchange, the grading flow)
- learner: the service behind the store API (what a learner's page may ask)
- facilitator: reports, exports, GDPR, the roster, the dashboard
- kernel: a learner page's runtime (request, page, saving, the store client)
- web: `innokraft serve` (the only room importing tornado, Voilà and jupyter_server)
- cli: the `innokraft` command, one module per group of verbs

The import contracts in pyproject.toml keep the direction (`make lint` checks them).
"""

__version__ = "0.2.0"
