"""The compatibility schema: Redshift names PostgreSQL lacks, first on the search path.

Each object is documented in docs/redshift-local.md and tested in tests/standin. Installed
idempotently on every start (`install(connection)`): domains are created once, functions
are replaced, and nothing is dropped, since the project's functions depend on these types.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "redshift_compat"
VARCHAR_MAX_BYTES = 65535  # Redshift's VARCHAR(MAX)
SEARCH_PATH = f'{SCHEMA}, "$user", public'

# The Lambda calls of translated external functions (see translate.py): one shared invoker
# per session, kept in plpython's GD so the HTTP connection stays open between rows.
_LAMBDA_RUNTIME = r"""
import decimal, http.client, itertools, json, urllib.parse, uuid

state = {"query_ids": itertools.count(1), "connections": {}, "who": None}


def _who():
    if state["who"] is None:
        row = plpy.execute("SELECT current_user AS u, current_database() AS d")[0]
        state["who"] = (row["u"], row["d"])
    return state["who"]


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot send a {type(value).__name__} to a Lambda")


def _post(endpoint, path, body):
    url = urllib.parse.urlsplit(endpoint)
    for attempt in (0, 1):
        conn = state["connections"].get(endpoint)
        if conn is None:
            conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=960)
            state["connections"][endpoint] = conn
        try:
            conn.request("POST", path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.getheader("X-Amz-Function-Error"), response.read()
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            conn.close()
            del state["connections"][endpoint]
            if attempt:
                plpy.error(f"cannot reach the Lambda endpoint {endpoint}: {exc}",
                           hint="start the local Lambda API server and load the SQL with its URL")


def invoke(endpoint, function, external_function, region, arguments, varchar_max):
    for position in varchar_max:
        value = arguments[position]
        if value is not None and len(value.encode()) > 65535:
            plpy.error(f"{external_function}: argument {position + 1} is"
                       f" {len(value.encode())} bytes; VARCHAR(MAX) holds at most 65535")
    user, database = _who()
    event = {
        "request_id": str(uuid.uuid4()),
        "cluster": f"arn:aws:redshift:{region}:000000000000:cluster:redshift-local",
        "user": user,
        "database": database,
        "external_function": external_function,
        "query_id": next(state["query_ids"]),
        "num_records": 1,
        "arguments": [list(arguments)],
    }
    path = "/2015-03-31/functions/" + urllib.parse.quote(function, safe="") + "/invocations"
    request = json.dumps(event, default=_json_value).encode()  # one send: see _post
    status, function_error, body = _post(endpoint, path, request)
    where = f"{external_function} (Lambda {function})"
    if status == 404:
        plpy.error(f"{where}: the Lambda function is not deployed at {endpoint}")
    try:
        payload = json.loads(body) if body else None
        if isinstance(payload, str):  # handlers return json.dumps(...): decode twice
            payload = json.loads(payload)
    except ValueError:
        payload = None
    if status != 200 or function_error:
        message = payload.get("errorMessage") or payload.get("message") if isinstance(
            payload, dict) else None
        plpy.error(f"{where}: {function_error or 'HTTP ' + str(status)}:"
                   f" {message or body[:500].decode(errors='replace')}")
    if not isinstance(payload, dict):
        plpy.error(f"{where}: the response is not a JSON object: {body[:200]!r}")
    if payload.get("success") is False:
        plpy.error(str(payload.get("error_msg") or "the Lambda reported success: false"),
                   detail=f"raised by {where}")
    results = payload.get("results")
    if not isinstance(results, list) or len(results) != 1:
        count = len(results) if isinstance(results, list) else "no"
        plpy.error(f"{where}: the response has {count} results for 1 row")
    result = results[0]
    if isinstance(result, (dict, list)):
        plpy.error(f"{where}: result {json.dumps(result)[:200]} is not a scalar")
    return result


GD["redshift_local_invoke"] = invoke
"""

# JSON text without the blanks jsonb's output puts after ',' and ':' (Redshift's
# JSON_SERIALIZE writes none); strings are copied as they are.
_COMPACT_JSON = r"""
if value is None:
    return None
out, in_string, escaped = [], False, False
for ch in value:
    if in_string:
        out.append(ch)
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            in_string = False
    elif ch == '"':
        in_string = True
        out.append(ch)
    elif ch != " ":
        out.append(ch)
text = "".join(out)
if len(text.encode()) > 65535:
    plpy.error(f"JSON_SERIALIZE: the result is {len(text.encode())} bytes;"
               " VARCHAR holds at most 65535")
return text
"""

# Redshift writes GeoJSON coordinates with 15 significant digits (PostGIS counts decimal
# places): take PostGIS's text at full precision and round every number.
_GEOJSON_DIGITS = r"""
import re
if geom is None:
    return None
precision = args[1] if len(args) > 1 else None
digits = 15 if precision is None else max(1, min(int(precision), 17))
plan = SD.get("plan")
if plan is None:
    plan = SD["plan"] = plpy.prepare(
        "SELECT public.ST_AsGeoJSON($1::public.geometry, 17, 0) AS j", ["text"])
text = plpy.execute(plan, [geom])[0]["j"]
return re.sub(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?",
              lambda m: format(float(m.group()), f".{digits}g"), text)
"""

STATEMENTS: tuple[str, ...] = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    # SUPER: Redshift's semi-structured type; jsonb has the same JSON values, subscripts
    # (`s[0]`, `s['key']`) and equality.
    f"""DO $$ BEGIN
        CREATE DOMAIN {SCHEMA}.super AS jsonb;
    EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
    # VARCHAR(MAX): Redshift's 65,535-byte limit, checked where a value is cast or returned.
    f"""DO $$ BEGIN
        CREATE DOMAIN {SCHEMA}.varchar_max AS varchar
            CONSTRAINT varchar_max_holds_at_most_65535_bytes
            CHECK (octet_length(VALUE) <= {VARCHAR_MAX_BYTES});
    EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.json_parse(text) RETURNS {SCHEMA}.super
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT $1::jsonb::{SCHEMA}.super $$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.json_serialize(value {SCHEMA}.super)
        RETURNS varchar LANGUAGE plpython3u IMMUTABLE STRICT
        AS $body${_COMPACT_JSON}$body$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.is_valid_json(text) RETURNS boolean
        LANGUAGE plpgsql IMMUTABLE STRICT
        AS $$ BEGIN PERFORM $1::jsonb; RETURN true;
        EXCEPTION WHEN invalid_text_representation THEN RETURN false; END $$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.json_extract_path_text(json_string text,
            VARIADIC path text[]) RETURNS varchar
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT pg_catalog.json_extract_path_text($1::json, VARIADIC $2) $$""",
    # Two overloads, not a default: with identical leading argument types the earlier
    # schema on the search path wins over PostGIS's own ST_AsGeoJSON.
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.st_asgeojson(geom public.geometry)
        RETURNS varchar LANGUAGE plpython3u IMMUTABLE STRICT
        AS $body${_GEOJSON_DIGITS}$body$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.st_asgeojson(geom public.geometry,
            significant_digits integer) RETURNS varchar LANGUAGE plpython3u IMMUTABLE
        AS $body${_GEOJSON_DIGITS}$body$""",
    f"""CREATE OR REPLACE FUNCTION {SCHEMA}.lambda_runtime() RETURNS void
        LANGUAGE plpython3u AS $body${_LAMBDA_RUNTIME}$body$""",
)


def install(connection: Any) -> None:
    """Create or refresh the schema on a psycopg connection (autocommit) as superuser, and
    make it the database's default search path (for the connections opened after)."""
    for statement in STATEMENTS:
        connection.execute(statement)
    database = connection.execute("SELECT current_database()").fetchone()[0]
    connection.execute(f'ALTER DATABASE "{database}" SET search_path = {SEARCH_PATH}')
    connection.execute(f"SET search_path = {SEARCH_PATH}")
