"""Invocations through real worker processes on the local target."""

from __future__ import annotations

import errno
import json
import time

import pytest

from engine.build import interpreters
from engine.deploy.targets.local.pool import MAX_PAYLOAD_BYTES
from engine.invoke import InvocationError

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


def failure(target, name: str, event=EVENT) -> dict:
    """The runtime's error document of a failed invocation, as Lambda reports it."""
    result = target.invoke_result(name, event)
    assert (result.status_code, result.function_error) == (200, "Unhandled")
    with pytest.raises(InvocationError, match=f"{name} raised \\(Unhandled\\)"):
        target.invoke(name, event)  # the same failure raised, as the aws target raises it
    return json.loads(result.payload)


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
    error = failure(target, name)
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == "Unable to import module 'handler': No module named 'yaml'"


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
    result = target.invoke_result(name, EVENT)
    assert time.monotonic() - start < 10
    assert result.function_error == "Unhandled"
    error = json.loads(result.payload)
    assert error["errorType"] == "Sandbox.Timedout"
    assert error["errorMessage"] == "Task timed out after 1.00 seconds"
    assert not any(target.pool._idle.values())  # killed, not returned to the pool


def test_response_over_6mb_is_rejected(deploy_one, target):
    name = deploy_one(code="def lambda_handler(e, c):\n    return 'x' * (7 * 1024 * 1024)\n")
    error = failure(target, name)
    assert error["errorType"] == "Function.ResponseSizeTooLarge"
    assert f"({MAX_PAYLOAD_BYTES} bytes)" in error["errorMessage"]


def test_worker_crash_is_an_error_not_a_hang(deploy_one, target):
    name = deploy_one(
        code="import os, sys\ndef lambda_handler(e, c):\n"
        "    sys.stderr.write('about to die\\n'); sys.stderr.flush(); os._exit(3)\n"
    )
    error = failure(target, name)
    assert error["errorType"] == "Runtime.ExitError"
    assert "Runtime exited with code 3" in error["errorMessage"]
    assert "about to die" in error["errorMessage"]


def test_escaping_exception_carries_the_traceback(deploy_one, target):
    name = deploy_one(code="def lambda_handler(e, c):\n    raise KeyError('boom')\n")
    error = failure(target, name)
    assert error["errorType"] == "KeyError" and error["errorMessage"] == "'boom'"
    assert any("handler.py" in line for line in error["stackTrace"])


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


def test_task_root_is_read_only(deploy_one, target):
    code = (
        "import json, os\n"
        "def attempt(fn):\n"
        "    try:\n"
        "        fn()\n"
        "    except OSError as exc:\n"
        "        return exc.errno\n"
        "    return None\n"
        "def lambda_handler(e, c):\n"
        "    root = os.environ['LAMBDA_TASK_ROOT']\n"
        "    tries = [\n"
        "        lambda: open(os.path.join(root, 'new.txt'), 'w'),\n"
        "        lambda: open('handler.py', 'a'),\n"
        "        lambda: os.mkdir(os.path.join(root, 'd')),\n"
        "        lambda: os.remove(os.path.join(root, 'handler.py')),\n"
        "        lambda: os.rename('handler.py', '/tmp/moved.py'),\n"
        "    ]\n"
        "    codes = [attempt(t) for t in tries]\n"
        "    with open('/tmp/carto-local-scratch.txt', 'w') as f:\n"
        "        f.write('ok')  # /tmp stays writable, as on Lambda\n"
        "    with open('handler.py') as f:\n"
        "        readable = bool(f.read())\n"
        "    return json.dumps({'success': True, 'num_records': 2, 'results': [codes, readable]})\n"
    )
    name = deploy_one(code=code)
    codes, readable = body(target.invoke(name, EVENT))["results"]
    assert codes == [errno.EROFS] * 5
    assert readable is True


def test_memory_size_limits_the_address_space(deploy_one, target):
    code = (
        "import json\n"
        "def answer(results):\n"
        "    return json.dumps({'success': True, 'num_records': 2, 'results': results})\n"
        "def lambda_handler(e, c):\n"
        "    try:\n"
        "        block = bytearray(400 * 1024 * 1024)\n"
        "    except MemoryError:\n"
        "        return answer(['refused', 0])\n"
        "    return answer(['got', len(block)])\n"
    )
    small = deploy_one("small", memory_size=128, code=code)
    large = deploy_one("large", memory_size=1024, code=code)
    assert body(target.invoke(small, EVENT))["results"][0] == "refused"
    assert body(target.invoke(large, EVENT))["results"] == ["got", 400 * 1024 * 1024]


def test_artifact_for_another_architecture_is_refused(
    deploy_one, repo, make_function, settings, target
):
    from engine.deploy.api import deploy
    from engine.deploy.targets.local.target import host_architecture

    other = "arm64" if host_architecture() == "x86_64" else "x86_64"
    fn = make_function("foreign", architecture=other)
    lines: list[str] = []
    report = deploy([fn], settings, target=target, out=lines.append)
    assert not report.ok
    (error,) = [o.error for o in report.failures]
    assert f"built for {other} but this machine is {host_architecture()}" in error


def test_invoke_raw_answers_as_the_invoke_api(deploy_one, target):
    name = deploy_one(code=returning("os", "[1, 2]"))
    status, function_error, raw = target.invoke_raw(name, json.dumps(EVENT).encode())
    assert (status, function_error) == (200, None)
    assert body(raw.decode())["results"] == [1, 2]
    status, function_error, raw = target.invoke_raw("t-missing", b"{}")
    assert (status, function_error) == (404, None)
    assert json.loads(raw)["errorType"] == "ResourceNotFoundException"
    status, function_error, raw = target.invoke_raw(name, b"not json")
    assert (status, function_error) == (400, None)
    crash = deploy_one("crash", code="def lambda_handler(e, c):\n    raise ValueError('no')\n")
    status, function_error, raw = target.invoke_raw(crash, json.dumps(EVENT).encode())
    assert (status, function_error) == (200, "Unhandled")
    assert json.loads(raw)["errorMessage"] == "no"
