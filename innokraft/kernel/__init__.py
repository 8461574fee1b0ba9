"""A learner page's runtime, in the page's own kernel: the visitor's request, the page helper,
debounced saving and the client of the server's store API. Lean on purpose (a test counts what
a page's kernel imports): it may use only `core` and `course`, never the store, grading,
facilitator or web rooms."""
