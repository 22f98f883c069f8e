"""Expected HTTP responses as the README shows them, compared with what `curl -si` printed.

An expectation reads like the response, trimmed to what matters:

    HTTP/1.1 201 CREATED
    Idempotent-Replayed: true

    {"id": "$APPOINTMENT_ID", "status": "confirmed", "panels": [], ...}

- The status line's code must match, and its reason phrase too when one is given (ignoring case:
  werkzeug and gunicorn send `CREATED`, RFC 9110 spells it `Created`).
- Each header listed must be present (name ignoring case) with a matching value; headers not
  listed are not checked.
- The body, after the blank line, is JSON in which `...` stands for "anything": a bare `...` in an
  object allows more members, in an array any number of items at that place; the string `"..."`
  matches any value; within another string (or a header value) `...` matches any text, so
  `"...Z"` is any string ending in `Z`. An object without a bare `...` must have exactly the
  members shown; an array without one exactly the items shown, in order.
- `$NAME` (capital letters, digits, `_`) stands for the value the shell variable NAME had right
  after the command ran.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ELLIPSIS = "..."
# What a bare `...` becomes before json.loads: a member name in objects, an item in arrays.
_MORE = "\x00more"
_VARIABLE = re.compile(r"\$([A-Z][A-Z0-9_]*)")
_STATUS_LINE = re.compile(r"HTTP/\S+ (\d{3})(?: (.*))?")
_SHOWN_CHARS = 300


@dataclass(frozen=True)
class HttpMessage:
    """A response, printed or expected: status code, reason phrase ('' when absent), headers
    as (name, value) pairs in order, and the body's text ('' when there is none)."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str


def variables_in(text: str) -> list[str]:
    """The shell variable names `text` refers to as `$NAME`, each once, in order."""
    return list(dict.fromkeys(_VARIABLE.findall(text)))


