"""Pillow done well (HEIC through pillow-heif): draft() to the smallest DCT scale that still covers the
largest size, exif_transpose, one decode, each smaller size made from the
previous result, JPEG quality 80. Prints one JSON line per file.

Usage: python peer_pillow.py ROUNDS FILE...
"""

import io

import pillow_heif
from PIL import Image, ImageOps

from peer_timing import time_each

SIZES = (1024, 256)
# HEIC through pillow-heif (libheif and libde265, as ours): it applies the
# file's irot/imir while decoding and resets the EXIF orientation to 1.
pillow_heif.register_heif_opener()


def thumbnails(data: bytes) -> list[bytes]:
    im = Image.open(io.BytesIO(data))
    w, h = im.size
    long = max(w, h)
    if long > SIZES[0]:
        # draft keeps both sides >= the request: ask for the long side to cover.
        im.draft("RGB", (max(1, w * SIZES[0] // long), max(1, h * SIZES[0] // long)))
    im = ImageOps.exif_transpose(im)
    if im.mode != "RGB":
        if "A" in im.getbands() or im.mode == "P":
            rgba = im.convert("RGBA")
            im = Image.new("RGB", rgba.size, (255, 255, 255))
            im.paste(rgba, mask=rgba.getchannel("A"))
        else:
            im = im.convert("RGB")
    out = []
    for size in SIZES:
        w, h = im.size
        long = max(w, h)
        if long > size:
            im = im.resize((max(1, round(w * size / long)), max(1, round(h * size / long))), Image.LANCZOS)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
        out.append(buf.getvalue())
    return out


def main() -> None:
    time_each(thumbnails)


if __name__ == "__main__":
    main()
