"""The base of every exercise: restore the saved answer, save each change, show "saved"."""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle
from markupsafe import Markup
from traitlets import Unicode

from .numbers import fmt

_shared: dict[str, widgets.Widget] = {}


def _one(name: str, make) -> widgets.Widget:
    if name not in _shared:
        _shared[name] = make()
    return _shared[name]


def plain_layout() -> widgets.Layout:
    """One Layout for every widget that keeps the default: a page syncs one model, not one each."""
    return _one("layout", widgets.Layout)


NOTHING = Markup("")


def fingerprint(text: str) -> str:
    """FNV-1a (32 bits) over the text's UTF-16 code units, as innokraft-saving.js computes it."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return format(h, "x")


def texts_in(value: object) -> set[str]:
    """Every string an answer holds, however deep."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return set().union(*(texts_in(v) for v in items))


def html_widget(value: Markup = NOTHING, css: str = "") -> widgets.HTML:
    """An HTML widget sharing its Layout and style with all others (1 model to sync, not 3).

    Its HTML is markupsafe.Markup (texts escaped as they went in): a plain string is refused.

    Only for text that changes as the leader works; text that never changes is an HTML
    output of the page (`Page.markdown`), which costs no model at all.
    """
    if not isinstance(value, Markup):
        raise TypeError("html_widget takes markupsafe.Markup (escape every text that goes in)")
    return widgets.HTML(value, layout=plain_layout(), style=_one("html_style", HTMLStyle),
                        _dom_classes=(css,) if css else ())


def auto_width() -> widgets.Layout:
    """One Layout for the controls that take their content's width (radio buttons)."""
    return _one("auto_width", lambda: widgets.Layout(width="auto"))


def full_width() -> widgets.Layout:
    """One Layout for the controls that take the whole width (text boxes)."""
    return _one("full_width", lambda: widgets.Layout(width="100%"))


def labelled(cls: type[widgets.DOMWidget], **kwargs) -> widgets.DOMWidget:
    """A control with its label above it (long labels, narrow phones), sharing the page's one
    Layout and one style of its kind: a page syncs one model per control, not three.

    Only for controls whose layout and style no code changes afterwards: a change would
    reach every control that shares them.
    """
    style = cls.class_traits()["style"].klass
    kwargs.setdefault("layout", plain_layout())
    kwargs.setdefault("style", _one(f"style:{style.__name__}", lambda: style(description_width="initial")))
    # Classes given when the widget is made travel in its first message, not one more each.
    kwargs["_dom_classes"] = (*kwargs.get("_dom_classes", ()), "innokraft-stacked")
    return cls(**kwargs)


def button(description: str, css: str = "", **kwargs) -> widgets.Button:
    """A button sharing the page's Layout and button style (the look comes from its classes)."""
    return widgets.Button(description=description, layout=plain_layout(),
                          style=_one("button_style", widgets.ButtonStyle),
                          _dom_classes=(css,) if css else (), **kwargs)


