"""The Python peers' shared loop: time `thumbnails(bytes)` ROUNDS times per
file given on the command line (python peer_X.py ROUNDS FILE...), printing
one JSON line per file with the median ms, as photosky-handler bench does."""

import json
import statistics
import sys
import time
from typing import Callable


def time_each(thumbnails: Callable[[bytes], list[bytes]]) -> None:
    rounds = int(sys.argv[1])
    for path in sys.argv[2:]:
        data = open(path, "rb").read()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            thumbnails(data)
            times.append((time.perf_counter() - start) * 1000)
        print(json.dumps({"file": path, "median_ms": statistics.median(times)}), flush=True)
