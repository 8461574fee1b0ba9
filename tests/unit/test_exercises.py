"""Exercises driven from Python, as ipywidgets' own tests do: set a trait, read the result."""

from __future__ import annotations

import pytest
from markupsafe import escape

from innokraft.cli.context import DEMO_COHORT
from innokraft.core.secret import load_secret
from innokraft.core.settings import Settings
from innokraft.core.tokens import LinkSigner
from innokraft.store.db import Store
from widgets import MythOrData, Quiz, Reflections, UnitBarometer
from widgets.pages import open_page
from widgets.reflection import word_count


@pytest.mark.parametrize("text,count", [("", 0), ("En två tre", 3), ("self-reliant, it's fine", 3),
                                         ("Förskolans  nya\nrutin", 3)])
def test_word_count(text, count):
    assert word_count(text) == count


# -- widgets on a real page and store -----------------------------------------------------------
@pytest.fixture
def learner_page(home):
    settings = Settings.from_env()
    store = Store.open(settings.db_url)
    store.upsert_learners(DEMO_COHORT, [{"learner_id": "anna", "name": "Anna"}])
    token = LinkSigner(load_secret(settings), 30).issue("anna", DEMO_COHORT)

    def make(lang="sv", module="m1"):
        return open_page(module, lang=lang, token=token)

    return make, store


def guess_all(ex, value=40, finding=1):
    for slider in ex.sliders.values():
        slider.value = value
    ex.finding.value = finding


def test_myth_or_data_reveals_only_after_every_guess(learner_page):
    make, store = learner_page
    ex = MythOrData(make(), "myth_or_data")
    assert "Gissa först" in ex.feedback.value
    ex.sliders["innovative"].value = 70
    assert ex.reveal_button.disabled and "5 kvar" in ex.hint.value
    ex.reveal_button.click()  # a click that slips through does nothing
    assert not ex.revealed


def test_myth_or_data_locks_the_first_guesses(learner_page):
    make, store = learner_page
    page = make()
    ex = MythOrData(page, "myth_or_data")
    guess_all(ex, 40)
    ex.sliders["innovative"].value = 70
    assert not ex.reveal_button.disabled
    ex.reveal_button.click()
    assert ex.revealed and all(s.disabled for s in ex.sliders.values()) and ex.finding.disabled
    # 70 vs ~80, 40 vs 90, 69 and 79, and 40 vs "more than half": (10+50+29+39+10)/5 = 27.6 under.
    assert "underskattade i snitt med 28 procentenheter" in ex.feedback.value
    assert "Rätt gissat om strategin" in ex.feedback.value
    # Drawn in the browser: the guesses come from the chart's own inputs, the surveys' values
    # (with their sources) appear once revealed.
    guess, survey = ex.chart.spec["series"]
    assert guess["from_inputs"] and ex.chart.values["innovative"] == 70
    assert len(survey["values"]) == len(ex.sliders) and "> 50 % →" in survey["labels"]
    assert ex.chart.spec["source"] and ex.chart.disabled
    assert "SE: minst en innovation: Din gissning 70, Enkätresultat ~80 % (Sverige 2018)" in ex.chart.alt_text
    assert "> 50 %" in ex.chart.alt_text and "Danmark 2013–14" in ex.chart.alt_text
    saved = store.answers("anna")["m1.myth_or_data"]
    assert saved["first"]["predictions"]["innovative"] == 70 and saved["revealed"]
    assert store.has_event("anna", "m1", "exercise_done", "myth_or_data")

    # A value forced onto a locked slider (e.g. by a crafted message) changes nothing stored.
    ex.sliders["innovative"].value = 80
    page.autosaver.flush()
    assert store.answers("anna")["m1.myth_or_data"]["first"]["predictions"]["innovative"] == 70

    again = MythOrData(make("en"), "myth_or_data")
    assert again.sliders["innovative"].value == 70 and again.revealed
    assert again.sliders["innovative"].disabled
    assert "underestimated by 28 percentage points" in again.feedback.value


