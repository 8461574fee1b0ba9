"""The certificate (innokraft.facilitator.certificate): issued only when every module is done, as a
real PDF with a page per language (its text read back out of the PDF), and its verification code,
which `innokraft verify` accepts as issued and refuses changed, made up or signed with another
secret. Progress is made through the learner service, as a leader's pages make it."""

from __future__ import annotations

import io
import stat
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from innokraft.core.certificate_codes import ALPHABET, CertificateCodes, CodeError, normalise, pretty
from innokraft.core.settings import Settings
from innokraft.course.load import course_and_texts
from innokraft.course.model import Course
from innokraft.course.progress import module_items
from innokraft.course.texts import Texts
from innokraft.facilitator.certificate import (
    certificate_html,
    codes,
    completion,
    day,
    hours,
    obtain,
    verify,
)
from innokraft.store.certificates import certificates_of
from innokraft.store.db import Store
from innokraft.store.evaluations import completed_at
from tests.conftest import REPO, innokraft
from tests.helpers.learners import Cohort

COURSE, TEXTS = course_and_texts(REPO / "course_config")
NOW = "2026-06-10T09:30:00+02:00"
ISSUED = date(2026, 6, 10)
OTHER_SECRET = "another-course-server-secret-0123456789abcdef"


@pytest.fixture
def cohort(home, monkeypatch) -> Cohort:
    """Anna has done every module, Bo only the first; Cia has done every one but the roster has no name."""
    monkeypatch.setenv("INNOKRAFT_NOW", NOW)
    Store.open(Settings.from_env().db_url).upsert_learners("c1", [
        {"learner_id": "anna", "name": "Anna Åström", "lang": "sv"},
        {"learner_id": "bo", "name": "Bo Ek", "lang": "en"},
        {"learner_id": "cia", "name": "", "lang": "sv"}])
    leaders = Cohort(Settings.from_env())
    for learner, modules in (("anna", COURSE.modules), ("bo", COURSE.modules[:1]), ("cia", COURSE.modules)):
        for module in modules:
            leaders.open(learner, module.id, "sv")
            for item in module_items(module):
                leaders.call(learner, "done", page=module.id, item=item)
    return leaders


def issue(leaders: Cohort, learner_id: str, reissue: bool = False):
    settings = Settings.from_env()
    store = leaders.service.store
    return obtain(COURSE, store, codes(settings, COURSE), store.learner(learner_id), ISSUED, reissue=reissue)


def flipped(code: str, at: int) -> str:
    """The code with one character changed into another of the alphabet."""
    return code[:at] + ALPHABET[(ALPHABET.index(code[at]) + 1) % len(ALPHABET)] + code[at + 1:]


# -- the code on its own -----------------------------------------------------------------------------
def test_a_code_says_what_it_was_issued_for_and_every_changed_character_breaks_it():
    signer = CertificateCodes("s" * 48, "innokraft")
    modules = [("m1", date(2026, 5, 4)), ("m2", date(2026, 5, 18))]
    code = signer.issue("anna", modules, ISSUED, edition=1)
    assert len(code) == 24 and set(code) <= set(ALPHABET)
    said = signer.verify(pretty(code).lower())  # as printed, typed in lower case
    assert (said.code, said.issued_on, said.edition) == (code, ISSUED, 1)
    assert said.learner_tag == signer.learner_tag("anna") != signer.learner_tag("bo")
    assert signer.verify(" ".join(pretty(code).split("-"))).code == code
    for at in range(len(code)):
        with pytest.raises(CodeError) as refused:
            signer.verify(flipped(code, at))
        assert refused.value.kind == "forged", at
    # A code made by another server, or for another course, is no code of this one.
    for other in (CertificateCodes(OTHER_SECRET, "innokraft"), CertificateCodes("s" * 48, "another")):
        with pytest.raises(CodeError, match="forged"):
            signer.verify(other.issue("anna", modules, ISSUED, edition=1))
    # Another completion date, another learner or another edition is another code.
    assert code != signer.issue("anna", [("m1", date(2026, 5, 4)), ("m2", date(2026, 5, 19))], ISSUED, 1)
    assert code != signer.issue("bo", modules, ISSUED, 1) != signer.issue("anna", modules, ISSUED, 2)