class Exercise(widgets.VBox):
    """Subclasses build their controls in _build(), and implement state(), restore(), update()."""

    key = Unicode(help="Where the answer is stored: '<page>.<exercise>'.")
    save_state = Unicode("", help="The last save state: saving, saved, failed or '' (untouched).")

    def __init__(self, page, name: str, **kwargs):
        kwargs.setdefault("layout", plain_layout())
        # innokraft-saving.js keeps unsent text per learner, page and this key.
        kwargs["_dom_classes"] = (*kwargs.get("_dom_classes", ()), *self.css_classes(page, name))
        super().__init__(**kwargs)
        self.page = page
        self.t = page.t
        self.name = name
        self.key = f"{page.id}.{name}"
        self.status = widgets.HTML("", layout=_one("status_layout", lambda: widgets.Layout(min_height="1.5em")),
                                   style=_one("html_style", HTMLStyle), _dom_classes=("innokraft-saved",))
        self._restoring = True
        self._build()
        saved = page.session.load(self.key)
        if saved is not None:
            self.restore(saved)
        self._restoring = False
        self.update()

    def __repr__(self) -> str:
        # ipywidgets' repr lists every trait of the widget and of all its children: ~2 ms for an
        # exercise, at each display, for the text/plain no course page shows.
        return f"{type(self).__name__}({self.key!r})"

    def css_classes(self, page, name: str) -> tuple[str, ...]:
        """The exercise's classes on the page (given at creation: no message each)."""
        return ("innokraft-exercise", f"innokraft-key-{page.id}.{name}")

    # -- to implement -----------------------------------------------------------------------
    def _build(self) -> None:
        raise NotImplementedError

    def state(self) -> object:
        raise NotImplementedError

    def restore(self, value: object) -> None:
        raise NotImplementedError

    def update(self) -> None:
        """Recompute feedback and charts from the controls."""

    def is_done(self) -> bool:
        return True

    # -- shared -----------------------------------------------------------------------------
    def title(self, key: str) -> widgets.HTML:
        return html_widget(Markup("<h2>{}</h2>").format(self.t(key)))

    def text(self, key: str, **values) -> widgets.HTML:
        return html_widget(self.page.explained(self.t.html(key, **values)))

    def text_block(self, title_key: str, *body_keys: str) -> widgets.HTML:
        """A heading and its texts as one widget (each widget costs the page models to sync)."""
        return html_widget(Markup("<h2>{}</h2>").format(self.t(title_key))
                           + self.page.explained(Markup("").join(self.t.html(k) for k in body_keys)))

    @staticmethod
    def series_alt(categories: list[str], series: list[tuple[str, list[str]]]) -> str:
        """A chart of several series in words, each value with its series' name (a listener cannot
        see which bar is which): "Tid: Du −2, Teamet, i snitt 0,4; Pengar: …"."""
        return "; ".join(f"{c}: " + ", ".join(f"{name} {values[i]}" for name, values in series)
                         for i, c in enumerate(categories))

    def chart_alt(self, title: str, details: str) -> str:
        """A chart in words: "Diagram: <title>. <details>", without a stop after a "?" or "!"."""
        title = title.rstrip()
        stop = "" if title.endswith((".", "?", "!", ":")) else "."
        return f"{self.t('ui.chart_alt_prefix')} {title}{stop} {details}"

    def changed(self, *_args) -> None:
        """Observer for every control: recompute, then save (debounced)."""
        if self._restoring:
            return
        self.update()
        self.page.autosave(self.key, self.state(), self._saved)
        if self.is_done():
            self.page.mark_done(self.name)

    def rating_left(self, left: int) -> bool:
        """While `left` items are unrated: the hint says how many, and nothing is judged or drawn
        yet (a verdict on half the items would mislead). Needs `hint`, `feedback`, `chart`, `p`."""
        if left:
            self.hint.value = Markup("<p>{}</p>").format(self.t(f"{self.p}.rate_hint", count=fmt(left, self.t.lang)))
            self.feedback.value = NOTHING
            self.chart.layout.display = "none"
            return True
        self.hint.value = NOTHING
        return False

    def decided(self) -> None:
        """After a step the leader cannot take back (an answer checked, a guess revealed): saved at
        once, so a page reloaded right after it finds the first attempt kept and locked."""
        self.changed()
        self.page.save_now(self.key)

    def _saved(self, state: str) -> None:
        self.save_state = state
        # The texts the store now holds, as fingerprints: the browser lets its copy of a text go
        # only when this names that very text, never on a "saved" that came before a keystroke.
        held = ""
        if state in ("saved", "replaced"):
            held = " ".join(sorted(fingerprint(t) for t in texts_in(self.state())))
        # role=status: screen readers hear "saved" without losing their place.
        self.status.value = Markup('<span role="status" class="innokraft-save-{}" data-held="{}">{}</span>').format(
            state, held, self.page.status_text(state))
