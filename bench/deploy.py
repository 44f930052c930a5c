"""How long `photosky up` and `down` take: on the plain emulator, and on the
emulator's latency model, which keeps AWS's time (tests/emulator/latency.py,
figures and sources in tests/emulator/aws_latency.json).

1. Plain moto, ROUNDS rounds: wall time of a fresh `up`, a no-op `up`, `down`.
2. The latency model at SCALE (photosky is told the same scale, so its own
   backoff shrinks alike): one first deploy (`up` of a new stack) and its
   `down` for each way of building the image: the prebuilt bootstrap (what
   ./dev install gives), with one step in flight (`--jobs 1`: the plan as a
   list) and with photosky's default concurrency, then the compile in
   CodeBuild (`up --from-source`, what a photosky without the bootstrap
   does). Each wall time divided by SCALE is the modelled real-AWS time; `-v`
   makes photosky print the critical path, shown scaled back too. CodeBuild's
   PROVISIONING varies most of all (24 s at best, 90 s typical, 190 s slow:
   sources in aws_latency.json), so each concurrent first deploy is modelled
   at all three, and the figures are a range.

A benchmark, not a test: it prints figures and asserts nothing.
Usage: python bench/deploy.py PATH/TO/photosky [--rounds N] [--scale S]
(run by ./dev bench, which starts the emulator: AWS_ENDPOINT_URL).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SEEDS = "seed deployers on real AWS (3-run averages): Terraform 152 s, boto3 146 s, CloudFormation 438 s"


def timed(cmd: list[str], env=None) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    return time.perf_counter() - start, run.stderr


def latency(url: str, scale: float | None = None, provisioning: float | None = None) -> dict:
    query = []
    if scale is not None:
        query.append(f"scale={scale}")
    if provisioning is not None:
        query.append(f"provisioning={provisioning}")
    req = urllib.request.Request(
        f"{url}/_photosky/latency" + ("?" + "&".join(query) if query else ""),
        method="POST" if query else "GET",
    )
    return json.load(urllib.request.urlopen(req))


def provisioning_range() -> dict[str, float]:
    """CodeBuild PROVISIONING, AWS seconds: fastest, typical and slow reported."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "emulator", "aws_latency.json")
    with open(path) as f:
        return json.load(f)["codebuild"]["phases"]["PROVISIONING"]["range"]


def critical_path(stderr: str, scale: float) -> str:
    """photosky's `critical path 12.3s: a 0.0-1.0s > b ...`, in modelled seconds."""
    m = re.search(r"^critical path ([\d.]+)s: (.*)$", stderr, re.M)
    if not m:
        return "(not printed)"
    steps = []
    for part in m.group(2).split(" > "):
        name, span = part.rsplit(" ", 1)
        a, b = (float(x) for x in span.rstrip("s").split("-"))
        steps.append(f"{name} {(b - a) / scale:.0f}s")
    return " > ".join(steps)


def plain(binary: str, rounds: int) -> None:
    times: dict[str, list[float]] = {"up (fresh)": [], "up (no-op)": [], "down": []}
    with tempfile.TemporaryDirectory() as state:
        for i in range(rounds):
            base = [binary, "--state-dir", state, "--name", f"bench{i}"]
            times["up (fresh)"].append(timed(base + ["up"])[0])
            times["up (no-op)"].append(timed(base + ["up"])[0])
            times["down"].append(timed(base + ["down", "--yes"])[0])
    print(f"1. photosky on the plain moto emulator at {os.environ.get('AWS_ENDPOINT_URL')}, {rounds} rounds")
    print(f"   {'command':<12} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, ts in times.items():
        print(f"   {name:<12} {statistics.median(ts):>9.3f} {min(ts):>7.3f} {max(ts):>7.3f}")
    print("   (the first round includes moto loading each service: 40-350 ms per service)")


def modelled(binary: str, scale: float) -> None:
    url = os.environ["AWS_ENDPOINT_URL"]
    env = dict(os.environ, PHOTOSKY_TIME_SCALE=str(scale))
    rows = []
    version = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True).stdout
    figures = provisioning_range()
    fastest = figures["fastest"]
    runs = [("prebuilt, --jobs 1", ["--jobs", "1"], [], "fastest")]
    runs += [("prebuilt, concurrent", [], [], which) for which in figures]
    if "carries the prebuilt" not in version:
        print(f"   ({version.strip()}: only the compile path is measured; ./dev bench builds it with the bootstrap)")
        runs = []
    runs += [("from source, concurrent", [], ["--from-source"], which) for which in figures]
    with tempfile.TemporaryDirectory() as state:
        for label, jobs, up_args, which in runs:
            label = f"{label}, {which} ({figures[which]:.0f} s provisioning)"
            base = [binary, "--state-dir", state, "--name", f"model{len(rows)}", "-v", *jobs]
            before = latency(url, scale, figures[which])["refusals"]
            up, up_log = timed(base + ["up", *up_args], env)
            refusals = {k: v - before.get(k, 0) for k, v in latency(url)["refusals"].items()}
            down, down_log = timed(base + ["down", "--yes"], env)
            rows.append((label, up, down, critical_path(up_log, scale), critical_path(down_log, scale), refusals))
    latency(url, 0, fastest)
    print(f"2. the same on the latency model at scale {scale} (AWS's time x {scale}), modelled real-AWS seconds")
    print(f"   {'first deploy':<58} {'up':>7} {'down':>7}   (wall s: up, down)")
    for label, up, down, *_ in rows:
        print(f"   {label:<58} {up / scale:>7.0f} {down / scale:>7.0f}   ({up:.1f}, {down:.1f})")
    for label, _, _, up_path, down_path, refusals in rows:
        print(f"   {label}: up's critical path: {up_path}")
        print(f"   {' ' * len(label)}  down's critical path: {down_path}")
        met = ", ".join(f"{k} x{v}" for k, v in sorted(refusals.items())) or "none"
        print(f"   {' ' * len(label)}  propagation refusals met (and retried): {met}")
    print(f"   ({SEEDS}; their image build was a pip install, not a Rust compile)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    plain(args.binary, args.rounds)
    modelled(args.binary, args.scale)


if __name__ == "__main__":
    sys.exit(main())
