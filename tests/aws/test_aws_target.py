"""AwsTarget against in-process moto: state, create/update/delete, roles, permissions."""

from __future__ import annotations

import json

import boto3
import pytest

from engine.deploy.models import DIGEST_TAG, FUNCTION_TAG, MANAGED_TAG, Action, ActionKind
from engine.deploy.targets.aws import INVOKER_TAG, AwsTargetError

pytestmark = pytest.mark.usefixtures("moto")

OTHER_ACCOUNT_ROLE = "arn:aws:iam::222222222222:role/RedshiftInvoke"


def create(target, desired):
    # The execution role first, as extra_actions would ask for.
    for action in target.extra_actions([desired], {}):
        target.apply(action)
    target.apply(
        Action(
            ActionKind.CREATE,
            desired.deployed_name,
            "new",
            desired,
            None,
            (),
            {"prefix": target.prefix},
        )
    )


def test_create_then_read_state(kit, calls) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    actions = target.extra_actions([d], {})
    assert [a.name for a in actions] == ["TATLambdaExecutionRole"]
    create(target, d)

    state = target.read_state("t-at-")
    got = state["t-at-alpha"]
    assert got.managed and got.digest == d.artifact.digest
    assert got.function_id == "mod/alpha"
    assert got.config == d.config
    assert calls.counts["CreateFunction"] == 1

    lam = boto3.client("lambda")
    fn = lam.get_function(FunctionName="t-at-alpha")
    assert fn["Tags"] == {
        MANAGED_TAG: "t-at-",
        FUNCTION_TAG: "mod/alpha",
        DIGEST_TAG: d.artifact.digest,
    }
    assert fn["Configuration"]["Role"].endswith(":role/TATLambdaExecutionRole")
    assert fn["Configuration"]["Handler"] == "handler.lambda_handler"

    iam = boto3.client("iam")
    role = iam.get_role(RoleName="TATLambdaExecutionRole")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    attached = iam.list_attached_role_policies(RoleName="TATLambdaExecutionRole")
    assert [p["PolicyName"] for p in attached["AttachedPolicies"]] == [
        "AWSLambdaBasicExecutionRole"
    ]
    # Once the role is in place nothing more is asked for.
    assert target.extra_actions([kit.desired("beta")], state) == []


def test_read_state_scope(kit) -> None:
    target = kit.target()
    create(target, kit.desired("alpha"))
    lam = boto3.client("lambda")
    role = target.execution_role_arn()
    zip_bytes = kit.desired("other").artifact.path.read_bytes()
    for name, tags in (
        ("t-at-handmade", {}),  # same prefix, not ours
        ("t-at-x-deeper", {MANAGED_TAG: "t-at-x-"}),  # ours, but another (longer) prefix
        ("zz-unrelated", {MANAGED_TAG: "zz-"}),
    ):
        lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="handler.lambda_handler",
            Code={"ZipFile": zip_bytes},
            Tags=tags,
        )
    state = target.read_state("t-at-")
    assert sorted(state) == ["t-at-alpha", "t-at-handmade", "t-at-x-deeper"]
    assert state["t-at-alpha"].managed
    assert not state["t-at-handmade"].managed and state["t-at-handmade"].digest is None
    assert not state["t-at-x-deeper"].managed


def test_read_state_pages(kit) -> None:
    target = kit.target()
    lam = boto3.client("lambda")
    create(target, kit.desired("seed"))
    zip_bytes = kit.desired("x").artifact.path.read_bytes()
    for i in range(60):  # ListFunctions pages by 50
        lam.create_function(
            FunctionName=f"t-at-f{i:02d}",
            Runtime="python3.12",
            Role=target.execution_role_arn(),
            Handler="h.h",
            Code={"ZipFile": zip_bytes},
            Tags={MANAGED_TAG: "t-at-"},
        )
    assert len(target.read_state("t-at-")) == 61


