"""Find a value the writer's schema accepts and the reader's schema rejects, shrunk by Hypothesis.

Why Hypothesis rather than a plain sampler: its shrinker turns the first failing value into the smallest one it can
(optional properties dropped, strings emptied, numbers moved to the boundary), which is what a report should show.
The search runs through ``proving.driver.search_failing`` (a ``@given`` test whose body raises when the reader
rejects the value; after shrinking, Hypothesis replays the minimal failing example).

Determinism: ``database=None``, ``derandomize=False`` with ``hypothesis.seed(seed)``, no deadline, quiet
verbosity and a single reported bug, so the same schemas and seed give the same counterexample byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.schema.generate.strategies import declared_names, hinted_names, strategy_for
from pytest_cdcompat.kinds.schema.generate.validate import PathTuple, accepts, context_errors, errors_at
from pytest_cdcompat.proving.driver import NONE, search_failing


@dataclass(frozen=True, slots=True)
class Counterexample:
    """``value`` is valid for the writer and invalid for the reader, which reports ``reader_errors``."""

    value: Any
    reader_errors: tuple[tuple[PathTuple, str], ...]


def _toward(path: Sequence[str | int]) -> Any:
    """A schema that only demands the containers along ``path`` exist (arrays long enough, properties present)."""
    if not path:
        return True
    head, rest = path[0], _toward(path[1:])
    if isinstance(head, int):
        return {"type": ["array"], "minItems": head + 1, "prefixItems": [*([True] * head), rest]}
    return {"type": ["object"], "required": [head], "properties": {head: rest}}


def _search(
    writer: Any,
    rejects: Callable[[Any], bool],
    *,
    examples: int,
    seed: int,
    strict: bool,
    context: str,
    toward: Sequence[str | int] = (),
) -> Any:
    """The shrunk value the predicate rejects, or ``_NONE``."""
    strategy = strategy_for(writer, context=context, strict=strict)
    if toward:
        # half the draws reach the place: deep optional properties and empty arrays would hide it otherwise
        focused = strategy_for({"allOf": [writer, _toward(toward)]}, context=context, strict=strict)
        if not focused.is_empty:
            strategy = st.one_of(focused, strategy)
    if strategy.is_empty:
        return _NONE

    return search_failing(strategy, rejects, examples=examples, seed=seed)


_NONE = NONE


def find_counterexample(
    writer: Any,
    reader: Any,
    *,
    examples: int = 100,
    seed: int = 0,
    strict: bool = False,
    context: str = "message",
) -> Counterexample | None:
    """A shrunk value ``writer`` accepts and ``reader`` rejects, or ``None`` when ``examples`` draws find none."""
    if examples <= 0:
        return None

    def rejects(value: Any) -> bool:  # a reader that cannot be evaluated (a recursion error) rejects nothing
        return not accepts(reader, value, context) and bool(context_errors(reader, value, context))

    with hinted_names(declared_names(reader)):  # extras a writer may send under the names the reader declares
        value = _search(writer, rejects, examples=examples, seed=seed, strict=strict, context=context)
    if value is _NONE:
        return None
    found = sorted(
        ((tuple(e.absolute_path), e.message) for e in context_errors(reader, value, context)),
        key=lambda item: (tuple(str(p) for p in item[0]), item[1]),
    )
    return Counterexample(value, tuple(found))


def search_at(
    writer: Any,
    reader: Any,
    path: Sequence[str | int],
    *,
    examples: int = 100,
    seed: int = 0,
    strict: bool = False,
    context: str = "message",
    through: Callable[[Any], bool] | None = None,
) -> Counterexample | None:
    """Like ``find_counterexample``, counting only reader errors about the instance at ``path`` or below it.

    An error is "about" a path when its instance path is at or below it, when it names a missing (``required``) or
    unexpected (``additionalProperties``) property at or below it, or when one of its causes (``anyOf`` branches)
    is. ``reader_errors`` lists only those errors. With ``through``, a value counts only when it also passes that
    test (the claim's node governs the place: ``validate.passes_through``), so the search neither stops at nor
    shrinks a value that shows another change.
    """
    if examples <= 0:
        return None
    with hinted_names(declared_names(reader)):
        value = _search(
            writer,
            lambda v: bool(errors_at(reader, v, path, context)) and (through is None or through(v)),
            examples=examples,
            seed=seed,
            strict=strict,
            context=context,
            toward=list(path)[:-1],  # the place itself stays free: its absence may be the break
        )
    if value is _NONE:
        return None
    return Counterexample(value, tuple(errors_at(reader, value, path, context)))
