-- QUADINT_FROMGEOGPOINT: see README.md. SQL only; rendered by the gateway (placeholders between
-- double at-signs).
--
-- SRID 0 (unknown) is read as EPSG:4326, as the Lambda wrappers read it; any other SRID is
-- transformed to EPSG:4326 first. QUADINT_FROMLONGLAT does the rest (mercantile's tile rule,
-- the zoom check and its error).

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADINT_FROMGEOGPOINT(GEOMETRY, INT)
RETURNS BIGINT
STABLE
AS $$
    SELECT @@SCHEMA@@.QUADINT_FROMLONGLAT(
        ST_X(CASE WHEN ST_SRID($1) = 0 THEN $1 ELSE ST_TRANSFORM($1, 4326) END),
        ST_Y(CASE WHEN ST_SRID($1) = 0 THEN $1 ELSE ST_TRANSFORM($1, 4326) END),
        $2
    )
$$ LANGUAGE sql;
