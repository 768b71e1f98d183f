#!/usr/bin/env python3
"""Install the Analytics Toolbox functions of this package into AWS Lambda and Redshift.

    python scripts/install.py                 asks for each setting, summary, confirm, deploy
    python scripts/install.py --yes [flags]   never asks; every missing setting listed at once
    python scripts/install.py --archive carto-at-redshift-<v>.zip --into DIR ...
                                              unpack a package safely first, then install it

Order of work: verify every file against SHA256SUMS (before any packaged code is imported),
then deploy the prebuilt Lambda artifacts, then the SQL functions, both through the packaged
engine. Nothing is pip-installed here and nothing secret is written unless asked:
`--save-env` writes .env without the password, `--save-password` adds it.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import stat
import sys
import zipfile
from pathlib import Path, PurePosixPath

CHECKSUMS = "SHA256SUMS"
# Folders whose every file must be listed in SHA256SUMS: code that would run or ship.
GUARDED_DIRS = ("artifacts", "engine", "carto_runtime", "functions", "scripts")
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


class Refused(Exception):
    """The package or the input is not acceptable; nothing was changed."""


# -- verification: standard library only ---------------------------------------------------------


def unsafe_name(name: str) -> str | None:
    """Why an archive member name would land outside the folder it is extracted into."""
    if not name or "\\" in name or "\0" in name:
        return "has a backslash or NUL"
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        return "is absolute"
    if ".." in path.parts:
        return "climbs out with '..'"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_zip_members(path: Path) -> list[str]:
    problems = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            why = unsafe_name(info.filename)
            if why:
                problems.append(f"{path.name}: member {info.filename!r} {why}")
            elif _is_symlink(info):
                problems.append(f"{path.name}: member {info.filename!r} is a symbolic link")
    return problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_package(root: Path) -> list[str]:
    """Every problem with the package: a changed, missing, unlisted or escaping file."""
    sums = root / CHECKSUMS
    if not sums.is_file():
        return [f"{sums} is missing: this folder is not an unpacked distribution package"]
    problems, listed = [], set()
    base = root.resolve()
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(f"{CHECKSUMS} line {number} is malformed")
            continue
        why = unsafe_name(name)
        path = (root / name).resolve()
        if why or not path.is_relative_to(base):
            problems.append(f"{CHECKSUMS} lists {name!r}, which {why or 'escapes the package'}")
            continue
        listed.add(path)
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: checksum mismatch (the file was changed after packaging)")
        elif name.startswith("artifacts/") and name.endswith(".zip"):
            problems += check_zip_members(path)
    for folder in GUARDED_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if path.resolve() not in listed:
                problems.append(f"{path.relative_to(root)}: not part of the package")
    return problems


def extract_archive(archive: Path, into: Path) -> Path:
    """Unpack a distribution zip into `into` (empty or new); returns the package folder."""
    if into.exists() and any(into.iterdir()):
        raise Refused(f"{into} is not empty; choose an empty or new folder with --into")
    with zipfile.ZipFile(archive) as zf:
        problems = check_zip_members(archive)
        tops = {PurePosixPath(i.filename).parts[0] for i in zf.infolist() if i.filename}
        if problems:
            raise Refused(
                f"refusing {archive.name}: it would write outside {into}:\n  "
                + "\n  ".join(problems)
            )
        if len(tops) != 1:
            raise Refused(f"{archive.name} must hold exactly one top folder, found {sorted(tops)}")
        into.mkdir(parents=True, exist_ok=True)
        zf.extractall(into)
    return into / tops.pop()


# -- settings ---------------------------------------------------------------------------------

# (key, flag, prompt, default, phase): phase "aws" is needed always, "sql" for Redshift.
FIELDS = (
    ("AWS_PROFILE", "--aws-profile", "AWS profile (empty: environment keys/instance role)", "", ""),
    ("AWS_REGION", "--aws-region", "AWS region for the Lambda functions", "", "aws"),
    ("RS_LAMBDA_PREFIX", "--prefix", "Lambda name prefix", "carto-at-", "aws"),
    (
        "RS_LAMBDA_EXECUTION_ROLE",
        "--execution-role",
        "Lambda execution role ARN (empty: create one)",
        "",
        "",
    ),
    (
        "RS_LAMBDA_INVOKE_ROLE",
        "--invoke-role",
        "IAM role ARN Redshift invokes Lambda with",
        "",
        "sql",
    ),
    ("RS_HOST", "--host", "Redshift host", "", "sql"),
    ("RS_PORT", "--port", "Redshift port", "5439", "sql"),
    ("RS_DATABASE", "--database", "Redshift database", "", "sql"),
    ("RS_USER", "--user", "Redshift user", "", "sql"),
    (
        "RS_PREFIX",
        "--schema-prefix",
        "Schema prefix (schema = <prefix>carto; empty: carto)",
        "",
        "",
    ),
)
SECRET = "RS_PASSWORD"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="install.py", description="Deploy this package's functions to Lambda and Redshift."
    )
    for key, flag, prompt, default, _ in FIELDS:
        extra = f" (default {default})" if default else ""
        p.add_argument(flag, dest=key, help=f"{prompt}{extra}; or set {key}")
    p.add_argument("--password", dest=SECRET, help=f"prefer the {SECRET} environment variable")
    p.add_argument("--production", action="store_true", help="deploy to the schema carto")
    p.add_argument("--modules", default="", help="comma-separated modules (default: all)")
    p.add_argument("--functions", default="", help="comma-separated functions (default: all)")
    p.add_argument("--lambda-only", action="store_true", help="skip the Redshift SQL phase")
    p.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    p.add_argument("-y", "--yes", action="store_true", help="never prompt (CI)")
    p.add_argument("--save-env", action="store_true", help="write the settings to .env")
    p.add_argument("--save-password", action="store_true", help="with --save-env: add the password")
    p.add_argument("--archive", type=Path, help="a distribution zip to unpack and install")
    p.add_argument("--into", type=Path, help="with --archive: the folder to unpack into")
    return p.parse_args(argv)


def _dotenv(root: Path) -> dict[str, str]:
    """Values a previous --save-env wrote, so a rerun offers them as defaults."""
    values = {}
    path = root / ".env"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#"):
                values[key.strip()] = value.strip()
    return values


def gather(args: argparse.Namespace, root: Path, environ: dict[str, str]) -> dict[str, str]:
    """Flags > environment > saved .env > defaults; prompts for the rest when interactive."""
    saved = _dotenv(root)
    values: dict[str, str] = {}
    for key, _, prompt, default, phase in (*FIELDS, (SECRET, "", "", "", "sql")):
        if phase == "sql" and args.lambda_only:
            continue
        given = getattr(args, key) or environ.get(key) or saved.get(key) or default
        if key == "AWS_REGION":
            given = given or environ.get("AWS_DEFAULT_REGION", "")
        if not args.yes:
            if key == SECRET:
                given = given or getpass.getpass("Redshift password (hidden): ")
            else:
                shown = f" [{given}]" if given else ""
                given = input(f"{prompt}{shown}: ").strip() or given
        if given:
            values[key] = given
    if args.production:
        values["PRODUCTION"] = "1"
    return values


def summary(values: dict[str, str], settings, functions, args) -> list[str]:
    lines = ["", "About to install:"]
    for key, *_ in FIELDS:
        if key in values:
            lines.append(f"  {key:26} {values[key]}")
    if SECRET in values:
        lines.append(f"  {SECRET:26} (hidden)")
    lines.append(f"  {'schema':26} {settings.schema}")
    what = "Lambda functions only" if args.lambda_only else "Lambda functions, then SQL"
    lines.append(f"  {len(functions)} function(s): {what}{' (dry run)' if args.dry_run else ''}")
    return lines


def save_env(root: Path, values: dict[str, str], with_password: bool) -> Path:
    path = root / ".env"
    keep = {k: v for k, v in values.items() if k != SECRET or with_password}
    text = "# written by scripts/install.py --save-env\n"
    text += "".join(f"{k}={v}\n" for k, v in sorted(keep.items()))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# -- the run ----------------------------------------------------------------------------------


def _import_engine(root: Path) -> None:
    """Import the packaged engine, never one installed elsewhere on this machine."""
    sys.path.insert(0, str(root))
    import engine

    if not Path(engine.__file__).resolve().is_relative_to(root.resolve()):
        raise Refused(f"imported engine from {engine.__file__}, not from {root}; use a fresh venv")


def run(args: argparse.Namespace, root: Path, environ: dict[str, str]) -> int:
    problems = verify_package(root)
    if problems:
        raise Refused(
            "refusing to install: the package does not match its SHA256SUMS:\n  "
            + "\n  ".join(problems)
            + "\nDownload the package again; do not edit files inside it."
        )
    print(f"verified {root.name}: every file matches {CHECKSUMS}")
    _import_engine(root)
    from engine.catalog.loader import CatalogError, load_catalog
    from engine.config import ConfigError, resolve_settings
    from engine.deploy.targets import get_target
    from engine.ops.package import PackageError, deploy_prebuilt
    from engine.redshift import missing_settings

    values = gather(args, root, environ)
    try:
        catalog = load_catalog(root)
        modules = [m for m in args.modules.split(",") if m.strip()]
        names = [f for f in args.functions.split(",") if f.strip()]
        functions = catalog.select(modules, names)
    except CatalogError as exc:
        raise Refused(str(exc)) from None
    missing = [] if values.get("AWS_REGION") else ["AWS_REGION (--aws-region)"]
    try:
        settings = resolve_settings(
            {**values, "CARTO_TARGET": "aws"},
            environ=environ,
            repo_root=root,
            lambda_names={f.lambda_name: f.id for f in catalog.functions},
        )
    except ConfigError as exc:
        raise Refused(str(exc)) from None
    if not args.lambda_only:
        missing += missing_settings(settings)
    if missing:
        raise Refused(
            "missing settings: "
            + ", ".join(missing)
            + "\nPass them as flags or environment variables (see --help), or add --lambda-only."
        )
    for line in summary(values, settings, functions, args):
        print(line)
    if not args.yes and input("Proceed? [y/N] ").strip().lower() not in {"y", "yes"}:
        print("cancelled: nothing was changed")
        return EXIT_OK
    if args.save_env:
        print(f"saved {save_env(root, values, args.save_password)}")

    try:
        target = get_target(settings)
        report = deploy_prebuilt(root, functions, settings, target=target, dry_run=args.dry_run)
    except (PackageError, ConfigError) as exc:
        raise Refused(str(exc)) from None
    except Exception as exc:  # credentials, network, permissions: nothing was changed
        print(f"error: {exc}\nRun the checks: python -m engine.cli check", file=sys.stderr)
        return EXIT_FAILED
    if not report.ok:
        return EXIT_FAILED
    if args.lambda_only:
        return EXIT_OK
    try:
        from engine.deploy.sqlphase import run_sql_phase

        ok = run_sql_phase(
            functions, settings, target, settings.lambda_prefix, dry_run=args.dry_run
        )
    except Exception as exc:  # connection or planning problems, password never included
        print(f"error: SQL phase: {exc}", file=sys.stderr)
        print("The Lambda functions are deployed; fix the above and run the installer again.")
        return EXIT_FAILED
    return EXIT_OK if ok else EXIT_FAILED


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    args = parse_args(argv)
    environ = dict(os.environ if environ is None else environ)
    root = Path(__file__).resolve().parent.parent
    try:
        if args.archive is not None:
            if args.into is None:
                raise Refused("--archive needs --into DIR, an empty or new folder")
            root = extract_archive(args.archive, args.into)
            print(f"unpacked {args.archive.name} into {root}")
        return run(args, root, environ)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (KeyboardInterrupt, EOFError):
        print("\ncancelled", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
