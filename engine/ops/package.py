"""The customer distribution package, and deploying from it without building anything.

`build_package` writes `dist/carto-at-redshift-<version>.zip`, one top folder holding:

    README.md                 for the customer: unzip, venv, requirements, install.py
    SHA256SUMS                sha256 of every other file (`sha256sum -c` reads it too)
    artifacts/manifest.json   the prebuilt artifact of each packaged function and its digest
    artifacts/<module>/<name>.zip   the Lambda zips exactly as `engine.build.builder` made them
    functions/<module>/<name>/      function.yaml and its code/ (handler, SQL template)
    functions/_shared/<lib>/        shared libs the packaged functions declare
    engine/, carto_runtime/   the deploy engine (no tests); the runtime only because
                              engine.build.layout locates it at import time
    scripts/install.py, scripts/requirements.txt

Customers need neither pip access for function requirements nor the internet: the artifacts
already hold the vendored wheels. `deploy_prebuilt` is the build-free deploy: the same
planner, executor and target as `engine.deploy.api.deploy`, with artifacts taken from the
manifest instead of `engine.build.builder`. The zip is deterministic (engine.build.zipper),
so two builds from the same commit are identical bytes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.build import zipper
from engine.build.artifact import Artifact
from engine.catalog.model import Function
from engine.catalog.sqlkind import lambda_functions
from engine.config import Settings

DIST_NAME = "carto-at-gateway"
PACKAGE_STEM = "carto-at-redshift"
MANIFEST = "artifacts/manifest.json"
CHECKSUMS = "SHA256SUMS"
MANIFEST_FORMAT = 1
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
# Never shipped from the engine or a function folder: caches, tests and development files.
_SKIP_PARTS = {"tests", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}

Out = Callable[[str], None]


class PackageError(RuntimeError):
    """The package cannot be built or used; the message says what to do."""


def default_version() -> str:
    return importlib.metadata.version(DIST_NAME)


def package_name(version: str) -> str:
    if not VERSION_RE.fullmatch(version):  # fullmatch: `$` alone would let a newline through
        raise PackageError(f"version {version!r} must match {VERSION_RE.pattern}")
    return f"{PACKAGE_STEM}-{version}"


def select_for_package(functions: Iterable[Function], production: bool) -> list[Function]:
    """`production` leaves out functions still in development."""
    return [f for f in functions if not production or f.status != "development"]


# -- what goes in ------------------------------------------------------------------------------


def _shippable(root: Path) -> list[tuple[str, Path]]:
    try:
        files = zipper.tree_files(root)
    except ValueError as exc:  # a symbolic link: the package ships only real files
        raise PackageError(str(exc)) from None
    return [
        (rel, path)
        for rel, path in files
        if not _SKIP_PARTS.intersection(rel.split("/")[:-1]) and not rel.startswith(".")
    ]


def _function_files(function: Function, catalog_root: Path) -> list[tuple[str, Path]]:
    """function.yaml, the handler folder, the requirements file and the SQL template."""
    base = function.directory
    files = {function.yaml_path}
    files.update(p for _, p in _shippable(function.handler_dir))
    for extra in (function.requirements_file, function.template_file):
        if extra is not None:
            files.add(extra)
    out = []
    for path in sorted(files):
        try:
            rel = path.resolve().relative_to(base)
        except ValueError:
            raise PackageError(
                f"{function.id}: {path} lies outside {base}; keep a function's files in its folder"
            ) from None
        out.append((f"functions/{function.module}/{function.name}/{rel.as_posix()}", path))
    return out


def _module_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise PackageError(f"package {name!r} is not importable; run `make venv`")
    return Path(next(iter(spec.submodule_search_locations)))


def requirement_names(lines: Iterable[str]) -> set[str]:
    """Normalised distribution names of requirement lines (comments and markers ignored)."""
    names = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and "extra ==" not in line:
            names.add(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


# Runtime dependencies of the development tools only: the local SQL stand-in
# (engine/redshift/standin, `carto-gateway serve`) drives PostgreSQL through psycopg; the
# installer never starts it, so customers do not install it.
_NOT_FOR_THE_INSTALLER = {"psycopg"}


def check_requirements(path: Path) -> None:
    """scripts/requirements.txt must name exactly the project's runtime dependencies (those of
    the development tools only excepted)."""
    declared = requirement_names(importlib.metadata.requires(DIST_NAME) or [])
    declared -= _NOT_FOR_THE_INSTALLER
    listed = requirement_names(path.read_text(encoding="utf-8").splitlines())
    if declared != listed:
        raise PackageError(
            f"{path} lists {sorted(listed)} but pyproject.toml depends on {sorted(declared)}; "
            "make them agree"
        )


def customer_readme(name: str, functions: list[Function]) -> str:
    listing = "\n".join(
        f"- `{f.id}` ({f.status}): {f.description.splitlines()[0]}" for f in functions
    )
    return f"""# {name}

