"""The course as its authors write it, used by every other room: course.yaml's model, the texts
in every language with their facts filled in, the facts registry, `innokraft check`'s rules, the
evaluation instruments' schedule and what counts as progress. Pure: no database, no server; a
learner's kernel imports it, compiled once by `innokraft serve`."""
