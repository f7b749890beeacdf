"""JSON that is already written, to be sent as it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class JsonText:
    """A body whose JSON text was written before the response (an audit page, joined from the
    entries' own JSON): the response writer sends `text` unchanged instead of encoding it."""

    text: str
