"""Discovery: which contract pairs to compare, found from the contracts folders, the git base and version folders.

Two sources of "old" versions, both needed in a team that ships every commit:

- the git base (``gitbase.py``): each contract file in the work tree is compared with the same path at the base
  revision; a file only in the work tree was added (passes, with a note), one only at the base was removed (a
  ``contract-removed`` finding: old consumers lose it);
- version folders: in ``contracts/<name>/``, files whose name is a version (``v1.yaml``, ``1.4.0.json``) are ordered
  by version number (``v10`` after ``v9``) and each is compared with its predecessor, and with ``history`` more
  predecessors for the newest one (Confluent's ``*_TRANSITIVE``). Other files in such a folder (``$ref`` targets)
  are not versions. A version file edited in place is also compared with its base revision.

The plan is deterministic (sorted paths, no clock), so every pytest-xdist worker collects the same items.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from pytest_cdcompat.core.errors import ContractLoadError, UnsupportedKind, UsageError
from pytest_cdcompat.core.kinds import CONTRACT_SUFFIXES
from pytest_cdcompat.release.policy import Policy
from pytest_cdcompat.release.steps import unit_state
from pytest_cdcompat.release.toggles import (
    States,
    ToggleHistory,
    read_toggles,
    restrict,
    service_toggle_files,
    toggle_path_of,
)
from pytest_cdcompat.run.modes import is_transitive, mode_for
from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.sources.gitbase import Base, changed_since, files_at, find_base, read_at

VERSION_RE = re.compile(r"^[vV]?(\d+(?:\.\d+)*)((?:\.[A-Za-z][\w-]*)+)$")
FOLDER_VERSION_RE = re.compile(r"^[vV]?(\d+(?:\.\d+)*)()$")
# Files with these extensions may be contracts; anything else (README.md, notes.txt) is ignored without parsing.
# SQL migration file names: numbered or timestamped (0001_init.sql, 1_x.up.sql), Flyway (V3__x.sql, R__x.sql).
MIGRATION_RE = re.compile(r"^(?:V\d[\w.]*__.+|R__.+|\d+(?:[-_.].*)?)\.sql$", re.IGNORECASE)


def version_of(name: str, *, folder: bool = False) -> tuple[tuple[int, ...], str] | None:
    """``v10.yaml`` -> ``((10,), "v10")``; ``1.4.0.json`` -> ``((1, 4, 0), "1.4.0")``; other names -> ``None``.

    With ``folder``, a migrations folder named as a version (``v2``, ``1.4.0``), without extension.
    """
    m = (FOLDER_VERSION_RE if folder else VERSION_RE).match(name)
    if m is None:
        return None
    label = name[: len(name) - len(m.group(2))]
    return tuple(int(x) for x in m.group(1).split(".")), label


@dataclass(frozen=True)
class Pair:
    """Two versions of one contract. ``old``/``new`` are absolute work-tree paths, or ``None`` (added / removed)."""

    id: str  # the contract's path relative to the root, POSIX: the pytest node path
    sub: str | None = None  # "v1-to-v2" for version-folder pairs, "commit-abc1234" for deploy steps
    new: Path | None = None
    old: Path | None = None  # a work-tree file (version folders)
    old_rel: str | None = None  # the old version's path in the base revision (git pairs)
    status: str = "changed"  # changed | added | removed | version
    mode: str | None = None
    contracts: tuple[str, ...] = ()  # root-relative paths a waiver's `contract` glob is matched against
    note: str | None = None
    error: str | None = None  # the new version does not even parse: one message, found during discovery
    # Deploy steps (release/steps.py): the commits holding the old and new versions (None: the base / work tree),
    # and the commit this pair checks, "abc1234 'subject'".
    old_rev: str | None = None
    new_rev: str | None = None
    step: str | None = None
    toggles: tuple[States, States] | None = None  # toggle states the old / new version is read with

    @property
    def name(self) -> str:
        return self.id if self.sub is None else f"{self.id}::{self.sub}"


@dataclass(frozen=True)
class Plan:
    root: Path
    base: Base | None
    pairs: tuple[Pair, ...]
    notes: tuple[str, ...] = ()
    digest: bytes = b""
    ignored: tuple[str, ...] = field(default=())
    policy: Policy = field(default_factory=Policy)
    toggle_cleanup: tuple[str, ...] = ()  # toggles to remove: on since the base, or mentioned by no contract
    toggle_file: str | None = None
    toggle_files: tuple[str, ...] = ()  # a monorepo's per-service toggle files (when more than one)

    def describe_base(self) -> str:
        return self.base.describe() if self.base is not None else "none"


def _rel(path: Path, root: Path) -> str:
    # Lexical, never through symlinks: a committed symlink leading out of the repository keeps its own name, so
    # that opening it later meets the confinement check (sources/confine.py) instead of a path outside.
    lexical = os.path.abspath(path)
    rel = os.path.relpath(lexical, os.path.abspath(root))
    if rel.startswith(".."):  # the root named through a symlink, the path through its real location
        real_root = os.path.realpath(root)
        if lexical.startswith(real_root + os.sep):
            rel = os.path.relpath(lexical, real_root)
    return Path(rel).as_posix()


def _walk(paths: tuple[Path, ...], skip: set[Path]) -> list[Path]:
    out: set[Path] = set()
    for p in paths:
        if p.is_file() or (p.exists() and not p.is_dir()):
            out.add(Path(os.path.abspath(p)))
            continue
        if not p.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
            for f in filenames:
                full = Path(os.path.abspath(Path(dirpath) / f))
                if not f.startswith(".") and full not in skip:
                    out.add(full)
    return sorted(out)


def _confined_bytes(path: Path, limit: int | None = None) -> bytes | None:
    """A work-tree file's bytes through the confinement check, or None when it is refused, missing or a folder."""
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.source import file_source

    try:
        source = file_source(path)
        if source.folder(source.rel) is not None:
            return None
        data = source.read_main()
    except CdcompatError:
        return None
    return data if limit is None else data[:limit]


