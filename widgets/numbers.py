"""Numbers as a reader of the page's language expects them: "1,3" in Swedish, "−2" with a real minus."""

from __future__ import annotations


def fmt(value: float, lang: str, decimals: int = 0) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    sign = "\u2212" if round(value, decimals) < 0 else ""
    return sign + text


def signed(value: float, lang: str, decimals: int = 0) -> str:
    """A change as text: "+2", "0", "−2"."""
    return ("+" if round(value, decimals) > 0 else "") + fmt(value, lang, decimals)
