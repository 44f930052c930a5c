"""pyvips (libvips, the library under sharp, from Python) done well:
thumbnail_buffer to 1024 (shrink-on-load: the JPEG DCT scale, WebP's
scaler; EXIF orientation applied), alpha flattened on white, the 256 px
thumbnail made from the 1024 px result (held in memory), JPEG quality 80. Prints one JSON
line per file. libvips from the pyvips-binary wheel; VIPS_CONCURRENCY=1,
as the benchmark pins each peer to one core.

Usage: python peer_pyvips.py ROUNDS FILE...
"""

import os

from peer_timing import time_each

os.environ.setdefault("VIPS_CONCURRENCY", "1")
import pyvips  # noqa: E402

SIZES = (1024, 256)


def thumbnails(data: bytes) -> list[bytes]:
    im = pyvips.Image.thumbnail_buffer(data, SIZES[0], height=SIZES[0], size="down")
    if im.hasalpha():
        im = im.flatten(background=[255, 255, 255])
    # Decoded once into memory: both sizes are made from it (libvips reads
    # a file sequentially, once per pipeline otherwise).
    im = im.copy_memory()
    out = []
    for size in SIZES:
        if max(im.width, im.height) > size:
            im = im.thumbnail_image(size, height=size, size="down")
        out.append(im.jpegsave_buffer(Q=80))
    return out


def main() -> None:
    pyvips.cache_set_max(0)  # each round decodes again, as the others do
    time_each(thumbnails)


if __name__ == "__main__":
    main()
