"""The Python peers' shared loop: time `thumbnails(bytes)` ROUNDS times per
file given on the command line (python peer_X.py ROUNDS FILE...), printing
one JSON line per file with the median ms, as photosky-handler bench does
(or the error, for a file it cannot read)."""

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
        try:
            for _ in range(rounds):
                start = time.perf_counter()
                thumbnails(data)
                times.append((time.perf_counter() - start) * 1000)
        except Exception as e:  # a format this peer cannot read
            print(json.dumps({"file": path, "error": str(e).splitlines()[0]}), flush=True)
            continue
        print(json.dumps({"file": path, "median_ms": statistics.median(times)}), flush=True)
