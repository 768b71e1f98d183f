"""__VORONOIGENERIC: the Voronoi diagram of a MultiPoint inside a box, as GeoJSON text."""

from __future__ import annotations

from delaunay_core import voronoi_geojson

from carto_runtime import redshift_handler


# A NULL bbox means the default box, so nulls are passed through and checked here.
@redshift_handler(nulls="pass")
def lambda_handler(points: str | None, bbox: str | None, voronoi_type: str | None) -> str | None:
    if points is None or voronoi_type is None:
        return None
    return voronoi_geojson(points, bbox, voronoi_type)
