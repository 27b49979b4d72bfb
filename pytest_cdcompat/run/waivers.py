"""Waivers: a reviewed, dated "we accept this break" that keeps a known finding from failing the build.

A waiver file (default ``contracts/cdcompat-waivers.yaml``) lists entries keyed by rule id and JSON pointer (globs
allowed), optionally narrowed to a contract path glob and one direction, each with a required reason and expiry date.
Keying by rule id + pointer rather than message text keeps waivers stable when wording changes (the oasdiff
``--err-ignore`` complaint). ``apply_waivers`` is the one function the CLI and the pytest plugin both call: a waived
finding keeps its place in the report with the reason but no longer fails; an expired waiver waives nothing and adds
a ``waiver-expired`` error next to the finding it used to cover; unused entries are reported by the caller.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity

DEFAULT_WAIVERS_NAME = "cdcompat-waivers.yaml"
WAIVER_EXPIRED = "waiver-expired"
EXPIRED_ADVICE = (
    "Make the change safe (see the finding's advice) or, if the break is still accepted, renew the entry with a new "
    "expiry date and a reason reviewed again."
)
_KEYS = {"rule", "location", "contract", "direction", "reason", "expires"}


class WaiverError(UsageError):
    """A waiver file cannot be read or one of its entries is malformed."""


@dataclass(frozen=True)
class Waiver:
    index: int  # 1-based position in the file, as people count entries
    rule: str
    location: str
    reason: str
    expires: dt.date
    contract: str | None = None
    direction: Direction | None = None
    source: str = ""

    def describe(self) -> str:
        where = f"{self.source} entry {self.index}" if self.source else f"waiver entry {self.index}"
        return f"{where} (rule {self.rule} at {self.location})"

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def matches(self, finding: Finding, direction: Direction, contracts: Sequence[str]) -> bool:
        if self.direction is not None and self.direction is not direction:
            return False
        if not fnmatchcase(finding.rule, self.rule) or not fnmatchcase(finding.location, self.location):
            return False
        return self.contract is None or any(fnmatchcase(c, self.contract) for c in contracts)


@dataclass(frozen=True)
class WaiverSet:
    path: str | None = None
    entries: tuple[Waiver, ...] = ()

    def expired(self, today: dt.date | None = None) -> tuple[Waiver, ...]:
        day = today or dt.date.today()
        return tuple(w for w in self.entries if w.expired(day))

    def unused(self, used: Iterable[int]) -> tuple[Waiver, ...]:
        seen = set(used)
        return tuple(w for w in self.entries if w.index not in seen)


def _direction(value: Any, where: str) -> Direction:
    text = str(value).strip().replace("-", "_").lower()
    for d in Direction:
        if text in (d.value, d.value.replace("_new_", "_vs_new_").replace("_old_", "_vs_old_")):
            return d
    names = ", ".join(d.value for d in Direction)
    raise WaiverError(f"{where}: direction {value!r} is not one of {names}")


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise WaiverError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None


def _entry(raw: Any, index: int, source: str) -> Waiver:
    where = f"{source} entry {index}"
    if not isinstance(raw, dict):
        raise WaiverError(f"{where}: expected a mapping with rule, location, reason and expires")
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        raise WaiverError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    for key in ("rule", "location", "reason", "expires"):
        if raw.get(key) in (None, ""):
            raise WaiverError(f"{where}: {key!r} is required")
    for key in ("rule", "location", "reason", "contract"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            raise WaiverError(f"{where}: {key!r} must be a string")
    return Waiver(
        index=index,
        rule=raw["rule"],
        location=raw["location"],
        reason=raw["reason"].strip(),
        expires=_date(raw["expires"], where),
        contract=raw.get("contract"),
        direction=_direction(raw["direction"], where) if raw.get("direction") is not None else None,
        source=source,
    )


def _loader() -> Any:
    """PyYAML's safe loader with dates left as text, so ``expires: 2026-02-30`` is our clear error, not a crash."""
    import yaml

    class WaiverLoader(yaml.SafeLoader):
        pass

    WaiverLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return WaiverLoader


