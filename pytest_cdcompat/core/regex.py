"""Regular expressions of schemas (``pattern``, ``patternProperties``) matched in bounded time.

A reader's ``pattern`` is matched against every value the writer may send, so a catastrophic expression such as
``^(a+)+$`` must not hang the run. Patterns are matched with **RE2** (the ``google-re2`` package), whose automata
run in time linear in the text, whatever the pattern. RE2 has no lookaround and no backreferences; a pattern using
them falls back to Python's ``re`` under a time limit of ``FALLBACK_SECONDS`` per match (``core/deadline.py``), and
a match that exceeds it ends the comparison with one clear error naming the pattern. RE2's ``$`` matches only at
the end of the text, as in ECMA-262 (JSON Schema's dialect); Python's also matches before a final newline.

``search`` raises ``re.error`` for a pattern neither engine compiles, as ``re.search`` would, so callers keep
their handling of invalid patterns.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pytest_cdcompat.core.deadline import limit

__all__ = ["FALLBACK_SECONDS", "KEY_CANDIDATES", "engine_for", "sample_key", "search"]

FALLBACK_SECONDS = 2.0

try:  # pragma: no branch - the dependency is installed with the package
    import re2 as _re2

    _OPTIONS: Any = _re2.Options()
    _OPTIONS.log_errors = False  # an unsupported construct is our fallback, not an error to print
except ImportError:  # pragma: no cover - only without google-re2
    _re2 = None
    _OPTIONS = None


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> tuple[str, Any]:
    if _re2 is not None:
        try:
            return "re2", _re2.compile(pattern, _OPTIONS)
        except Exception:  # re2.error, or a pattern RE2 refuses for another reason
            pass
    return "re", re.compile(pattern)  # raises re.error for an invalid pattern


@functools.lru_cache(maxsize=1 << 16)
def _re2_search(pattern: str, text: str) -> bool:
    """RE2's verdict, memoised: a call through its Python binding costs about 10 us (Python's ``re``: 0.4 us), and
    a counterexample search checks the same short strings again and again (every draw, every shrink step)."""
    return _compiled(pattern)[1].search(text) is not None


def engine_for(pattern: str) -> str:
    """``"re2"`` or ``"re"``: which engine matches ``pattern`` (``re.error`` when it is invalid)."""
    return _compiled(pattern)[0]


_MEMO_TEXT = 256  # texts up to this length have their RE2 verdicts memoised


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text`` (JSON Schema's ``pattern`` semantics)."""
    engine, rx = _compiled(pattern)
    if engine == "re2":
        if len(text) <= _MEMO_TEXT:
            return _re2_search(pattern, text)
        return rx.search(text) is not None

    def describe() -> str:
        return (
            f"the regular expression {pattern!r} did not finish matching a {len(text)}-character string within "
            f"{FALLBACK_SECONDS:g} s (it backtracks catastrophically; RE2 cannot run it because it uses lookaround "
            "or backreferences): simplify the pattern"
        )

    with limit(FALLBACK_SECONDS, describe):
        return rx.search(text) is not None


KEY_CANDIDATES = ("key", "a", "x", "x-a", "A", "0", "a1", "aa", "id", "name", "X-A", "_", "a_b", "1")


def sample_key(pattern: str) -> str | None:
    """A property name that matches ``pattern`` (for placing witnesses under patternProperties)."""
    try:
        for cand in KEY_CANDIDATES:
            if search(pattern, cand):
                return cand
        literal = re.sub(r"[\\^$.*+?()\[\]{}|]", "", pattern)
        return literal if literal and search(pattern, literal) else None
    except re.error:
        return None
