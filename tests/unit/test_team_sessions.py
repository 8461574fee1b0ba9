"""Team sessions (innokraft.teams): the team's result and its threshold, the store's sessions on
SQLite and PostgreSQL, the leader's calls through the learner service, the member form, and the
leader's page part driven from Python."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner, TeamSigner
from innokraft.course.load import course_and_texts
from innokraft.course.model import MIN_TEAM_ANSWERS, TeamExercise, TeamSessions, load_course
from innokraft.kernel.team import TeamWatch
from innokraft.learner.service import LearnerService, ServiceError
from innokraft.store.db import Store
from innokraft.teams.aggregate import aggregate
from innokraft.teams.member import MemberForms, read_answers
from innokraft.teams.sessions import MAX_ANSWERS, TeamStore
from tests.conftest import REPO

COURSE = load_course(REPO / "course_config")
BAROMETER = COURSE.team_sessions.find("m1.unit_barometer")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FORM = TeamExercise(module="m1", exercise="x", items=["a", "b"], scale={"min": -3, "max": 3})


# -- the team's result and its threshold ---------------------------------------------------------
def test_below_the_threshold_only_the_count_is_given():
    result = aggregate([{"a": -3, "b": 3}] * 4, FORM, 5)
    assert not result.visible and result.items == []
    assert result.as_dict() == {"count": 4, "min_answers": 5, "visible": False}


def test_at_the_threshold_each_item_has_its_distribution_and_mean():
    answers = [{"a": -3, "b": 0}, {"a": -3, "b": 1}, {"a": 0, "b": 1}, {"a": 2, "b": 3}, {"a": 3, "b": 3}]
    result = aggregate(answers, FORM, 5).as_dict()
    assert result["visible"] and result["count"] == 5
    a, b = result["items"]
    assert a == {"id": "a", "counts": [2, 0, 0, 1, 0, 1, 1], "answered": 5, "mean": -0.2}
    assert b == {"id": "b", "counts": [0, 0, 0, 1, 2, 0, 2], "answered": 5, "mean": 1.6}


def test_values_off_the_scale_are_left_out_and_an_item_too_few_answered_stays_hidden():
    answers = [{"a": 1, "b": 1}] * 4 + [{"a": 1, "b": 9}, {"a": True, "b": "2"}]
    result = aggregate(answers, FORM, 5)
    assert result.count == 6 and result.visible
    assert [i.id for i in result.items] == ["a"]  # b: four values on the scale, fewer than five
    assert result.items[0].counts == [0, 0, 0, 0, 5, 0, 0]  # True is no 1


@pytest.mark.parametrize("least", [1, 2])
def test_a_threshold_below_three_is_refused_with_the_reason(least):
    with pytest.raises(ValidationError, match="one person's answer can be read"):
        TeamSessions(min_answers=least)
    assert TeamSessions(min_answers=MIN_TEAM_ANSWERS).min_answers == 3 and TeamSessions().min_answers == 5


def test_innokraft_check_names_a_threshold_below_three(tmp_path):
    import shutil

    import yaml

    from innokraft.course.checks import run_checks

    config = tmp_path / "course_config"
    shutil.copytree(REPO / "course_config", config)
    data = yaml.safe_load((config / "course.yaml").read_text(encoding="utf-8"))
    data["team_sessions"]["min_answers"] = 2
    (config / "course.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = run_checks(config, REPO / "notebooks")
    assert len(problems) == 1 and "min_answers is 2" in problems[0] and "set it to 3 or more" in problems[0]


def test_only_exercises_of_the_course_may_allow_a_team_session():
    data = COURSE.model_dump()
    data["team_sessions"]["exercises"].append({"module": "m1", "exercise": "quiz", "items": ["a"],
                                               "scale": {"min": 0, "max": 2}})
    with pytest.raises(ValidationError, match="m1.quiz is not an exercise"):
        type(COURSE).model_validate(data)


# -- the store's sessions, on SQLite and PostgreSQL ---------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'team.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def teams(db_url):
    store = Store.open(db_url)
    leader = f"lead-{secrets.token_hex(4)}"  # PostgreSQL is shared by the module's tests
    store.upsert_learners("c1", [{"learner_id": leader}])
    return TeamStore(store), leader


def answer(sessions: TeamStore, session_id: str, device: str, value: int = 1, now=NOW) -> str:
    return sessions.answer(session_id, device, {"time": value}, now)


def test_answers_replace_per_device_and_stop_when_closed(teams):
    sessions, leader = teams
    row = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW)
    assert row.is_open(NOW) and row.revision == 0
    assert answer(sessions, row.id, "d1", 1) == "saved"
    assert answer(sessions, row.id, "d1", -2) == "saved"  # the same device again: replaced
    assert answer(sessions, row.id, "d2", 3) == "saved"
    assert sessions.count(row.id) == 2 and sorted(v["time"] for v in sessions.values(row.id)) == [-2, 3]
    assert sessions.get(row.id).revision == 3  # every write counts: the leader's page sees a replacement too
    assert sessions.close("somebody-else", row.id, NOW) is None  # not theirs to close
    assert sessions.get(row.id).closed_at is None
    closed = sessions.close(leader, row.id, NOW + timedelta(minutes=1))
    assert closed.closed_at is not None and not closed.is_open(NOW + timedelta(minutes=1))
    assert answer(sessions, row.id, "d3") == "closed"
    assert sessions.count(row.id) == 2 and sessions.get(row.id).revision == 3


def test_a_session_stops_at_its_closing_time(teams):
    sessions, leader = teams
    row = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=5), NOW)
    assert answer(sessions, row.id, "d1", now=NOW + timedelta(minutes=4, seconds=59)) == "saved"
    assert answer(sessions, row.id, "d2", now=NOW + timedelta(minutes=5)) == "closed"
    assert not sessions.get(row.id).is_open(NOW + timedelta(minutes=5))


def test_a_new_session_closes_the_last_one_and_keeps_its_answers_apart(teams):
    sessions, leader = teams
    first = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW)
    answer(sessions, first.id, "d1")
    other = sessions.open(leader, "m3.portfolio_mapper", "sv", NOW + timedelta(minutes=15), NOW)
    second = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW + timedelta(seconds=1))
    assert sessions.get(first.id).closed_at is not None and sessions.get(other.id).closed_at is None
    assert sessions.latest(leader, "m1.unit_barometer").id == second.id
    assert answer(sessions, second.id, "d1") == "saved"  # the same device: a new answer, in its session
    assert sessions.count(first.id) == 1 and sessions.count(second.id) == 1 and sessions.count(other.id) == 0


def test_a_session_takes_at_most_max_answers(teams):
    sessions, leader = teams
    row = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW)
    for n in range(MAX_ANSWERS):
        assert answer(sessions, row.id, f"d{n}") == "saved"
    assert answer(sessions, row.id, "one-more") == "full"
    assert answer(sessions, row.id, "d0", 2) == "saved"  # a device already in may still change its answer
    assert sessions.count(row.id) == MAX_ANSWERS


def test_two_server_processes_see_one_session(teams, db_url):
    """Each `innokraft serve` has its own engine: a session lives in the database only."""
    sessions, leader = teams
    row = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW)
    elsewhere = TeamStore(Store.open(db_url, migrate=False))
    assert answer(elsewhere, row.id, "d1") == "saved"
    assert sessions.latest(leader, "m1.unit_barometer").revision == 1 and sessions.count(row.id) == 1
    sessions.close(leader, row.id, NOW)
    assert answer(elsewhere, row.id, "d2") == "closed"


def test_erasing_the_leader_erases_their_sessions_and_answers(teams):
    sessions, leader = teams
    row = sessions.open(leader, "m1.unit_barometer", "sv", NOW + timedelta(minutes=15), NOW)
    answer(sessions, row.id, "d1")
    sessions.store.delete_learner(leader)
    assert sessions.get(row.id) is None and sessions.count(row.id) == 0 and sessions.sessions_of(leader) == []


# -- the leader's calls, through the learner service (as the store API runs them) -----------------
@pytest.fixture
def service(home, monkeypatch):
    monkeypatch.setenv("INNOKRAFT_NOW", NOW.isoformat())
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners("c1", [{"learner_id": "anna", "lang": "sv"}, {"learner_id": "bo", "lang": "en"}])
    signer = LinkSigner(load_secret(settings), COURSE.token_max_age_days)
    svc = LearnerService.open(settings)
    tokens = {who: signer.issue(who, "c1") for who in ("anna", "bo")}
    return svc, tokens, settings


def members_answer(svc, link: str, values: list[int]) -> MemberForms:
    """Members send the form, each from a device of their own."""
    _course, texts = course_and_texts(svc.settings.config_dir)
    forms = MemberForms(svc.store, svc.course, texts, svc.signer_secret)
    token = link.rsplit("/", 1)[1]
    for value in values:
        reply = forms.post(token, secrets.token_urlsafe(24), {item: str(value) for item in BAROMETER.items},
                           None, NOW)
        assert reply.status == 303, reply.html
    return forms


def test_the_leader_sees_the_count_until_the_threshold_then_the_result(service):
    svc, tokens, _settings = service
    opened = svc.call("team_open", tokens["anna"], {"exercise": "m1.unit_barometer", "minutes": 15})
    team = opened["team"]
    assert team["open"] and team["result"] == {"count": 0, "min_answers": 5, "visible": False}
    assert team["closes_at"] == (NOW + timedelta(minutes=15)).isoformat()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/innokraft/team/[\w.-]+", team["link"])
    members_answer(svc, team["link"], [-3, -2, -1, 0])
    state = svc.call("team_state", tokens["anna"], {"exercise": "m1.unit_barometer", "since": 0})["team"]
    assert state["revision"] == 4 and state["result"] == {"count": 4, "min_answers": 5, "visible": False}
    again = svc.call("team_state", tokens["anna"], {"exercise": "m1.unit_barometer", "since": 4})["team"]
    assert "result" not in again and "link" not in again  # nothing new: no result read, none sent
    members_answer(svc, team["link"], [3])
    result = svc.call("team_state", tokens["anna"], {"exercise": "m1.unit_barometer", "since": 4})["team"]["result"]
    assert result["visible"] and result["count"] == 5
    assert result["items"][0] == {"id": "time", "counts": [1, 1, 1, 1, 0, 0, 1], "answered": 5, "mean": -0.6}
    # Another leader sees none of it, and cannot close it.
    assert svc.call("team_state", tokens["bo"], {"exercise": "m1.unit_barometer"}) == {"team": None}
    with pytest.raises(ServiceError, match="bad_request"):
        svc.call("team_close", tokens["bo"], {"team": team["id"]})
    closed = svc.call("team_close", tokens["anna"], {"team": team["id"]})["team"]
    assert not closed["open"] and closed["result"]["count"] == 5


@pytest.mark.parametrize("args", [{"exercise": "m1.quiz", "minutes": 15},
                                  {"exercise": "m1.unit_barometer", "minutes": 7},
                                  {"exercise": "m1.unit_barometer", "minutes": "15"},
                                  {"exercise": ["m1.unit_barometer"], "minutes": 15}])
def test_a_session_only_for_an_allowed_exercise_and_closing_time(service, args):
    svc, tokens, _settings = service
    with pytest.raises(ServiceError, match="bad_request"):
        svc.call("team_open", tokens["anna"], args)


def test_without_a_valid_link_no_session_opens(service):
    svc, tokens, _settings = service
    for token in (None, tokens["anna"][:-3] + "xyz"):
        with pytest.raises(ServiceError, match="refused"):
            svc.call("team_open", token, {"exercise": "m1.unit_barometer", "minutes": 15})


# -- the member form ------------------------------------------------------------------------------
@pytest.fixture
def member(service):
    svc, tokens, settings = service
    link = svc.call("team_open", tokens["anna"], {"exercise": "m1.unit_barometer", "minutes": 15,
                                                  "lang": "en"})["team"]["link"]
    _course, texts = course_and_texts(settings.config_dir)
    return MemberForms(svc.store, svc.course, texts, svc.signer_secret), link.rsplit("/", 1)[1], svc, tokens


def test_the_form_asks_every_item_and_nothing_about_the_member(member):
    forms, token, _svc, _tokens = member
    reply = forms.get(token, None, None, False, NOW)
    assert reply.status == 200
    page = reply.html
    assert '<html lang="en">' in page  # the leader's page language
    assert page.count('type="radio"') == len(BAROMETER.items) * 7 and page.count("<fieldset") == len(BAROMETER.items)
    assert "anna" not in page and 'type="text"' not in page and "<script" not in page
    assert "at least 5 have answered" in page and "The form closes at 10:15" in page  # Stockholm time
    assert 'href="?lang=sv"' in page  # the member may switch language
    swedish = forms.get(token, None, "sv", False, NOW).html
    assert '<html lang="sv">' in swedish and "Tid i vardagen" in swedish and "−3" in swedish


def test_a_send_is_stored_once_per_device_and_shown_back(member):
    forms, token, svc, tokens = member
    device = secrets.token_urlsafe(24)
    missing = forms.post(token, device, {"time": "2"}, None, NOW)
    assert missing.status == 400 and "Choose an answer for every question" in missing.html
    assert 'href="#item-money"' in missing.html and 'value="2" checked' in missing.html
    everything = {item: "1" for item in BAROMETER.items}
    assert forms.post(token, device, {**everything, "time": "4"}, None, NOW).status == 400  # off the scale
    sent = forms.post(token, device, everything, None, NOW)
    assert sent.status == 303 and sent.redirect == "?sent=1&lang=en"
    assert "Thank you" in forms.get(token, device, None, True, NOW).html
    assert forms.get(token, None, None, True, NOW).status == 200  # no cookie: the form, not a thanks
    again = forms.get(token, device, None, False, NOW).html
    assert "already answered from this device" in again and again.count(" checked>") == len(BAROMETER.items)
    forms.post(token, device, {**everything, "time": "-3"}, None, NOW)
    state = svc.call("team_state", tokens["anna"], {"exercise": "m1.unit_barometer"})["team"]
    assert state["revision"] == 2 and state["result"]["count"] == 1
    assert forms.sessions.values(state["id"]) == [{**{i: 1 for i in BAROMETER.items}, "time": -3}]


def test_the_device_is_kept_as_a_keyed_hash_that_differs_per_session(member):
    forms, _token, _svc, _tokens = member
    assert forms.device("a" * 32, "c" * 32) != forms.device("b" * 32, "c" * 32)
    assert "c" * 32 not in forms.device("a" * 32, "c" * 32) and len(forms.device("a" * 32, "c" * 32)) == 64


def test_a_closed_or_forged_link_takes_nothing(member):
    forms, token, svc, tokens = member
    everything = {item: "0" for item in BAROMETER.items}
    learner_token = tokens["anna"]
    for forged in (learner_token, token[:-4] + "AAAA", TeamSigner("x" * 48).issue("0" * 32), "nonsense"):
        assert forms.get(forged, None, None, False, NOW).status == 404
        assert forms.post(forged, secrets.token_urlsafe(24), everything, None, NOW).status == 404
    # A genuine token of a session that does not exist (another server's secret is another key).
    assert forms.get(TeamSigner(svc.signer_secret).issue("f" * 32), None, None, False, NOW).status == 404
    team = svc.call("team_state", learner_token, {"exercise": "m1.unit_barometer"})["team"]
    svc.call("team_close", learner_token, {"team": team["id"]})
    closed = forms.get(token, None, None, False, NOW)
    assert closed.status == 410 and "no longer takes answers" in closed.html and "<form" not in closed.html
    assert forms.post(token, secrets.token_urlsafe(24), everything, None, NOW).status == 410
    assert forms.sessions.count(team["id"]) == 0


def test_a_team_link_never_opens_a_learner_page(member, service):
    _forms, token, svc, _tokens = member
    assert svc.call("open", token, {"page": "m1"})["kind"] == "refused"


def test_a_team_links_token_is_redacted_from_log_lines():
    from innokraft.web.logs import redact

    line = "410 GET /innokraft/team/eyJzIjoiYWIifQ.axbW2w.LFQMygvYk-_R?lang=sv (127.0.0.1) 3.1ms"
    assert redact(line) == "410 GET /innokraft/team/[redacted]?lang=sv (127.0.0.1) 3.1ms"


@pytest.mark.parametrize("fields,missing", [({}, BAROMETER.items), ({"time": "-3"}, BAROMETER.items[1:]),
                                            ({"time": " 1"}, BAROMETER.items), ({"time": "1e1"}, BAROMETER.items)])
def test_read_answers(fields, missing):
    value, left = read_answers(BAROMETER, fields)
    assert left == list(missing) and all(BAROMETER.scale.min <= v <= BAROMETER.scale.max for v in value.values())


# -- the leader's page, driven from Python ----------------------------------------------------------
class Clock:
    """Stands in for the kernel's event loop: what call_later scheduled runs when told."""

    def __init__(self):
        self.due: list = []

    def call_later(self, _delay, callback):
        handle = _Handle(callback)
        self.due.append(handle)
        return handle

    def tick(self) -> int:
        due, self.due = [h for h in self.due if not h.cancelled], []
        for handle in due:
            handle.callback()
        return len(due)