def migration_folders(files: list[PurePosixPath]) -> list[PurePosixPath]:
    """Folders that hold one SQL contract as ordered migrations (numbered, Flyway, timestamped, Alembic)."""
    found: set[PurePosixPath] = set()
    alembic_versions = {f.parent for f in files if f.suffix == ".py" and f.parent.name == "versions"}
    for f in files:
        if MIGRATION_RE.match(f.name) or (f.name == "env.py" and f.parent / "versions" in alembic_versions):
            found.add(f.parent)
    outermost: list[PurePosixPath] = []
    for folder in sorted(found, key=lambda p: len(p.parts)):
        if not any(folder.is_relative_to(k) for k in outermost):
            outermost.append(folder)
    return sorted(outermost)


def contract_units(files: list[PurePosixPath]) -> list[PurePosixPath]:
    """Each file is a contract, except that a migrations folder is one contract as a whole."""
    folders = migration_folders(files)
    return sorted({next((d for d in folders if f.is_relative_to(d)), f) for f in files})


# A YAML or JSON document that names its kind in a top-level key: no need to parse it (a large OpenAPI document takes
# seconds to parse) just to know it is a contract. Anything else is detected by the loaders, which parse it.
_SELF_DECLARED = re.compile(
    r"""^["']?(?:openapi|swagger|asyncapi)["']?\s*:|^\s*\{?\s*"(?:openapi|swagger|asyncapi|\$schema)"\s*:""", re.M
)


