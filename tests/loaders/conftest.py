from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds import load
from pytest_cdcompat.sources.source import file_source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "loaders"


@pytest.fixture
def write(tmp_path):
    """Write files into a throwaway repository root; return the path of the first one."""

    def make(files: dict[str, str | bytes]) -> Path:
        first = None
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            first = first or path
        assert first is not None
        return first

    return make


@pytest.fixture
def load_file(tmp_path):
    def run(path: Path, kind: str = "openapi", **settings):
        s = Settings(root=tmp_path if tmp_path in path.parents else None, **settings)
        return load(file_source(path, root=s.root), kind, s)

    return run
