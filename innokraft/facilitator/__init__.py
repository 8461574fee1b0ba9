"""The facilitator's side, run by the command line, the server's export routes and the
dashboard's own kernel: the roster and link sheets, the cohort's figures, the research, xAPI and
gradebook exports, and a learner's data under GDPR. Never imported by a learner's page."""
