"""Thumbnail benchmark: photosky-handler against Pillow (done well), pyvips
and sharp (libvips, from Python and from node), side by side on the photo corpus (bench/corpus.py fetches it once
from Debian's wallpaper packages; PHOTOSKY_CORPUS names another), each
pinned to one core
(taskset -c 0), each making 1024 and 256 px JPEGs (quality 80) from bytes in
memory. Prints, per image class, the median ms per image, the peak RSS of
the process, and our ratio to the fastest peer; then what the decoder's
shortcuts save (photosky-handler bench --reference: every scan of a
progressive JPEG, WebP at twice the size then Lanczos3, HEIC converted to
RGB and turned upright by libheif at full size). A peer
that cannot read a class (the libvips of pyvips-binary and of sharp has no
HEVC decoder) shows n/a. A
benchmark: it asserts nothing.

Usage (from ./dev thumbs): python bench/thumbs.py HANDLER_BINARY [ROUNDS]
"""

import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from corpus import corpus  # noqa: E402
CLASSES = {
    "Lb": "large baseline JPEG",
    "Lp": "large progressive JPEG",
    "Lo6": "12 MP phone JPEG, EXIF 6",
    "M": "4 MP JPEG",
    "S": "small JPEG",
    "P": "large PNG",
    "W": "16.8 MP WebP",
    "H": "12 MP iPhone HEIC",
}


def by_class() -> dict[str, list[str]]:
    """The corpus's photos of each class in CLASSES, by class prefix."""
    files = defaultdict(list)
    for f in sorted(corpus().iterdir()):
        cls = f.name.split("_")[0]
        if cls in CLASSES:
            files[cls].append(str(f))
    return files


def run(cmd: list[str]) -> tuple[list[dict], float]:
    """Run pinned to core 0; the JSON lines it prints and its peak RSS (MiB)."""
    proc = subprocess.Popen(["taskset", "-c", "0", *cmd], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{cmd[0]} failed ({status})")
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")], usage.ru_maxrss / 1024


def main() -> None:
    binary = sys.argv[1]
    rounds = sys.argv[2] if len(sys.argv) > 2 else "7"
    files = by_class()
    tools = {
        "photosky": lambda fs: [binary, "bench", "--rounds", rounds, *fs],
        "pillow": lambda fs: [sys.executable, str(BENCH / "peer_pillow.py"), rounds, *fs],
        "pyvips": lambda fs: [sys.executable, str(BENCH / "peer_pyvips.py"), rounds, *fs],
        "sharp": lambda fs: ["node", str(BENCH / "peer_sharp.mjs"), rounds, *fs],
    }
    table = {}
    for cls, fs in files.items():
        row = {}
        for tool, cmd in tools.items():
            lines, rss = run(cmd(fs))
            timed = [line["median_ms"] for line in lines if "median_ms" in line]
            # A peer that cannot read the class (HEIC, for libvips) sits it out.
            row[tool] = (statistics.median(timed), rss) if len(timed) == len(fs) else None
        table[cls] = row
    print(f"Thumbnails 1024+256 px, JPEG q80, one core, {rounds} rounds per image; median ms per image, peak RSS MiB")
    peers = [t for t in tools if t != "photosky"]
    head = (f"{'class':<28}{'photosky':>10}" + "".join(f"{p:>9}" for p in peers)
            + f"{'vs fastest peer':>22}   RSS ours/{'/'.join(peers)}")
    print(head)
    print("-" * len(head))
    for cls, row in table.items():
        ours, ours_rss = row["photosky"]
        able = [p for p in peers if row[p]]
        fastest = min(able, key=lambda p: row[p][0])
        ratio = f"{ours / row[fastest][0]:.2f}x {fastest}"
        rss = " /".join(f"{row[t][1]:>4.0f}" if row[t] else " n/a" for t in ["photosky", *peers])
        ms = "".join(f"{row[p][0]:>9.1f}" if row[p] else f"{'n/a':>9}" for p in peers)
        print(f"{cls + ' ' + CLASSES[cls]:<28}{ours:>10.1f}" + ms + f"{ratio:>22}   {rss}")
    # The decoder's shortcuts against its reference decode.
    shortcuts = {
        "Lp": ("decoding only the scans the scale reads", "decoding every scan"),
        "W": ("scaled by libwebp straight to 1024 px", "at 2x, then Lanczos3"),
        "H": ("scaling the decoder's Y'CbCr planes, then converting and turning",
              "libheif converting and turning at full size"),
    }
    for cls, (short, full) in shortcuts.items():
        if cls not in table:
            continue
        lines, _ = run([binary, "bench", "--rounds", rounds, "--reference", *files[cls]])
        reference = statistics.median(line["median_ms"] for line in lines)
        ours = table[cls]["photosky"][0]
        print(f"{CLASSES[cls]} ({cls}): {ours:.1f} ms {short}, {reference:.1f} ms {full} "
              f"(saves {100 * (1 - ours / reference):.0f}%)")


if __name__ == "__main__":
    main()