def classify(path: Path) -> tuple[bool, str | None]:
    """``(is_contract, reason)``: unknown files are ignored with the reason; a contract that fails to parse is kept
    with the error as ``reason`` (it must fail loudly, not vanish)."""
    from pytest_cdcompat.kinds import detect_kind
    from pytest_cdcompat.sources.source import file_source

    if not path.is_dir() and path.suffix.lower() not in CONTRACT_SUFFIXES:
        return False, f"not a contract file ({', '.join(sorted(CONTRACT_SUFFIXES))})"
    try:
        source = file_source(path)  # refused here (outside the repository, not a regular file): a loud failure
    except ContractLoadError as e:
        return True, str(e)
    if path.suffix.lower() in (".yaml", ".yml", ".json") and source.folder(source.rel) is None:
        head = (_confined_bytes(path, 8192) or b"").decode("utf-8", errors="replace")
        if _SELF_DECLARED.search(head):
            return True, None
    try:
        detect_kind(source)
    except UnsupportedKind as e:
        if path.suffix.lower() == ".json":  # a consumer's Pact file: checked with its provider's OpenAPI pairs
            from pytest_cdcompat.pact.pact_run import looks_like_pact

            if looks_like_pact(path):
                return False, "a Pact file, checked with its provider's OpenAPI contract"
        return False, e.message
    except ContractLoadError as e:
        return True, str(e)
    return True, None


def _text(path: Path | None = None, data: bytes | None = None) -> str:
    """A contract's text for mode markers: a file's content; a migrations folder has none of its own."""
    if path is not None:
        data = _confined_bytes(path)
    return data.decode("utf-8", errors="replace") if data else ""


