"""Chinese or Korean, from the share of Hangul among CJK letters."""

from __future__ import annotations

from .text import is_han, is_hangul

LANGUAGES = ("zh", "ko")
KOREAN_SHARE = 0.3


def detect_language(text: str) -> str:
    """ "ko" when Hangul makes up a good part of the CJK letters, else "zh" (the default)."""
    hangul = sum(1 for char in text if is_hangul(char))
    han = sum(1 for char in text if is_han(char))
    if hangul and hangul >= KOREAN_SHARE * (hangul + han):
        return "ko"
    return "zh"
