"""The local target: artifacts under .carto/local/<prefix>/ run by warm isolated workers."""
