-- QUADBIN_FROMLONGLAT: see README.md. Rendered by the gateway (placeholders between double at-signs).

CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.QUADBIN_FROMLONGLAT(DOUBLE PRECISION, DOUBLE PRECISION, INTEGER)
RETURNS BIGINT
STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@'
MAX_BATCH_ROWS @@MAX_BATCH_ROWS@@
MAX_BATCH_SIZE @@MAX_BATCH_SIZE@@;

-- CARTO's internal name for the same function, which takes the coordinates as text (its
-- Lambda parses them); here the text is cast and the function above does the work.
CREATE OR REPLACE FUNCTION @@SCHEMA@@.__QUADBIN_FROMLONGLAT(VARCHAR(MAX), VARCHAR(MAX), INT)
RETURNS BIGINT
STABLE
AS $$
    SELECT @@SCHEMA@@.QUADBIN_FROMLONGLAT(CAST($1 AS FLOAT8), CAST($2 AS FLOAT8), $3)
$$ LANGUAGE sql;