class _Handle:
    def __init__(self, callback):
        self.callback, self.cancelled = callback, False

    def cancel(self):
        self.cancelled = True


def test_the_page_hears_of_a_session_only_when_it_changed_and_stops_asking_once_closed(service):
    svc, tokens, _settings = service
    clock, heard = Clock(), []
    watch = TeamWatch(tokens["anna"], "m1.unit_barometer", heard.append, clock=lambda: clock)
    assert watch.load() is None and clock.due == [] and heard == []  # no session: nothing asked later
    watch.open(15, "sv")
    assert len(heard) == 1 and heard[0]["link"] and len(clock.due) == 1
    assert clock.tick() == 1 and len(heard) == 1  # asked; nothing changed, nothing heard
    members_answer(svc, heard[0]["link"], [1])
    clock.tick()
    assert len(heard) == 2 and heard[1]["result"]["count"] == 1 and heard[1]["link"] == heard[0]["link"]
    watch.close()
    assert len(heard) == 3 and not heard[2]["open"] and clock.tick() == 0  # closed: no more asking


def test_the_barometer_and_the_reflections_use_the_team_result(service):
    from widgets import Reflections, UnitBarometer
    from widgets.pages import open_page

    svc, tokens, _settings = service
    svc.call("save", tokens["anna"], {"key": "m1.unit_barometer", "value": {"time": 2, "money": -1}})
    link = svc.call("team_open", tokens["anna"], {"exercise": "m1.unit_barometer", "minutes": 15})["team"]["link"]
    page = open_page("m1", lang="sv", token=tokens["anna"])
    waiting = UnitBarometer(page, "unit_barometer")
    assert "Väntar på svar (0 av 5)" in waiting.team.status.value and "Teamets" not in waiting.feedback.value
    assert waiting.team.chart is None  # no result: nothing drawn, no chart synced
    members_answer(svc, link, [-2, -2, -1, -1])
    page = open_page("m1", lang="sv", token=tokens["anna"])
    assert "Väntar på svar (4 av 5)" in UnitBarometer(page, "unit_barometer").team.status.value
    members_answer(svc, link, [0])
    page = open_page("m1", lang="sv", token=tokens["anna"])
    ex = UnitBarometer(page, "unit_barometer")
    assert "5 svar har kommit in." in ex.team.status.value
    assert "<strong>Teamets största hinder (5 svar):</strong> Tid i vardagen, i snitt −1,2." in ex.feedback.value
    # The leader gave time +2, the team −1,2 on average: the widest difference, named.
    assert "Ni ser mest olika på <strong>Tid i vardagen</strong>: du gav +2, teamet i snitt −1,2." in ex.feedback.value
    assert "<td>2</td>" in ex.team.table.value and ex.team.chart.spec["series"][0]["values"][:2] == [2, -1]
    note = Reflections(page).team_note.value
    assert "Ditt team har svarat på barometern (5 svar)" in note and "Teamets största hinder är Tid i vardagen" in note
