"""The aws tests' fixtures (in-process moto, call recorder, fault injection, kit) for the
hardening tests of the aws target."""

from tests.aws.conftest import (  # noqa: F401 (fixtures, found by name)
    _managed_policies,
    aws_env,
    calls,
    faults,
    kit,
    moto,
)
