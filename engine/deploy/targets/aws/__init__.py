"""The aws target: Lambda functions and IAM through boto3 (see target.py)."""

from engine.deploy.targets.aws.target import (
    INVOKER_TAG,
    AwsTarget,
    AwsTargetError,
    deployed_config,
)

__all__ = ["INVOKER_TAG", "AwsTarget", "AwsTargetError", "deployed_config"]
