"""What a photo costs on AWS: the thumbnailer's time per photo class at the
CPU share Lambda gives each memory size, turned into Lambda GB-seconds,
requests and S3 calls at AWS's published prices, as dollars per 1,000
photos, for x86_64 and arm64. A benchmark: it asserts nothing.

How the time is measured: `photosky-handler bench` (decode, two JPEGs,
from bytes in memory, the same code the function runs) pinned to one core
and held to the CPU share of the memory size by a cgroup (v1) CPU quota:
Lambda gives a function one vCPU at 1,769 MB and a proportional share
below it (Lambda developer guide, "Configuring Lambda function memory").
Above 1,769 MB it gives more than one vCPU, which a single-threaded
decode cannot use, so 1,769 MB is the fastest it gets. Without a writable
cgroup (not root) the time at a share is the one-core time divided by the
share, and the table says "modelled".

What it does not measure: the time the function waits on S3 (reading the
original, writing three objects) is billed too, and is not measurable
without AWS; the figures are the compute part plus every request's
price. arm64 is priced at the x86_64 time: no arm64 machine here to time
it on.

Usage (from ./dev bench, or alone):
  python bench/cost.py HANDLER_BINARY [ROUNDS]
"""

import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from thumbs import CLASSES, by_class  # noqa: E402

# Prices, US East (N. Virginia), as AWS publishes them: Lambda pricing
# ("Duration", "Requests"), S3 pricing ("Requests & data retrievals",
# S3 Standard).
PRICE_GB_S = {"x86_64": 0.0000166667, "arm64": 0.0000133334}
PRICE_REQUEST = 0.20 / 1e6
PRICE_S3_PUT = 0.005 / 1000   # PUT, COPY, POST, LIST
PRICE_S3_GET = 0.0004 / 1000  # GET, HEAD and the rest
FULL_CPU_MB = 1769
MEMORIES = [512, 1024, 1769]

# S3 requests per photo, as handler/src/s3_event.rs and work.rs make them
# for one upload the trigger thumbnails: PUT-class: the upload's POST, the
# claim (making/...), the timeline entry, two thumbnails, the LIST that
# checks the original is still there; GET-class: the remembered-failure
# lookup, two HEADs of the smallest thumbnail (before and after claiming),
# the original. (The claim's DELETE is free.)
S3_PUTS, S3_GETS = 6, 4


def quota(mb: int):
    """A cgroup v1 CPU quota of the share `mb` gets, or None if none can be made."""
    group = Path(f"/sys/fs/cgroup/cpu/photosky-cost-{mb}")
    try:
        group.mkdir(exist_ok=True)
        period = int((group / "cpu.cfs_period_us").read_text())
        share = min(1.0, mb / FULL_CPU_MB)
        (group / "cpu.cfs_quota_us").write_text(str(int(period * share)) if share < 1 else "-1")
        return group
    except OSError:
        return None


def timed(binary: str, files: list[str], rounds: str, group) -> dict[str, float]:
    """Median ms per file, pinned to core 0, inside `group` if given."""
    cmd = ["taskset", "-c", "0", binary, "bench", "--rounds", rounds, *files]
    if group is not None:
        cmd = ["sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh", *cmd]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {line["file"]: line["median_ms"] for line in lines if "median_ms" in line}


def per_1000(mb: int, ms: float, arch: str) -> float:
    """Dollars for 1,000 photos of `ms` compute each (billed per 1 ms)."""
    gb_s = mb / 1024 * math.ceil(ms) / 1000
    one = gb_s * PRICE_GB_S[arch] + PRICE_REQUEST + S3_PUTS * PRICE_S3_PUT + S3_GETS * PRICE_S3_GET
    return 1000 * one


def main() -> None:
    binary = sys.argv[1]
    rounds = sys.argv[2] if len(sys.argv) > 2 else "3"
    files = by_class()
    every = [f for fs in files.values() for f in fs]
    table = {}
    how = {}
    for mb in MEMORIES:
        group = quota(mb)
        share = min(1.0, mb / FULL_CPU_MB)
        if group is None:
            ms = {f: t / share for f, t in timed(binary, every, rounds, None).items()}
            how[mb] = "modelled (no cgroup: one-core time / share)"
        else:
            ms = timed(binary, every, rounds, group)
            how[mb] = f"measured under a {share:.0%} CPU quota"
            try:
                group.rmdir()
            except OSError:
                pass
        table[mb] = {cls: statistics.median(ms[f] for f in fs) for cls, fs in files.items()}
    s3 = 1000 * (S3_PUTS * PRICE_S3_PUT + S3_GETS * PRICE_S3_GET)
    print(f"What 1,000 photos cost to thumbnail (US East prices; Lambda compute per memory size, {rounds} rounds per image,")
    print(f"plus 1,000 invocations and {S3_PUTS} PUT-class + {S3_GETS} GET-class S3 requests per photo = ${s3 + 1000 * PRICE_REQUEST:.4f} per 1,000).")
    print("Not included: the time spent waiting on S3, storage, API Gateway, transfer. arm64 is priced at the x86_64 time.")
    for mb in MEMORIES:
        print(f"\n{mb} MB: {how[mb]}")
        head = f"{'class':<28}{'ms/photo':>9}{'x86_64 $/1000':>15}{'arm64 $/1000':>14}"
        print(head)
        print("-" * len(head))
        for cls, ms in table[mb].items():
            print(f"{cls + ' ' + CLASSES[cls]:<28}{ms:>9.1f}{per_1000(mb, ms, 'x86_64'):>15.4f}{per_1000(mb, ms, 'arm64'):>14.4f}")


if __name__ == "__main__":
    main()
