"""Invocations through real worker processes on the local target."""

from __future__ import annotations

import json
import time

import pytest

from engine.build import interpreters
from engine.deploy.targets.local.pool import MAX_PAYLOAD_BYTES

EVENT = {"num_records": 2, "arguments": [[1], [2]]}


def returning(imports: str, results: str, pre: str = "") -> str:
    """Handler code answering two rows with `results` (a Python expression)."""
    return (
        f"import json, {imports}\ndef lambda_handler(e, c):\n{pre}"
        f"    return json.dumps({{'success': True, 'num_records': 2, 'results': {results}}})\n"
    )


def body(payload: str) -> dict:
    value = json.loads(payload)
    return json.loads(value) if isinstance(value, str) else value


def test_invoke_returns_the_handler_payload_and_stays_warm(deploy_one, target):
    name = deploy_one(
        code=returning("os", "[os.getpid(), c.function_name]", pre="    print('noise')\n")
    )
    first = body(target.invoke(name, EVENT))
    second = body(target.invoke(name, EVENT))
    assert first["success"] and first["results"][1] == name
    assert first["results"][0] == second["results"][0]  # the same warm worker


def test_worker_sees_only_the_artifact_and_the_stdlib(deploy_one, target):
    # yaml is installed in the development venv, but not declared by this function.
    name = deploy_one(code="import yaml\ndef lambda_handler(e, c):\n    return '{}'\n")
    response = body(target.invoke(name, EVENT))
    assert response["success"] is False
    assert "Unable to import module 'handler'" in response["error_msg"]
    assert "No module named 'yaml'" in response["error_msg"]
    assert "Traceback" in response["error_msg"]


def test_sys_path_is_isolated(deploy_one, target):
    name = deploy_one(code=returning("sys", "[sys.path, sys.flags.isolated]"))
    path, isolated = body(target.invoke(name, EVENT))["results"]
    assert isolated == 1
    assert "/unpacked-" in path[0]
    assert not any("site-packages" in p or ".venv" in p for p in path)


def test_runtime_selects_the_python_version(deploy_one, target):
    try:
        interpreters.find_interpreter("python3.10")
    except interpreters.InterpreterNotFound:
        pytest.skip("python3.10 is not installed here")
    name = deploy_one(
        runtime="python3.10",
        code=returning("sys", "list(sys.version_info[:2])"),
    )
    assert body(target.invoke(name, EVENT))["results"] == [3, 10]


def test_timeout_kills_the_worker(deploy_one, target):
    name = deploy_one(
        timeout=1, code="import time\ndef lambda_handler(e, c):\n    time.sleep(60)\n"
    )
    start = time.monotonic()
    response = body(target.invoke(name, EVENT))
    assert time.monotonic() - start < 10
    assert response == {"success": False, "error_msg": "Task timed out after 1.00 seconds"}
    assert not any(target.pool._idle.values())  # killed, not returned to the pool


def test_response_over_6mb_is_rejected(deploy_one, target):
    name = deploy_one(code="def lambda_handler(e, c):\n    return 'x' * (7 * 1024 * 1024)\n")
    response = body(target.invoke(name, EVENT))
    assert response["success"] is False
    assert f"({MAX_PAYLOAD_BYTES} bytes)" in response["error_msg"]


def test_worker_crash_is_an_error_not_a_hang(deploy_one, target):
    name = deploy_one(
        code="import os, sys\ndef lambda_handler(e, c):\n"
        "    sys.stderr.write('about to die\\n'); sys.stderr.flush(); os._exit(3)\n"
    )
    response = body(target.invoke(name, EVENT))
    assert "Runtime exited with code 3" in response["error_msg"]
    assert "about to die" in response["error_msg"]


def test_escaping_exception_carries_the_traceback(deploy_one, target):
    name = deploy_one(code="def lambda_handler(e, c):\n    raise KeyError('boom')\n")
    response = body(target.invoke(name, EVENT))
    assert response["success"] is False and "KeyError" in response["error_msg"]
    assert "handler.py" in response["error_msg"]


def test_interpreter_not_found_says_how_to_install(tmp_path):
    shim = tmp_path / "python3.10"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.10: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    assert shim in interpreters.candidates("python3.10", env, system_dirs=())
    with pytest.raises(interpreters.InterpreterNotFound) as info:
        interpreters.find_interpreter("python3.10", env, system_dirs=())
    message = str(info.value)
    assert "python3.10" in message and "install" in message and str(shim) in message


def test_env_override_and_pyenv_versions_are_found(tmp_path):
    real = interpreters.find_interpreter("python3.11")
    assert (
        interpreters.find_interpreter(
            "python3.11", {"CARTO_PYTHON_3_11": str(real), "PATH": ""}, system_dirs=()
        )
        == real
    )


def test_not_deployed_is_a_clear_error(target):
    from engine.deploy.targets.local.target import LocalTargetError

    with pytest.raises(LocalTargetError, match="deploy"):
        target.invoke("t-nothing", EVENT)
