"""Regular expressions (JSON Schema `pattern`, ECMA-262 and Python alike) that say in the
document what the domain's text rules enforce: a person's name, one line of printable text,
an Idempotency-Key.

A pattern accepts at least what the server accepts, so that a client or a fuzzer never finds
valid input the document calls invalid; where the server is stricter, it says so with a 400.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

from app.domain.idempotency import MAX_KEY_LENGTH
from app.domain.profile_rules import NAME_PUNCTUATION, is_latin_name

# One line of text: no control character (C0, DEL, C1) and no line or paragraph separator
# (`app.domain.rules.ensure_printable_text`); lone surrogates cannot arrive in valid JSON.
PRINTABLE_LINE = r"^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$"
# Contract, "Caching and retries": up to 255 printable ASCII characters.
IDEMPOTENCY_KEY = rf"^[\u0020-\u007E]{{1,{MAX_KEY_LENGTH}}}$"
# Latin letters end in the Supplementary Multilingual Plane (Latin Extended-G, U+1DF00-1DF1E);
# the planes above hold ideographs, tags and private use.
_LAST_CODE_POINT = min(0x1FFFF, sys.maxunicode)


def _class(code_points: set[int]) -> str:
    """A character class body for `code_points`, as ranges: `\\uXXXX` escapes in the Basic
    Multilingual Plane (both dialects read them), the characters themselves above it (ECMA-262
    in Unicode mode and Python read those; their escapes differ)."""
    ranges: list[list[int]] = []
    for point in sorted(code_points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])

    def char(point: int) -> str:
        return f"\\u{point:04X}" if point <= 0xFFFF else chr(point)

    return "".join(
        char(first) if first == last else f"{char(first)}-{char(last)}" for first, last in ranges
    )


@cache
def latin_name_pattern(*, optional: bool = False) -> str:
    """The pattern of `first_name` and `last_name`, computed from the domain's own rule
    (`profile_rules.is_latin_name`, after trimming and NFC normalisation), so the two cannot
    drift apart: surrounding white space, then Latin-script letters (as sent, or composed by
    NFC from a letter and its combining marks, or the Kelvin and Ångström signs NFC maps to K
    and Å), spaces, hyphens and apostrophes, with at least one letter; when `optional`, also
    white space alone (an optional name left empty). Takes about a tenth of a second, once per
    process."""
    letters = {
        point
        for point in range(_LAST_CODE_POINT + 1)
        if not 0xD800 <= point <= 0xDFFF and is_latin_name(unicodedata.normalize("NFC", chr(point)))
    }
    punctuation = {ord(char) for char in NAME_PUNCTUATION}
    marks = {
        ord(part)
        for point in letters
        for part in unicodedata.normalize("NFD", chr(point))
        if unicodedata.category(part).startswith("M")
    }
    every = _class(letters | punctuation | marks)
    name = rf"\s*[{every}]*[{_class(letters)}][{every}]*\s*"
    return rf"^(?:\s*|{name})$" if optional else rf"^{name}$"
