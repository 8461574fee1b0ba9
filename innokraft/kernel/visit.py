"""Who is on a page, as the page's kernel knows it: a learner (from a valid link), a demo
visitor or a refused link, with the learner's answers for this page loaded once.

Everything it reads or writes goes through the store client (the server's store API under
`innokraft serve`), so a learner's kernel imports no database code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..core.errors import SubmitError
from .autosave import leaving
from .client import StoreRefused, StoreUnavailable, store_client


@dataclass(frozen=True)
class LearnerInfo:
    id: str
    cohort_id: str
    name: str
    email: str
    lang: str | None


@dataclass(frozen=True)
class SubmissionInfo:
    submitted_at: datetime


@dataclass(frozen=True)
class FeedbackInfo:
    score: float
    max_score: float
    comments: dict[str, str]


@dataclass
class PageSession:
    """`kind` is "learner", "demo" or "refused"; `error` says why a link was refused."""

    kind: str
    page: str = ""
    learner: LearnerInfo | None = None
    token: str | None = None
    error: str | None = None
    opened: dict = field(default_factory=dict)  # what the store said when the page opened
    _answers: dict[str, object] = field(default_factory=dict)
    _replaced: set[str] = field(default_factory=set)  # keys another device had saved meanwhile
    _versions: dict[str, int] = field(default_factory=dict)
    _done: set[str] = field(default_factory=set)
    _others: dict[str, str] = field(default_factory=dict)  # another device's text, kept when ours replaced it

    @classmethod
    def open(cls, page: str, token: str | None, lang: str | None) -> PageSession:
        """Check the link with the store, record the visit, load this page's answers."""
        if not token:
            return cls("demo", page)
        data = store_client().call("open", token, page=page, lang=lang)
        if data["kind"] != "learner":
            return cls("refused", page, error=data.get("error") or "unknown")
        learner = LearnerInfo(**data["learner"])
        return cls("learner", page, learner, token, opened=data, _answers=dict(data["answers"]),
                   _versions=dict(data.get("versions", {})), _done=set(data.get("done", [])))

    @property
    def can_save(self) -> bool:
        return self.kind == "learner"

    @property
    def done_items(self) -> set[str]:
        """The parts of this module the store has marked done (as the page opened, and since)."""
        return set(self._done)

    # -- answers ----------------------------------------------------------------------------
    def answers(self, prefix: str = "") -> dict[str, object]:
        if self.kind == "learner" and not prefix.startswith(f"{self.page}."):
            return store_client().call("answers", self.token, prefix=prefix)["answers"]
        return {k: v for k, v in self._answers.items() if k.startswith(prefix)}

    def load(self, key: str) -> object | None:
        if key in self._answers or self.kind != "learner" or key.startswith(f"{self.page}."):
            return self._answers.get(key)
        if key.startswith("thread.") and "thread" in self.opened:  # sent with the page's answers
            return self.opened["thread"].get(key)
        return store_client().call("load", self.token, key=key)["value"]  # e.g. "eval.<instrument>"

    def save(self, key: str, value: object) -> str:
        """One upsert in the store; "replaced" when another device had saved this key meanwhile."""
        if self.kind == "learner":
            # While the kernel exits (the tab closed), the page's beacon may already have stored
            # newer text: then this older value is dropped, never written over it.
            # Base 0: not stored when this page opened; a save from elsewhere since then shows.
            base = self._versions.get(key, 0) if key.startswith(f"{self.page}.") else self._versions.get(key)
            result = store_client().call("save", self.token, key=key, value=value,
                                         base=base, only_if_unchanged=leaving())
            if result["version"] is None:
                return "saved"
            if result.get("replaced"):
                # The note stays for the rest of the visit: a later save must not hide it at once.
                self._replaced.add(key)
                if isinstance(result.get("other"), str):
                    self._others[key] = result["other"]
            self._versions[key] = result["version"]
            self._answers[key] = value
            if key.startswith("thread.") and "thread" in self.opened:
                self.opened["thread"][key] = value
            return "replaced" if key in self._replaced else "saved"
        if self.kind == "demo":
            self._answers[key] = value  # lives as long as the page: never stored
        return "saved"

    def other_text(self, key: str) -> str | None:
        """The text another device had saved under key, which this page's save replaced."""
        return self._others.get(key)

    # -- learning events ----------------------------------------------------------------------
    def log(self, page: str, kind: str, detail: str = "", once: bool = False) -> bool:
        """Record a learning event; with once=True only the first time. True if recorded."""
        if self.kind != "learner":
            return False
        return store_client().call("log", self.token, page=page, kind=kind, detail=detail,
                                   once=once)["recorded"]

    def done(self, item: str) -> bool:
        """A part of this module is done (asked of the store once per item and page)."""
        if self.kind != "learner" or item in self._done:
            return False
        result = store_client().call("done", self.token, page=self.page, item=item)
        self._done.add(item)
        return result["recorded"]

    def report(self, part: str, detail: str) -> None:
        """A part of this page failed: the server logs it under the learner's pseudonym."""
        store_client().call("report", self.token, page=self.page, part=part, detail=detail)

    def due(self) -> list[dict]:
        """The evaluation instruments due now: [{instrument, module_id}]."""
        if self.kind == "refused":
            return []
        return store_client().call("due", self.token)["due"]

    def progress(self) -> list[dict]:
        if self.kind != "learner":
            return []
        return self.opened.get("progress") or store_client().call("progress", self.token)["progress"]

    # -- reflections ----------------------------------------------------------------------------
    def submit(self, answers: dict[str, str], lang: str) -> SubmissionInfo:
        try:
            result = store_client().call("submit", self.token, page=self.page, answers=answers, lang=lang)
        except StoreRefused as exc:
            raise SubmitError("refused" if exc.kind == "refused" else "failed") from None
        except StoreUnavailable:
            raise SubmitError("failed") from None
        if "error" in result:
            raise SubmitError(result["error"])
        self.opened["submission"] = {"submitted_at": result["submitted_at"]}
        self.opened["feedback"] = None
        return SubmissionInfo(datetime.fromisoformat(result["submitted_at"]))

    def latest_submission(self) -> SubmissionInfo | None:
        row = self.opened.get("submission") if self.kind == "learner" else None
        return SubmissionInfo(datetime.fromisoformat(row["submitted_at"])) if row else None

    def feedback(self) -> FeedbackInfo | None:
        row = self.opened.get("feedback") if self.kind == "learner" else None
        return FeedbackInfo(row["score"], row["max_score"], row["comments"]) if row else None