def test_what_is_typed_is_read_as_meant_and_anything_else_is_not_a_code():
    assert normalise("o1il-" + "2" * 20) == "0111" + "2" * 20
    for text in ("", "hello", "2" * 23, "2" * 25, "U" * 24, "2" * 23 + "!"):
        with pytest.raises(CodeError, match="malformed"):
            normalise(text)


def test_the_issuer_is_named_in_every_language_of_the_course():
    data = COURSE.model_dump()
    data["certificate"]["issuer"] = {"sv": "Kommunen"}
    with pytest.raises(ValidationError, match=r"certificate.issuer has no text for \['en'\]"):
        Course.model_validate(data)


def test_hours_are_whole_and_a_half_hour_goes_up():
    assert [hours(m) for m in (0, 20, 89, 90, 400, 810)] == [0, 1, 1, 2, 7, 14]


# -- issuing ------------------------------------------------------------------------------------------
def test_a_learner_with_a_module_missing_gets_no_certificate(cohort):
    outcome = issue(cohort, "bo")
    assert outcome.kind == "missing" and outcome.missing == tuple(m.id for m in COURSE.modules[1:])
    said = innokraft("certificate", "bo", "--lang", "en", check=False)
    assert said.returncode == 3
    assert said.stderr.startswith("bo has not completed every module. Missing: Module 2: ")
    for module in COURSE.modules[1:]:
        assert module.title["en"] in said.stderr
    assert certificates_of(cohort.service.store, "bo") == []
    # Without a name the roster must be mended first: a certificate names its holder.
    assert issue(cohort, "cia").kind == "no_name" and certificates_of(cohort.service.store, "cia") == []


def test_the_pdf_says_who_did_which_module_when_the_hours_and_the_issuer_in_both_languages(cohort, tmp_path):
    target = tmp_path / "anna.pdf"
    said = innokraft("certificate", "anna", "--out", str(target))
    (row,) = certificates_of(cohort.service.store, "anna")
    assert said.stdout.split() == (f"Skrev intyget för Anna Åström (anna) till {target}. "
                                   f"Verifieringskod: {pretty(row.code)}.").split()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    pdf = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(pdf.pages) == 2  # Swedish first, then English
    zone = ZoneInfo(COURSE.timezone)
    done = completion(COURSE, cohort.service.store, "anna").done
    assert [m for m, _ in done] == [m.id for m in COURSE.modules]
    # The dates are the store's records of each module completed, in the course's time zone.
    recorded = completed_at(cohort.service.store, "anna")
    assert done == [(m.id, recorded[m.id].astimezone(zone).date()) for m in COURSE.modules] == row.modules
    minutes = sum(m.minutes for m in COURSE.modules)
    task_minutes = COURSE.certificate.task_minutes_per_module * len(COURSE.modules)
    for page, lang in zip(pdf.pages, ["sv", "en"], strict=True):
        t = Texts(lang, TEXTS[lang])
        text = " ".join(page.extract_text().split())
        wanted = [t("certificate.heading"), t("certificate.certifies"), "Anna Åström",
                  COURSE.title[lang], t("certificate.modules_title"),
                  t("certificate.hours_tasks", hours=hours(minutes + task_minutes), task_hours=hours(task_minutes)),
                  t("certificate.not_credits"),
                  t("certificate.issued", issuer=COURSE.certificate.issuer[lang], date=day(t, ISSUED)),
                  f"{t('certificate.code_label')}: {pretty(row.code)}", t("service.contact_email")]
        wanted += [f"{t('ui.module_number', number=n)} {module.title[lang]} {day(t, when)}"
                   for n, (module, (_, when)) in enumerate(zip(COURSE.modules, done, strict=True), start=1)]
        for phrase in wanted:
            assert " ".join(phrase.split()) in text, (lang, phrase, text)
    assert "10 juni 2026" in pdf.pages[0].extract_text() and "10 June 2026" in pdf.pages[1].extract_text()


def test_the_name_is_printed_as_typed_never_as_markup(cohort):
    store = cohort.service.store
    store.upsert_learners("c1", [{"learner_id": "anna", "name": "Anna <b>Å</b> & co"}])
    html = certificate_html(COURSE, TEXTS, issue(cohort, "anna").certificate)
    assert "Anna &lt;b&gt;Å&lt;/b&gt; &amp; co" in html and "<b>" not in html


