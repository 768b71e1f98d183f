-- QUADBIN_TOPARENT: see README.md. SQL only; rendered by the gateway (placeholders between
-- double at-signs).
--
-- The parent at resolution r keeps the cell's first 2r tile bits, takes r as its resolution
-- field (bits 52-56, 31 << 52 = 139611588448485376) and sets every bit under them
-- (4503599627370495 = 2^52 - 1, shifted right by 2r). A resolution outside 0..z, or a value
-- that is no cell (QUADBIN_RESOLUTION is NULL), gives NULL where CARTO returns other bits.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADBIN_TOPARENT(BIGINT, INT)
RETURNS BIGINT
STABLE
AS $$
    SELECT CASE
        WHEN $2 >= 0 AND $2 <= @@SCHEMA@@.QUADBIN_RESOLUTION($1)
        THEN ($1 & ~CAST(139611588448485376 AS BIGINT))
            | (CAST($2 AS BIGINT) << 52)
            | (4503599627370495 >> ($2 * 2))
    END
$$ LANGUAGE sql;
