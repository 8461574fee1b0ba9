"""Where the tests find the repository and write their output."""

from __future__ import annotations

from pathlib import Path

from innokraft.core.settings import DevSettings

REPO = Path(__file__).resolve().parents[2]
OUTPUT = DevSettings.from_env().test_output
