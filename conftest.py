# The carto plugin itself is registered through the `pytest11` entry point
# (pytest_carto.plugin); pytester drives it from tests/plugin.
pytest_plugins = ["pytester"]
