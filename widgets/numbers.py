"""Numbers and dates as a reader of the page's language expects them: "1,3" in Swedish, "−2" with a real
minus, "6 januari 2027"."""

from __future__ import annotations

from datetime import date


def fmt(value: float, lang: str, decimals: int = 0) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    sign = "\u2212" if round(value, decimals) < 0 else ""
    return sign + text


def signed(value: float, lang: str, decimals: int = 0) -> str:
    """A change as text: "+2", "0", "−2"."""
    return ("+" if round(value, decimals) > 0 else "") + fmt(value, lang, decimals)


def percent(share: float, lang: str, under_one: str, over_99: str) -> str:
    """A share (0-1) as whole per cent, for a sentence that says "procent" after it; a share that
    would round to 0 or 100 without being it is said in words ("mindre än 1"), never as a certainty."""
    text = fmt(100 * share, lang)
    if share > 0 and text == "0":
        return under_one
    if share < 1 and text == "100":
        return over_99
    return text


def written_date(day: date, t) -> str:
    """A day as the page's language writes it: "6 januari 2027", "6 January 2027"."""
    return t("ui.date", day=day.day, month=t.items("ui.months")[day.month - 1], year=day.year)


def typed_date(text: str, t) -> str:
    """A date a leader typed as ÅÅÅÅ-MM-DD, as the page's language writes a date; other text as typed."""
    try:
        return written_date(date.fromisoformat(text.strip()), t)
    except ValueError:
        return text
