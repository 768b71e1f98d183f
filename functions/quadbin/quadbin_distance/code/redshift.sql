-- QUADBIN_DISTANCE: see README.md. SQL only; rendered by the gateway (placeholders between
-- double at-signs).
--
-- The Chebyshev distance between the two tiles: __QUADBIN_TOZXY_X/_Y give each column and row
-- scaled to 32 bits, shifted down by 32 - z. Different resolutions, and values that are no
-- cells (QUADBIN_RESOLUTION is NULL), give NULL.

CREATE OR REPLACE FUNCTION @@SCHEMA@@.QUADBIN_DISTANCE(BIGINT, BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT CASE
        WHEN @@SCHEMA@@.QUADBIN_RESOLUTION($1) = @@SCHEMA@@.QUADBIN_RESOLUTION($2)
        THEN GREATEST(
            ABS(
                (@@SCHEMA@@.__QUADBIN_TOZXY_X($2)
                    >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($2) AS INT))
                - (@@SCHEMA@@.__QUADBIN_TOZXY_X($1)
                    >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($1) AS INT))
            ),
            ABS(
                (@@SCHEMA@@.__QUADBIN_TOZXY_Y($2)
                    >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($2) AS INT))
                - (@@SCHEMA@@.__QUADBIN_TOZXY_Y($1)
                    >> CAST(32 - @@SCHEMA@@.QUADBIN_RESOLUTION($1) AS INT))
            )
        )
    END
$$ LANGUAGE sql;
