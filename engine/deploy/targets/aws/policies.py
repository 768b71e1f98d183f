"""IAM documents this tool writes. Every invoke permission is scoped to the prefix's functions."""

from __future__ import annotations

import json
from typing import Any

from engine import naming

BASIC_EXECUTION_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def lambda_trust_policy() -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def invoke_policy(region: str, account: str, prefix: str) -> dict[str, Any]:
    """Identity policy for a role that invokes the Lambdas: this prefix only, never `*`."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "lambda:InvokeFunction",
                "Resource": naming.function_arn_pattern(region, account, prefix),
            }
        ],
    }


def trusts_lambda(document: Any) -> bool:
    """True when a role's trust policy lets lambda.amazonaws.com assume it."""
    if isinstance(document, str):
        document = json.loads(document)
    for statement in (document or {}).get("Statement", []):
        principal = statement.get("Principal", {})
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        if statement.get("Effect") == "Allow" and "lambda.amazonaws.com" in services:
            return True
    return False
