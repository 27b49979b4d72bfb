"""Time limits that turn a runaway into one clear error instead of a silent hang.

``limit(seconds, describe)`` arms a real-time timer (``SIGALRM``) for the block. Limits nest: the timer always
fires for the earliest deadline, and the block whose deadline passed raises ``TimeLimitExceeded`` with its own
message. The exception derives from ``BaseException`` on purpose: hypothesis runs the counterexample search as a test
and treats every ``Exception`` inside it as a failure to shrink; a ``BaseException`` passes straight through it (and
through any library's ``except Exception``). ``api.compare`` turns it into ``ComparisonTimeout``, a
``CdcompatError`` the front ends print as one line with exit status 2.

Signals reach only the main thread: elsewhere (and on platforms without ``setitimer``) ``limit`` imposes no bound,
and ``supported()`` says so. The timer interrupts Python code and regular-expression matching (``re`` checks for
signals while it backtracks); a C extension that never returns to the interpreter is not interrupted.
"""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pytest_cdcompat.core.errors import CdcompatError

__all__ = ["ComparisonTimeout", "TimeLimitExceeded", "limit", "supported"]


class TimeLimitExceeded(BaseException):
    """A time limit passed; ``message`` says which and why."""

    def __init__(self, message: str, token: int) -> None:
        super().__init__(message)
        self.message = message
        self.token = token


class ComparisonTimeout(CdcompatError):
    """A comparison, or one step of it, did not finish within its time limit."""


_counter = itertools.count(1)
_active: dict[int, tuple[float, Callable[[], str]]] = {}  # token -> (deadline, message)
_previous: Any = None


def supported() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _arm() -> None:
    if not _active:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    soonest = min(d for d, _ in _active.values())
    signal.setitimer(signal.ITIMER_REAL, max(soonest - time.monotonic(), 0.001))


def _on_alarm(signum: int, frame: Any) -> None:
    now = time.monotonic()
    expired = [(d, t) for t, (d, _) in _active.items() if d <= now]
    if not expired:
        _arm()
        return
    _, token = min(expired)
    message = _active[token][1]()
    # fire again soon while the expired block is still running (something may have swallowed the first one)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    raise TimeLimitExceeded(message, token)


@contextmanager
def limit(seconds: float | None, describe: Callable[[], str]) -> Iterator[None]:
    """Run the block within ``seconds`` (``None`` or ``<= 0``: no limit) or raise ``TimeLimitExceeded``."""
    global _previous
    if seconds is None or seconds <= 0 or not supported():
        yield
        return
    token = next(_counter)
    if not _active:
        _previous = signal.signal(signal.SIGALRM, _on_alarm)
    _active[token] = (time.monotonic() + seconds, describe)
    _arm()
    try:
        yield
    except TimeLimitExceeded as e:
        if e.token != token:
            raise
        raise TimeLimitExceeded(e.message, token) from None
    finally:
        _active.pop(token, None)
        _arm()
        if not _active:
            signal.signal(signal.SIGALRM, _previous if _previous is not None else signal.SIG_DFL)
            _previous = None
