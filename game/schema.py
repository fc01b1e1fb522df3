"""Typed reading of YAML data with every problem collected, located and explained.

Rules and scenario files are written by hand, so the loaders never stop at the first mistake: each
check records a `Problem` (file, line, column, the key path and the message) and returns None, and
the caller carries on with what it could read.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from game.yamlio import Document, Problem, format_path

Path = tuple[str | int, ...]

MISSING = object()


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    options = sorted({str(c) for c in choices})
    close = difflib.get_close_matches(str(name), options, n=1, cutoff=0.6)
    if not close:  # short names: a different case or two swapped letters ('pv' for 'vp')
        close = [c for c in options if _swapped(str(name).casefold(), c.casefold())][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _swapped(a: str, b: str) -> bool:
    """Whether a equals b, or b with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return not diff or (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def describe(value: object) -> str:
    """A short, readable rendering of a YAML value for messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (put it in quotes if it is meant as text)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Reader:
    """Collects problems while reading one YAML document."""

    def __init__(self, doc: Document, problems: list[Problem] | None = None) -> None:
        self.doc = doc
        self.problems: list[Problem] = [] if problems is None else problems
        self.missing: set[Path] = set()  # required fields reported missing

    def _is_missing(self, path: Path) -> bool:
        return any(path[:n] in self.missing for n in range(1, len(path) + 1))

    # -- reporting -------------------------------------------------------------------------
    def error(self, path: Path, message: str, key: bool = False) -> None:
        """Record an error at the value (or key) found at `path`; nothing more is said about a
        required field already reported missing (reading its absent value would repeat that)."""
        if self._is_missing(tuple(path)):
            return
        where = f"{format_path(path)}: " if path else ""
        self.problems.append(self.doc.problem(path, where + message, "error", key=key))

    def warning(self, path: Path, message: str, key: bool = False) -> None:
        """Record a warning: legal, but probably not what the author meant."""
        where = f"{format_path(path)}: " if path else ""
        self.problems.append(self.doc.problem(path, where + message, "warning", key=key))

    @property
    def failed(self) -> bool:
        """Whether any error has been recorded."""
        return any(p.severity == "error" for p in self.problems)

    # -- shapes ----------------------------------------------------------------------------
    def mapping(
        self,
        path: Path,
        value: Any,
        fields: Iterable[str],
        required: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """Check `value` is a mapping with only known `fields` and every `required` one."""
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping of fields, found {describe(value)}")
            return None
        known = set(fields)
        hints = set()
        for key in value:
            if key not in known:
                hint = did_you_mean(key, known)
                hints.add(hint)
                self.error((*path, key), f"unknown key '{key}'{hint}", key=True)
        # 'untis' reported as "did you mean 'units'?" already explains the missing 'units'
        missing = [k for k in required if k not in value]
        untold = [k for k in missing if f" (did you mean '{k}'?)" not in hints]
        if untold:
            names = ", ".join(f"'{k}'" for k in untold)
            self.error(
                path,
                f"missing required field{'s' if len(untold) > 1 else ''} {names}",
                key=bool(path) and isinstance(path[-1], str),
            )
        self.missing.update((*path, k) for k in missing)
        return value

    def sequence(self, path: Path, value: Any, allow_empty: bool = True) -> list[Any]:
        """Check `value` is a list; returns [] (after an error) when it is not."""
        if not isinstance(value, list):
            self.error(path, f"expected a list, found {describe(value)}")
            return []
        if not value and not allow_empty:
            self.error(path, "the list is empty")
        return value

    # -- scalars ---------------------------------------------------------------------------
    def number(
        self,
        path: Path,
        value: Any,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
    ) -> float | None:
        """A number within [low, high]; integers only when `integer`."""
        ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type:
            kind = "a whole number" if integer else "a number"
            self.error(path, f"expected {kind}, found {describe(value)}")
            return None
        if low is not None and value < low:
            self.error(path, f"{value} is below the minimum {low:g}")
            return None
        if high is not None and value > high:
            self.error(path, f"{value} is above the maximum {high:g}")
            return None
        return value

    def integer(self, path: Path, value: Any, low: int | None = None, high: int | None = None):
        """A whole number within [low, high], or None after an error."""
        got = self.number(path, value, low, high, integer=True)
        return None if got is None else int(got)

    def text(self, path: Path, value: Any, allow_empty: bool = False) -> str | None:
        """A string (numbers are not silently turned into text)."""
        if not isinstance(value, str):
            self.error(path, f"expected text, found {describe(value)}")
            return None
        if not allow_empty and not value.strip():
            self.error(path, "the text is empty")
            return None
        return value

    def boolean(self, path: Path, value: Any) -> bool | None:
        """true or false."""
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, found {describe(value)}")
            return None
        return value

    def choice(
        self, path: Path, value: Any, choices: Iterable[str], what: str, key: bool = False
    ) -> str | None:
        """One name out of `choices`, with a 'did you mean' for near misses; key=True when the
        name is a mapping key (the error then points at the key, not at its value)."""
        names = list(choices)
        if not isinstance(value, str):
            self.error(path, f"expected the name of a {what}, found {describe(value)}", key=key)
            return None
        if value not in names:
            hint = did_you_mean(value, names)
            if not hint and len(names) <= 8:
                hint = (
                    " (known: " + ", ".join(sorted(names)) + ")" if names else " (none is defined)"
                )
            self.error(path, f"unknown {what} '{value}'{hint}", key=key)
            return None
        return value

    def date(self, path: Path, value: Any) -> dt.date | None:
        """A date written YYYY-MM-DD."""
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(path, f"expected a date written YYYY-MM-DD, found {describe(value)}")
        return None

    def hex(self, path: Path, value: Any, width: int, height: int) -> tuple[int, int] | None:
        """A hex written [col, row] that lies on a width x height map."""
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            self.error(path, f"expected a hex written [col, row], found {describe(value)}")
            return None
        col, row = value
        if not (0 <= col < width and 0 <= row < height):
            self.error(
                path,
                f"hex [{col}, {row}] is off the map (columns 0-{width - 1}, rows 0-{height - 1})",
            )
            return None
        return col, row

    def get(self, mapping: Mapping[str, Any] | None, key: str, default: Any = MISSING) -> Any:
        """mapping[key], or `default` when the mapping or the key is absent."""
        if mapping is None:
            return default
        return mapping.get(key, default)