def parse_waivers(text: str, source: str) -> WaiverSet:
    import yaml

    from pytest_cdcompat.sources.yamlio import yaml_error

    try:
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as e:  # one line, `source:line:column: invalid YAML: ...`, as for contracts
        message, line, column = yaml_error(e, text)
        raise WaiverError(message, path=source, line=line, column=column) from None
    if data is None:
        return WaiverSet(source, ())
    if isinstance(data, dict) and set(data) == {"waivers"}:
        data = data["waivers"] or []
    if not isinstance(data, list):
        raise WaiverError("expected a list of waivers (or a mapping with one key, 'waivers')", path=source)
    return WaiverSet(source, tuple(_entry(raw, i, source) for i, raw in enumerate(data, start=1)))


def load_waivers(path: str | Path | None, *, required: bool = True, allow_outside: bool = False) -> WaiverSet:
    """Read a waiver file. A missing file is an error when the user named it, an empty set otherwise; a folder is
    always an error (never an empty set). Messages name the file as given, even when it is a symlink."""
    if path is None:
        return WaiverSet()
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.source import file_source

    p = Path(path)
    shown = display_path(p)
    if not p.exists() and not p.is_symlink():
        if required:
            raise WaiverError("waiver file not found", path=str(path))
        return WaiverSet()
    try:  # the same confinement as contracts: inside the repository, a regular file
        source = file_source(p, allow_outside=allow_outside, what="waiver file")
        if source.folder(source.rel) is not None:  # file_source accepts folders (migrations); a waiver is a file
            raise WaiverError("is a folder, not a waiver file", path=shown)
        text = source.read_main().decode("utf-8")
    except WaiverError:
        raise
    except CdcompatError as e:
        raise WaiverError(e.message, path=shown) from None
    except UnicodeDecodeError as e:
        raise WaiverError(f"cannot read: not UTF-8 text ({e.reason} at byte {e.start})", path=shown) from None
    return parse_waivers(text, shown)


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it: what people type and read.

    Lexical (``..`` folded, symlinks kept): a waiver file given as a symlink is named by the link, not its target.
    A path written through another spelling of the current folder (a symlinked ``/tmp``) is tried with its folder
    resolved, its own name still kept."""
    lexical = Path(os.path.abspath(path))
    for here, there in ((Path.cwd(), lexical), (Path.cwd().resolve(), lexical.parent.resolve() / lexical.name)):
        try:
            return there.relative_to(here).as_posix()
        except ValueError:
            continue
    return str(path)


@dataclass(frozen=True)
class WaiverOutcome:
    report: Report
    used: frozenset[int]  # indices of entries that matched a finding (expired ones included)


def _expired_finding(w: Waiver, f: Finding) -> Finding:
    return Finding(
        rule=WAIVER_EXPIRED,
        severity=Severity.ERROR,
        location=f.location,
        message=f"{w.describe()} expired on {w.expires.isoformat()}; it no longer waives {f.rule}: {w.reason}",
        advice=EXPIRED_ADVICE,
    )


def apply_waivers(
    report: Report, waivers: WaiverSet, *, contracts: Sequence[str] = (), today: dt.date | None = None
) -> WaiverOutcome:
    """Mark findings covered by a live waiver; flag findings whose waiver expired.

    ``contracts`` are the paths (relative to the repository, POSIX style) a waiver's ``contract`` glob is matched
    against: usually the old and the new file of the pair.
    """
    if not waivers.entries:
        return WaiverOutcome(report, frozenset())
    day = today or dt.date.today()
    paths = tuple(contracts) or (report.old, report.new)
    used: set[int] = set()
    results: dict[Direction, DirectionResult] = {}
    for d in Direction:
        out: list[Finding] = []
        extra: dict[tuple[int, str], Finding] = {}
        for f in report.directions[d].findings:
            hit = next((w for w in waivers.entries if w.matches(f, d, paths)), None)
            if hit is None or f.rule == WAIVER_EXPIRED:
                out.append(f)
                continue
            used.add(hit.index)
            if hit.expired(day):
                out.append(f)
                extra.setdefault((hit.index, f.location), _expired_finding(hit, f))
            else:
                out.append(replace(f, waived=hit.reason))
        out.extend(extra.values())
        results[d] = DirectionResult(d, tuple(sorted(out, key=Finding.sort_key)))
    return WaiverOutcome(replace(report, directions=results), frozenset(used))
