"""Waiver files next to each service's contracts, for monorepos (``services/*/contracts``).

When no waiver file is named (``--waivers``), every contract folder of the run may hold its own
``cdcompat-waivers.yaml``; each file's entries apply to the contracts below its folder only (an entry's own
``contract`` glob narrows further). They are read into one ``WaiverSet`` (entries numbered across the files, each
naming its file), so expiry, unused-entry warnings and the pytest waiver item work as with one file.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.run.waivers import DEFAULT_WAIVERS_NAME, Waiver, WaiverSet, load_waivers

__all__ = ["load_run_waivers", "service_waiver_files"]


def service_waiver_files(opts: RunOptions) -> list[Path]:
    """The waiver files of the run: the one named, or one per contract folder that has one (first folder first)."""
    if opts.waivers_given and opts.waivers is not None:
        return [opts.waivers]
    out: list[Path] = []
    for folder in opts.paths:
        candidate = (folder if folder.is_dir() else folder.parent) / DEFAULT_WAIVERS_NAME
        if candidate.is_file() and candidate.resolve() not in {p.resolve() for p in out}:
            out.append(candidate)
    return out


def load_run_waivers(opts: RunOptions, root: Path | None = None) -> WaiverSet:
    files = service_waiver_files(opts)
    if opts.waivers_given or len(files) <= 1:
        return load_waivers(opts.waivers, required=opts.waivers_given)
    here = (root or Path.cwd()).resolve()
    entries: list[Waiver] = []
    for path in files:
        folder = os.path.relpath(path.parent.resolve(), here).replace(os.sep, "/")
        for w in load_waivers(path, required=True).entries:
            scoped = w.contract if w.contract is not None else f"{folder}/*"
            entries.append(replace(w, index=len(entries) + 1, contract=scoped))
    return WaiverSet(str(files[0]), tuple(entries))
