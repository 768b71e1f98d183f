"""Shared helpers for the hardening tests: a tiny packaged catalog and the installer module."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from engine.catalog.loader import load_catalog
from engine.ops.package import build_package
from tests.package.conftest import write_catalog

REPO = Path(__file__).resolve().parents[2]
NAME = "carto-at-redshift-9.9.9"


def load_installer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("install_script", REPO / "scripts" / "install.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def package_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The distribution zip of the two-function demo catalog (built once per session)."""
    base = tmp_path_factory.mktemp("hardening-package")
    catalog = write_catalog(base / "repo")
    functions = list(load_catalog(catalog).functions)
    return build_package(
        functions, catalog, base / "dist", version="9.9.9", out=lambda _: None
    ).path


@pytest.fixture
def package_root(package_zip: Path, tmp_path: Path) -> Path:
    """A fresh unpacked copy of the package."""
    with zipfile.ZipFile(package_zip) as zf:
        zf.extractall(tmp_path / "customer")
    return tmp_path / "customer" / NAME


@pytest.fixture
def installer() -> ModuleType:
    return load_installer()
