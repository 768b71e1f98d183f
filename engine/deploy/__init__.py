"""The deploy stage: desired vs deployed state -> plan -> apply, on a target, then SQL.

`models` holds the plain data every part shares (the Redshift planner imports it too),
`planner` only computes, `executor` only applies, `api` is the one orchestration the CLI,
the plugin and the installer call, `sqlphase` hands the SQL phase to `engine.redshift`, and
`targets` are where functions go. Kept free of imports so `engine.deploy.models` loads alone.
"""
