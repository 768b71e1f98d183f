"""IAM documents this tool writes. Every invoke permission is scoped to the prefix's functions."""

from __future__ import annotations

import json
from typing import Any

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
