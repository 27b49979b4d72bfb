"""Live checks: the old clients' requests against the running new server, and the reverse.

``old_consumer_new_producer`` generates requests from the OLD specification (what old clients send), sends them to
the NEW server and checks every response against the OLD specification (what old clients accept);
``new_consumer_old_producer`` is the mirror. Modules, each importing only those before it: ``targets`` (which hosts
may be called, headers, redaction, ``curl`` lines) -> ``servers`` (start commands on free loopback ports, always
stopped) -> ``client`` (``requests`` with limits: size, rate, redirects) -> ``requests_gen`` (hypothesis strategies
of whole requests, built with the schema generator) -> ``check`` (a response against the reader's operation) ->
``live_rules`` (the catalogue ids) -> ``engine`` (the search, shrinking, findings, the merged report) -> ``command``
(``cdcompat live``). See docs/live.md.
"""

from __future__ import annotations

from pytest_cdcompat.core.errors import CdcompatError

DEFAULT_LIVE_EXAMPLES = 50  # requests per operation and direction (before shrinking)
DEFAULT_TIME_LIMIT = 300.0  # seconds for a whole live run


class LiveError(CdcompatError):
    """A live check cannot run: an unreachable or refused URL, a server that never becomes ready, a start command
    that exits, a response over the size limit, a redirect to another host."""


__all__ = ["DEFAULT_LIVE_EXAMPLES", "DEFAULT_TIME_LIMIT", "LiveError"]
