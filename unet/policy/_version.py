"""Software versions that compare the way network engineers read them.

    16.12.4 > 16.9.10      17.3.1a > 17.3.1      21.4R3-S2 > 21.4R3      15.2(7)E9 > 15.2(4)E10
"""

from __future__ import annotations

import re
from functools import total_ordering

__all__ = ["Version"]

# A run of digits is one number of up to 64 digits (no release has more; Python refuses
# to read a number of 4,300). A text longer than MAX_TEXT is not a release number.
_TOKEN = re.compile(r"\d{1,64}|[A-Za-z]+")
MAX_TEXT = 256


@total_ordering
class Version:
    """A version string split into numbers and letters; numbers compare as numbers."""

    __slots__ = ("key", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # Numbers sort before letters at the same position ("17.3.1" < "17.3.1a").
        self.key = tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower())
                         for t in _TOKEN.findall(text))

    @classmethod
    def of(cls, value: object) -> Version | None:
        """A Version from a Version, a string or a number; None for anything else."""
        if isinstance(value, Version):
            return value
        if isinstance(value, str) and len(value) <= MAX_TEXT and _TOKEN.search(value):
            return cls(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return cls(str(value))
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.key == other.key

    def __lt__(self, other: Version) -> bool:
        return self.key < other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"version({self.text!r})"

    def __str__(self) -> str:
        return self.text
