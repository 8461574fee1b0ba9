"""Team sessions: a leader runs a course exercise with their team from a link (issue 24).

The leader's page opens a session (through the learner service: `team_open`, `team_state`,
`team_close`); members answer a form the server renders itself (`innokraft serve`, no kernel,
no account, no name); the leader's page sees the team's result once enough have answered.

- sessions: the store's team tables (a session, its members' anonymous answers)
- aggregate: the team's result, hidden below the threshold (course.yaml: team_sessions.min_answers)
- leader: what the leader's page asks of a session
- member: the member form, its answers and its pages

The kernel rooms (innokraft.kernel, widgets) never import this room: a leader's page reaches it
through the store API only (an import contract in pyproject.toml).
"""
