"""Messages a person reads: English text that keeps its gettext message id and parameters.

The domain may not import the web framework, yet the portal shows its messages in the reader's
language. So every message is built with `msg` (or `msg_plural`): the result *is* the English
text (a `str`, which the API sends as it is), and it also carries its template (the gettext
message id, with `%(name)s` placeholders) and its parameters, so the portal can look the template
up in its catalogue and format the parameters in the reader's language. `pybabel extract` finds
the templates through the keywords `msg` and `msg_plural:1,2` (Makefile `EXTRACT_OPTIONS`).

Parameters are formatted by type: a `date` as `Mon 23 Nov 2026`, a `time` as `10:30` (24-hour
clock), a Message as its own text (and translated by the portal in turn); anything else by `str`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

DATE_FORMAT = "%a %d %b %Y"  # Mon 23 Nov 2026; the portal's `date_text(day, "day")` in English
TIME_FORMAT = "%H:%M"


class Message(str):
    """English text plus what a translation needs: `template` (the message id), `params` (the
    values of its `%(name)s` placeholders) and, for a plural, `plural` and `number` (gettext's
    `ngettext(template, plural, number)`; the number is also the placeholder `num`)."""

    template: str
    params: Mapping[str, object]
    plural: str | None
    number: int | None

    def __new__(
        cls,
        template: str,
        params: Mapping[str, object],
        *,
        plural: str | None = None,
        count: int | None = None,
    ) -> Message:
        chosen = template if plural is None or count == 1 else plural
        text = (
            chosen % {name: english(value) for name, value in params.items()} if params else chosen
        )
        message = super().__new__(cls, text)
        message.template = template
        message.params = dict(params)
        message.plural = plural
        message.number = count
        return message

    def bind(self, **params: object) -> Message:
        """This message's template with `params` (more) filled in: for a message defined once
        (a constant) whose values are known only where it is raised."""
        return Message(
            self.template, {**self.params, **params}, plural=self.plural, count=self.number
        )


def msg(template: str, /, **params: object) -> Message:
    """The message `template % params` (placeholders `%(name)s`, `%(name)d`), translatable."""
    return Message(template, params)


def msg_plural(singular: str, plural: str, count: int, /, **params: object) -> Message:
    """A message whose wording depends on `count` (placeholder `%(num)d`), as gettext's ngettext:
    `singular` when `count` is 1 in English, else `plural`; other languages choose by their own
    plural rules."""
    return Message(singular, {"num": count, **params}, plural=plural, count=count)


def too_long(subject: str, most: int) -> Message:
    """`The name may have at most 200 characters.`: `subject` is the field as a message calls
    it (itself a message), `most` the characters allowed."""
    return msg("%(subject)s may have at most %(most)d characters.", subject=subject, most=most)


def english(value: object) -> object:
    """A parameter as the English text shows it: dates as `Mon 23 Nov 2026`, times as `10:30`."""
    if isinstance(value, datetime):
        raise TypeError("give a message a local date or time, not a datetime")
    if isinstance(value, date):
        return format(value, DATE_FORMAT)
    if isinstance(value, time):
        return format(value, TIME_FORMAT)
    return value
