-- ST_MAKEENVELOPE: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- The ring is built from points, so every coordinate keeps all its bits (CARTO writes them into
-- WKT text, where a FLOAT8 loses its last digits), in CARTO's vertex order: from
-- (xmin ymin) clockwise. ST_MAKELINE of two points and ST_ADDPOINT exist in Redshift and
-- PostGIS alike. Any NULL argument gives NULL.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.ST_MAKEENVELOPE(FLOAT8, FLOAT8, FLOAT8, FLOAT8)
RETURNS GEOMETRY
STABLE
AS $$
    SELECT ST_MAKEPOLYGON(
        ST_ADDPOINT(
            ST_ADDPOINT(
                ST_ADDPOINT(ST_MAKELINE(ST_POINT($1, $2), ST_POINT($1, $4)), ST_POINT($3, $4)),
                ST_POINT($3, $2)
            ),
            ST_POINT($1, $2)
        )
    )
$$ LANGUAGE sql;
