"""Errors a learner's page can meet, kept apart from the code that raises them server-side
(so a kernel can catch them without importing that code)."""


class SubmitError(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind  # empty | demo | refused | failed | too_large
