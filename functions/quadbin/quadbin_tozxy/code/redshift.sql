-- QUADBIN_TOZXY: see README.md. SQL only; rendered by the gateway (placeholders between double
-- at-signs).
--
-- The 52 bits under a cell's resolution hold its tile: x and y interleaved, x on the even
-- bits, the most significant pair first. Shifted up by 12 they fill 64 bits, so that
-- compacting the even bits gives x scaled to 32 bits (x << (32 - z), plus trailing ones the
-- caller shifts out); shifting the cell right by one first gives y the same way. Compacting
-- is the classic Morton step: keep the even bits, then fold pairs, nibbles, bytes and
-- 16-bit halves together, each fold one call of __QUADBIN_TOZXY_FOLD. The masks are written in
-- decimal (Redshift and PostgreSQL share no hexadecimal BIGINT literal):
--   6148914691236517205 = 0x5555555555555555   3689348814741910323 = 0x3333333333333333
--   1085102592571150095 = 0x0F0F0F0F0F0F0F0F     71777214294589695 = 0x00FF00FF00FF00FF
--       281470681808895 = 0x0000FFFF0000FFFF            4294967295 = 0x00000000FFFFFFFF
--      4503599627370495 = 0x000FFFFFFFFFFFFF (the 52 bits under the resolution)

CREATE OR REPLACE FUNCTION @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(BIGINT, INT, BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT ($1 | ($1 >> $2)) & $3
$$ LANGUAGE sql;

-- CARTO's helper, with CARTO's result: x scaled to 32 bits.
CREATE OR REPLACE FUNCTION @@SCHEMA@@.__QUADBIN_TOZXY_X(BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(
        @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(
            @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(
                @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(
                    @@SCHEMA@@.__QUADBIN_TOZXY_FOLD(
                        (($1 & 4503599627370495) << 12) & 6148914691236517205,
                        1, 3689348814741910323),
                    2, 1085102592571150095),
                4, 71777214294589695),
            8, 281470681808895),
        16, 4294967295)
$$ LANGUAGE sql;

-- CARTO's helper, with CARTO's result: y scaled to 32 bits.
CREATE OR REPLACE FUNCTION @@SCHEMA@@.__QUADBIN_TOZXY_Y(BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT @@SCHEMA@@.__QUADBIN_TOZXY_X($1 >> 1)
$$ LANGUAGE sql;

-- QUADBIN_RESOLUTION is NULL for a value that is no cell, and the whole text with it.
CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADBIN_TOZXY(BIGINT)
RETURNS SUPER
STABLE
AS $$
    SELECT JSON_PARSE(
        '{"z": ' || CAST(@@SCHEMA@@.QUADBIN_RESOLUTION($1) AS VARCHAR)
        || ', "x": ' || CAST(@@SCHEMA@@.__QUADBIN_TOZXY_X($1)
            >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($1) AS INT) AS VARCHAR)
        || ', "y": ' || CAST(@@SCHEMA@@.__QUADBIN_TOZXY_Y($1)
            >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($1) AS INT) AS VARCHAR)
        || '}'
    )
$$ LANGUAGE sql;
