"""Fixtures for the packaging tests: the recipes are checked as files, without building anything."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def packaging_script() -> Callable[[str], ModuleType]:
    """Loads a script from packaging/ by path: the name ``packaging`` belongs to a PyPI module."""

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(f"bookdesk_packaging_{name}", REPO / "packaging" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
