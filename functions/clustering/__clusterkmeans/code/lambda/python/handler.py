"""__CLUSTERKMEANS: k-means clusters of a MultiPoint's points, as JSON text."""

from __future__ import annotations

from kmeans_core import cluster_geojson

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(points: str, number_of_clusters: int) -> str:
    return cluster_geojson(points, number_of_clusters)
