"""The Invoke API server against boto3's own Lambda client (no AWS, loopback only)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config

from engine.lambda_api import (
    FunctionNotFound,
    InvalidRequestContent,
    LambdaApiServer,
    function_name,
    local_invoker,
)


def echo_invoke(name: str, payload: bytes) -> tuple[int, str | None, bytes]:
    """A stand-in for a deployment: `upper` upper-cases its rows, `boom` fails unhandled."""
    if name == "upper":
        event = json.loads(payload)
        rows = [[r[0].upper()] if r and r[0] is not None else [None] for r in event["arguments"]]
        body = {"success": True, "num_records": len(rows), "results": [r[0] for r in rows]}
        return 200, None, json.dumps(json.dumps(body)).encode()
    if name == "boom":
        return 200, "Unhandled", b'{"errorMessage": "kaput", "errorType": "RuntimeError"}'
    if name == "invoker-bug":
        raise KeyError("internal")
    if name == "strict":
        raise InvalidRequestContent("Could not parse request body into json")
    raise FunctionNotFound(name)


@pytest.fixture
def server():
    with LambdaApiServer(echo_invoke) as running:
        yield running


@pytest.fixture
def client(server):
    return boto3.client(
        "lambda",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


def test_boto3_invoke_returns_the_payload(client):
    event = {"num_records": 2, "arguments": [["madrid"], [None]]}
    response = client.invoke(FunctionName="upper", Payload=json.dumps(event).encode())
    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    assert response["ExecutedVersion"] == "$LATEST"
    body = json.loads(json.loads(response["Payload"].read()))
    assert body == {"success": True, "num_records": 2, "results": ["MADRID", None]}


def test_boto3_invoke_by_arn_and_qualifier(client):
    event = json.dumps({"arguments": [["a"]]}).encode()
    arn = "arn:aws:lambda:us-east-1:000000000000:function:upper"
    for name, extra in ((arn, {}), ("upper:live", {}), ("upper", {"Qualifier": "7"})):
        response = client.invoke(FunctionName=name, Payload=event, **extra)
        assert json.loads(json.loads(response["Payload"].read()))["results"] == ["A"]


def test_function_error_header(client):
    response = client.invoke(FunctionName="boom", Payload=b"{}")
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert json.loads(response["Payload"].read())["errorMessage"] == "kaput"


def test_unknown_function_is_resource_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as info:
        client.invoke(FunctionName="nope", Payload=b"{}")
    error = info.value.response["Error"]
    assert error["Code"] == "ResourceNotFoundException"
    assert "function:nope" in error["Message"]
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_unreadable_payload_and_invoker_failure(client):
    with pytest.raises(client.exceptions.InvalidRequestContentException):
        client.invoke(FunctionName="strict", Payload=b"{")
    with pytest.raises(client.exceptions.ServiceException) as info:
        client.invoke(FunctionName="invoker-bug", Payload=b"{}")
    assert "KeyError" in info.value.response["Error"]["Message"]


def test_dry_run_and_event_invocation_types(client):
    assert client.invoke(FunctionName="upper", InvocationType="DryRun")["StatusCode"] == 204
    event = json.dumps({"arguments": [["x"]]}).encode()
    assert (
        client.invoke(FunctionName="upper", InvocationType="Event", Payload=event)["StatusCode"]
        == 202
    )


def test_oversized_request_is_refused(server):
    request = urllib.request.Request(
        f"{server.url}/2015-03-31/functions/upper/invocations",
        data=b"x" * (6 * 1024 * 1024 + 1),
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 413
    assert info.value.headers["x-amzn-ErrorType"] == "RequestTooLargeException"


def test_oversized_response_is_a_function_error():
    def big(name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        return 200, None, b'"' + b"a" * (6 * 1024 * 1024) + b'"'

    with LambdaApiServer(big) as server:
        request = urllib.request.Request(
            f"{server.url}/2015-03-31/functions/f/invocations", data=b"{}", method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Amz-Function-Error"] == "Unhandled"
            assert json.loads(response.read())["errorType"] == "Function.ResponseSizeTooLarge"


def test_concurrent_invocations_are_served_in_parallel():
    # Two calls that each wait for the other: a single-threaded server would deadlock.
    barrier = threading.Barrier(2, timeout=5)

    def meet(name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        barrier.wait()
        return 200, None, b'"met"'

    results: list[bytes] = []
    with LambdaApiServer(meet) as server:

        def call() -> None:
            request = urllib.request.Request(
                f"{server.url}/2015-03-31/functions/f/invocations", data=b"{}", method="POST"
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                results.append(response.read())

        threads = [threading.Thread(target=call) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
    assert results == [b'"met"', b'"met"']


def test_stop_releases_the_port():
    server = LambdaApiServer(echo_invoke).start()
    url = server.url
    server.stop()
    assert not server.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/2015-03-31/functions/upper/invocations", b"{}", timeout=2)


def test_port_taken_is_a_clear_error(server):
    port = int(server.url.rsplit(":", 1)[1])
    with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
        LambdaApiServer(echo_invoke, port=port).start()


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("qb_frll", "qb_frll"),
        ("qb_frll%3A%24LATEST", "qb_frll"),
        ("arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Acarto-at-qb_frll", "carto-at-qb_frll"),
        ("arn:aws:lambda:eu-west-1:1:function:f:prod", "f"),
        ("123456789012:function:f", "f"),
    ],
)
def test_function_name_from_path(segment, expected):
    assert function_name(segment) == expected


class FakeLocalTarget:
    """read_state/invoke as the local target has them, counting state reads."""

    def __init__(self) -> None:
        self.deployed = {"p-echo": object()}
        self.reads = 0

    def read_state(self, prefix: str) -> dict[str, object]:
        self.reads += 1
        return dict(self.deployed) if prefix == "p-" else {}

    def invoke(self, deployed_name: str, event: dict) -> str:
        return json.dumps({"success": True, "results": [event["arguments"][0][0]]})


def test_local_invoker_maps_names_and_rereads_state_on_a_miss():
    target = FakeLocalTarget()
    invoke = local_invoker(target, "p-")
    assert invoke("p-echo", b'{"arguments": [[5]]}') == (
        200,
        None,
        b'{"success": true, "results": [5]}',
    )
    invoke("p-echo", b'{"arguments": [[5]]}')
    assert target.reads == 1  # hits are served from what was read
    with pytest.raises(FunctionNotFound):
        invoke("p-late", b"{}")
    target.deployed["p-late"] = object()
    assert invoke("p-late", b'{"arguments": [[1]]}')[0] == 200
    with pytest.raises(InvalidRequestContent):
        invoke("p-echo", b"not json")
