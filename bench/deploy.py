"""Wall time of `photosky up` (fresh), `photosky up` (no-op) and `down`
against the emulator that ./dev bench starts (AWS_ENDPOINT_URL).

A benchmark, not a test: it prints figures and asserts nothing.
Usage: python bench/deploy.py PATH/TO/photosky [ROUNDS]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    binary = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times: dict[str, list[float]] = {"up (fresh)": [], "up (no-op)": [], "down": []}
    with tempfile.TemporaryDirectory() as state:
        for i in range(rounds):
            base = [binary, "--state-dir", state, "--name", f"bench{i}"]
            times["up (fresh)"].append(timed(base + ["up"]))
            times["up (no-op)"].append(timed(base + ["up"]))
            times["down"].append(timed(base + ["down", "--yes"]))
    print(f"photosky on the moto emulator at {os.environ.get('AWS_ENDPOINT_URL')}, {rounds} rounds")
    print(f"{'command':<12} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, ts in times.items():
        print(f"{name:<12} {statistics.median(ts):>9.3f} {min(ts):>7.3f} {max(ts):>7.3f}")
    print("(the first round includes moto loading each service: 40-350 ms per service)")


if __name__ == "__main__":
    main()
