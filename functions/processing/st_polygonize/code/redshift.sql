-- ST_POLYGONIZE: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- The engine's ST_MAKEPOLYGON: a closed LineString becomes the polygon it bounds; anything
-- else is the engine's own error. NULL gives NULL.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.ST_POLYGONIZE(GEOMETRY)
RETURNS GEOMETRY
STABLE
AS $$
    SELECT ST_MAKEPOLYGON($1)
$$ LANGUAGE sql;
