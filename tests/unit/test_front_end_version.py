"""Voilà's front-end is served under a name for its files (serve.front_end_version), so a
browser may keep it for good: another file, another name; the same files, the same name."""

from __future__ import annotations

import os

from innokraft.serve import course_page_config, front_end_version


def test_the_name_follows_the_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "voila.js").write_text("entry")
    (tmp_path / "a" / "1.voila.js").write_text("chunk")
    first = front_end_version([str(tmp_path)])
    assert first == front_end_version([str(tmp_path)]) and len(first) == 16
    os.utime(tmp_path / "a" / "1.voila.js", ns=(1, 1))  # another install of the same files
    second = front_end_version([str(tmp_path)])
    assert second != first
    (tmp_path / "a" / "1.voila.js").write_text("chunk, changed")
    assert front_end_version([str(tmp_path)]) not in (first, second)
    (tmp_path / "a" / "2.voila.js").write_text("new")
    assert len({first, second, front_end_version([str(tmp_path)])}) == 3


def test_the_page_loads_its_front_end_from_the_versioned_path():
    words = {"sv": {"skip_link": "Hoppa till innehållet", "loading": "Sidan laddas …"}}
    config = course_page_config({"fullStaticUrl": "/base/voila/static", "other": 1}, base_url="/base/",
                                 settings={"innokraft_front_end": "0123456789abcdef",
                                           "innokraft_template_texts": words}, log=None)
    assert config == {"fullStaticUrl": "/base/voila/static/v/0123456789abcdef", "other": 1,
                      "innokraftTexts": words}
