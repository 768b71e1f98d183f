"""Deployment targets: where artifacts go. `local` is the embedded default; `aws` uses boto3."""
