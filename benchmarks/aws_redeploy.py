"""No-op redeploy against a full deploy on the aws target, both against a local moto server.

    .venv/bin/python benchmarks/aws_redeploy.py [--functions N] [--jobs 8] [--server thread]

Starts moto's server on 127.0.0.1 (a free port; by default in its own process, so that, like
AWS, it does not share this interpreter's CPU; `--server thread` runs it in-process), deploys
the catalog (or N functions cycling through it under distinct names) to a fresh endpoint,
then deploys again
with nothing changed. Prints the API calls of each run by operation and the wall times as a
ratio. Targets: zero mutating calls in the no-op redeploy, and at most 10% of the full
deploy's time. Artifacts are built once beforehand, into a temporary directory, so both runs
measure planning and AWS calls (each still checks its zips are current, as a CLI run would).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from engine.build.builder import build_all
from engine.catalog.loader import find_repo_root, load_catalog
from engine.config import Settings
from engine.deploy.api import deploy
from engine.deploy.targets.aws import AwsTarget
from engine.deploy.targets.aws import session as aws_session

MUTATING = ("Create", "Update", "Delete", "Put", "Add", "Tag", "Untag", "Attach", "Remove")


def replicate(functions: list[Any], count: int) -> list[Any]:
    """`count` distinct functions cycling through the catalog's (same code, new names)."""
    out = []
    for i in range(count):
        f = functions[i % len(functions)]
        out.append(dataclasses.replace(f, name=f"{f.name}_b{i}", lambda_name=f"bench{i}"))
    return out


class Server:
    """A moto server on a free local port: a thread here, or a child process."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.url = ""
        self._thread: Any = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        if self.mode == "thread":
            from moto.server import ThreadedMotoServer

            logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
            self._thread = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self._thread.start()
            host, port = self._thread.get_host_and_port()
        else:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                host, port = s.getsockname()
            server = Path(sys.executable).with_name("moto_server")
            self._process = subprocess.Popen(
                [str(server), "-H", host, "-p", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        self.url = f"http://{host}:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                post(f"{self.url}/moto-api/config", {"lambda": {"use_docker": False}})
                return self.url
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.stop()
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)


def post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    urllib.request.urlopen(request).close()


class CallCounter:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1

    @property
    def mutating(self) -> int:
        return sum(n for op, n in self.counts.items() if op.startswith(MUTATING))


def run(functions: list[Any], settings: Settings, counter: CallCounter) -> tuple[Any, float]:
    counter.counts.clear()
    start = time.perf_counter()
    # A new target per run: each CLI invocation creates its session and clients too.
    report = deploy(functions, settings, target=AwsTarget(settings), out=lambda _: None)
    return report, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=0, help="N functions (0: the catalog)")
    parser.add_argument("--jobs", type=int, default=8, help="parallel deploy workers")
    parser.add_argument("--server", choices=["process", "thread"], default="process")
    args = parser.parse_args()

    catalog = load_catalog(find_repo_root())
    functions = list(catalog.functions)
    if not functions:
        print("the catalog is empty: nothing to measure")
        return 1
    if args.functions:
        functions = replicate(functions, args.functions)

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        MOTO_IAM_LOAD_MANAGED_POLICIES="true",  # AWSLambdaBasicExecutionRole must exist
    )
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)
    server = Server(args.server)
    counter = CallCounter()
    aws_session.add_hook("before-call", counter)
    try:
        url = server.start()
        with tempfile.TemporaryDirectory(prefix="carto-aws-bench-") as tmp:
            root = Path(tmp)
            shutil.copytree(catalog.shared_root, root / "functions" / "_shared")
            settings = Settings(
                target="aws",
                target_reason="benchmark",
                lambda_prefix="bench-at-",
                aws_region="us-east-1",
                aws_endpoint_url=url,
                jobs=args.jobs,
                repo_root=root,
            )
            built = build_all(functions, root / "functions" / "_shared", root=root)
            if not built.ok:
                print("\n".join(o.error or "" for o in built.failures))
                return 1

            full, t_full = run(functions, settings, counter)
            full_calls = Counter(counter.counts)
            noop, t_noop = run(functions, settings, counter)
            noop_calls = Counter(counter.counts)
            noop_mutating = counter.mutating
    finally:
        aws_session.remove_hook("before-call", counter)
        server.stop()

    print(
        f"aws target on a moto server ({args.server}), {len(functions)} function(s), "
        f"jobs={args.jobs}"
    )
    print(f"{'operation':<30}{'full deploy':>12}{'no-op':>8}")
    for op in sorted(set(full_calls) | set(noop_calls)):
        print(f"{op:<30}{full_calls[op]:>12}{noop_calls[op]:>8}")
    print(f"{'total':<30}{sum(full_calls.values()):>12}{sum(noop_calls.values()):>8}")
    print(f"full deploy      {t_full:8.3f} s   {full.counts()}")
    print(f"no-op redeploy   {t_noop:8.3f} s   {noop.counts()}   {t_noop / t_full:6.1%} of full")
    time_ok = t_noop <= 0.10 * t_full
    verdict = "ok" if not noop_mutating else "MISSED"
    print(f"mutating calls in no-op: {noop_mutating}   [target 0: {verdict}]")
    verdict = "ok" if time_ok else "MISSED"
    print(f"no-op / full time: {t_noop / t_full:.1%}   [target <= 10%: {verdict}]")
    ok = (
        full.ok
        and noop.ok
        and noop_mutating == 0
        and noop.counts() == {"unchanged": len(functions)}
    )
    return 0 if ok and time_ok else 1


if __name__ == "__main__":
    sys.exit(main())