# -- verifying ----------------------------------------------------------------------------------------
def test_verify_accepts_the_code_as_issued_and_refuses_a_changed_or_foreign_one(cohort):
    certificate = issue(cohort, "anna").certificate
    code = pretty(certificate.code)
    said = innokraft("verify", code)
    sv = Texts("sv", TEXTS["sv"])
    assert said.stdout.splitlines()[:3] == [sv("certificate.verify.valid"), "Namn: Anna Åström",
                                            f"Kurs: {COURSE.title['sv']}"]
    for n, (module, (_, when)) in enumerate(zip(COURSE.modules, certificate.modules, strict=True), start=1):
        assert f"  Modul {n}: {module.title['sv']} – {day(sv, when)}" in said.stdout.splitlines()
    assert "Utfärdat: 10 juni 2026 av Helsingborgs stad och Uppsala kommun" in said.stdout
    assert innokraft("verify", code.lower().replace("-", " ")).returncode == 0

    changed = innokraft("verify", flipped(certificate.code, 7), check=False)
    assert changed.returncode == 2 and changed.stdout == ""
    assert " ".join(changed.stderr.split()) == " ".join(sv("certificate.verify.forged").split())
    in_english = innokraft("verify", flipped(certificate.code, 20), "--lang", "en", check=False)
    assert in_english.returncode == 2 and in_english.stderr.startswith("The code does not check out.")
    # Signed with another server's secret for the very same learner, modules and day.
    foreign = CertificateCodes(OTHER_SECRET, COURSE.id).issue("anna", certificate.modules, ISSUED, 0)
    assert innokraft("verify", foreign, check=False).returncode == 2
    assert verify(cohort.service.store, codes(Settings.from_env(), COURSE), foreign).kind == "forged"
    nonsense = innokraft("verify", "hello", check=False)
    assert nonsense.returncode == 2 and nonsense.stderr.startswith("”hello” är ingen verifieringskod.")


def test_a_certificate_is_issued_once_withdrawn_by_a_facilitator_and_gone_when_the_learner_is_erased(cohort,
                                                                                                    tmp_path):
    first = issue(cohort, "anna").certificate
    assert issue(cohort, "anna").certificate == first  # a second download: the same certificate
    assert innokraft("certificate", "anna", "--revoke").stdout.startswith(f"Intyget {pretty(first.code)} för anna")
    withdrawn = innokraft("verify", first.code, check=False)
    assert withdrawn.returncode == 1 and withdrawn.stderr.startswith("Koden är äkta, men intyget drogs tillbaka")
    assert "Namn: Anna Åström" in withdrawn.stdout
    assert issue(cohort, "anna").kind == "withdrawn"  # the learner's download gives no new one
    # A facilitator issues a new one, with a new code; the old one stays withdrawn.
    again = innokraft("certificate", "anna", "--out", str(tmp_path / "new.pdf"))
    second = certificates_of(cohort.service.store, "anna")[-1]
    assert second.edition == 1 and second.code != first.code and second.valid
    assert again.stdout.startswith("Det tidigare intyget var återkallat.")
    assert innokraft("verify", second.code).returncode == 0
    assert innokraft("verify", first.code, check=False).returncode == 1
    revoked_on = certificates_of(cohort.service.store, "anna")[0].revoked_at.astimezone(ZoneInfo(COURSE.timezone))
    assert innokraft("certificates", "--cohort", "c1", "--lang", "en").stdout.splitlines() == [
        f"anna  Anna Åström  2026-06-10  {pretty(first.code)}  revoked {revoked_on.date().isoformat()}",
        f"anna  Anna Åström  2026-06-10  {pretty(second.code)}  valid"]
    # Erased: nothing of the certificate is kept, and verify says the code is genuine but unrecorded.
    cohort.service.store.delete_learner("anna")
    assert certificates_of(cohort.service.store, "anna") == []
    gone = innokraft("verify", second.code, check=False)
    assert gone.returncode == 1 and gone.stderr.startswith("Koden är äkta och intyget utfärdades 10 juni 2026")