def discover(opts: RunOptions, root: Path, env: Mapping[str, str] | None = None) -> Plan:
    """Find every pair to compare under ``opts.paths``; ``root`` is what pair ids are relative to."""
    env = os.environ if env is None else env
    notes: list[str] = []
    from pytest_cdcompat.sources.confine import check_path, repository_root

    for p in opts.paths:
        if not p.exists():
            if not any(c in str(p) for c in "*?["):  # a glob matching nothing finds nothing
                raise UsageError(f"contract folder {_rel(p, root)} does not exist (check the paths setting)")
            continue
        # a contracts folder (or file) that is a symlink leading out of the repository
        check_path(p, repository_root(p), allow_outside=opts.allow_outside, label=_rel(p, root), folder=True)
    start = next((p for p in opts.paths if p.exists()), root)
    fetched: list[str] = []
    base, why = find_base(start if start.is_dir() else start.parent, opts.base, env, fetch=opts.fetch, fetched=fetched)
    notes.extend(fetched)
    if why:
        if base is None and opts.require_base and not opts.allow_no_base:
            raise UsageError(no_base_message(why))
        notes.append(why)
    waivers = Path(os.path.abspath(opts.waivers)) if opts.waivers is not None else None
    from pytest_cdcompat.run.service_waivers import service_waiver_files

    toggle_path = toggle_path_of(opts)
    toggle_file = Path(os.path.abspath(toggle_path)) if toggle_path is not None else None
    # a monorepo: each contract folder's own toggle file serves the contracts below it only
    service_toggles = service_toggle_files(opts)
    # one file in the first folder serves every contract (as before); two files, or one in another service's
    # folder, make each file serve its own folder only (a folder without one borrows none)
    first = opts.paths[0] if opts.paths else None
    first_dir = Path(os.path.abspath(first if first is None or first.is_dir() else first.parent)) if first else None
    per_service = len(service_toggles) > 1 or (
        len(service_toggles) == 1 and Path(os.path.abspath(service_toggles[0].parent)) != first_dir
    )
    skip = {p for p in (waivers, toggle_file) if p is not None} | {p.resolve() for p in service_waiver_files(opts)}
    skip |= {Path(os.path.abspath(p)) for p in service_toggles} | {p.resolve() for p in service_toggles}
    work = contract_units([PurePosixPath(_rel(f, root)) for f in _walk(opts.paths, skip)])
    work_toggles = read_toggles(toggle_path, required=opts.toggles_given)

    def mode(rel: str, text: str) -> str | None:
        return mode_for(rel, texts=(text,), mapping=opts.modes, default=opts.mode)

    pairs: list[Pair] = []
    ignored: list[str] = []
    versions: dict[PurePosixPath, list[tuple[tuple[int, ...], str, Path]]] = {}
    for unit in work:
        v = version_of(unit.name, folder=(root / unit).is_dir())
        if v is not None:
            versions.setdefault(unit.parent, []).append((v[0], v[1], root / unit))

    # Git base pairs: every contract, plus version files edited in place.
    base_units: dict[str, str] = {}  # root-relative -> repo-relative
    if base is not None:
        rel_dirs = [_rel(p, base.root) for p in opts.paths]
        listed = [
            PurePosixPath(_rel(base.root / r, root))
            for r in files_at(base, [r for r in rel_dirs if not r.startswith("..")])
            if not PurePosixPath(r).name.startswith(".")
            and Path(os.path.abspath(base.root / r)) not in skip
            and (base.root / r).resolve() not in skip
        ]
        base_units = {u.as_posix(): _rel(root / u, base.root) for u in contract_units(listed)}
        for unit in work:
            rel, path = unit.as_posix(), root / unit
            old_rel = base_units.get(rel)
            if version_of(unit.name, folder=path.is_dir()) is not None:
                # A version is compared with its predecessor; with its base only when edited in place.
                if old_rel is None or not changed_since(base, old_rel):
                    continue
            is_contract, reason = classify(path)
            if not is_contract:
                ignored.append(rel)
                notes.append(f"ignored {rel}: {reason}")
                continue
            if old_rel is None:
                note = f"{rel} is new on this branch (not in {base.describe()}): nothing to compare yet"
                notes.append(note)
                pairs.append(
                    Pair(
                        rel,
                        new=path,
                        status="added",
                        mode=mode(rel, _text(path)),
                        contracts=(rel,),
                        note=note,
                        error=reason,
                    )
                )
                continue
            pairs.append(
                Pair(rel, new=path, old_rel=old_rel, mode=mode(rel, _text(path)), contracts=(rel,), error=reason)
            )
        present = {u.as_posix() for u in work}
        for rel, old_rel in sorted(base_units.items()):
            name = PurePosixPath(rel).name
            if rel in present or version_of(name) is not None or version_of(name, folder=True) is not None:
                continue
            text = _text(data=read_at(base, old_rel))
            pairs.append(Pair(rel, old_rel=old_rel, status="removed", mode=mode(rel, text), contracts=(rel,)))

    # Version folders.
    for folder in sorted(versions):
        series = sorted(versions[folder])
        if len(series) < 2:
            continue
        newest_mode = mode(_rel(series[-1][2], root), _text(series[-1][2]))
        history = len(series) if is_transitive(newest_mode) else opts.history
        wanted: list[tuple[int, int]] = [(i - 1, i) for i in range(1, len(series))]
        last = len(series) - 1
        for back in range(2, min(history, last) + 1):
            wanted.append((last - back, last))
        for i, j in sorted(wanted, key=lambda ij: (ij[1], -ij[0])):
            (_, old_label, old_path), (_, new_label, new_path) = series[i], series[j]
            rel_new, rel_old = _rel(new_path, root), _rel(old_path, root)
            pairs.append(
                Pair(
                    rel_new,
                    sub=f"{old_label}-to-{new_label}",
                    new=new_path,
                    old=old_path,
                    status="version",
                    mode=mode(rel_new, _text(new_path)),
                    contracts=(rel_new, rel_old),
                )
            )
    git_root = base.root if base is not None else None
    if per_service:
        histories = [
            ToggleHistory(
                git_root,
                _rel(Path(os.path.abspath(f)), git_root) if git_root else None,
                read_toggles(f, required=True),
                scope=Path(os.path.abspath(f.parent)),
            )
            for f in service_toggles
        ]
    else:
        toggle_rel = _rel(toggle_file, git_root) if git_root is not None and toggle_file is not None else None
        histories = [ToggleHistory(git_root, toggle_rel, work_toggles)]
    toggles = _Toggles(histories, root, git_root)
    pairs, cleanup = _with_toggles(pairs, base, toggles, notes, env)
    if base is not None and opts.each_commit:
        pairs = _with_steps(pairs, base, opts, root, base_units, ignored, notes, toggles)
    pairs.sort(key=lambda p: p.id)  # stable: the git pair first, then steps, then version pairs nearest first
    plan = Plan(
        root=root,
        base=base,
        pairs=tuple(pairs),
        notes=tuple(notes),
        digest=_digest(pairs, base),
        ignored=tuple(ignored),
        policy=Policy.from_options(opts.policy, opts.ships, opts.parties),
        toggle_cleanup=tuple(cleanup),
        toggle_file=(
            _rel(service_toggles[0], root)
            if per_service
            else _rel(toggle_path, root)
            if work_toggles is not None and toggle_path is not None
            else None
        ),
        toggle_files=tuple(_rel(f, root) for f in service_toggles) if per_service else (),
    )
    # Declarations are read here, so that a bad one is one error before anything runs.
    declared = [plan.policy.parties_of(p.id, contract_text(p, plan)) for p in plan.pairs if p.error is None]
    if opts.ships or opts.parties:
        plan.policy.check_names(declared, sorted({p.id for p in plan.pairs} | {u.as_posix() for u in work}))
    return plan


