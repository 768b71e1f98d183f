-- ST_TILEENVELOPE: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- The tile's quadbin cell, then its boundary: the ring, the errors for a zoom outside 0-26 or a
-- column or row outside the grid, and NULL for NULL all come from those two functions.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.ST_TILEENVELOPE(INT, INT, INT)
RETURNS GEOMETRY
STABLE
AS $$
    SELECT @@SCHEMA@@.QUADBIN_BOUNDARY(
        @@SCHEMA@@.QUADBIN_FROMZXY(CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT))
    )
$$ LANGUAGE sql;
