"""__CLUSTERKMEANSTABLE: k-means clusters of flat coordinates, by input position."""

from __future__ import annotations

from kmeans_core import cluster_table

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(coords: str, number_of_clusters: int) -> str:
    return cluster_table(coords, number_of_clusters)
