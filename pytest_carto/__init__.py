"""The pytest plugin of the catalog (see pytest_carto.plugin) and helpers for function tests."""

from pytest_carto.differential import import_shared, import_testing, row_by_row

__all__ = ["import_shared", "import_testing", "row_by_row"]
