"""The statement splitter: quoted text, dollar bodies and comments keep their semicolons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.catalog.sqltext.split import SplitError, split_statements, strip_comments


def test_dollar_bodies_strings_identifiers_and_comments_keep_semicolons() -> None:
    text = """
    -- header; not a statement
    CREATE FUNCTION s.f(INT) RETURNS INT STABLE AS $$ SELECT $1; $$ LANGUAGE sql;
    SELECT 'a;b', 'it''s;', 'back\\';slash', "we;ird""id" /* c; */ FROM t;
    SELECT $body$ x; $$ y; $body$;  -- trailing; comment
    /* only a comment; */ ;
    """
    assert split_statements(text) == [
        "-- header; not a statement\n    CREATE FUNCTION s.f(INT) RETURNS INT STABLE AS"
        " $$ SELECT $1; $$ LANGUAGE sql",
        "SELECT 'a;b', 'it''s;', 'back\\';slash', \"we;ird\"\"id\" /* c; */ FROM t",
        "SELECT $body$ x; $$ y; $body$",
    ]


def test_positional_parameters_are_not_dollar_quotes() -> None:
    assert split_statements("SELECT $1 + $2; SELECT a$b$c FROM t") == [
        "SELECT $1 + $2",
        "SELECT a$b$c FROM t",
    ]


@pytest.mark.parametrize(
    ("text", "what", "line", "col"),
    [
        ("SELECT 'x;", "string literal", 1, 8),
        ('SELECT "x;', "quoted identifier", 1, 8),
        ("SELECT 1;\n  AS $$ body;", "$$ body", 2, 6),
        ("SELECT /* x;", "/* comment", 1, 8),
    ],
)
def test_unterminated_constructs_are_located(text: str, what: str, line: int, col: int) -> None:
    with pytest.raises(SplitError) as err:
        split_statements(text)
    assert (err.value.line, err.value.col) == (line, col)
    assert what in str(err.value)


def test_strip_comments_keeps_quoted_text() -> None:
    assert strip_comments("SELECT '--x' -- y\n, 1 /* z */") == "SELECT '--x'  \n, 1  "


# --- property: joining random statements with `;` and splitting gives them back -------------

_word = st.sampled_from(["SELECT", "x", "1", "a.b", "(", ")", ",", "+", "=", "$1", "::INT"])
_string = st.text(alphabet="ab;'\\ -*/$\"\n", max_size=8).map(
    lambda s: "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"
)
_ident = st.text(alphabet="ab;\"' -$", min_size=1, max_size=8).map(
    lambda s: '"' + s.replace('"', '""') + '"'
)
_dollar = (
    st.tuples(st.sampled_from(["", "body", "f_1"]), st.text(alphabet="ab;'\" \n-*/$", max_size=10))
    .filter(lambda t: f"${t[0]}$" not in t[1] and not t[1].endswith("$"))
    .map(lambda t: f"${t[0]}${t[1]}${t[0]}$")
)
_block = (
    st.text(alphabet="ab;'\" \n-$/", max_size=8)
    .filter(lambda s: "*/" not in s)
    .map(lambda s: f"/*{s}*/")
)
_line = st.text(alphabet="ab;'\" -*/$", max_size=8).map(lambda s: f"--{s}\n")
_token = st.one_of(_word, _string, _ident, _dollar, _block, _line)
# A statement starts with a keyword and never ends in a line comment (its newline would be
# stripped and the `;` that follows swallowed by the comment when joined).
_statement = st.tuples(st.just("SELECT"), st.lists(_token, max_size=8), _word).map(
    lambda t: " ".join([t[0], *t[1], t[2]])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_statement, min_size=1, max_size=6), st.sampled_from([";", ";\n", " ;\n\n"]))
def test_split_inverts_join(statements: list[str], separator: str) -> None:
    text = separator.join(statements) + separator
    assert split_statements(text) == [s.strip() for s in statements]
