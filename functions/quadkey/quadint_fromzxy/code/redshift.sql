-- QUADINT_FROMZXY: see README.md. SQL only; rendered by the gateway (placeholders between
-- double at-signs).
--
-- A quadint is ((y << z | x) << 5) | z. A zoom outside 0-29 (the zoom field has 5 bits and the
-- whole must fit 63), or a column or row outside 0..2^z - 1, is no tile: NULL, where CARTO
-- packs the bits anyway (into another tile, or a negative value).

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADINT_FROMZXY(INT, INT, INT)
RETURNS BIGINT
STABLE
AS $$
    SELECT CASE
        WHEN $1 BETWEEN 0 AND 29
            AND $2 >= 0 AND CAST($2 AS BIGINT) < (CAST(1 AS BIGINT) << $1)
            AND $3 >= 0 AND CAST($3 AS BIGINT) < (CAST(1 AS BIGINT) << $1)
        THEN CAST($1 AS BIGINT) | (CAST($2 AS BIGINT) << 5) | (CAST($3 AS BIGINT) << ($1 + 5))
    END
$$ LANGUAGE sql;
