"""What a learner's page may ask of the store, run in the server process behind the store API
(or in-process outside `innokraft serve`): every call checks the learner's link and touches only
that learner's rows."""