def test_barometer_feedback_names_the_top_barrier(learner_page):
    make, store = learner_page
    ex = UnitBarometer(make(), "unit_barometer")
    assert "inte markerat något hinder" in ex.feedback.value
    assert ex.state() == {} and "10 kvar" in ex.hint.value  # nothing rated until moved (D8)
    ex.sliders["testing_uncertainty"].value = -3
    ex.sliders["leader_support"].value = 2
    assert "Förutsättningar att testa och experimentera" in ex.feedback.value
    assert "Modul 4" in ex.feedback.value
    assert "Stöd från min chef" in ex.feedback.value
    assert "Källa: SKR 2022a, Sverige" in ex.chart.spec["source"]
    # A real minus and a plus, as a Swedish text writes a change.
    assert "Förutsättningar att testa och experimentera: \u22123" in ex.chart.alt_text and ": +2" in ex.chart.alt_text
    # The chart's ● and ○ in words.
    marked = "Förutsättningar att testa och experimentera: \u22123 (Ett av de vanligaste hindren i Sverige)"
    assert marked in ex.chart.alt_text
    assert ex.chart.alt_text.endswith("Stöd från min chef och förvaltningsledningen: +2")  # no mark, no words
    assert [t["label"] for t in ex.chart.spec["ticks"]][:2] == ["\u22123", "\u22122"]
    assert store.answers("anna")["m1.unit_barometer"] == {"testing_uncertainty": -3, "leader_support": 2}
    assert not ex.is_done() and "8 kvar" in ex.hint.value
    for slider in ex.sliders.values():
        if slider.value is None:
            slider.value = 0  # "neutral" is an answer once it is chosen
    assert ex.is_done() and ex.hint.value == ""


def test_a_quiz_answer_is_checked_with_the_button_then_locked(learner_page):
    make, store = learner_page
    quiz = Quiz(make())
    item = quiz.questions["main_trigger"]
    assert quiz.checks["main_trigger"].disabled  # nothing chosen, nothing to check
    item.value = 2
    assert quiz.explanations["main_trigger"].value == ""  # a choice is not yet an answer
    item.value = 1  # changing one's mind before checking costs nothing
    assert not quiz.checks["main_trigger"].disabled
    quiz.checks["main_trigger"].click()
    feedback = quiz.explanations["main_trigger"].value
    assert "Inte riktigt." in feedback and "\u2717" in feedback
    assert "Ditt svar:" in feedback and "Rätt svar:" in feedback
    assert item.disabled and quiz.checks["main_trigger"].disabled
    assert "innokraft-done" in quiz.checks["main_trigger"]._dom_classes
    item.value = 0  # a locked item keeps its first answer whatever reaches it
    quiz.checks["main_trigger"].click()
    quiz.questions["share_innovative"].value = 1
    quiz.checks["share_innovative"].click()
    assert "Rätt." in quiz.explanations["share_innovative"].value
    assert "1 av 4 rätt på första försöket" in quiz.score.value
    saved = store.answers("anna")["m1.quiz"]
    assert saved["first"]["main_trigger"] == {"choice": 1, "correct": False}
    assert saved["tries"]["main_trigger"] == 1
    again = Quiz(make())
    assert again.questions["main_trigger"].value == 1 and again.questions["main_trigger"].disabled
    assert not again.questions["idea_box"].disabled
    assert "1 av 4 rätt på första försöket" in again.score.value


def test_reflection_drafts_are_kept_verbatim(learner_page):
    make, store = learner_page
    page = make()
    reflections = Reflections(page)
    text = "Vi testade <script>alert('x')</script> och\nlärde oss mycket."
    reflections.prompts[0].box.value = text
    assert "10 ord – räknas som klart från 60 ord" in reflections.prompts[0].words.value
    assert reflections.prompts[0].save_state == "saved"
    assert "Sparat" in reflections.prompts[0].status.value
    assert store.answers("anna")["m1.reflection.latest_change"] == {"text": text}
    assert Reflections(make()).prompts[0].box.value == text
    # A stored value of another shape restores an empty box, never the word "None" saved over it.
    store.save_answer("anna", "m1.reflection.latest_change", {"text": None})
    store.save_answer("anna", "m1.reflection.weekly_routines", ["not", "a", "dict"])
    again = Reflections(make())
    assert [again.prompts[0].box.value, again.prompts[1].box.value] == ["", ""]