class _Toggles:
    """The run's toggle files: one for every contract, or one per service folder (each serving the contracts
    below it); ``of`` gives the file a contract is read with, by its root-relative path."""

    def __init__(self, histories: list[ToggleHistory], root: Path, git_root: Path | None) -> None:
        self.histories = histories
        self.root = root
        self._none = ToggleHistory(git_root, None, None)
        self._base: dict[int, dict[str, bool] | None] = {}

    def of(self, rel: str) -> ToggleHistory:
        if len(self.histories) == 1 and self.histories[0].scope is None:
            return self.histories[0]
        path = Path(os.path.abspath(self.root / rel))
        best = max(
            (h for h in self.histories if h.scope is not None and path.is_relative_to(h.scope)),
            key=lambda h: len(str(h.scope)),
            default=None,
        )
        return best or self._none

    def base_states(self, history: ToggleHistory, base: Base | None) -> dict[str, bool] | None:
        if base is None:
            return None
        if id(history) not in self._base:
            self._base[id(history)] = history.at_rev(base.commit)
        return self._base[id(history)]


def contract_text(pair: Pair, plan: Plan) -> str:
    """The text a contract declares its mode and parties in: the work tree's, or the base's once removed."""
    if pair.new is not None and pair.new.exists():
        return _text(pair.new)
    if pair.old_rel is not None and plan.base is not None:
        return _text(data=read_at(plan.base, pair.old_rel))
    return ""