def parse_http(text: str) -> HttpMessage:
    """Split a response into status, headers and body. Accepts `curl -si` output (CRLF line ends)
    and the README's expectations (LF). Raises ValueError when it does not start with a status
    line or a header line has no colon."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    status_line, *header_lines = head.strip("\n").split("\n")
    match = _STATUS_LINE.fullmatch(status_line.strip())
    if match is None:
        raise ValueError(f"not an HTTP status line: {status_line[:_SHOWN_CHARS]!r}")
    headers = []
    for line in header_lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"not a header line: {line!r}")
        headers.append((name.strip(), value.strip()))
    return HttpMessage(int(match[1]), (match[2] or "").strip(), tuple(headers), body.strip())


def parse_pattern(text: str) -> Any:
    """The JSON pattern in `text` as Python values, each bare `...` marked for `differences`.
    Raises ValueError for a `...` outside any object or array, or text that is not JSON."""
    marked: list[str] = []
    open_brackets: list[str] = []
    in_string = escaped = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_string:
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif text.startswith(ELLIPSIS, index):
            if not open_brackets:
                raise ValueError("a bare ... must stand inside an object or an array")
            more = json.dumps(_MORE)
            marked.append(f"{more}: null" if open_brackets[-1] == "{" else more)
            index += len(ELLIPSIS)
            continue
        elif char == '"':
            in_string = True
        elif char in "{[":
            open_brackets.append(char)
        elif char in "}]" and open_brackets:
            open_brackets.pop()
        marked.append(char)
        index += 1
    try:
        return json.loads("".join(marked))
    except json.JSONDecodeError as error:
        raise ValueError(f"the expected body is not JSON with ...: {error}") from None


def _glob(pattern: str) -> re.Pattern[str]:
    """`pattern` with each `...` matching any text, anchored at both ends."""
    return re.compile(".*".join(map(re.escape, pattern.split(ELLIPSIS))), re.DOTALL)


def _show(value: Any) -> str:
    """`value` as compact JSON for a message, bare `...` written back, cut to a readable size."""
    shown = json.dumps(value, ensure_ascii=False)
    more = json.dumps(_MORE)
    shown = shown.replace(f"{more}: null", ELLIPSIS).replace(more, ELLIPSIS)
    return shown if len(shown) <= _SHOWN_CHARS else shown[:_SHOWN_CHARS] + " [cut]"


def _same_scalar(expected: Any, actual: Any) -> bool:
    """JSON equality: true is not 1, and 2 equals 2.0."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def _matches_items(expected: list[Any], actual: list[Any]) -> bool:
    """Whether the items match in order, each bare `...` taking any number of actual items."""
    if not expected:
        return not actual
    if expected[0] == _MORE:
        return any(_matches_items(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return (
        bool(actual)
        and not differences(expected[0], actual[0])
        and _matches_items(expected[1:], actual[1:])
    )


def differences(expected: Any, actual: Any, where: str = "body") -> list[str]:
    """What in `actual` (parsed JSON) does not match the pattern `expected` (`parse_pattern`),
    one line per difference naming its place (`body.panels[0].panel_id`); [] when it matches."""
    if isinstance(expected, str) and ELLIPSIS in expected:
        if expected == ELLIPSIS or (isinstance(actual, str) and _glob(expected).fullmatch(actual)):
            return []
        return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object like {_show(expected)}, got {_show(actual)}"]
        found = []
        for name, value in expected.items():
            if name == _MORE:
                continue
            if name not in actual:
                found.append(f"{where}.{name}: missing (expected {_show(value)})")
            else:
                found += differences(value, actual[name], f"{where}.{name}")
        if _MORE not in expected:
            extra = sorted(actual.keys() - expected)
            found += [f"{where}.{name}: present, but not shown in the README" for name in extra]
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected an array like {_show(expected)}, got {_show(actual)}"]
        if _MORE in expected:
            if _matches_items(expected, actual):
                return []
            return [f"{where}: expected items like {_show(expected)}, got {_show(actual)}"]
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}: {_show(actual)}"]
        found = []
        for index, (item, actual_item) in enumerate(zip(expected, actual, strict=True)):
            found += differences(item, actual_item, f"{where}[{index}]")
        return found
    if _same_scalar(expected, actual):
        return []
    return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """`text` with each `$NAME` replaced by that variable's value, escaped for a JSON string.
    Raises ValueError naming a variable that `variables` lacks (the session never set it)."""
    missing = [name for name in variables_in(text) if name not in variables]
    if missing:
        raise ValueError(f"the session never set {', '.join('$' + name for name in missing)}")
    return _VARIABLE.sub(lambda match: json.dumps(variables[match[1]])[1:-1], text)


def response_differences(
    expectation: str, printed: str, variables: Mapping[str, str] | None = None
) -> list[str]:
    """How the response `printed` (by `curl -si`) differs from the README's `expectation`, whose
    `$NAME`s take their values from `variables`: one line per difference in status, a listed
    header or the body; [] when it matches. Raises ValueError when the expectation itself is
    malformed (no status line, a bad header line, a body that is not JSON with `...`)."""
    expected = parse_http(substitute(expectation, variables or {}))
    pattern = parse_pattern(expected.body) if expected.body else None
    try:
        actual = parse_http(printed)
    except ValueError as error:
        return [f"the command printed no HTTP response ({error})"]
    found = []
    if actual.status != expected.status or (
        expected.reason and expected.reason.casefold() != actual.reason.casefold()
    ):
        found.append(
            f"status: expected {expected.status} {expected.reason}".rstrip()
            + f", got {actual.status} {actual.reason}"
        )
    for name, value in expected.headers:
        values = [v for n, v in actual.headers if n.casefold() == name.casefold()]
        if not any(_glob(value).fullmatch(v) for v in values):
            found.append(f"header {name}: expected {value!r}, got {values or 'none'}")
    if pattern is not None:
        try:
            body = json.loads(actual.body)
        except json.JSONDecodeError:
            return [*found, f"body: not JSON: {actual.body[:_SHOWN_CHARS]!r}"]
        found += differences(pattern, body)
    return found
