"""The `[redshift]` tier against the `[local]` tier, as `make test` runs them, in one run.

    .venv/bin/python benchmarks/sql_tier_items.py [pytest selection, default: functions]

Runs `pytest <selection> --deploy --redshift -m "carto_redshift or carto_live" -n 2` on the
local target (so `[redshift]` items run on redshift-local), reads the per-item times from a
JUnit report and prints, per tier, the items, their total and mean time, and the ratio of the
SQL tier to the `[local]` tier: the baseline is the `[local]` tier of the same run. The goal
(issue 14): the SQL tier adds at most the `[local]` tier's time again.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def tier_of(name: str) -> str | None:
    for tier in ("redshift", "local"):
        if name.endswith(f"[{tier}]"):
            return tier
    return None


def main(argv: list[str]) -> int:
    selection = argv or ["functions"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        command = [
            str(REPO / ".venv" / "bin" / "pytest"),
            *selection,
            "--deploy",
            "--redshift",
            "--target",
            "local",
            "-m",
            "carto_redshift or carto_live",
            "-n",
            "2",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
        ]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if not report.is_file():
            print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
            return 1
        totals: dict[str, list[float]] = {"local": [], "redshift": []}
        outcomes: dict[str, dict[str, int]] = {t: {} for t in totals}
        for case in ET.parse(report).iter("testcase"):
            tier = tier_of(case.get("name", ""))
            if tier is None:
                continue
            totals[tier].append(float(case.get("time") or 0))
            kinds = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
            outcome = kinds[0] if kinds else "passed"
            outcomes[tier][outcome] = outcomes[tier].get(outcome, 0) + 1
    print(f"pytest {' '.join(selection)}: {wall:.1f} s wall (deploys and start-up included)")
    print(f"{'tier':<10} {'items':>6} {'total s':>9} {'ms/item':>8}  outcomes")
    for tier, times in totals.items():
        mean = 1000 * sum(times) / len(times) if times else 0.0
        print(f"{tier:<10} {len(times):>6} {sum(times):>9.1f} {mean:>8.1f}  {outcomes[tier]}")
    if totals["local"] and sum(totals["local"]):
        ratio = sum(totals["redshift"]) / sum(totals["local"])
        print(f"[redshift] / [local] total time: {ratio:.2f} (goal: at most 1.00)")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
