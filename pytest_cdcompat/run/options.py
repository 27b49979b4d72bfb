"""Option definitions shared by the ``cdcompat`` CLI and the pytest plugin, and how their values are resolved.

One table (``OPTIONS``) declares every setting once; ``add_options(addoption, prefix)`` registers it on an argparse
parser or a pytest option group (the pytest-benchmark pattern), ``add_ini`` registers the matching ``cd_compat_*`` ini
keys, and ``resolve`` merges command line > ini > default into ``RunOptions`` with user errors as ``UsageError``.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.settings import DEFAULT_EXAMPLES, DEFAULT_TIMEOUT, Settings

DEFAULT_PATHS = ("contracts",)


@dataclass(frozen=True)
class OptionSpec:
    name: str  # "examples": --cd-compat-examples, dest cd_compat_examples, ini cd_compat_examples
    help: str
    kind: str  # bool | int | str | paths | lines
    default: Any
    metavar: str | None = None
    cli: bool = True  # also an option of `cdcompat compare/check`
    ini_type: str = "string"


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "paths", "folders (or files) holding the contracts", "paths", DEFAULT_PATHS, "PATH", cli=False, ini_type="paths"
    ),
    OptionSpec(
        "base",
        "git revision holding the old versions (default: the merge-base with the target branch)",
        "str",
        None,
        "REF",
    ),
    OptionSpec("strict", "strict set semantics instead of the tolerant reader", "bool", False, ini_type="bool"),
    OptionSpec(
        "examples",
        f"generated examples per differing flow, 0 = no generation (default {DEFAULT_EXAMPLES})",
        "int",
        DEFAULT_EXAMPLES,
        "N",
    ),
    OptionSpec(
        "timeout",
        f"seconds one comparison may take before it stops with an error, 0 = no limit (default {DEFAULT_TIMEOUT})",
        "int",
        DEFAULT_TIMEOUT,
        "SECONDS",
    ),
    OptionSpec("seed", "random seed (default: random, or derived from the inputs when CI is set)", "int", None, "S"),
    OptionSpec(
        "history", "also compare the newest version of a version folder with the N versions before it", "int", 0, "N"
    ),
    OptionSpec(
        "allow-remote-refs", "allow http(s) $refs (fetched with a 10 s timeout)", "bool", False, ini_type="bool"
    ),
    OptionSpec(
        "allow-outside",
        "allow reading files outside the repository (through $ref, $id, symlinks, imports, migration folders)",
        "bool",
        False,
        ini_type="bool",
    ),
    OptionSpec(
        "db",
        "SQL contracts: database server URL to create throwaway databases on (default: SQLite in a temp folder)",
        "str",
        None,
        "URL",
    ),
    OptionSpec(
        "waivers", "waiver file (default: cdcompat-waivers.yaml in the first contracts folder)", "str", None, "FILE"
    ),
    OptionSpec(
        "mode",
        "compatibility mode for every contract: BACKWARD, FORWARD, FULL, NONE, *_TRANSITIVE",
        "str",
        None,
        "MODE",
    ),
    OptionSpec(
        "modes",
        "per-contract modes: 'path-glob = MODE' (repeatable; one per line in the ini file)",
        "lines",
        (),
        "GLOB=MODE",
        ini_type="linelist",
    ),
    OptionSpec(
        "backfills",
        "SQL: a column filled from another during the transition, 'table.new <- table.old' (repeatable; one per "
        "line in the ini file)",
        "lines",
        (),
        "T.NEW<-T.OLD",
        ini_type="linelist",
    ),
    OptionSpec(
        "sql-settings",
        "SQL: 'statement_timeout = SECONDS' (default 30), 'script_timeout = SECONDS' (an Alembic script, default 60), "
        "'sql_mode = MODES' (MariaDB/MySQL session), 'search_path = SCHEMAS' (PostgreSQL), 'dialect = sqlite|postgres|"
        "mysql' (per-dialect migration files) (repeatable; one per line in the ini file)",
        "lines",
        (),
        "NAME=VALUE",
        ini_type="linelist",
    ),
    OptionSpec(
        "severity",
        "override a rule's severity: 'rule-id = error|warning|info' (repeatable; one per line in the ini file)",
        "lines",
        (),
        "RULE=LEVEL",
        ini_type="linelist",
    ),
    # The release: steps per commit, deploy policy, feature toggles, and a gate that fails closed (docs/release.md).
    OptionSpec(
        "each-commit",
        "check every commit of the branch as one deploy step: yes (default) or no (base against head only)",
        "str",
        None,
        "yes|no",
    ),
    OptionSpec(
        "policy",
        "deploy policy: ships (default: this repository deploys what cd_compat_ships names) or both-directions",
        "str",
        None,
        "POLICY",
    ),
    OptionSpec(
        "ships",
        "what this repository deploys: producer, consumer, or 'path-glob = producer,consumer' (repeatable)",
        "lines",
        (),
        "WHAT",
        ini_type="linelist",
    ),
    OptionSpec(
        "parties",
        "producer and consumers of contracts: 'path-glob = producer: NAME; consumers: A, B' (repeatable)",
        "lines",
        (),
        "GLOB=DECL",
        ini_type="linelist",
    ),
    OptionSpec(
        "toggles",
        "feature toggle file, flagd JSON/YAML or 'NAME: on|off' (default: contracts/feature-toggles.json or .yaml)",
        "str",
        None,
        "FILE",
    ),
    OptionSpec("no-fetch", "never fetch history in a shallow clone", "bool", False, ini_type="bool"),
    OptionSpec(
        "require-base", "fail when no git base is found (the default when CI is set)", "bool", False, ini_type="bool"
    ),
    OptionSpec("allow-no-base", "accept a run without a git base, even with CI set", "bool", False, ini_type="bool"),
    # live checks of two running versions and Pact files (pytest_cdcompat/live, pytest_cdcompat/pact)
    OptionSpec("live-old", "live checks: URL where the old version runs", "str", None, "URL", cli=False),
    OptionSpec("live-new", "live checks: URL where the new version runs", "str", None, "URL", cli=False),
    OptionSpec(
        "live-old-cmd", "live checks: command starting the old version on {port}", "str", None, "CMD", cli=False
    ),
    OptionSpec(
        "live-new-cmd", "live checks: command starting the new version on {port}", "str", None, "CMD", cli=False
    ),
    OptionSpec(
        "live-spec",
        "live checks: the OpenAPI contract (path or glob) the servers implement",
        "str",
        None,
        "GLOB",
        cli=False,
    ),
    OptionSpec(
        "live-unsafe", "live checks: also send POST, PUT, PATCH, DELETE", "bool", False, cli=False, ini_type="bool"
    ),
    OptionSpec("live-examples", "live checks: requests per operation and direction", "int", None, "N", cli=False),
    OptionSpec("live-time-limit", "live checks: seconds for the whole run", "str", None, "S", cli=False),
    OptionSpec("live-rate", "live checks: requests per second per server", "str", None, "R", cli=False),
    OptionSpec("live-max-bytes", "live checks: largest response body accepted", "int", None, "N", cli=False),
    OptionSpec(
        "live-headers",
        "live checks: 'Name: value' header for every request, $VARS expanded, never printed (repeatable)",
        "lines",
        (),
        "HEADER",
        cli=False,
        ini_type="linelist",
    ),
    OptionSpec(
        "live-hosts",
        "live checks: hosts besides loopback that may be called (repeatable)",
        "lines",
        (),
        "HOST",
        cli=False,
        ini_type="linelist",
    ),
    OptionSpec(
        "pacts",
        "Pact files of consumers (repeatable; one per line in the ini file)",
        "lines",
        (),
        "FILE",
        cli=False,
        ini_type="linelist",
    ),
    OptionSpec(
        "report",
        "also write a report: 'FORMAT=FILE' with FORMAT text, json, markdown, github, sarif, junit or gitlab "
        "(repeatable; one per line in the ini file)",
        "lines",
        (),
        "FORMAT=FILE",
        ini_type="linelist",
    ),
    OptionSpec("fail-on", "what fails the run: error (default) or warning", "str", "error", "LEVEL"),
)
BY_NAME = {o.name: o for o in OPTIONS}


def dest(name: str, prefix: str = "cd_compat_") -> str:
    return prefix + name.replace("-", "_")


def add_options(
    addoption: Callable[..., Any], prefix: str = "--cd-compat-", dest_prefix: str = "cd_compat_", *, cli: bool = False
) -> None:
    """Register the options on ``addoption`` (argparse ``add_argument`` or a pytest group's ``addoption``).

    Defaults are ``None`` so that ``resolve`` can tell "not given" from "given" and fall back to the ini value.
    """
    for o in OPTIONS:
        if cli and not o.cli:
            continue
        kwargs: dict[str, Any] = {"dest": dest(o.name, dest_prefix), "default": None, "help": o.help}
        if o.kind == "bool":
            kwargs["action"] = "store_true"
        else:
            kwargs["metavar"] = o.metavar
            kwargs["action"] = "append" if o.kind in ("paths", "lines") else "store"
            if o.kind == "int":
                kwargs["type"] = int
        addoption(prefix + o.name, **kwargs)


def add_ini(addini: Callable[..., Any]) -> None:
    for o in OPTIONS:
        addini(dest(o.name), o.help, type=o.ini_type, default=None)


def ci_enabled(env: dict[str, str] | os._Environ[str] | None = None) -> bool:
    value = (env if env is not None else os.environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


@dataclass(frozen=True)
class RunOptions:
    """Every front-end setting, resolved."""

    paths: tuple[Path, ...] = tuple(Path(p) for p in DEFAULT_PATHS)
    base: str | None = None
    strict: bool = False
    examples: int = DEFAULT_EXAMPLES
    seed: int | None = None
    history: int = 0
    allow_remote_refs: bool = False
    allow_outside: bool = False
    db: str | None = None
    backfills: tuple[str, ...] = ()
    sql_settings: tuple[str, ...] = ()
    waivers: Path | None = None
    waivers_given: bool = False  # the user named the file: a missing file is then an error
    mode: str | None = None
    modes: dict[str, str] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    # The release (docs/release.md).
    each_commit: bool = True
    policy: str = "ships"
    ships: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    toggles: Path | None = None
    toggles_given: bool = False
    fetch: bool = True
    require_base: bool = False
    allow_no_base: bool = False
    timeout: int = DEFAULT_TIMEOUT
    live: dict[str, Any] = field(default_factory=dict)  # live-* and pacts option values (live/integrate.py)
    reports: tuple[tuple[str, Path], ...] = ()  # (format, file) pairs from --cd-compat-report FORMAT=FILE
    fail_on: str = "error"  # "error" or "warning"

    def settings(self, seed: int | None = None, **overrides: Any) -> Settings:
        return Settings(
            strict=self.strict,
            examples=self.examples,
            seed=self.seed if seed is None else seed,
            allow_remote_refs=self.allow_remote_refs,
            allow_outside=self.allow_outside,
            db_url=self.db,
            backfills=self.backfills,
            sql_settings=self.sql_settings,
            mode=self.mode,
            severity=dict(self.severity),
            timeout=self.timeout or None,
            **overrides,
        )


BACKFILL = re.compile(r"^\s*(\w+)\.(\w+)\s*<-\s*(\w+)\.(\w+)\s*$")


def parse_backfills(lines: Sequence[str]) -> tuple[str, ...]:
    """Validate ``table.new <- table.old`` declarations (the same table on both sides)."""
    out = []
    for line in lines:
        if not str(line).strip():
            continue
        m = BACKFILL.match(str(line))
        if m is None or m.group(1) != m.group(3):
            raise UsageError(f"backfills: {line!r} is not 'table.new_column <- table.old_column' (one table)")
        out.append(f"{m.group(1)}.{m.group(2)} <- {m.group(3)}.{m.group(4)}")
    return tuple(out)


def _sql_settings(lines: Sequence[str]) -> tuple[str, ...]:
    from pytest_cdcompat.kinds.sql.sql_settings import parse_sql_settings

    parse_sql_settings(tuple(lines))  # a typo is an error here, not a silent default later
    return tuple(str(line) for line in lines if str(line).strip())


def _as_int(value: Any, name: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: {value!r} is not an integer") from None
    if n < 0:
        raise UsageError(f"{name}: {value!r} must not be negative")
    return n


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def resolve(
    get_option: Callable[[str], Any],
    get_ini: Callable[[str], Any] | None = None,
    *,
    base_dir: Path | None = None,
    project: dict[str, Any] | None = None,
) -> RunOptions:
    """Merge command line (``get_option(name)``) > ini (``get_ini(name)``) > default into ``RunOptions``."""
    from pytest_cdcompat.run.modes import normalise, parse_mode_map

    def value(name: str) -> Any:
        v = get_option(name)
        if v is None and get_ini is not None:
            v = get_ini(name)
            if v in ("", [], ()):
                v = None
        if v is None and project is not None:
            v = project.get(name)  # [tool.cdcompat] in pyproject.toml (run/project.py)
        return BY_NAME[name].default if v is None else v

    here = base_dir or Path.cwd()
    paths = expand_globs(tuple(p if Path(p).is_absolute() else here / p for p in map(Path, value("paths"))))
    waivers_value = value("waivers")
    waivers: Path | None
    if waivers_value:
        given = Path(waivers_value)
        waivers = given if given.is_absolute() else here / given
    else:
        from pytest_cdcompat.run.waivers import DEFAULT_WAIVERS_NAME

        waivers = paths[0] / DEFAULT_WAIVERS_NAME if paths else None
    mode = value("mode")
    modes_lines: Sequence[str] = value("modes")
    return RunOptions(
        paths=paths,
        base=value("base") or None,
        strict=_as_bool(value("strict")),
        examples=_as_int(value("examples"), "examples"),
        seed=None if value("seed") is None else _as_int(value("seed"), "seed"),
        history=_as_int(value("history"), "history"),
        allow_remote_refs=_as_bool(value("allow-remote-refs")),
        allow_outside=_as_bool(value("allow-outside")),
        db=value("db") or None,
        backfills=parse_backfills(value("backfills")),
        sql_settings=_sql_settings(value("sql-settings")),
        waivers=waivers,
        waivers_given=bool(waivers_value),
        mode=normalise(mode, "cd_compat_mode") if mode else None,
        modes=parse_mode_map(modes_lines),
        severity=parse_severity(value("severity")),
        timeout=_as_int(value("timeout"), "timeout"),
        live={o.name: value(o.name) for o in OPTIONS if o.name.startswith("live-") or o.name == "pacts"},
        reports=_report_targets(value("report")),
        fail_on=_fail_on(value("fail-on")),
        **release_options(value, here, ci_enabled()),
    )


def release_options(value: Callable[[str], Any], here: Path, ci: bool) -> dict[str, Any]:
    """The release settings (steps, policy, toggles, the base gate), resolved and validated."""
    from pytest_cdcompat.release.policy import POLICIES

    each = value("each-commit")
    each_text = str(each).strip().lower() if each is not None else "yes"
    if each_text not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise UsageError(f"each-commit: {each!r} is not yes or no")
    policy = str(value("policy") or "ships").strip().lower()
    if policy not in POLICIES:
        raise UsageError(f"policy: unknown deploy policy {policy!r} (known: {', '.join(POLICIES)})")
    toggles = value("toggles")
    toggles_path = None
    if toggles:
        toggles_path = Path(toggles) if Path(toggles).is_absolute() else here / toggles
    require = _as_bool(value("require-base"))
    return {
        "each_commit": each_text in ("1", "true", "yes", "on"),
        "policy": policy,
        "ships": tuple(str(x) for x in value("ships") if str(x).strip()),
        "parties": tuple(str(x) for x in value("parties") if str(x).strip()),
        "toggles": toggles_path,
        "toggles_given": bool(toggles),
        "fetch": not _as_bool(value("no-fetch")),
        "require_base": require or ci,
        "allow_no_base": _as_bool(value("allow-no-base")),
    }


def expand_globs(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Contract paths may be globs (``services/*/contracts``, ``**/api``): each expands to the folders and files it
    matches, sorted; a pattern matching nothing stays as written (and finds nothing)."""
    import glob

    out: list[Path] = []
    for p in paths:
        text = str(p)
        if not any(c in text for c in "*?["):
            out.append(p)
            continue
        matches = sorted(glob.glob(text, recursive=True))
        out.extend(Path(m) for m in matches) if matches else out.append(p)
    return tuple(dict.fromkeys(out))


def _report_targets(lines: Sequence[str]) -> tuple[tuple[str, Path], ...]:
    from pytest_cdcompat.report.outputs import parse_targets

    return parse_targets(lines)


def _fail_on(value: Any) -> str:
    level = str(value).strip().lower()
    if level not in ("error", "warning"):
        raise UsageError(f"fail-on: {value!r} is not error or warning")
    return level


def parse_severity(lines: Sequence[str]) -> dict[str, Severity]:
    """``rule-id = level`` lines -> overrides; the rule id must exist, so a typo cannot silently waive nothing."""
    from pytest_cdcompat.catalogue import by_id

    out: dict[str, Severity] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        rule, sep, level = text.partition("=")
        rule, level = rule.strip(), level.strip().lower()
        if not sep or not rule:
            raise UsageError(f"cd_compat_severity: expected 'rule-id = error|warning|info', got {text!r}")
        if level not in {s.value for s in Severity}:
            raise UsageError(f"cd_compat_severity: {rule}: level {level!r} is not error, warning or info")
        if by_id(rule) is None:
            raise UsageError(f"cd_compat_severity: unknown rule id {rule!r}")
        out[rule] = Severity(level)
    return out


def choose_seed(seed: int | None, *, derived: Callable[[], int] | None = None) -> int | None:
    """The run's seed: the one given; under CI one derived from the inputs (``None``: let ``compare`` derive it per
    pair); otherwise a fresh random one, printed so a failure can be replayed."""
    if seed is not None:
        return seed
    if ci_enabled():
        return derived() if derived is not None else None
    return random.Random().randrange(2**32)
