"""A contract kind whose optional dependencies are missing gets one clear error naming the extra to install."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from pytest_cdcompat import compare
from pytest_cdcompat import kinds as kinds_module
from pytest_cdcompat.core.errors import UnsupportedKind

AVRO = Path(__file__).resolve().parents[1] / "contracts" / "events" / "order-created-avro"


def test_missing_avro_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_fastavro(name: str, *args: object) -> object:
        if name == "pytest_cdcompat.kinds.avro.avro_loader":
            raise ModuleNotFoundError("No module named 'fastavro'", name="fastavro")
        return real(name, *args)

    monkeypatch.setattr(kinds_module.importlib, "import_module", without_fastavro)
    with pytest.raises(UnsupportedKind, match=r"pip install 'pytest-cdcompat\[messages\]'") as info:
        compare(AVRO / "v1.avsc", AVRO / "v2.avsc", examples=0)
    assert "v1.avsc" in str(info.value)
