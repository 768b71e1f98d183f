""".env is parsed by python-dotenv and checked line by line (issue 20, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.config import ConfigError, read_dotenv, resolve_settings
from engine.envfile import read_env_file

REPO = Path(__file__).resolve().parents[2]
KNOWN = {"CARTO_TARGET", "RS_LAMBDA_PREFIX", "RS_PASSWORD", "PRODUCTION", "RS_SSL", "RS_HOST"}


def env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> tuple[dict[str, str], list[str]]:
    warnings: list[str] = []
    return read_env_file(path, KNOWN, warn=warnings.append), warnings


def test_quoting_escapes_multiline_values_and_export(tmp_path: Path) -> None:
    path = env(
        tmp_path,
        "export RS_HOST=h.example\n"
        "RS_PASSWORD='pa$$ # not a comment'\n"
        'RS_LAMBDA_PREFIX="a\\"b"\n'
        'CARTO_TARGET="lo\ncal"\n'
        "PRODUCTION=1 # an inline comment\n",
    )
    values, warnings = read(path)
    assert values == {
        "RS_HOST": "h.example",
        "RS_PASSWORD": "pa$$ # not a comment",  # single quotes: literal, no expansion
        "RS_LAMBDA_PREFIX": 'a"b',  # \" is an escaped quote inside double quotes
        "CARTO_TARGET": "lo\ncal",  # a double-quoted value may span lines
        "PRODUCTION": "1",
    }
    assert warnings == []


def test_no_file_is_no_values(tmp_path: Path) -> None:
    assert read(tmp_path / ".env") == ({}, [])


@pytest.mark.parametrize(
    ("text", "meant", "line"),
    [
        ("CARTO_TARGTE=aws\n", "CARTO_TARGET", 1),
        ("# c\nRS_LAMDA_PREFIX=foo-\n", "RS_LAMBDA_PREFIX", 2),
        ("PRODUCTON=1\n", "PRODUCTION", 1),
    ],
)
def test_typos_of_our_keys_are_warned_with_a_did_you_mean(
    tmp_path: Path, text: str, meant: str, line: int
) -> None:
    path = env(tmp_path, text)
    _, warnings = read(path)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}:{line}: unknown key ")
    assert f"did you mean {meant}?" in warnings[0]


def test_environment_only_keys_say_so(tmp_path: Path) -> None:
    path = env(tmp_path, "CARTO_PYTHON_3_12=/opt/py/bin/python3.12\n")
    _, warnings = read(path)
    assert warnings == [
        f"{path}:1: CARTO_PYTHON_3_12 is read from the environment only (it is ignored here); "
        "export it instead"
    ]


def test_unknown_own_prefixes_warn_and_foreign_keys_do_not(tmp_path: Path) -> None:
    path = env(tmp_path, "CARTO_WHATEVER=1\nEDITOR=vim\nAWS_CA_BUNDLE=/x\n")
    values, warnings = read(path)
    assert len(warnings) == 1 and "unknown key CARTO_WHATEVER" in warnings[0]
    assert values["EDITOR"] == "vim"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("RS_HOST=h\nCARTO_TARGET\n", 2, "has no '='; write CARTO_TARGET=VALUE"),
        ("not a pair\n", 1, "cannot read 'not a pair'; write KEY=VALUE"),
        ("RS_HOST='unclosed\n", 1, "cannot read"),
        ("PRODUCTION=banana\n", 1, "PRODUCTION='banana' is not a boolean; write PRODUCTION=1"),
        ("\n\nRS_SSL=maybe\n", 3, "RS_SSL='maybe' is not a boolean"),
        ('RS_HOST="x\ny"\n\n# c\nB\n', 5, "'B' has no '='"),
    ],
)
def test_malformed_lines_and_non_booleans_are_refused(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = env(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        read_dotenv(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ")
    assert fragment in message


def test_every_bad_line_is_listed_at_once(tmp_path: Path) -> None:
    path = env(tmp_path, "A\nPRODUCTION=banana\nB\n")
    with pytest.raises(ConfigError) as info:
        read_dotenv(path)
    lines = str(info.value).splitlines()
    assert [x.split(": ", 1)[0] for x in lines] == [f"{path}:1", f"{path}:2", f"{path}:3"]


@pytest.mark.parametrize(("word", "expected"), [("TRUE", True), ("off", False), ("", False)])
def test_booleans_accept_the_usual_words(tmp_path: Path, word: str, expected: bool) -> None:
    env(tmp_path, f"PRODUCTION={word}\n")
    assert resolve_settings({}, {}, tmp_path).production is expected


def test_a_non_boolean_from_the_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PRODUCTION='banana' is not a boolean"):
        resolve_settings({}, {"PRODUCTION": "banana"}, tmp_path)


def test_values_are_not_expanded(tmp_path: Path) -> None:
    env(tmp_path, "RS_PASSWORD=a${HOME}b\n")
    assert read_dotenv(tmp_path / ".env")["RS_PASSWORD"] == "a${HOME}b"


def check(cwd: Path) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RS_", "CARTO_"))}
    environ["AWS_CONFIG_FILE"] = environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from engine.cli import main; sys.exit(main(['check']))",
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, "PYTHONPATH": str(REPO)},
    )


def test_check_does_not_claim_a_missing_env(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    result = check(tmp_path)
    assert f"configuration: no .env in {tmp_path.resolve()} (environment only)" in result.stdout
    assert ".env in" not in result.stdout.replace("no .env in", "")


def test_check_names_an_existing_env_and_warns_about_its_typos(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    env(tmp_path, "CARTO_TARGTE=local\n")
    result = check(tmp_path)
    assert f"configuration: {tmp_path.resolve() / '.env'}," in result.stdout
    assert "unknown key CARTO_TARGTE; did you mean CARTO_TARGET?" in result.stderr
