-- S2_FROMGEOGPOINT: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- SRID 0 (unknown) is read as EPSG:4326; any other SRID is transformed to EPSG:4326 first
-- (CARTO reads the coordinates whatever the SRID). S2_FROMLONGLAT does the rest (the
-- resolution check and its error).

CREATE OR REPLACE FUNCTION @@SCHEMA@@.S2_FROMGEOGPOINT(GEOMETRY, INT4)
RETURNS INT8
STABLE
AS $$
    SELECT @@SCHEMA@@.S2_FROMLONGLAT(
        ST_X(CASE WHEN ST_SRID($1) = 0 THEN $1 ELSE ST_TRANSFORM($1, 4326) END),
        ST_Y(CASE WHEN ST_SRID($1) = 0 THEN $1 ELSE ST_TRANSFORM($1, 4326) END),
        $2
    )
$$ LANGUAGE sql;