@pytest.mark.parametrize("lang,summary", [("sv", "Så bedöms ditt svar"), ("en", "How your answer is assessed")])
def test_each_prompt_shows_its_rubric_closed_before_the_leader_writes(learner_page, lang, summary):
    make, _store = learner_page
    draft = "Om <b>Xyzzy-rutinen</b> & 5 p: Jag beskriver ett tillfälle."
    for module in make().course.modules:
        first = Reflections(make(lang, module.id))
        for prompt in first.prompts:
            prompt.box.value = draft  # saved, and put back when the page opens again
        again = Reflections(make(lang, module.id))
        assert len(again.prompts) == len(module.reflections) == 2
        for prompt, reflection in zip(again.prompts, module.reflections, strict=True):
            assert prompt.box.value == draft
            shown = prompt.children[0].value
            # Closed (no `open`), under the prompt, named by its summary.
            assert f'<details class="innokraft-rubric"><summary>{summary}</summary><ul>' in shown, shown
            levels = reflection.rubric_levels(lang)
            assert [p for p, _text in levels][0] == reflection.points and len(levels) == 3
            for _points, text in levels:
                assert f"<li>{escape(text)}</li>" in shown
            assert "Xyzzy" not in shown and "Jag beskriver" not in shown  # the leader's text is only in the box
            assert "{initiative}" not in shown  # M6 names the leader's initiative


def test_a_text_from_another_device_is_kept_and_offered(learner_page):
    make, store = learner_page
    computer, phone = Reflections(make()).prompts[0], Reflections(make()).prompts[0]  # both open
    computer.box.value = "Skrivet på datorn."
    phone.box.value = "Skrivet på mobilen."  # saved over the computer's: the phone says so
    assert phone.save_state == "replaced"
    offered = phone.conflict.children[0].value
    assert "Skrivet på datorn." in offered and "en annan enhet" in offered
    assert store.answers("anna")["m1.reflection.latest_change"] == {"text": "Skrivet på mobilen."}
    phone.conflict.children[1].click()  # take the computer's text instead; the phone's is offered
    assert phone.box.value == "Skrivet på datorn."
    assert "Skrivet på mobilen." in phone.conflict.children[0].value
    assert store.answers("anna")["m1.reflection.latest_change"] == {"text": "Skrivet på datorn."}


def test_module_completes_when_every_part_is_done(learner_page):
    make, store = learner_page
    page = make()
    ex = MythOrData(page, "myth_or_data")
    guess_all(ex)
    ex.reveal_button.click()
    for slider in UnitBarometer(page, "unit_barometer").sliders.values():
        slider.value = -1
    from widgets import CaseSorter

    sorter = CaseSorter(page, "three_n")
    for radio in sorter.radios.values():
        radio.value = "none"
    sorter.check_button.click()
    quiz = Quiz(page)
    for q, radio in quiz.questions.items():
        radio.value = 0
        quiz.checks[q].click()
    assert not store.has_event("anna", "m1", "module_completed")
    for prompt in Reflections(page).prompts:
        prompt.box.value = " ".join(["ord"] * (page.course.reflection_min_words - 1))
    assert not store.has_event("anna", "m1", "module_completed")
    for prompt in Reflections(page).prompts:
        prompt.box.value = " ".join(["ord"] * page.course.reflection_min_words)
    assert store.has_event("anna", "m1", "module_completed")


def test_demo_page_saves_nothing(home):
    page = open_page("m1", lang="sv")
    assert page.session.kind == "demo"
    ex = MythOrData(page, "myth_or_data")
    ex.sliders["strategy"].value = 30
    assert "Demoläge" in ex.status.value
    store = Store.open(Settings.from_env().db_url)
    assert store.learners() == [] and store.events() == []


def test_refused_link_shows_no_exercises_and_writes_nothing(home):
    page = open_page("m1", lang="en", token="not-a-token")
    assert page.session.kind == "refused" and page.session.error == "tampered"
    assert page.exercise(MythOrData, "myth_or_data") is None
    store = Store.open(Settings.from_env().db_url)
    assert store.events() == []


