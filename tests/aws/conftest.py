"""Fixtures for the aws target: moto in-process, tiny artifacts, API call recording."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from engine.build.artifact import Artifact
from engine.catalog.model import CONFIG_DEFAULTS, Argument, Function, LambdaConfig
from engine.config import Settings
from engine.deploy.models import Desired
from engine.deploy.targets.aws import session as aws_session

MUTATING_PREFIXES = (
    "Create",
    "Update",
    "Delete",
    "Put",
    "Add",
    "Tag",
    "Untag",
    "Attach",
    "Remove",
    "Publish",
    "Upload",
    "CompleteMultipart",
)
CLEAN_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "RS_LAMBDA_PREFIX",
    "RS_LAMBDA_EXECUTION_ROLE",
    "RS_LAMBDA_INVOKE_ROLE",
    "CARTO_TARGET",
    "CARTO_S3_BUCKET",
    "TEST_SERVER_MODE",
)


def is_mutating(operation: str) -> bool:
    return operation.startswith(MUTATING_PREFIXES)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials only; nothing from the developer's machine leaks in."""
    for key in CLEAN_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.fixture(scope="session")
def _managed_policies() -> str:
    """Only the AWS managed policy this tool attaches: moto would otherwise parse ~1,000 of
    them on every reset, which makes each test seconds slower."""
    import json

    from moto.iam import models

    every = json.loads(models.aws_managed_policies_data)
    return json.dumps({"AWSLambdaBasicExecutionRole": every["AWSLambdaBasicExecutionRole"]})


@pytest.fixture
def moto(aws_env: None, _managed_policies: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from moto import mock_aws
    from moto.iam import models

    monkeypatch.setattr(models, "aws_managed_policies_data", _managed_policies)

    with mock_aws(
        config={"lambda": {"use_docker": False}, "iam": {"load_aws_managed_policies": True}}
    ):
        yield


@dataclass
class Calls:
    """Every API call made through sessions the aws target creates, by operation name."""

    operations: list[str] = field(default_factory=list)
    forbid_mutating: bool = False

    def __call__(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)
        if self.forbid_mutating and is_mutating(model.name):
            raise AssertionError(f"mutating call {model.name} where none is allowed")

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.operations)

    @property
    def mutating(self) -> list[str]:
        return [op for op in self.operations if is_mutating(op)]

    def clear(self) -> None:
        self.operations.clear()


@pytest.fixture
def calls() -> Iterator[Calls]:
    recorder = Calls()
    aws_session.add_hook("before-call", recorder)
    yield recorder
    aws_session.remove_hook("before-call", recorder)


@dataclass
class Faults:
    """Inject error responses for chosen operations, before the request leaves the client."""

    plan: dict[str, list[tuple[int, str, str, str | None]]] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)

    def fail(
        self,
        operation: str,
        times: int,
        code: str,
        message: str = "",
        status: int = 409,
        *,
        function: str | None = None,
    ) -> None:
        """The next `times` calls of `operation` (for `function` only, when given) fail."""
        self.plan.setdefault(operation, []).extend([(status, code, message, function)] * times)

    @staticmethod
    def remember(params: Any, context: Any = None, **_: Any) -> None:
        # before-call sees the serialized request; keep the API parameters for it.
        if context is not None:
            context["carto_test_params"] = dict(params)

    def __call__(self, model: Any, context: Any = None, **_: Any) -> Any:
        self.seen[model.name] += 1
        queued = self.plan.get(model.name)
        if not queued:
            return None  # let the real (moto) call happen
        status, code, message, function = queued[0]
        params = (context or {}).get("carto_test_params", {})
        if function is not None and params.get("FunctionName") != function:
            return None
        queued.pop(0)
        response = AWSResponse("https://fault.invalid", status, {}, None)
        error = {"Error": {"Code": code, "Message": message}}
        return response, {**error, "ResponseMetadata": {"HTTPStatusCode": status}}


@pytest.fixture
def faults(calls: Calls) -> Iterator[Faults]:
    # After `calls`: the first handler returning a response ends the event, so the recorder
    # must come first to see injected failures too.
    injector = Faults()
    aws_session.add_hook("before-parameter-build", injector.remember)
    aws_session.add_hook("before-call", injector)
    yield injector
    aws_session.remove_hook("before-call", injector)
    aws_session.remove_hook("before-parameter-build", injector.remember)


@dataclass
class Sleeps:
    delays: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "target": "aws",
        "lambda_prefix": "t-at-",
        "aws_region": "us-east-1",
        "jobs": 4,
    }
    values.update(overrides)
    return Settings(**values)


def make_function(
    root: Path,
    name: str,
    *,
    module: str = "mod",
    body: str = "",
    memory: int = 512,
    lambda_name: str | None = None,
) -> Function:
    d = root / "functions" / module / name
    code = d / "code"
    code.mkdir(parents=True, exist_ok=True)
    (code / "handler.py").write_text(
        "def lambda_handler(event, context):\n    return '{}'\n" + body
    )
    cfg = dict(CONFIG_DEFAULTS, memory_size=memory)
    return Function(
        name=name,
        module=module,
        directory=d,
        description=f"{name} test function",
        status="development",
        author="t",
        arguments=(Argument("x", "int"),),
        output=Argument("r", "int"),
        examples=(),
        code_file=code / "handler.py",
        requirements_file=None,
        template_file=None,
        shared_libs=(),
        lambda_name=lambda_name or name,
        config=LambdaConfig(**cfg),
        yaml_path=d / "function.yaml",
    )


def make_artifact(function: Function, out: Path) -> Artifact:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("handler.py", (1980, 1, 1, 0, 0, 0))
        zf.writestr(info, function.code_file.read_bytes())
    data = buf.getvalue()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{function.name}.zip"
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return Artifact(function.id, path, digest, len(data), len(data), False)


def make_desired(root: Path, name: str, prefix: str = "t-at-", **kw: Any) -> Desired:
    f = make_function(root, name, **kw)
    artifact = make_artifact(f, root / "dist")
    return Desired(
        function=f,
        artifact=artifact,
        deployed_name=f"{prefix}{f.lambda_name}",
        config={
            "memory_size": f.config.memory_size,
            "timeout": f.config.timeout,
            "runtime": f.config.runtime,
            "architecture": f.config.architecture,
            "handler": "handler.lambda_handler",
        },
    )


@pytest.fixture
def desired_factory(tmp_path: Path) -> Callable[..., Desired]:
    def factory(name: str, **kw: Any) -> Desired:
        return make_desired(tmp_path, name, **kw)

    return factory


@dataclass
class Kit:
    """Factories for tests: settings, desired states, and a target with instant sleeps."""

    root: Path
    sleeps: Sleeps = field(default_factory=Sleeps)

    def settings(self, **overrides: Any) -> Settings:
        return settings(**overrides)

    def desired(self, name: str, **kw: Any) -> Desired:
        return make_desired(self.root, name, **kw)

    def target(self, **overrides: Any) -> Any:
        from engine.deploy.targets.aws import AwsTarget
        from engine.deploy.targets.aws.retry import Backoff

        backoff = Backoff(sleep=self.sleeps)
        return AwsTarget(
            self.settings(**overrides),
            backoff=backoff,
            role_backoff=Backoff(attempts=5, sleep=self.sleeps),
        )


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return Kit(tmp_path)