Analytics Toolbox functions for Amazon Redshift, deployed as AWS Lambda functions behind
Redshift external functions. Everything needed is inside this folder: the Lambda artifacts
are prebuilt (their Python dependencies included), so installing needs no access to PyPI
beyond the installer's own requirements below.

## Install

```bash
unzip {name}.zip && cd {name}
python3 -m venv .venv && . .venv/bin/activate
pip install -r scripts/requirements.txt
python scripts/install.py            # asks for each setting, shows a summary, then deploys
```

Without prompts (CI): `python scripts/install.py --yes` with flags or environment variables
(`python scripts/install.py --help` lists them; a missing setting is reported, all at once).
The installer verifies every file against `SHA256SUMS` before it deploys anything, then
creates or updates the Lambda functions and then the SQL functions in Redshift. Running it
again updates only what changed. `--lambda-only` skips Redshift; `--dry-run` shows the plan.

AWS credentials come from the standard chain: `AWS_PROFILE` (keys, SSO or an assumed role),
exported `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, or an instance role. The identity needs
Lambda permissions; to avoid IAM permissions, pre-create the execution role and pass
`--execution-role <arn>`. `RS_LAMBDA_INVOKE_ROLE` is the role attached to the cluster that
Redshift invokes the Lambdas with.

Settings come only from the flags, your environment and a file you name with
`--env-file FILE` (in that order); a `.env` inside this folder is never read, and the summary
shows where each setting came from before you confirm. Nothing is written to disk unless you
pass `--save-env --env-file FILE` (the password only with `--save-password`). Every file in
this folder must match `SHA256SUMS`: keep your virtual environment as `.venv` (or outside the
folder) and add nothing else here.

## Functions

{listing}
"""


# -- the zip -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageReport:
    path: Path
    functions: list[Function]
    files: int
    sha256: str


def _manifest(version: str, outcomes: list[Any]) -> dict[str, Any]:
    rows = []
    for o in sorted(outcomes, key=lambda o: o.function.id):
        a = o.artifact
        f = o.function
        config = f.config
        rows.append(
            {
                "id": f.id,
                "status": f.status,
                "zip": f"artifacts/{f.module}/{f.name}.zip",
                "digest": a.digest,
                "sha256": zipper.file_sha256(a.path),
                "size": a.size,
                "unzipped_size": a.unzipped_size,
                "runtime": config.runtime,
                "architecture": config.architecture,
                "requirements": list(o.resolved),
            }
        )
    return {"format": MANIFEST_FORMAT, "version": version, "functions": rows}


def build_package(
    functions: list[Function],
    catalog_root: Path,
    out_dir: Path,
    *,
    version: str | None = None,
    out: Out = print,
) -> PackageReport:
    """Build the artifacts of `functions` and write the distribution zip into `out_dir`."""
    from engine.build.builder import build_all
    from engine.catalog.loader import SHARED_DIR_NAME

    if not functions:
        raise PackageError("no functions selected; check --modules/--functions/--production")
    version = version or default_version()
    name = package_name(version)
    shared_root = catalog_root / "functions" / SHARED_DIR_NAME
    # No runtime override: the package deploys each function as its function.yaml says.
    # SQL-only functions have no artifact: only their folder (function.yaml, template) ships.
    report = build_all(lambda_functions(functions), shared_root, root=catalog_root)
    if report.failures:
        raise PackageError(
            "build failed, nothing was packaged:\n"
            + "\n".join(str(o.error) for o in report.failures)
        )
    for o in report.outcomes:
        for warning in o.warnings:
            out(f"warning: {warning}")

    files: dict[str, Path] = {}
    for o in report.outcomes:
        files[f"artifacts/{o.function.module}/{o.function.name}.zip"] = o.artifact.path
        files.update(_function_files(o.function, catalog_root))
        for lib in o.function.shared_libs:
            for rel, path in _shippable(shared_root / lib):
                files[f"functions/{SHARED_DIR_NAME}/{lib}/{rel}"] = path
    for f in functions:
        if not f.has_lambda:
            files.update(_function_files(f, catalog_root))
    for package in ("engine", "carto_runtime"):
        for rel, path in _shippable(_module_dir(package)):
            files[f"{package}/{rel}"] = path
    # The installer lives in the project checkout beside engine/ (and functions/).
    scripts = next(
        (
            d
            for d in (catalog_root / "scripts", Path(__file__).resolve().parents[2] / "scripts")
            if (d / "install.py").is_file()
        ),
        catalog_root / "scripts",
    )
    install = scripts / "install.py"
    if not install.is_file():
        raise PackageError(f"{install} is missing; the package needs its installer")
    files["scripts/install.py"] = install
    check_requirements(scripts / "requirements.txt")
    files["scripts/requirements.txt"] = scripts / "requirements.txt"

    with tempfile.TemporaryDirectory(prefix="carto-package-") as tmp:
        staging = Path(tmp)
        generated = {
            MANIFEST: json.dumps(_manifest(version, report.outcomes), indent=1, sort_keys=True)
            + "\n",
            "README.md": customer_readme(name, sorted(functions, key=lambda f: f.id)),
        }
        for rel, text in generated.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files[rel] = path
        entries = [zipper.make_entry(rel, path) for rel, path in sorted(files.items())]
        sums = "".join(f"{e.sha256}  {e.arcname}\n" for e in entries)
        (staging / CHECKSUMS).write_text(sums, encoding="utf-8")
        entries.append(zipper.make_entry(CHECKSUMS, staging / CHECKSUMS))
        entries = [
            zipper.Entry(f"{name}/{e.arcname}", e.source, e.mode, e.size, e.sha256)
            for e in sorted(entries, key=lambda e: e.arcname)
        ]
        dest = out_dir / f"{name}.zip"
        zipper.write_zip(entries, dest)
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
    return PackageReport(dest, list(functions), len(entries), digest)


# -- deploying from a package --------------------------------------------------------------------


def load_manifest(package_root: Path) -> dict[str, dict[str, Any]]:
    """{function id: manifest row}; raises PackageError for a missing or foreign manifest."""
    path = package_root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackageError(f"{path}: cannot read the artifact manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise PackageError(f"{path}: manifest format {found!r} is not supported")
    rows = data.get("functions")
    keys = ("id", "zip", "digest", "size", "unzipped_size", "runtime", "architecture")
    if not isinstance(rows, list) or not all(
        isinstance(row, dict) and all(k in row for k in keys) for row in rows
    ):
        raise PackageError(f"{path}: every manifest row needs {', '.join(keys)}")
    return {row["id"]: row for row in rows}


def prebuilt_artifacts(
    package_root: Path, functions: list[Function], settings: Settings
) -> dict[str, Artifact]:
    """The packaged artifact of each function, checked against its function.yaml."""
    from engine.build.builder import effective_config, runtime_override

    if runtime_override(settings.values):
        raise PackageError(
            "CARTO_RUNTIME is set, but prebuilt artifacts were vendored for the runtime each "
            "function.yaml names; unset CARTO_RUNTIME"
        )
    rows = load_manifest(package_root)
    artifacts, problems = {}, []
    for f in lambda_functions(functions):
        row = rows.get(f.id)
        if row is None:
            problems.append(f"{f.id}: no prebuilt artifact in this package")
            continue
        config = effective_config(f)
        if (row["runtime"], row["architecture"]) != (config.runtime, config.architecture):
            problems.append(
                f"{f.id}: artifact built for {row['runtime']}/{row['architecture']}, "
                f"function.yaml says {config.runtime}/{config.architecture}"
            )
            continue
        if row["zip"] != f"artifacts/{f.module}/{f.name}.zip":  # never a path elsewhere
            problems.append(f"{f.id}: the manifest names {row['zip']!r} as its artifact")
            continue
        path = package_root / row["zip"]
        artifacts[f.id] = Artifact(
            f.id, path, row["digest"], row["size"], row["unzipped_size"], False
        )
    if problems:
        raise PackageError("\n".join(problems))
    return artifacts


def deploy_prebuilt(
    package_root: Path,
    functions: list[Function],
    settings: Settings,
    *,
    target: Any = None,
    dry_run: bool = False,
    jobs: int | None = None,
    out: Out = print,
    sql: bool = False,
) -> Any:
    """Plan and apply the packaged artifacts: engine.deploy.api.deploy without the build step
    (with `sql`, its SQL phase too).

    Returns an engine.deploy.api.DeployReport.
    """
    from engine.deploy.api import deploy

    artifacts = prebuilt_artifacts(package_root, functions, settings)
    return deploy(
        functions,
        settings,
        target=target,
        dry_run=dry_run,
        jobs=jobs or settings.jobs,
        out=out,
        root=package_root,
        artifacts=artifacts,
        sql=sql,
    )
