-- QUADBIN_RESOLUTION: see README.md. SQL only; rendered by the gateway (placeholders between
-- double at-signs).
--
-- A quadbin cell is 0 | 1 | mode 001 | resolution z (5 bits) | 2z bits of tile | 52 - 2z ones.
-- So (q >> 59) = 9 holds the header and mode, (q >> 52) & 31 the resolution, and
-- 4503599627370495 (2^52 - 1) >> 2z masks the trailing bits that must all be set. A value that
-- is not a cell has no resolution: NULL, where CARTO reads whatever its bits say.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADBIN_RESOLUTION(BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT CASE
        WHEN ($1 >> 59) = 9
            AND (($1 >> 52) & 31) <= 26
            AND ($1 & (4503599627370495 >> CAST((($1 >> 52) & 31) * 2 AS INT)))
                = (4503599627370495 >> CAST((($1 >> 52) & 31) * 2 AS INT))
        THEN ($1 >> 52) & 31
    END
$$ LANGUAGE sql;