def test_update_code_then_tag(kit, calls) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    create(target, d)
    state = target.read_state("t-at-")
    d2 = kit.desired("alpha", body="# v2\n")
    assert d2.artifact.digest != d.artifact.digest
    calls.clear()
    target.apply(
        Action(
            ActionKind.UPDATE_CODE,
            d2.deployed_name,
            "code",
            d2,
            state["t-at-alpha"],
            ("digest",),
            {"prefix": "t-at-"},
        )
    )
    assert calls.mutating == ["UpdateFunctionCode", "TagResource"]
    assert calls.operations.index("GetFunction") > calls.operations.index("UpdateFunctionCode")
    assert target.read_state("t-at-")["t-at-alpha"].digest == d2.artifact.digest


def test_update_code_and_config_in_order(kit, calls) -> None:
    target = kit.target()
    create(target, kit.desired("alpha"))
    state = target.read_state("t-at-")
    d2 = kit.desired("alpha", body="# v2\n", memory=1024)
    calls.clear()
    target.apply(
        Action(
            ActionKind.UPDATE_CODE,
            d2.deployed_name,
            "code+config",
            d2,
            state["t-at-alpha"],
            ("digest", "memory_size"),
            {"prefix": "t-at-"},
        )
    )
    ops = [op for op in calls.operations if op != "ListTags"]
    assert ops == [
        "UpdateFunctionCode",
        "GetFunction",
        "UpdateFunctionConfiguration",
        "GetFunction",
        "TagResource",
    ]
    assert target.read_state("t-at-")["t-at-alpha"].config["memory_size"] == 1024


def test_update_config_only(kit, calls) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    create(target, d)
    state = target.read_state("t-at-")
    d2 = kit.desired("alpha", memory=256)
    assert d2.artifact.digest == d.artifact.digest
    calls.clear()
    target.apply(
        Action(
            ActionKind.UPDATE_CONFIG,
            d2.deployed_name,
            "config",
            d2,
            state["t-at-alpha"],
            ("memory_size",),
            {"prefix": "t-at-"},
        )
    )
    assert calls.mutating == ["UpdateFunctionConfiguration", "TagResource"]


def test_update_refuses_foreign_function(kit) -> None:
    target = kit.target()
    create(target, kit.desired("alpha"))
    deployed = target.read_state("other-")  # nothing under that prefix
    assert deployed == {}
    state = target.read_state("t-at-")
    foreign = state["t-at-alpha"].__class__(**{**state["t-at-alpha"].__dict__, "managed": False})
    d = kit.desired("alpha", body="# v2\n")
    with pytest.raises(AwsTargetError, match="not deployed by carto-gateway"):
        target.apply(
            Action(
                ActionKind.UPDATE_CODE, d.deployed_name, "x", d, foreign, (), {"prefix": "t-at-"}
            )
        )


def test_delete_only_managed(kit) -> None:
    target = kit.target()
    create(target, kit.desired("alpha"))
    lam = boto3.client("lambda")
    lam.create_function(
        FunctionName="t-at-handmade",
        Runtime="python3.12",
        Role=target.execution_role_arn(),
        Handler="h.h",
        Code={"ZipFile": kit.desired("z").artifact.path.read_bytes()},
    )
    with pytest.raises(AwsTargetError, match="refusing to delete t-at-handmade"):
        target.apply(Action(ActionKind.DELETE, "t-at-handmade", "x", data={"prefix": "t-at-"}))
    target.apply(Action(ActionKind.DELETE, "t-at-alpha", "x", data={"prefix": "t-at-"}))
    # Deleting again converges (already gone).
    target.apply(Action(ActionKind.DELETE, "t-at-alpha", "x", data={"prefix": "t-at-"}))
    assert sorted(target.read_state("t-at-")) == ["t-at-handmade"]