def test_case_sorter_checks_once_every_case_is_judged_and_locks(learner_page):
    from widgets import CaseSorter

    make, store = learner_page
    ex = CaseSorter(make(), "three_n")
    assert ex.check_button.disabled and "8 kvar" in ex.hint.value
    key = {c.id: c.key for c in ex.params.cases}
    for case, radio in ex.radios.items():
        radio.value = key[case]
    ex.radios["permit_pilot"].value = "none"  # one case judged wrong: "used" fails there
    ex.check_button.click()
    assert ex.checked and all(r.disabled for r in ex.radios.values())
    assert "7 av 8 fall rätt" in ex.feedback.value
    assert "oftast fel på **nyttiggjort**" not in ex.feedback.value  # Markdown is rendered
    assert "<strong>nyttiggjort</strong>" in ex.feedback.value
    assert "Inte riktigt." in ex.explanations["permit_pilot"].value
    assert "Nyttiggjort: Rätt bedömt 7, Fel bedömt 1" in ex.chart.alt_text
    saved = store.answers("anna")["m1.three_n"]
    assert saved["first"]["permit_pilot"] == "none" and saved["checked"]
    assert store.has_event("anna", "m1", "exercise_done", "three_n")
    again = CaseSorter(make("en"), "three_n")
    assert again.checked and again.radios["permit_pilot"].disabled
    assert "7 of 8 cases right" in again.feedback.value


# -- M2 -----------------------------------------------------------------------------------------
@pytest.fixture
def m2_page(learner_page):
    make, store = learner_page
    return (lambda lang="sv": open_page("m2", lang=lang, token=make().session.token)), store


def test_team_lottery_locks_the_prediction_and_explores(m2_page):
    from widgets import Prediction

    make, store = m2_page
    ex = Prediction(make(), "team_lottery")
    assert ex.reveal_button.disabled and ex.chart.layout.display == "none"
    assert ex.explore.layout.display == "none"  # exploring comes after the first answer
    assert ex.input.value == ""  # no preset guess to anchor the leader's own
    # Small numbers in running text in words (content review), the chart's title keeps digits.
    assert ex.input.description.startswith("Ett team har sex medarbetare. Var och en är stark i två av de sex")
    ex.input.value = "tjugo"  # not a number: said, and nothing to reveal or save
    assert ex.reveal_button.disabled and "heltal från 0 till 100" in ex.hint.value
    assert store.answers("anna").get("m2.team_lottery", {}).get("prediction") is None
    ex.input.value = "20 %"
    assert not ex.reveal_button.disabled and ex.hint.value == ""
    ex.reveal_button.click()
    assert ex.input.disabled and "Risken är 47 procent att teamet saknar minst en förmåga" in ex.feedback.value
    assert "underskattade risken" in ex.feedback.value
    assert "I 1\u00a0000 simulerade team var det 46 procent" in ex.feedback.value
    assert ex.explore.layout.display is None and "6 medarbetare" in ex.chart.alt_text
    ex.sliders["team_size"].value = 10  # exploring changes the chart, not the first answer's verdict
    assert "10 medarbetare" in ex.chart.alt_text and "Risken är 47 procent" in ex.feedback.value
    ex.input.value = "60"  # after the reveal: undone, not saved
    assert ex.input.value == "20 %"
    saved = store.answers("anna")["m2.team_lottery"]
    assert saved == {"prediction": 20, "answered": True, "revealed": True, "team_size": 10, "strengths": 2}
    assert store.has_event("anna", "m2", "exercise_done", "team_lottery")
    again = Prediction(make("en"), "team_lottery")
    assert again.input.disabled and again.input.value == "20" and again.sliders["team_size"].value == 10
    assert "lacks at least one skill altogether is 47 per cent" in again.feedback.value


def test_team_lottery_restores_what_it_saved_before_it_was_a_prediction(m2_page):
    from widgets import Prediction

    make, store = m2_page
    # The form TeamLottery saved: the first answer under "first", "touched" for answered.
    store.save_answer("anna", "m2.team_lottery",
                      {"prediction": 30, "touched": True, "revealed": True, "first": 30, "team_size": 4,
                       "strengths": 3})
    again = Prediction(make(), "team_lottery")
    assert again.revealed and again.input.disabled and again.input.value == "30"
    assert again.sliders["team_size"].value == 4 and again.sliders["strengths"].value == 3
    assert "4 medarbetare med 3 styrkor" in again.chart.alt_text


