"""Pre-flight checks: does this machine have what a deploy needs, and if not, what to do.

Each check asks AWS or Redshift only what the deploy itself will need (the seed asked EC2 for
regions and required the AWS CLI, neither of which a deploy uses). A check returns one
`Result` per question: PASS, FAIL (the deploy would fail; the fix says what to do) or SKIP
(cannot be known from here, or not configured; the detail says why). Secrets are never put
into a result: credentials are described by their source only, and driver errors are
scrubbed of the password by `engine.redshift.connect`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from engine import naming
from engine.config import Settings

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"

# boto3's `Credentials.method` -> what a person calls that source.
CREDENTIAL_SOURCES = {
    "env": "environment keys (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)",
    "shared-credentials-file": "profile keys in ~/.aws/credentials",
    "config-file": "profile keys in ~/.aws/config",
    "sso": "AWS IAM Identity Center (SSO) profile",
    "assume-role": "assumed role from a profile (role_arn)",
    "assume-role-with-web-identity": "web identity role (AWS_WEB_IDENTITY_TOKEN_FILE)",
    "custom-process": "credential_process of the profile",
    "iam-role": "instance metadata (EC2 instance role)",
    "container-role": "container credentials (ECS/EKS task role)",
    "boto-config": "boto2 config file",
}

# What the deploy calls on Lambda and IAM; simulated when the caller may simulate.
LAMBDA_ACTIONS = (
    "lambda:ListFunctions",
    "lambda:GetFunction",
    "lambda:CreateFunction",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:TagResource",
    "lambda:ListTags",
    "lambda:AddPermission",
    "lambda:DeleteFunction",
    "iam:PassRole",
)
ROLE_CREATE_ACTIONS = ("iam:GetRole", "iam:CreateRole", "iam:AttachRolePolicy")
DENIED_CODES = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # PASS, FAIL or SKIP
    detail: str
    fix: str = ""

    def lines(self) -> list[str]:
        out = [f"{self.status}  {self.name}: {self.detail}"]
        if self.fix and self.status != PASS:
            out.append(f"      fix: {self.fix}")
        return out


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _denied(exc: Exception) -> bool:
    code = _error_code(exc)
    return code in DENIED_CODES or "AccessDenied" in code or "NotAuthorized" in code


def _short(exc: Exception) -> str:
    """One line of an AWS error, without request ids or tracebacks."""
    response = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    if error:
        return f"{error.get('Code', '')}: {error.get('Message', '')}".strip(": ")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def principal_arn(caller_arn: str) -> str:
    """The IAM ARN policies are simulated for: an assumed-role session maps to its role."""
    parts = caller_arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")[1]
        return f"arn:{parts[1]}:iam::{parts[4]}:role/{role}"
    return caller_arn


def _role_name(role: str) -> str:
    return role.rsplit("/", 1)[-1] if role.startswith("arn:") else role


class AwsChecks:
    """The AWS checks share one session and the caller's identity."""

    def __init__(self, settings: Settings, session: Any = None) -> None:
        self.settings = settings
        self._session = session
        self.identity: dict[str, Any] | None = None

    def client(self, service: str) -> Any:
        return self._session.client(service, endpoint_url=self.settings.aws_endpoint_url)

    def credentials(self) -> Result:
        name = "AWS credentials"
        try:
            if self._session is None:
                from engine.deploy.targets.aws.session import make_session

                self._session = make_session(self.settings)
            creds = self._session.get_credentials()
        except Exception as exc:  # ConfigError (.env keys, bad profile, no region) and botocore
            return Result(name, FAIL, str(exc), "fix the configuration named above")
        if creds is None:
            return Result(
                name,
                FAIL,
                "no credentials found by boto3 (profile, environment, SSO, instance role)",
                "set AWS_PROFILE (run `aws configure` or `aws sso login`) or export "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            )
        method = getattr(creds, "method", "") or "unknown"
        source = CREDENTIAL_SOURCES.get(method, method)
        if self.settings.aws_profile:
            source += f", profile {self.settings.aws_profile}"
        try:
            self.identity = self.client("sts").get_caller_identity()
        except Exception as exc:
            if not _error_code(exc):  # never got an answer: network, region or endpoint
                return Result(
                    name,
                    FAIL,
                    f"could not reach STS with the credentials from {source}: {_short(exc)}",
                    "check the network, AWS_REGION and AWS_ENDPOINT_URL",
                )
            return Result(
                name,
                FAIL,
                f"STS GetCallerIdentity refused the credentials from {source}: {_short(exc)}",
                "renew them (`aws sso login`, new keys) or pick another AWS_PROFILE",
            )
        return Result(
            name,
            PASS,
            f"account {self.identity['Account']} as {self.identity['Arn']} "
            f"(credentials: {source}; region {self._session.region_name})",
        )

    def lambda_access(self) -> Result:
        name = "Lambda permissions"
        try:
            self.client("lambda").list_functions(MaxItems=1)
        except Exception as exc:
            return Result(
                name,
                FAIL,
                f"ListFunctions failed: {_short(exc)}",
                "attach AWSLambda_FullAccess, or a policy allowing " + ", ".join(LAMBDA_ACTIONS),
            )
        return Result(name, PASS, "ListFunctions allowed")

    def _simulate(self, actions: Iterable[str]) -> tuple[list[str] | None, str]:
        """(denied actions, "") or (None, why the simulation could not run)."""
        assert self.identity is not None
        try:
            response = self.client("iam").simulate_principal_policy(
                PolicySourceArn=principal_arn(self.identity["Arn"]), ActionNames=list(actions)
            )
        except Exception as exc:
            return None, _short(exc)
        return [
            r["EvalActionName"]
            for r in response.get("EvaluationResults", [])
            if r.get("EvalDecision") != "allowed"
        ], ""

    def simulated_permissions(self) -> Result:
        name = "Lambda permissions (simulated)"
        denied, why = self._simulate(LAMBDA_ACTIONS)
        if denied is None:
            return Result(name, SKIP, f"iam:SimulatePrincipalPolicy not possible here ({why})")
        if denied:
            return Result(
                name,
                FAIL,
                "the identity's policies deny " + ", ".join(denied),
                "ask an administrator to allow these actions on "
                + naming.function_arn_pattern(
                    self._session.region_name, self.identity["Account"], self.settings.lambda_prefix
                ),
            )
        return Result(name, PASS, f"{len(LAMBDA_ACTIONS)} deploy actions allowed")

    def _get_role(self, role_name: str) -> tuple[dict[str, Any] | None, Exception | None]:
        try:
            return self.client("iam").get_role(RoleName=role_name)["Role"], None
        except Exception as exc:
            return None, exc

    def execution_role(self) -> Result:
        name = "Lambda execution role"
        configured = self.settings.execution_role
        role = _role_name(configured or naming.execution_role_name(self.settings.lambda_prefix))
        found, exc = self._get_role(role)
        if found is not None:
            how = "RS_LAMBDA_EXECUTION_ROLE" if configured else "derived from RS_LAMBDA_PREFIX"
            return Result(name, PASS, f"{role} exists ({how})")
        if configured:
            if exc is not None and _denied(exc):
                return Result(
                    name,
                    SKIP,
                    f"cannot read {role} (iam:GetRole denied); the deploy only passes its ARN",
                )
            return Result(
                name,
                FAIL,
                f"RS_LAMBDA_EXECUTION_ROLE names {role}, which does not exist: {_short(exc)}",
                "create it (trusting lambda.amazonaws.com, with AWSLambdaBasicExecutionRole) "
                "or unset RS_LAMBDA_EXECUTION_ROLE to let the deploy create one",
            )
        denied, why = self._simulate(ROLE_CREATE_ACTIONS)
        if denied is None:
            return Result(
                name,
                SKIP,
                f"{role} does not exist yet and the right to create it cannot be verified ({why})",
                "if the deploy fails creating it, pre-create the role and set "
                "RS_LAMBDA_EXECUTION_ROLE",
            )
        if denied:
            return Result(
                name,
                FAIL,
                f"{role} does not exist and the identity may not create it (denied: "
                f"{', '.join(denied)})",
                "pre-create the role (see the README) and set RS_LAMBDA_EXECUTION_ROLE to its ARN",
            )
        return Result(name, PASS, f"{role} does not exist yet; the deploy may create it")

    def invoke_role(self) -> Result:
        name = "Redshift invoke role"
        roles = self.settings.invoke_roles
        if not roles:
            return Result(
                name,
                SKIP,
                "RS_LAMBDA_INVOKE_ROLE is not set (needed only for the SQL phase)",
                "set it to the role attached to the Redshift cluster",
            )
        bad = [r for r in roles if r != "default" and not naming.ROLE_ARN_RE.match(r)]
        if bad:
            return Result(
                name,
                FAIL,
                "not role ARNs: " + ", ".join(bad),
                "use arn:aws:iam::<account>:role/<name>, comma-separated for a chain",
            )
        account = (self.identity or {}).get("Account")
        notes, missing = [], []
        for role in roles:
            role_account = naming.role_account(role)
            if role == "default" or role_account != account:
                notes.append(f"{_role_name(role)} in account {role_account or '?'} not checked")
                continue
            found, exc = self._get_role(_role_name(role))
            if found is None:
                if exc is not None and _denied(exc):
                    notes.append(f"{_role_name(role)} not readable (iam:GetRole denied)")
                else:
                    missing.append(role)
        if missing:
            return Result(
                name,
                FAIL,
                "does not exist: " + ", ".join(missing),
                "create the role, attach it to the cluster, or correct RS_LAMBDA_INVOKE_ROLE",
            )
        detail = "syntax ok"
        if len(notes) < len(roles):
            detail += "; exists in this account"
        if notes:
            detail += "; " + "; ".join(notes)
        return Result(name, PASS, detail)


