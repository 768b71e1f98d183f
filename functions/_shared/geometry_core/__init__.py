"""Planar and spherical geometry for the transformations and constructors functions.

Pure Python (math only), cheap to import: every module imports only what it uses, so a
handler pays for the parts it needs. GeoJSON text comes in (the SQL wrappers apply
ST_ASGEOJSON); results go out as WKT or GeoJSON text, coordinates written as Python's repr
writes floats (17 significant digits at most, the shortest text that reads back exactly).

Modules:
    geojson   parsing GeoJSON text into checked coordinates; writing WKT and GeoJSON
    numbers   numbers that reach a handler as text (the FLOAT8-as-VARCHAR arguments)
    centers   mean center, geometric median (Weiszfeld), true centroid
    sphere    destination on a sphere (R = 6,371,008.8 m) and the length units
    rhumb     rhumb lines (turf's formulas): destination, bearing, distance
    ellipse   turf's ellipse
    spline    turf's Bezier spline
    limits    how many coordinates fit one 65,535-byte VARCHAR(MAX) value
"""