def test_skills_profile_names_the_two_lowest_with_cards(m2_page):
    from widgets import RatingGrid

    make, store = m2_page
    ex = RatingGrid(make(), "skills_profile")
    values = {"small_steps": 2, "adjust_plan": 1, "ask_for_data": 5, "follow_up": 4, "meet_users": 4,
              "users_test": 4, "look_outside": 2, "ask_why": 3, "tell_story": 5, "pitch_result": 4,
              "question_routine": 4, "unusual_partners": 5}
    for key, value in values.items():
        ex.sliders[key].value = value
    assert not ex.is_done() and "1 kvar" in ex.hint.value  # "ask_why" still sits at its start
    assert ex.feedback.value == ""
    ex.sliders["ask_why"].value = 2
    assert ex.is_done() and ex.hint.value == ""
    assert "<strong>Pröva i små steg</strong> och <strong>Vara nyfiken</strong>" in ex.feedback.value
    assert "Pröva i små steg: 1,5" in ex.chart.alt_text
    assert store.answers("anna")["m2.skills_profile"]["means"]["iteration"] == 1.5
    # The first complete profile is kept as it was: a later change never touches it.
    first = {"ratings": {**values, "ask_why": 2}, "means": ex.means()}
    ex.sliders["small_steps"].value = 5
    saved = store.answers("anna")["m2.skills_profile"]
    assert saved["means"]["iteration"] == 3.0 and saved["first"] == first and first["means"]["iteration"] == 1.5
    assert RatingGrid(make(), "skills_profile").first == first  # restored


def test_team_coverage_compares_with_the_profile(m2_page):
    from widgets import RatingGrid

    make, store = m2_page
    page = make()
    profile = RatingGrid(page, "skills_profile")
    for slider in profile.sliders.values():
        slider.value = 2  # low everywhere: under "stämmer delvis"
    page.autosaver.flush()
    ex = RatingGrid(page, "team_coverage")
    levels = {"iteration": 0, "data_literacy": 1, "user_centricity": 3, "curiosity": 2,
              "storytelling": 2, "insurgency": 3}
    for key, value in levels.items():
        ex.sliders[key].value = 1 if value == 0 else 0  # touch each first
        ex.sliders[key].value = value
    assert "Ingen i teamet är stark i: Pröva i små steg" in ex.feedback.value
    assert "Bara en person bär: Använda data" in ex.feedback.value
    assert "både teamet och du själv svaga: Pröva i små steg, Använda data" in ex.feedback.value
    # Each value with its series' name: a listener cannot see which bar is which. The leader's own
    # profile stays on its 1-5 scale, in a panel of its own beside the team's count of people.
    assert "Pröva i små steg: Teamet Ingen, Du själv (övning 2, skala 1–5) 2,0" in ex.chart.alt_text
    team, own = ex.chart.spec["panels"]
    assert (team["min"], team["max"], own["min"], own["max"]) == (0, 3, 1, 5)
    assert team["ticks"][0]["label"] == "Ingen" and own["title"] == "Du själv (övning 2, skala 1–5)"
    # "Stämmer delvis" (3) everywhere is not weak: the team's gaps stay, no longer "both weak".
    for slider in profile.sliders.values():
        slider.value = 3
    page.autosaver.flush()
    ex = RatingGrid(page, "team_coverage")
    assert "Ingen i teamet är stark i: Pröva i små steg" in ex.feedback.value
    assert "både teamet och du själv svaga" not in ex.feedback.value


def test_m1_worksheet_lists_every_barometer_factor(learner_page):
    from widgets.print_sheet import build_sheet

    make, _store = learner_page
    for lang, first in (("sv", "Tid i vardagen"), ("en", "Time in everyday work")):
        sheet = build_sheet(make(lang), "m1").sheet
        assert len(sheet["rows"]) == 10 and sheet["rows"][0] == first
        assert sheet["columns"][0] == "−3" and sheet["lines"] == 4
    assert build_sheet(open_page("m1", lang="sv"), "m1").sheet["columns"][0] == "−3"


def test_m2_worksheet_is_a_handout_on_the_six_skills(m2_page):
    """The content review: no handout on the six skills for staff. The sheet explains each in a
    sentence, with columns of words in the page's language."""
    from widgets.print_sheet import build_sheet

    make, _store = m2_page
    sv, en = build_sheet(make("sv"), "m2").sheet, build_sheet(make("en"), "m2").sheet
    assert len(sv["rows"]) == 6 and sv["rows"][0].startswith("Pröva i små steg: vi testar en idé")
    assert sv["columns"] == ["Jag är stark här", "Jag vill öva"] and en["columns"][1] == "I want to practise"
    assert sv["row_header"] == "Förmåga" and sv["lines"] == 4


# -- widget models --------------------------------------------------------------------------------
def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


