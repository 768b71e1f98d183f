-- __CLUSTERKMEANSTABLE and CARTO's CREATE_CLUSTERKMEANS procedure over it: see README.md.
-- Rendered by the gateway (placeholders between double at-signs).

CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__CLUSTERKMEANSTABLE(VARCHAR(MAX), INTEGER)
RETURNS VARCHAR(MAX)
STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@'
MAX_BATCH_ROWS @@MAX_BATCH_ROWS@@
MAX_BATCH_SIZE @@MAX_BATCH_SIZE@@;

-- CREATE_CLUSTERKMEANS(input, output_table, geom_column, number_of_clusters): a copy of
-- `input` (a table name, or a query: any text holding white space) with a cluster_id column.
-- Written with statements PostgreSQL reads too (no PartiQL, LISTAGG or backslash escapes),
-- so the SQL tier's stand-in runs the same text: the points are read in a FOR loop, and the
-- labels, which __CLUSTERKMEANSTABLE returns in input order, are applied by one UPDATE that
-- picks the n-th label out of its text with SPLIT_PART.
CREATE OR REPLACE PROCEDURE @@SCHEMA@@.CREATE_CLUSTERKMEANS(
    input VARCHAR(MAX),
    output_table INOUT VARCHAR(MAX),
    geom_column VARCHAR(MAX),
    number_of_clusters INT
)
AS $$
DECLARE
    source VARCHAR(MAX);
    geom VARCHAR(MAX);
    coords VARCHAR(MAX) := '';
    labels VARCHAR(MAX);
    point RECORD;
BEGIN
    IF number_of_clusters IS NULL OR number_of_clusters < 1 THEN
        RAISE EXCEPTION 'Invalid number of clusters %: should be at least 1', number_of_clusters;
    END IF;
    IF output_table IS NULL OR SPLIT_PART(output_table, '.', 1) = ''
        OR SPLIT_PART(output_table, '.', 2) = '' OR SPLIT_PART(output_table, '.', 4) <> '' THEN
        RAISE EXCEPTION 'Invalid output table name %: it must have the form [DATABASE.]SCHEMA.TABLE', output_table;
    END IF;
    source := input;
    IF TRANSLATE(input, ' ' || CHR(9) || CHR(10) || CHR(13), '') <> input THEN
        source := '(' || input || ')';
    END IF;
    geom := QUOTE_IDENT(geom_column);

    -- Rows are numbered once; the points go to the Lambda in that order.
    EXECUTE 'CREATE TABLE ' || output_table || ' AS SELECT *, ROW_NUMBER() OVER () AS __carto_idx,'
        || ' NULL::INT AS cluster_id FROM ' || source || ' AS __carto_input';

    -- DECIMAL(12,7), as CARTO sends them: 7 decimals are about 1 cm in degrees.
    FOR point IN EXECUTE 'SELECT ST_X(' || geom || ')::DECIMAL(12,7) AS x, ST_Y(' || geom
        || ')::DECIMAL(12,7) AS y FROM ' || output_table || ' WHERE ' || geom
        || ' IS NOT NULL ORDER BY __carto_idx'
    LOOP
        IF coords <> '' THEN
            coords := coords || ',';
        END IF;
        coords := coords || point.x::VARCHAR || ',' || point.y::VARCHAR;
    END LOOP;

    IF coords <> '' THEN
        EXECUTE 'SELECT @@SCHEMA@@.__CLUSTERKMEANSTABLE('
            || QUOTE_LITERAL('{"_coords":[' || coords || ']}') || ', ' || number_of_clusters || ')'
            INTO labels;
        -- The n-th point (rows with a geometry, by __carto_idx) takes the n-th label: the
        -- text after the (n+1)-th '"c":' up to the next comma.
        EXECUTE 'UPDATE ' || output_table || ' SET cluster_id = SPLIT_PART(SPLIT_PART('
            || QUOTE_LITERAL(labels) || ', ''"c":'', (p.pos + 1)::INT), '','', 1)::INT'
            || ' FROM (SELECT __carto_idx AS idx, ROW_NUMBER() OVER (ORDER BY __carto_idx) AS pos'
            || ' FROM ' || output_table || ' WHERE ' || geom || ' IS NOT NULL) AS p'
            || ' WHERE __carto_idx = p.idx';
    END IF;

    EXECUTE 'ALTER TABLE ' || output_table || ' DROP COLUMN __carto_idx';
    output_table := 'Table ' || output_table || ' created with the clustering';
END;
$$ LANGUAGE plpgsql;
