"""Confluent-style compatibility modes: which deploy directions a contract is *required* to keep.

Teams used to a schema registry think in ``BACKWARD`` / ``FORWARD`` / ``FULL`` (and ``*_TRANSITIVE``, ``NONE``). We map
them onto our two directions instead of inventing a second vocabulary:

- ``BACKWARD``: new readers must read data written by old writers: ``new_consumer_old_producer`` is required;
- ``FORWARD``: old readers must read data written by new writers: ``old_consumer_new_producer`` is required;
- ``FULL``: both; ``NONE``: neither; ``*_TRANSITIVE``: the same directions, checked against every earlier version.

A direction the mode does not require is still checked and reported; it just does not fail. A mode comes from, in
order: an in-file marker (``x-cd-compat: {mode: ...}`` or a ``cd-compat: mode=...`` comment), the ``cd_compat_modes``
mapping (path glob = MODE), then ``Settings.mode``; with none, both directions are required.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Direction

OLD_CONSUMERS = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW_CONSUMERS = Direction.NEW_CONSUMER_OLD_PRODUCER

REQUIRED: dict[str, frozenset[Direction]] = {
    "BACKWARD": frozenset({NEW_CONSUMERS}),
    "FORWARD": frozenset({OLD_CONSUMERS}),
    "FULL": frozenset({OLD_CONSUMERS, NEW_CONSUMERS}),
    "NONE": frozenset(),
}
MODES = (*REQUIRED, *(f"{m}_TRANSITIVE" for m in ("BACKWARD", "FORWARD", "FULL")))

# `x-cd-compat: {mode: BACKWARD}` in YAML or JSON (block or flow style), or a `cd-compat: mode=FORWARD` comment
# after `//`, `#` or `--`. A regex, not a parser: the marker must be found before (and whatever) the loader runs.
_KEY_RE = re.compile(r"""["']?x-cd-compat["']?\s*:\s*\{?\s*["']?mode["']?\s*:\s*["']?([A-Za-z_]+)""")
_COMMENT_RE = re.compile(r"""(?://|#|--)\s*cd-compat:\s*mode\s*=\s*([A-Za-z_]+)""")


def normalise(mode: str, where: str = "") -> str:
    word = mode.strip()  # `glob = MODE` and ini lines carry spaces around the mode: the error quotes the word
    m = word.upper().replace("-", "_")
    if m not in MODES:
        prefix = f"{where}: " if where else ""
        raise UsageError(f"{prefix}unknown compatibility mode {word!r} (known: {', '.join(MODES)})")
    return m


def required_directions(mode: str | None) -> frozenset[Direction]:
    if mode is None:
        return frozenset(Direction)
    return REQUIRED[normalise(mode).removesuffix("_TRANSITIVE")]


def is_transitive(mode: str | None) -> bool:
    return mode is not None and normalise(mode).endswith("_TRANSITIVE")


def mode_in_text(text: str, where: str = "") -> str | None:
    """The mode a contract file declares about itself, if any."""
    for marker, regex in (("x-cd-compat", _KEY_RE), ("cd-compat:", _COMMENT_RE)):
        m = regex.search(text) if marker in text else None  # a substring scan first: contracts are megabytes
        if m:
            return normalise(m.group(1), where)
    return None


def parse_mode_map(lines: Iterable[str], where: str = "cd_compat_modes") -> dict[str, str]:
    """``path-glob = MODE`` lines (the ini option) -> mapping; blank lines and ``#`` comments are skipped."""
    out: dict[str, str] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = (part.strip() for part in text.rpartition("="))
        if not sep or not key or not value:
            raise UsageError(f"{where}: expected 'path = MODE', got {text!r}")
        out[key] = normalise(value, where)
    return out


def mode_for(
    path: str, *, texts: Iterable[str] = (), mapping: Mapping[str, str] | None = None, default: str | None = None
) -> str | None:
    """The mode of the contract at ``path`` (relative, POSIX): in-file marker, then mapping, then ``default``."""
    for text in texts:
        found = mode_in_text(text, path)
        if found is not None:
            return found
    for pattern, mode in (mapping or {}).items():
        if fnmatchcase(path, pattern) or fnmatchcase(path, pattern.rstrip("/") + "/*"):
            return mode
    return normalise(default) if default else None
