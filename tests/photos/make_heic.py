"""Make the HEIC test photos from the JPEG/PNG ones beside them.

Run once with pillow-heif (PyPI), which carries libheif with the x265
encoder: `python tests/photos/make_heic.py`. The files are committed; the
tests only read them. Each is written the way an iPhone writes its photos:
HEVC in 512x512 grid tiles (the last row and column overhang the image and
are cropped by the grid), the orientation as HEIF transforms (irot, imir),
and the EXIF block kept.
"""

from pathlib import Path

import pillow_heif
from PIL import Image, ImageOps

pillow_heif.register_heif_opener()
HERE = Path(__file__).parent


def save(im, name, orientation, **kw):
    exif = im.getexif()
    exif[0x0112] = orientation
    im.save(HERE / name, format="HEIF", quality=60, tile_size=512, exif=exif.tobytes(), **kw)
    print(name, (HERE / name).stat().st_size, "bytes")


# The phone photo: stored landscape, shown portrait (EXIF Orientation 6 in
# the JPEG, irot in the HEIC).
src = Image.open(HERE / "seeding-orientation6.jpg")
save(src, "seeding-orientation6.heic", 6)

# Orientation 5 (transpose: mirrored, then turned): irot and imir. The
# pixels are the dune JPEG's, stored transposed so that, shown, they are
# the JPEG again.
dune = Image.open(HERE / "dune-camera-exif.jpg")
save(dune.transpose(Image.Transpose.TRANSPOSE), "dune-transposed.heic", 5)

# Alpha (an auxiliary image in HEIF), one tile: smaller than 512 px.
fish = Image.open(HERE / "goldfish-rgba.png")
fish = fish.resize((480, 316), Image.Resampling.LANCZOS)
save(fish, "goldfish-rgba-small.heic", 1)
