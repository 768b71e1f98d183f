"""__DELAUNAYGENERIC: the Delaunay triangulation of a MultiPoint, as GeoJSON text."""

from __future__ import annotations

from delaunay_core import delaunay_geojson

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(points: str, delaunay_type: str) -> str:
    return delaunay_geojson(points, delaunay_type)