def _with_steps(
    pairs: list[Pair],
    base: Base,
    opts: RunOptions,
    root: Path,
    base_units: dict[str, str],
    ignored: list[str],
    notes: list[str],
    toggles: _Toggles,
) -> list[Pair]:
    """Add one pair per (commit, contract) step of ``base..HEAD``; see ``release/steps.py``. A commit that changes
    the toggle file is a step of every contract that mentions a toggle it flips."""
    from pytest_cdcompat.release.steps import UnitStep, walk

    rel_dirs = [r for r in (_rel(p, base.root) for p in opts.paths) if not r.startswith("..")]
    files = {h.rel: h for h in toggles.histories if h.rel is not None}
    for rel in files:
        if not any(PurePosixPath(rel).is_relative_to(d) for d in rel_dirs):
            rel_dirs.append(rel)
    history = walk(base, rel_dirs, migration_folders)
    if not history.steps:
        return pairs
    names_of = {p.id: _toggle_names(p) for p in pairs if p.sub is None}

    def states_at(sha: str, unit_rel: str) -> States:
        served = toggles.of(unit_rel)
        blob = history.states.get(sha, {}).get(served.rel or "") if served.rel else None
        return restrict(served.at_blob(blob), names_of.get(unit_rel, set()))

    steps = list(history.steps)
    if files:
        # Toggle flips: a step of each contract that mentions a flipped toggle, even where its file is unchanged.
        for s in history.steps:
            if s.unit not in files:
                continue
            changed_units = {t.unit for t in history.steps if t.commit.sha == s.commit.sha}
            for rel, names in names_of.items():
                unit = _rel(root / rel, base.root)
                served = toggles.of(rel)
                if not names or unit in changed_units or served.rel != s.unit:
                    continue  # another service's toggle file changed: not a step of this contract
                if states_at(s.parent, rel) != states_at(s.commit.sha, rel) or (
                    s.parent not in history.states
                    and restrict(served.at_rev(s.parent), names) != states_at(s.commit.sha, rel)
                ):
                    state = unit_state(history.states[s.commit.sha], unit)
                    if state:
                        steps.append(UnitStep(unit, s.commit, s.parent, state, state))
        order = {c.sha: i for i, c in enumerate(history.commits)}
        steps.sort(key=lambda t: order[t.commit.sha])
    dirty = _dirty(base, rel_dirs)
    whole = {p.id: p for p in pairs if p.sub is None}
    seen: set[object] = set()
    out = list(pairs)
    per_unit: dict[str, list[int]] = {}
    skipped = 0

    def before_states(s: UnitStep, rel: str) -> States:
        if s.parent in history.states:
            return states_at(s.parent, rel)
        served = toggles.of(rel)
        return restrict(served.at_rev(s.parent), names_of.get(rel, set())) if served.rel else ()

    for s in steps:
        rel = _rel(base.root / s.unit, root)
        name = PurePosixPath(rel).name
        if rel in ignored or version_of(name) is not None or version_of(name, folder=True) is not None:
            continue
        if rel not in whole or not s.before:
            continue  # not a contract of the branch, or added by this step: nothing to compare it with
        head_clean = not any(p == s.unit or p.startswith(s.unit + "/") for p in dirty)
        flags = (before_states(s, rel), states_at(s.commit.sha, rel))
        same_as_whole = (
            s.before == history.state(s.unit, False)
            and s.after == history.state(s.unit, True)
            and flags == (whole[rel].toggles or ((), ()))
        )
        key = (*s.key, flags)
        if key in seen or (same_as_whole and head_clean):
            skipped += 1
            if same_as_whole and head_clean and sum(1 for t in steps if t.unit == s.unit) == 1:
                # The branch's only change to this contract: the whole-branch pair is this step.
                i = next(k for k, p in enumerate(out) if p.id == rel and p.sub is None)
                out[i] = replace(out[i], step=s.commit.describe())
            continue
        seen.add(key)
        path = root / rel
        pair = Pair(
            rel,
            sub=f"commit-{s.commit.short}",
            new=path if path.exists() else None,
            old_rel=s.unit,
            status="changed" if s.after else "removed",
            mode=whole[rel].mode,
            contracts=(rel,),
            old_rev=s.parent,
            new_rev=s.commit.sha if s.after else None,
            step=s.commit.describe(),
            toggles=flags if any(flags) else None,
        )
        per_unit.setdefault(rel, []).append(len(out))
        out.append(pair)
    n_steps = len(history.commits)
    compared = sum(len(v) for v in per_unit.values())
    notes.append(
        f"{n_steps} deploy step(s) in {base.short}..HEAD: {compared} step comparison(s), {skipped} skipped "
        "(content already compared)"
    )
    return out


def _toggle_names(pair: Pair) -> set[str]:
    from pytest_cdcompat.sources.toggled import toggle_names

    if pair.new is not None and pair.new.is_dir():
        return set().union(*(toggle_names(_text(f)) for f in sorted(pair.new.rglob("*")) if f.is_file()))
    return toggle_names(_text(pair.new)) if pair.new is not None and pair.new.exists() else set()


