"""The course page's widget front-end is committed built (serving the course needs no Node);
this keeps the committed bundle true to its sources."""

import hashlib
import re

from tests.conftest import REPO

FRONT = REPO / "widgets" / "page_front"
BUNDLE = REPO / "course_config" / "voila" / "templates" / "innokraft" / "static" / "innokraft-widgets.js"
# The same files, in the same order, as build.mjs digests.
SOURCES = ["build.mjs", "package.json", "package-lock.json", "src/no-sanitize.js", "src/page.js"]


def test_the_committed_bundle_is_built_from_the_committed_sources():
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((FRONT / name).read_bytes())
    first_line = BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    built_from = re.fullmatch(r"/\* innokraft-widgets sources sha256:([0-9a-f]{64}) \*/", first_line)
    assert built_from, f"no sources digest on the bundle's first line: {first_line[:80]!r}"
    assert built_from.group(1) == digest.hexdigest(), "the widget front-end changed: run `make front`"


def test_build_digests_the_files_this_test_reads():
    build = (FRONT / "build.mjs").read_text(encoding="utf-8")
    listed = re.search(r"const SOURCES = \[(.*?)\];", build).group(1)
    assert re.findall(r'"([^"]+)"', listed) == SOURCES
    assert sorted(p.relative_to(FRONT).as_posix() for p in (FRONT / "src").rglob("*.js")) == \
        [s for s in SOURCES if s.startswith("src/")]
