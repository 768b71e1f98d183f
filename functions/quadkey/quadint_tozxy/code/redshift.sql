-- QUADINT_TOZXY: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- A quadint is ((y << z | x) << 5) | z: z = q & 31, x = (q >> 5) & (2^z - 1), y = q >> (z + 5).
-- It is a tile only when it is not negative, z <= 29 and y < 2^z (nothing above bit 2z + 5);
-- otherwise NULL, where CARTO decodes the bits anyway.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADINT_TOZXY(BIGINT)
RETURNS SUPER
STABLE
AS $$
    SELECT CASE
        WHEN $1 >= 0
            AND ($1 & 31) <= 29
            AND ($1 >> CAST(($1 & 31) * 2 + 5 AS INT)) = 0
        THEN JSON_PARSE(
            '{"z": ' || CAST($1 & 31 AS VARCHAR)
            || ', "x": ' || CAST(($1 >> 5) & ((CAST(1 AS BIGINT) << CAST($1 & 31 AS INT)) - 1)
                AS VARCHAR)
            || ', "y": ' || CAST($1 >> CAST(($1 & 31) + 5 AS INT) AS VARCHAR)
            || '}'
        )
    END
$$ LANGUAGE sql;
