# nbgrader settings shared by every Innokraft course root. `innokraft` writes the course
# root's own nbgrader_config.py, which loads this file and adds the paths and course id.
c = get_config()  # noqa: F821

# The course service, not the learner's Unix account, writes submissions into the exchange.
c.CollectApp.check_owner = False
# Reflections are markdown only: there is no code to run when autograding.
c.Execute.enabled = False
# Timestamps as nbgrader writes them, in UTC.
c.Exchange.timezone = "UTC"
