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
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

CHECKSUMS = "SHA256SUMS"
# The package's top level holds only these; anything else (a module that would shadow a
# dependency, a .env, a .pth) is refused before any packaged code runs.
TOP_LEVEL = ("README.md", CHECKSUMS, "artifacts", "engine", "carto_runtime", "functions", "scripts")
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
# Limits on an --archive, checked on the zip's directory before anything is written: the
# real packages are a few MB in a few hundred files, compressed about 3:1.
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024  # uncompressed total
MAX_ARCHIVE_MEMBERS = 20_000
MAX_COMPRESSION_RATIO = 100  # per member, and for the whole archive
MAX_CHECKSUMS_BYTES = 4 * 1024 * 1024


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
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{path.name}: not a readable zip ({exc})"]
    for info in infos:
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


def parse_checksums(raw: bytes) -> tuple[dict[str, str], list[str]]:
    """{relative name: sha256} from SHA256SUMS bytes, and every problem with its lines."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return {}, [f"{CHECKSUMS} line {line} is not UTF-8 (byte 0x{raw[exc.start]:02x})"]
    listed: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            problems.append(f"{CHECKSUMS} line {number} is malformed")
            continue
        why = unsafe_name(name)
        if why or name == CHECKSUMS:
            problems.append(f"{CHECKSUMS} line {number} lists {name!r}, which {why or 'is itself'}")
            continue
        listed[name] = digest
    return listed, problems


def _unlisted(root: Path, listed: dict[str, str], skip: set[Path]) -> list[str]:
    """Every file, folder entry or link in the tree that SHA256SUMS does not cover.

    Nothing is followed: a symbolic link is refused whatever it points at, a `__pycache__`
    folder (bytecode Python would import unchecked) whatever it holds.
    """
    folders = {str(p) for n in listed for p in PurePosixPath(n).parents if str(p) != "."}
    problems = []
    for entry in sorted(root.iterdir()):
        if entry.name not in TOP_LEVEL and entry not in skip:
            kind = "folder" if entry.is_dir() and not entry.is_symlink() else "file"
            problems.append(
                f"{entry.name}: {kind} not part of the package (its top level holds only "
                f"{', '.join(TOP_LEVEL)}); delete it"
            )
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        for name in sorted(dirnames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path in skip or ("/" not in rel and name not in TOP_LEVEL):
                dirnames.remove(name)  # skipped, or already reported above
            elif path.is_symlink():
                problems.append(f"{rel}: symbolic link, not part of the package; delete it")
                dirnames.remove(name)
            elif name == "__pycache__":
                problems.append(
                    f"{rel}: bytecode folder, not part of the package (Python would import it "
                    "unchecked); delete it"
                )
                dirnames.remove(name)
            elif rel not in folders:
                problems.append(f"{rel}: folder not part of the package; delete it")
                dirnames.remove(name)
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path in skip or rel == CHECKSUMS or ("/" not in rel and name not in TOP_LEVEL):
                continue
            if path.is_symlink():
                problems.append(f"{rel}: symbolic link, not part of the package; delete it")
            elif rel not in listed:
                problems.append(f"{rel}: not part of the package")
    return problems


def verify_package(root: Path, skip: Iterable[Path] = ()) -> list[str]:
    """Every problem with the package: a changed, missing, unlisted or escaping file.

    SHA256SUMS must cover the whole tree; `skip` names the only exceptions (the virtual
    environment running the installer, an env file the customer named).
    """
    root = root.resolve()
    sums = root / CHECKSUMS
    if not sums.is_file() or sums.is_symlink():
        return [f"{sums} is missing: this folder is not an unpacked distribution package"]
    listed, problems = parse_checksums(sums.read_bytes())
    if problems and not listed:
        return problems
    for name, digest in sorted(listed.items()):
        path = root / name
        if path.is_symlink():
            continue  # reported as a link below, never read
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: checksum mismatch (the file was changed after packaging)")
        elif name.startswith("artifacts/") and name.endswith(".zip"):
            problems += check_zip_members(path)
    return problems + _unlisted(root, listed, {_absolute(Path(p)) for p in skip})


def _absolute(path: Path) -> Path:
    """The path with its folders resolved but not its last part (which may be a link)."""
    return path.absolute().parent.resolve() / path.name


def archive_problems(zf: zipfile.ZipFile, archive_size: int) -> tuple[str, list[str]]:
    """(top folder, problems) of a distribution zip, from its directory alone.

    Names, links, name conflicts, limits on size, member count and compression ratio, and
    the rule that every member is listed in the packaged SHA256SUMS: all before extracting.
    """
    infos = zf.infolist()
    name = Path(zf.filename or "archive").name
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        return "", [f"{name} holds {len(infos)} members, over the limit of {MAX_ARCHIVE_MEMBERS}"]
    problems = []
    total = sum(i.file_size for i in infos)
    if total > MAX_ARCHIVE_BYTES:
        problems.append(
            f"{name} would expand to {total} bytes, over the limit of {MAX_ARCHIVE_BYTES}"
        )
    if total > MAX_COMPRESSION_RATIO * max(archive_size, 1):
        problems.append(
            f"{name} would expand {total // max(archive_size, 1)} times its size, over the limit "
            f"of {MAX_COMPRESSION_RATIO}"
        )
    files, dirs, tops = set(), set(), set()
    for info in infos:
        why = unsafe_name(info.filename)
        if why:
            problems.append(f"member {info.filename!r} {why}: it would write outside the folder")
            continue
        if _is_symlink(info):
            problems.append(f"member {info.filename!r} is a symbolic link")
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            problems.append(
                f"member {info.filename!r} is compressed {ratio:.0f}:1, over the limit of "
                f"{MAX_COMPRESSION_RATIO}:1"
            )
        path = PurePosixPath(info.filename)
        tops.add(path.parts[0])
        dirs.update(str(p) for p in path.parents if str(p) != ".")
        if info.is_dir():
            dirs.add(str(path))
        elif str(path) in files:
            problems.append(f"member {info.filename!r} appears twice")
        else:
            files.add(str(path))
    for clash in sorted(files & dirs):
        problems.append(f"{clash!r} is both a file and a folder in the archive")
    if problems:
        return "", problems
    if len(tops) != 1:
        return "", [f"{name} must hold exactly one top folder, found {sorted(tops)}"]
    top = tops.pop()
    sums_name = f"{top}/{CHECKSUMS}"
    if sums_name not in files:
        return top, [f"{name} has no {sums_name}: it is not a distribution package"]
    info = zf.getinfo(sums_name)
    if info.file_size > MAX_CHECKSUMS_BYTES:
        return top, [f"{sums_name} is {info.file_size} bytes, over {MAX_CHECKSUMS_BYTES}"]
    listed, problems = parse_checksums(zf.read(info))
    for member in sorted(files - {sums_name}):
        rel = member.removeprefix(f"{top}/")
        if rel not in listed:
            problems.append(f"member {member!r} is not listed in {CHECKSUMS}")
    return top, problems


def extract_archive(archive: Path, into: Path) -> Path:
    """Unpack a distribution zip into `into` (empty or new); returns the package folder.

    Every check runs on the zip's directory before a byte is written; a problem is Refused.
    """
    if archive.is_dir():
        raise Refused(f"--archive {archive} is a folder; pass the distribution .zip")
    if not archive.is_file():
        raise Refused(f"--archive {archive}: no such file")
    if into.exists() and not into.is_dir():
        raise Refused(f"--into {into} is a file; choose an empty or new folder")
    if into.is_dir() and any(into.iterdir()):
        raise Refused(f"{into} is not empty; choose an empty or new folder with --into")
    try:
        with zipfile.ZipFile(archive) as zf:
            top, problems = archive_problems(zf, archive.stat().st_size)
            if problems:
                raise Refused(f"refusing {archive.name}:\n  " + "\n  ".join(problems))
            into.mkdir(parents=True, exist_ok=True)
            zf.extractall(into)
    except zipfile.BadZipFile as exc:
        raise Refused(f"--archive {archive}: not a zip file ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError) as exc:  # disk, permissions, encryption
        raise Refused(f"--archive {archive}: cannot unpack into {into}: {exc}") from None
    return into / top


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
# Read from a flag, the environment or --env-file, never prompted for: how Redshift is reached
# when not with a password (IAM, the Data API) and who may run the functions.
OPTIONAL_FIELDS = (
    ("RS_CLUSTER_ID", "--cluster-id", "provisioned cluster identifier (IAM or Data API)"),
    ("RS_WORKGROUP", "--workgroup", "Redshift Serverless workgroup (IAM or Data API)"),
    ("RS_SECRET_ARN", "--secret-arn", "Secrets Manager secret ARN (Data API)"),
    ("RS_GRANTEES", "--grantees", "comma-separated users/groups granted EXECUTE"),
)
SWITCHES = (
    ("RS_IAM", "--iam", "authenticate to Redshift with IAM credentials (no password)"),
    ("RS_DATA_API", "--data-api", "run the SQL through the Redshift Data API (no password)"),
    ("RS_SSL", "--no-ssl", "connect to Redshift without TLS (RS_SSL=0)"),
)
TRUE = ("1", "true", "yes", "on")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="install.py",
        description="Deploy this package's functions to Lambda and Redshift. Settings come "
        "from the flags, then the environment, then --env-file; nothing else is read.",
    )
    for key, flag, prompt, default, _ in FIELDS:
        extra = f" (default {default})" if default else ""
        p.add_argument(flag, dest=key, help=f"{prompt}{extra}; or set {key}")
    p.add_argument("--password", dest=SECRET, help=f"prefer the {SECRET} environment variable")
    for key, flag, text in OPTIONAL_FIELDS:
        p.add_argument(flag, dest=key, help=f"{text}; or set {key}")
    for key, flag, text in SWITCHES:
        value = "0" if flag.startswith("--no-") else "1"
        p.add_argument(
            flag, dest=key, action="store_const", const=value, help=f"{text}; or set {key}"
        )
    p.add_argument("--production", action="store_true", help="deploy to the schema carto")
    p.add_argument("--modules", default="", help="comma-separated modules (default: all)")
    p.add_argument("--functions", default="", help="comma-separated functions (default: all)")
    p.add_argument("--lambda-only", action="store_true", help="skip the Redshift SQL phase")
    p.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    p.add_argument("-y", "--yes", action="store_true", help="never prompt (CI)")
    p.add_argument(
        "--env-file",
        type=Path,
        help="KEY=VALUE settings file to read (below flags and environment); never implicit",
    )
    p.add_argument("--save-env", action="store_true", help="write the settings to --env-file")
    p.add_argument("--save-password", action="store_true", help="with --save-env: add the password")
    p.add_argument("--archive", type=Path, help="a distribution zip to unpack and install")
    p.add_argument("--into", type=Path, help="with --archive: the folder to unpack into")
    return p.parse_args(argv)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of the env file the customer named; Refused with file:line if bad."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Refused(f"--env-file {path}: cannot read it ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Refused(f"{path}:{line}: not valid UTF-8; save the file as UTF-8") from None
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().removeprefix("export ").strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise Refused(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def gather(
    args: argparse.Namespace,
    root: Path,
    environ: dict[str, str],
    sources: dict[str, str] | None = None,
) -> dict[str, str]:
    """Flags > environment > --env-file > defaults; prompts for the rest when interactive.

    Nothing inside the package folder is read: `root` is not consulted. `sources` (when given)
    is filled with where each value came from, for the summary.
    """
    sources = {} if sources is None else sources
    env_file = getattr(args, "env_file", None)
    saved = read_env_file(env_file) if env_file is not None else {}
    values: dict[str, str] = {}
    if not args.lambda_only:  # the SQL phase's other settings: given, never asked for
        for key, flag, _ in (*OPTIONAL_FIELDS, *SWITCHES):
            for value, where in (
                (getattr(args, key, None), f"flag {flag}"),
                (environ.get(key), "environment"),
                (saved.get(key), f"env file {env_file}"),
            ):
                if value:
                    values[key], sources[key] = value, where
                    break
    # IAM and the Data API authenticate without a database password: none is asked for.
    passwordless = any(values.get(k, "").strip().lower() in TRUE for k in ("RS_IAM", "RS_DATA_API"))
    for key, flag, prompt, default, phase in (*FIELDS, (SECRET, "--password", "", "", "sql")):
        if phase == "sql" and args.lambda_only:
            continue
        given, source = "", ""
        for value, where in (
            (getattr(args, key), f"flag {flag}"),
            (environ.get(key), "environment"),
            (environ.get("AWS_DEFAULT_REGION") if key == "AWS_REGION" else None, "environment"),
            (saved.get(key), f"env file {env_file}"),
            (default, "default"),
        ):
            if value:
                given, source = value, where
                break
        if not args.yes:
            if key == SECRET:
                if not given and not passwordless:
                    given, source = getpass.getpass("Redshift password (hidden): "), "prompt"
            else:
                shown = f" [{given}]" if given else ""
                answer = input(f"{prompt}{shown}: ").strip()
                if answer:
                    given, source = answer, "prompt"
        if given:
            values[key] = given
            sources[key] = source
    # Other settings the engine reads (AWS_ENDPOINT_URL, RS_GRANTEES, ...) from the env file;
    # the environment's own are read by the engine directly.
    for key, value in saved.items():
        if key not in values and key not in environ and key.startswith(("AWS_", "RS_", "CARTO_")):
            values[key] = value
            sources[key] = f"env file {env_file}"
    if args.production:
        values["PRODUCTION"] = "1"
        sources["PRODUCTION"] = "flag --production"
    return values


def summary(values: dict[str, str], settings, functions, args, sources=None) -> list[str]:
    """What will be installed, each setting with where it came from (password hidden)."""
    sources = sources or {}
    lines = ["", "About to install:"]
    for key, value in sorted(settings.values.items()):
        if key in ("CARTO_TARGET",):
            continue
        shown = "(hidden)" if key == SECRET or "SECRET" in key or "TOKEN" in key else value
        where = sources.get(key) or ("environment" if key in settings.sources else "")
        lines.append(f"  {key:26} {shown}  [{where or 'unknown'}]")
    lines.append(f"  {'schema':26} {settings.schema}")
    what = "Lambda functions only" if args.lambda_only else "Lambda functions, then SQL"
    lines.append(f"  {len(functions)} function(s): {what}{' (dry run)' if args.dry_run else ''}")
    return lines


def save_env(path: Path, values: dict[str, str], with_password: bool) -> Path:
    """Write the settings to `path` (a folder: its .env), mode 0600."""
    if path.is_dir():
        path = path / ".env"
    keep = {k: v for k, v in values.items() if k != SECRET or with_password}
    text = "# written by scripts/install.py --save-env\n"
    text += "".join(f"{k}={v}\n" for k, v in sorted(keep.items()))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# -- the run ----------------------------------------------------------------------------------


def _import_engine(root: Path) -> None:
    """Import the packaged engine, from verified files only.

    Bytecode is neither written nor (there being no __pycache__ left) read; the package folder
    is the only path entry added, and it holds only the verified top-level names, so nothing
    in it can shadow a dependency.
    """
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(root))
    import engine

    if not Path(engine.__file__).resolve().is_relative_to(root.resolve()):
        raise Refused(f"imported engine from {engine.__file__}, not from {root}; use a fresh venv")


def _skipped(root: Path, args: argparse.Namespace) -> list[Path]:
    """The only files in the package folder SHA256SUMS need not cover: the virtual environment
    running this installer, and the env file named on the command line."""
    skip = []
    prefix = Path(sys.prefix)
    if prefix.resolve().is_relative_to(root.resolve()) and prefix != Path(sys.base_prefix):
        skip.append(prefix)
    if getattr(args, "env_file", None) is not None:
        skip.append(args.env_file)
    return skip


def run(args: argparse.Namespace, root: Path, environ: dict[str, str]) -> int:
    if args.save_env and args.env_file is None:
        raise Refused("--save-env writes to the file --env-file names; add --env-file FILE")
    problems = verify_package(root, _skipped(root, args))
    if problems:
        raise Refused(
            "refusing to install: the package does not match its SHA256SUMS:\n  "
            + "\n  ".join(problems)
            + "\nDownload the package again; do not edit files inside it."
        )
    print(f"verified {root.name}: every file matches {CHECKSUMS}")
    if not args.yes and not sys.stdin.isatty():  # nothing to prompt on: say how to go on
        raise Refused(
            "no terminal to ask on, so nothing was asked or changed: pass --yes, with the "
            "settings as flags, environment variables or --env-file FILE (see --help)"
        )
    _import_engine(root)
    from engine.catalog.loader import CatalogError, load_catalog
    from engine.config import ConfigError, resolve_settings
    from engine.deploy.targets import get_target
    from engine.ops.package import PackageError, deploy_prebuilt
    from engine.redshift import missing_settings

    sources: dict[str, str] = {}
    values = gather(args, root, environ, sources)
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
            dotenv=False,  # a .env inside the package is never read
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
    for line in summary(values, settings, functions, args, sources):
        print(line)
    if not args.yes and input("Proceed? [y/N] ").strip().lower() not in {"y", "yes"}:
        print("cancelled: nothing was changed")
        return EXIT_OK
    if args.save_env:
        print(f"saved {save_env(args.env_file, values, args.save_password)}")

    try:
        target = get_target(settings)
        report = deploy_prebuilt(
            root,
            functions,
            settings,
            target=target,
            dry_run=args.dry_run,
            sql=not args.lambda_only,
        )
    except (PackageError, ConfigError) as exc:
        raise Refused(str(exc)) from None
    except Exception as exc:  # credentials, network, permissions; the password never shown
        print(f"error: {exc}\nRun the checks: python -m engine.cli check", file=sys.stderr)
        print("Whatever was deployed stays; fix the above and run the installer again.")
        return EXIT_FAILED
    for error in report.sql_errors:  # the password is never part of these
        print(f"error: SQL phase: {error}", file=sys.stderr)
    if report.sql_errors:
        print("The Lambda functions are deployed; fix the above and run the installer again.")
    return EXIT_OK if report.ok else EXIT_FAILED


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
    # Isolated mode (-I: no PYTHONPATH, user site or script folder on sys.path, no PYTHON*
    # variables) and no bytecode writing (-B): only the verified files run.
    if not (sys.flags.isolated and sys.flags.dont_write_bytecode):
        script = os.path.abspath(__file__)
        os.execv(sys.executable, [sys.executable, "-I", "-B", script, *sys.argv[1:]])
    sys.exit(main())
