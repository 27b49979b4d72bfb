"""Waiver files next to each service's contracts, for monorepos (``services/*/contracts``).

When no waiver file is named (``--waivers``), every contract folder of the run may hold its own
``cdcompat-waivers.yaml``. One file in the first folder serves every contract (a repository with one contracts
folder); two or more files, or one in a folder other than the first, make each file's entries apply to the
contracts below its own folder only (an entry's own ``contract`` glob narrows further), as toggle files do. They are
read into one ``WaiverSet`` (entries numbered across the files, each naming its file), so expiry, unused-entry
warnings and the pytest waiver item work as with one file. ``suggested_waiver_file`` names the file a failing
contract's waiver entry belongs in: its own service's, not the first service's.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.run.waivers import DEFAULT_WAIVERS_NAME, Waiver, WaiverSet, display_path, load_waivers

__all__ = ["load_run_waivers", "service_waiver_files", "suggested_waiver_file"]


def _folder(path: Path) -> Path:
    return Path(os.path.abspath(path if path.is_dir() else path.parent))


def service_waiver_files(opts: RunOptions) -> list[Path]:
    """The waiver files of the run: the one named, or one per contract folder that has one (first folder first)."""
    if opts.waivers_given and opts.waivers is not None:
        return [opts.waivers]
    out: list[Path] = []
    for folder in opts.paths:
        candidate = _folder(folder) / DEFAULT_WAIVERS_NAME
        if candidate.is_file() and candidate.resolve() not in {p.resolve() for p in out}:
            out.append(candidate)
    return out


def _per_service(opts: RunOptions, files: list[Path]) -> bool:
    """Whether each file serves its own folder only: not when one is named, or the only one is the first folder's."""
    if opts.waivers_given or not files:
        return False
    first = _folder(opts.paths[0]) if opts.paths else None
    return len(files) > 1 or Path(os.path.abspath(files[0].parent)) != first


def load_run_waivers(opts: RunOptions, root: Path | None = None) -> WaiverSet:
    files = service_waiver_files(opts)
    if not _per_service(opts, files):
        return load_waivers(opts.waivers, required=opts.waivers_given, allow_outside=opts.allow_outside)
    here = (root or Path.cwd()).resolve()
    entries: list[Waiver] = []
    for path in files:
        folder = os.path.relpath(path.parent.resolve(), here).replace(os.sep, "/")
        for w in load_waivers(path, required=True, allow_outside=opts.allow_outside).entries:
            scoped = w.contract if w.contract is not None else f"{folder}/*"
            entries.append(replace(w, index=len(entries) + 1, contract=scoped))
    return WaiverSet(str(files[0]), tuple(entries))


def suggested_waiver_file(opts: RunOptions, contract: Path) -> str:
    """The waiver file an entry for ``contract`` (a work-tree path) belongs in, as people read it (relative to the
    current folder when inside it): the file named with ``--waivers``; in a run over several contract folders, the
    file of the folder holding the contract (the deepest, when folders nest), which it may have to create; else the
    first folder's, which serves every contract. Empty when there is none (no contract folder)."""
    if opts.waivers_given or len(opts.paths) < 2:
        return display_path(opts.waivers) if opts.waivers is not None else ""
    target = Path(os.path.abspath(contract))
    holders = [f for f in map(_folder, opts.paths) if f == target or f in target.parents]
    if not holders:
        return display_path(opts.waivers) if opts.waivers is not None else ""
    return display_path(max(holders, key=lambda f: len(f.parts)) / DEFAULT_WAIVERS_NAME)
