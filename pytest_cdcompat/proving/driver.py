"""The one module that drives hypothesis: every search, shrink and draw of every kind runs through these functions.

Only the modules that generate values import this one (lazily, from the engines), so hypothesis is loaded only when
generation runs: with ``--examples 0`` only when the constructive minimal value of a schema fails and a
derandomised draw (``find_first``) has to find one. On import, before any strategy is built, its storage directory (example database, Unicode tables) is pointed at a
user cache folder, not the working directory: nothing is written into the user's repository, and the Unicode table
cost is paid once per machine instead of once per checkout. The folder is ``$CDCOMPAT_HYPOTHESIS_DIR`` when set,
``$HYPOTHESIS_STORAGE_DIRECTORY`` when the user configured hypothesis themselves, else the platform cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows) +
``pytest-cdcompat/hypothesis``.

Every search is seeded and uses no example database, and runs without hypothesis' *local constants* (literals it
mines from the source of every non-installed module loaded: a user's own test modules, or this package run from a
checkout), so the same inputs and seed give the same values byte for byte, whatever else is loaded.
"""

from __future__ import annotations

import os
import random
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["NONE", "cache_dir", "collect", "find_first", "find_smallest", "prepare", "search_failing"]

NONE: Any = object()  # no value found
_prepared = False


def cache_dir() -> Path:
    """Where hypothesis keeps its files for pytest-cdcompat (see the module docstring)."""
    own = os.environ.get("CDCOMPAT_HYPOTHESIS_DIR")
    if own:
        return Path(own)
    theirs = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if theirs:
        return Path(theirs)
    return _platform_cache() / "pytest-cdcompat" / "hypothesis"


def _platform_cache() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) if base else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"


def prepare() -> None:
    """Point hypothesis' storage at ``cache_dir()``; call before building or drawing from a strategy."""
    global _prepared
    if _prepared:
        return
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(cache_dir())
    _prepared = True


@contextmanager
def _own_constants() -> Iterator[None]:
    """hypothesis without the constants it mines from local source code, for the duration of one search.

    hypothesis (>= 6.131) draws, now and then, literals found in the source of the loaded local modules; values
    would then depend on which modules a user's session has imported and on their text. The hook is private, so
    this does nothing on a hypothesis without it. The constants cache is cleared on entry and exit, so neither the
    user's draws nor ours see the other's pool.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # pragma: no cover - another hypothesis layout
        yield
        return
    real = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if real is None or cache is None:  # pragma: no cover
        yield
        return
    empty = Constants()
    providers._get_local_constants = lambda: empty
    cache.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = real
        cache.cache.clear()


class _Found(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__("the predicate accepted a value")
        self.value = value


def search_failing(strategy: Any, rejects: Callable[[Any], bool], *, examples: int, seed: int) -> Any:
    """The shrunk value ``rejects`` holds for, within ``examples`` draws seeded with ``seed``, or ``NONE``.

    A ``@given`` test whose body raises when ``rejects`` holds; after shrinking, hypothesis replays the minimal
    failing example and the exception carries it (quiet, one bug, no blob, no deadline).
    """
    prepare()
    import hypothesis
    from hypothesis import HealthCheck, Phase, Verbosity, given
    from hypothesis.errors import HypothesisWarning

    @hypothesis.settings(
        max_examples=examples,
        database=None,
        derandomize=False,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hypothesis.seed(seed)
    @given(strategy)
    def probe(value: Any) -> None:
        if rejects(value):
            raise _Found(value)

    try:
        with _own_constants(), warnings.catch_warnings():  # a witness of ``minLength: 1000000`` is large by definition
            warnings.filterwarnings("ignore", message="Generating overly large repr", category=HypothesisWarning)
            probe()
    except _Found as found:
        return found.value
    except hypothesis.errors.Flaky as flaky:  # cannot happen with pure predicates; take the value if there is one
        caught = next((e for e in getattr(flaky, "exceptions", ()) if isinstance(e, _Found)), None)
        return caught.value if caught is not None else NONE
    except hypothesis.errors.Unsatisfiable:
        return NONE
    return NONE


class _Opaque:
    """A generated value with a constant repr: ``find`` pretty-prints the value it found, which costs more than the
    whole search for a large message."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<generated value>"


def find_smallest(strategy: Any, holds: Callable[[Any], bool], *, examples: int, seed: int) -> Any:
    """The smallest value ``holds`` accepts within ``examples`` tries (``hypothesis.find``, seeded), or ``NONE``."""
    if examples <= 0:
        return NONE
    prepare()
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    conf = settings(
        max_examples=examples,
        database=None,
        derandomize=False,  # our own seed decides, whatever hypothesis profile the caller loaded
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    try:
        with _own_constants():
            found = find(strategy.map(_Opaque), lambda box: holds(box.value), settings=conf, random=random.Random(seed))
    except (NoSuchExample, Unsatisfiable):
        return NONE
    return found.value


def find_first(strategy: Any) -> Any:
    """A small deterministic value of ``strategy`` (derandomised ``find`` of anything, 25 tries), or ``NONE``."""
    prepare()
    import hypothesis
    from hypothesis import HealthCheck, Phase, Verbosity

    conf = hypothesis.settings(
        database=None,
        derandomize=True,
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        verbosity=Verbosity.quiet,
    )
    try:
        with _own_constants():
            return hypothesis.find(strategy, lambda v: True, settings=conf)
    except (hypothesis.errors.NoSuchExample, hypothesis.errors.Unsatisfiable):
        return NONE


def collect(strategy: Any, *, examples: int, seed: int) -> list[Any]:
    """The values of ``examples`` generated draws (no shrinking), in draw order, seeded with ``seed``."""
    prepare()
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    drawn: list[Any] = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hseed(seed)
    @given(strategy)
    def keep(value: Any) -> None:
        drawn.append(value)

    with _own_constants():
        keep()
    return drawn


# Strategies are built (and may be evaluated, e.g. ``is_empty``) by the kinds before a search runs; every module
# that builds them imports this one, so the storage folder is set before hypothesis touches the disk.
prepare()
