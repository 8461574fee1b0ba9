"""Where a learner's kernel changes ipykernel's and ipywidgets' behaviour, each patch for the
versions it was written against (innokraft.core.versions), falling back to stock behaviour with
one warning on any other."""
