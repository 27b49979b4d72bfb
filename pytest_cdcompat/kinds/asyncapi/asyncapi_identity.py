"""Which message of one version is which message of the other, across AsyncAPI 2.x and 3.0.

The loader names each message flow ``send:<name>`` or ``receive:<name>`` and records its identities in
``Flow.extras["identity"]``: ``messageId`` (2.x), ``name``, ``key`` (its key in the 3.0 channel's ``messages`` map,
or for 2.x the key the official converter gives it) and ``payload`` (a structural hash). An upgrade from 2.x to 3.0
changes the flow name whenever ``messageId`` and ``name`` differ, or when a message has neither, so matching by flow
name alone reads every converted message as removed plus added.

``align`` pairs the flows of one channel (channels already match by address, 3.0, or name, 2.x) and action, in this
order: equal ``messageId``, then equal ``name``, then equal ``key``, then an equal payload when exactly one message
is left unpaired on each side. A pass pairs two flows only if the value is unique among the unpaired flows of each
side and no earlier identity contradicts it (both present and different; the payload pass ignores keys). Flows of the new version are then renamed
to the key of their old partner; an unpaired new flow whose name an old flow holds is renamed out of the way, so it
is judged as added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from pytest_cdcompat.core.model import Channel, Contract, Flow

__all__ = ["align"]

_ORDER = ("messageId", "name", "key")


def align(old: Contract, new: Contract) -> tuple[Contract, Contract]:
    """``old`` unchanged and a copy of ``new`` whose message flows carry the key of the old flow they are."""
    channels: dict[str, Channel] = {}
    for key, channel in new.channels.items():
        before = old.channels.get(key)
        if before is None:
            channels[key] = channel
            continue
        channels[key] = replace(channel, flows=_renamed(before.flows, channel.flows))
    return old, replace(new, channels=channels)


def _ident(flow: Flow) -> dict[str, str | None]:
    raw = flow.extras.get("identity")
    return {str(k): v if isinstance(v, str) else None for k, v in raw.items()} if isinstance(raw, Mapping) else {}


def _pairs(old: dict[str, Flow], new: dict[str, Flow]) -> dict[str, str]:
    """new flow key -> old flow key, for flows of one channel and one action."""
    out: dict[str, str] = {}
    left_old, left_new = dict(old), dict(new)
    for i, field in enumerate(_ORDER):
        earlier = _ORDER[:i]
        for nkey, okey in _unique_matches(left_old, left_new, field, earlier).items():
            out[nkey] = okey
            del left_old[okey], left_new[nkey]
    if len(left_old) == 1 and len(left_new) == 1:
        (okey, oflow), (nkey, nflow) = next(iter(left_old.items())), next(iter(left_new.items()))
        same = _ident(oflow).get("payload") is not None and _ident(oflow).get("payload") == _ident(nflow).get("payload")
        if same and not _contradicts(_ident(oflow), _ident(nflow), _ORDER[:2]):  # the map key may differ
            out[nkey] = okey
            del left_old[okey], left_new[nkey]
    for nkey in list(left_new):  # what no identity pairs keeps its name (as before: same name, same message)
        if nkey in left_old and not _contradicts(_ident(left_old[nkey]), _ident(left_new[nkey]), _ORDER):
            out[nkey] = nkey
    return out


def _unique_matches(old: dict[str, Flow], new: dict[str, Flow], field: str, earlier: tuple[str, ...]) -> dict[str, str]:
    def index(flows: dict[str, Flow]) -> dict[str, list[str]]:
        by: dict[str, list[str]] = {}
        for k, f in flows.items():
            value = _ident(f).get(field)
            if value is not None:
                by.setdefault(value, []).append(k)
        return by

    olds, news = index(old), index(new)
    out: dict[str, str] = {}
    for value, nkeys in news.items():
        okeys = olds.get(value, [])
        if (
            len(nkeys) == 1
            and len(okeys) == 1
            and not _contradicts(_ident(old[okeys[0]]), _ident(new[nkeys[0]]), earlier)
        ):
            out[nkeys[0]] = okeys[0]
    return out


def _contradicts(a: dict[str, str | None], b: dict[str, str | None], fields: tuple[str, ...]) -> bool:
    return any(a.get(f) is not None and b.get(f) is not None and a.get(f) != b.get(f) for f in fields)


def _renamed(old: Mapping[str, Flow], new: Mapping[str, Flow]) -> dict[str, Flow]:
    mapping: dict[str, str] = {}
    for action in sorted({k.partition(":")[0] for k in (*old, *new)}):
        o = {k: f for k, f in old.items() if k.partition(":")[0] == action}
        n = {k: f for k, f in new.items() if k.partition(":")[0] == action}
        mapping.update(_pairs(o, n))
    taken = set(mapping.values())
    out: dict[str, Flow] = {}
    for nkey, flow in new.items():
        target = mapping.get(nkey)
        if target is None:
            target = nkey
            while target in taken or target in old:
                target += " (new)"
            taken.add(target)
        out[target] = flow
    return out
