# The pytest plugin is registered through the `pytest11` entry point (pytest_carto.plugin).