def test_given_execution_role_is_used_and_nothing_created(kit, calls) -> None:
    iam = boto3.client("iam")
    arn = iam.create_role(RoleName="Mine", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    target = kit.target(execution_role=arn)
    d = kit.desired("alpha")
    assert target.extra_actions([d], {}) == []
    create(target, d)
    assert "CreateRole" not in calls.operations and "GetRole" not in calls.operations
    fn = boto3.client("lambda").get_function(FunctionName="t-at-alpha")
    assert fn["Configuration"]["Role"] == arn


def test_role_not_trusting_lambda_is_an_error(kit) -> None:
    boto3.client("iam").create_role(
        RoleName="TATLambdaExecutionRole", AssumeRolePolicyDocument=json.dumps({"Statement": []})
    )
    with pytest.raises(AwsTargetError, match=r"does not trust lambda\.amazonaws\.com"):
        kit.target().extra_actions([kit.desired("alpha")], {})


def statements(name: str) -> list[dict]:
    try:
        policy = boto3.client("lambda").get_policy(FunctionName=name)["Policy"]
    except boto3.client("lambda").exceptions.ResourceNotFoundException:
        return []
    return json.loads(policy)["Statement"]


def test_cross_account_permission_created_and_replaced(kit) -> None:
    chain = f"arn:aws:iam::123456789012:role/Attached,{OTHER_ACCOUNT_ROLE}"
    target = kit.target(invoke_role=chain)
    create(target, kit.desired("alpha"))
    (stmt,) = statements("t-at-alpha")
    assert stmt["Principal"] in (OTHER_ACCOUNT_ROLE, {"AWS": OTHER_ACCOUNT_ROLE})
    assert stmt["Action"] == "lambda:InvokeFunction"
    state = target.read_state("t-at-")
    assert state["t-at-alpha"].extra["invoker"] == stmt["Sid"]
    d = kit.desired("alpha")
    assert target.extra_actions([d], state) == []  # in place: nothing to do

    # The invoking role changes: the old statement is replaced, not kept next to the new one.
    new_role = "arn:aws:iam::333333333333:role/Other"
    target2 = kit.target(invoke_role=new_role)
    (ensure,) = target2.extra_actions([d], state)
    assert ensure.kind is ActionKind.ENSURE and ensure.data["principal"] == new_role
    target2.apply(ensure)
    (stmt2,) = statements("t-at-alpha")
    assert stmt2["Principal"] in (new_role, {"AWS": new_role}) and stmt2["Sid"] != stmt["Sid"]

    # Back to same-account: this tool's statement is removed.
    target3 = kit.target(invoke_role="arn:aws:iam::123456789012:role/Same")
    (ensure,) = target3.extra_actions([d], target3.read_state("t-at-"))
    target3.apply(ensure)
    assert statements("t-at-alpha") == []
    assert target3.read_state("t-at-")["t-at-alpha"].extra["invoker"] is None


def test_same_account_invoke_role_needs_no_resource_policy(kit, calls) -> None:
    target = kit.target(invoke_role="arn:aws:iam::123456789012:role/Same")
    create(target, kit.desired("alpha"))
    assert statements("t-at-alpha") == []
    assert "AddPermission" not in calls.operations


def test_invoke_decodes_payload(kit) -> None:
    target = kit.target()
    create(target, kit.desired("alpha"))
    # Docker-less moto echoes the request: enough to prove the round trip and decoding.
    event = {"num_records": 1, "arguments": [[1]]}
    assert target.invoke("t-at-alpha", event) == event


def test_no_region_and_file_credentials_are_config_errors(kit, monkeypatch, tmp_path) -> None:
    from engine.config import ConfigError, resolve_settings
    from engine.deploy.targets.aws import AwsTarget

    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ConfigError, match="AWS_REGION"):
        AwsTarget(kit.settings(aws_region=None)).read_state("t-at-")
    (tmp_path / ".env").write_text("AWS_ACCESS_KEY_ID=AKIAFROMFILE\nAWS_REGION=us-east-1\n")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    s = resolve_settings({}, None, tmp_path)
    with pytest.raises(ConfigError, match="export them"):
        AwsTarget(s).read_state("t-at-")


def test_endpoint_from_settings_is_passed_explicitly(kit) -> None:
    from engine.deploy.targets.aws import AwsTarget

    target = AwsTarget(kit.settings(aws_endpoint_url="http://127.0.0.1:9"))
    assert target.clients("lambda").meta.endpoint_url == "http://127.0.0.1:9"


def test_invoker_tag_constant() -> None:
    assert INVOKER_TAG.startswith("carto-gateway:")