def _with_toggles(
    pairs: list[Pair],
    base: Base | None,
    toggles: _Toggles,
    notes: list[str],
    env: Mapping[str, str],
) -> tuple[list[Pair], list[str]]:
    """Give each pair the toggle states of its two versions, from the toggle file serving it; unknown toggle names
    are a warning (an error with CI set); toggles on since the base, or that no contract mentions, are listed for
    clean-up."""
    from pytest_cdcompat.run.options import ci_enabled

    mentioned: dict[int, set[str]] = {id(h): set() for h in toggles.histories}
    out: list[Pair] = []
    for pair in pairs:
        history = toggles.of(pair.id)
        work, base_toggles = history.work, toggles.base_states(history, base)
        known = set(work or {}) | set(base_toggles or {})
        names = _toggle_names(pair) if pair.error is None else set()
        mentioned.setdefault(id(history), set()).update(names)
        for name in sorted(names - known):
            where = f"{pair.id} marks an element x-feature-toggle: {name}"
            message = (
                f"{where}, but the toggle file ({history.rel or 'none'}) does not define {name!r}: its elements are "
                "checked as if on (a typo must not hide a break)"
            )
            if ci_enabled(dict(env)):
                raise UsageError(message + "; define the toggle, or fix the name")
            if f"warning: {message}" not in notes:
                notes.append(f"warning: {message}")
        if not names:
            out.append(pair)
            continue
        old_states = base_toggles if pair.old is None and base is not None else work
        out.append(replace(pair, toggles=(restrict(old_states, names), restrict(work, names))))
    cleanup: list[str] = []
    several = len(toggles.histories) > 1
    for history in toggles.histories:
        base_toggles = toggles.base_states(history, base)
        file = f" {history.rel}" if several and history.rel else ""
        for name, on in sorted((history.work or {}).items()):
            if name not in mentioned[id(history)]:
                cleanup.append(f"{name}: no contract mentions it any more: remove it from the toggle file{file}")
            elif on and base_toggles is not None and base_toggles.get(name) is True:
                cleanup.append(f"{name}: on since the base: remove the toggle{file} and its x-feature-toggle marks")
    notes.extend(f"toggle clean-up: {c}" for c in cleanup)
    return out, cleanup


def _dirty(base: Base, rel_dirs: list[str]) -> set[str]:
    """Repository-relative paths under ``rel_dirs`` whose work-tree content differs from ``HEAD``."""
    from pytest_cdcompat.sources.gitbase import git

    out = git(base.root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *rel_dirs)
    found: set[str] = set()
    for entry in out.stdout.split("\0"):
        if len(entry) > 3:
            found.add(entry[3:])
    return found


def no_base_message(why: str) -> str:
    reason = why.removesuffix(": only version folders are compared")
    return (
        f"no git base to compare with ({reason}); with CI set (or --cd-compat-require-base) the check refuses to pass "
        "having compared nothing. Fix the checkout: GitHub Actions 'actions/checkout' with 'fetch-depth: 0', GitLab "
        "CI 'variables: GIT_DEPTH: 0'; or name the base with --cd-compat-base REF; --cd-compat-allow-no-base accepts "
        "a run without a base"
    )


def _digest(pairs: list[Pair], base: Base | None) -> bytes:
    h = hashlib.sha256(base.commit.encode() if base is not None else b"-")
    for p in pairs:
        h.update(p.name.encode() + b"\0" + p.status.encode())
        if p.new is not None:
            files = sorted(p.new.rglob("*")) if p.new.is_dir() else [p.new]
            for f in files:
                if not f.is_dir():
                    h.update(_confined_bytes(f) or b"")
    return h.digest()


def plan_seed(plan: Plan) -> int:
    return int.from_bytes(plan.digest[:4], "big")
