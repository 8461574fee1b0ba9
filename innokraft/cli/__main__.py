"""`python -m innokraft.cli`: the `innokraft` command."""

import sys

from . import main

sys.exit(main())
