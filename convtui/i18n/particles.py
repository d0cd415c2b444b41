"""Korean particles that depend on the word before them.

Korean picks 은/는, 이/가, 을/를, 과/와 and 으로/로 by whether the syllable before ends in a
consonant (받침), and 로 after a final ㄹ too. A catalogue string cannot know what a placeholder
will hold, so it writes the neutral pair ("{value}은(는)"); ``attach_particles`` then picks the
right one from what was filled in: a Hangul syllable, or a number as it is read aloud (3 삼,
10 십, 2.5 이 점 오, 50% 퍼센트). After anything else (a Latin name, a symbol) the neutral pair
stays, which is what Korean software writes when it cannot tell.
"""

from __future__ import annotations

import re

#: neutral pair → (after a final consonant, after a vowel)
PAIRS = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
}
_PATTERN = re.compile("|".join(re.escape(pair) for pair in PAIRS))
#: Read past these to the word they close: "[1, 28, 28]을(를)" is read "...이십팔을".
_CLOSERS = ")]}'\"`"
#: How the last digit of a number is read: 0 ends 영, 십, 백, 천 or 만 (all with 받침).
_DIGIT_ENDING = {"0": "consonant", "1": "ㄹ", "2": "vowel", "3": "consonant", "4": "vowel",
                 "5": "vowel", "6": "consonant", "7": "ㄹ", "8": "ㄹ", "9": "vowel"}
_HANGUL_FIRST, _HANGUL_LAST, _FINALS, _RIEUL = 0xAC00, 0xD7A3, 28, 8


def ending(text: str) -> str | None:
    """How ``text`` ends when read aloud: "vowel", "ㄹ", "consonant", or None (cannot tell)."""
    stripped = text.rstrip(_CLOSERS)
    if not stripped:
        return None
    last = stripped[-1]
    if last == "%":
        return "vowel"  # 퍼센트
    if last in _DIGIT_ENDING:
        return _DIGIT_ENDING[last]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        final = (ord(last) - _HANGUL_FIRST) % _FINALS
        return "vowel" if final == 0 else "ㄹ" if final == _RIEUL else "consonant"
    return None


def attach_particles(text: str) -> str:
    """``text`` with each neutral pair replaced by the particle its preceding word takes."""
    if "(" not in text:
        return text

    def pick(match: re.Match[str]) -> str:
        pair = match.group()
        how = ending(text[: match.start()])
        if how is None:
            return pair
        after_consonant, after_vowel = PAIRS[pair]
        if how == "vowel" or (how == "ㄹ" and pair == "(으)로"):
            return after_vowel
        return after_consonant

    return _PATTERN.sub(pick, text)
