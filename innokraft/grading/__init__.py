"""The nbgrader bridge, run by the server (a submission) and the facilitator (collect, grade,
feedback): each module's assignment generated from course_config, submissions written into the
exchange, where each learner's reflections stand, and formgrader showing names."""