@pytest.mark.parametrize(("module", "kinds"), [
    ("m1", [("MythOrData", "myth_or_data"), ("CaseSorter", "three_n"), ("UnitBarometer", "unit_barometer")]),
    ("m2", [("Prediction", "team_lottery"), ("RatingGrid", "skills_profile")]),
    ("m5", [("EvidenceSimulator", "small_pilot"), ("TestCard", "test_card")]),
    ("m6", [("Prediction", "error_reports"), ("SafetyCards", "safety_cards"), ("TeamPulse", "team_pulse")]),
    ("m7", [("Prediction", "spread_guess"), ("DiffusionSimulator", "diffusion_simulator"),
            ("KotterAudit", "kotter_audit")]),
    ("m8", [("Prediction", "approval_wait"), ("MandateMatrix", "mandate_matrix"), ("BenefitMap", "benefit_map"),
            ("CapabilityProfile", "capability_profile")]),
])
def test_controls_share_one_layout_and_one_style_each(module, kinds):
    """Every widget is a model the browser fetches and builds before the page is usable. A
    control's own Layout and style would triple that count; they are shared instead."""
    import ipywidgets as widgets

    import widgets as kinds_module

    page = open_page(module, lang="sv")
    quiz = Quiz(page)
    shown = [getattr(kinds_module, cls)(page, name) for cls, name in kinds] + [quiz, Reflections(page)]
    controls = [w for ex in shown for w in _tree(ex)
                if isinstance(w, widgets.HTML | widgets.RadioButtons | widgets.IntSlider | widgets.Button
                              | widgets.Textarea)]
    assert len(controls) > 20
    layouts = {id(w.layout) for w in controls}
    styles = {id(w.style) for w in controls}
    # The plain, auto-width, full-width and status layouts; one style per kind of control.
    assert len(layouts) <= 4, f"{len(layouts)} layouts for {len(controls)} controls"
    assert len(styles) <= 5, f"{len(styles)} styles for {len(controls)} controls"


def test_the_end_of_course_self_assessment_shows_how_the_leader_has_grown(m2_page):
    """After the last module: the six statements now and in hindsight, beside the same statements
    when the course began and the first profile of M2 (kept though changed later)."""
    from widgets import RatingGrid
    from widgets.evaluation import SelfAssessment

    make, _store = m2_page
    token = make().session.token
    start = open_page("start", lang="sv", token=token)
    pre = SelfAssessment(start, "pre")
    for radio in pre.now.values():
        radio.value = 1  # "Stämmer dåligt": 2 on the 1-5 scale
    start.autosaver.flush()
    profile = RatingGrid(make(), "skills_profile")
    for slider in profile.sliders.values():
        slider.value = 2
    profile.sliders["small_steps"].value = 5  # changed after the first complete profile
    profile.page.autosaver.flush()

    post = SelfAssessment(open_page("start", lang="sv", token=token), "post")
    assert post.growth.value == ""  # nothing to compare until every statement is answered
    for skill in post.now:
        post.now[skill].value = 3 if skill == "storytelling" else 2
        post.then[skill].value = 0
    html = post.growth.value
    assert "<h3>Din utveckling</h3>" in html
    assert ('<th scope="row">Berätta</th><td>2</td><td>1</td><td>4</td><td>2,0</td>') in html
    assert ('<th scope="row">Pröva i små steg</th><td>2</td><td>1</td><td>3</td><td>2,0</td>') in html  # M2's first
    assert "Störst skillnad sedan kursen började:</strong> Berätta, från 2 till 4." in html
    assert "<th scope=\"col\">Din första profil i modul 2</th>" in html


def test_a_profile_saved_complete_before_first_profiles_were_kept_keeps_what_was_saved(m2_page):
    from widgets import RatingGrid

    make, store = m2_page
    profile = RatingGrid(make(), "skills_profile")
    ratings = {k: 4 for k in profile.sliders}
    store.save_answer("anna", "m2.skills_profile", {"ratings": ratings, "moved": sorted(ratings),
                                                     "means": {}})
    again = RatingGrid(make(), "skills_profile")
    assert again.first == {"ratings": ratings, "means": again.means()} and again.means()["iteration"] == 4
    again.sliders["small_steps"].value = 1
    assert store.answers("anna")["m2.skills_profile"]["first"]["ratings"]["small_steps"] == 4