def redshift_check(
    settings: Settings, open_session: Callable[[Settings], Any] | None = None
) -> Result:
    """`SELECT 1` through the same session the deploy opens."""
    name = "Redshift connection"
    from engine.redshift import missing_settings

    missing = missing_settings(settings)
    if missing:
        return Result(
            name,
            SKIP,
            "not configured; missing " + ", ".join(missing),
            "set these to deploy the SQL functions too (the Lambda phase runs without them)",
        )
    if open_session is None:
        from engine.redshift import open_session
    try:
        session = open_session(settings)
        try:
            rows = session.query("SELECT 1")
        finally:
            session.close()
    except Exception as exc:
        return Result(
            name,
            FAIL,
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            "check RS_HOST/RS_PORT, the cluster's security group and public access, and the "
            "database user and password",
        )
    if not rows or rows[0][0] != 1:
        return Result(name, FAIL, f"SELECT 1 returned {rows!r}", "check the database settings")
    from engine.redshift.settings import RedshiftSettings

    return Result(
        name, PASS, f"SELECT 1 through {RedshiftSettings.from_settings(settings).describe()}"
    )


def names_check(settings: Settings, lambda_names: Mapping[str, str]) -> Result:
    """Names derived from the prefix and the catalog against AWS and Redshift limits."""
    name = "Names and lengths"
    problems = naming.check_all(
        settings.lambda_prefix,
        settings.schema,
        lambda_names,
        execution_role=settings.execution_role,
        invoke_roles=settings.invoke_roles,
    )
    if problems:
        return Result(name, FAIL, problems[0], "; ".join(problems[1:]) or "see above")
    longest = max(lambda_names, key=len, default="")
    full = settings.lambda_prefix + longest
    detail = f"prefix {settings.lambda_prefix!r}, schema {settings.schema}"
    if longest:
        detail += (
            f", longest Lambda name {full} ({len(full)}/{naming.LAMBDA_NAME_MAX}), "
            f"{len(lambda_names)} function(s)"
        )
    return Result(name, PASS, detail)


def run_checks(
    settings: Settings,
    lambda_names: Mapping[str, str],
    *,
    session: Any = None,
    open_session: Callable[[Settings], Any] | None = None,
) -> list[Result]:
    """Every check, in the order a deploy meets them. AWS checks after a credential failure
    are skipped: their errors would only repeat it."""
    results = [names_check(settings, lambda_names)]
    aws = AwsChecks(settings, session)
    creds = aws.credentials()
    results.append(creds)
    aws_checks = (
        aws.lambda_access,
        aws.simulated_permissions,
        aws.execution_role,
        aws.invoke_role,
    )
    if creds.status == PASS:
        results += [check() for check in aws_checks]
    else:
        results += [
            Result(n, SKIP, "needs working AWS credentials")
            for n in (
                "Lambda permissions",
                "Lambda permissions (simulated)",
                "Lambda execution role",
                "Redshift invoke role",
            )
        ]
    results.append(redshift_check(settings, open_session))
    return results
