"""The benchmark's photo corpus: full-size photographs from Debian's
wallpaper packages, in the classes bench/thumbs.py measures. Fetched once
with apt-get (the packages' own free licences: CC0, CC-BY(-SA), GPL-2+,
LGPL-3; authors in each package's debian/copyright, copied beside the
photos) and derived with jpegtran, itself fetched the same way when it is
not installed. Nothing here needs root.

  Lb_  large baseline JPEGs (lomiri-wallpapers-16.04 photos, made baseline
       losslessly with `jpegtran -copy all -optimize`)
  Lp_  the same photos as shipped: progressive JPEGs
  Lo6_ 4032x3024 (a 12 MP phone's geometry) cropped losslessly from one of
       them, with an EXIF block saying Orientation 6 (shown portrait)
  M_   4 MP JPEGs with camera EXIF (plasma-workspace-wallpapers)
  S_   small JPEGs (mate-backgrounds nature/)
  P_   large PNGs, RGB and RGBA (plasma-workspace-wallpapers, ukui-wallpapers)
  W_   a 16.8 MP lossy WebP (gnome-backgrounds)
  H_   the Lo6_ photo as an iPhone writes it: HEIC in 512 px HEVC tiles, the
       orientation as irot, EXIF kept (made with pillow-heif's x265 when
       pillow-heif is installed, as ./dev thumbs does)

Usage: python bench/corpus.py [DIR]   (default: $PHOTOSKY_CORPUS, else
~/.cache/photosky/corpus); prints the directory. bench/thumbs.py calls it.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGES = {
    "lomiri-wallpapers-16.04": {
        "usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg": "bridge",
        "usr/share/backgrounds/Dragonfly_by_Bolly.jpg": "dragonfly",
        "usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg": "seeding",
        "usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg": "sunset",
    },
    "plasma-workspace-wallpapers": {
        "usr/share/wallpapers/Autumn/contents/images/2560x1600.jpg": "M_Autumn.jpg",
        "usr/share/wallpapers/Kite/contents/images/2560x1600.jpg": "M_Kite.jpg",
        "usr/share/wallpapers/Path/contents/images/2560x1600.jpg": "M_Path.jpg",
        "usr/share/wallpapers/MilkyWay/contents/images/5120x2880.png": "P_milkyway_rgb.png",
    },
    "mate-backgrounds": {
        "usr/share/backgrounds/mate/nature/Dune.jpg": "S_dune.jpg",
        "usr/share/backgrounds/mate/nature/Storm.jpg": "S_storm.jpg",
    },
    "ukui-wallpapers": {"usr/share/backgrounds/goldfish.png": "P_goldfish_rgba.png"},
    "gnome-backgrounds": {"usr/share/backgrounds/gnome/wood-l.webp": "W_wood.webp"},
}


def sh(*cmd: str, cwd: Path | None = None) -> None:
    subprocess.run(cmd, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def download(packages: list[str], into: Path) -> dict[str, Path]:
    """apt-get download, then unpack each: {package: its root}."""
    sh("apt-get", "download", "-q", *packages, cwd=into)
    roots = {}
    for package in packages:
        deb = next(into.glob(f"{package}_*.deb"))
        roots[package] = into / package
        sh("dpkg-deb", "-x", str(deb), str(roots[package]))
    return roots


def jpegtran(work: Path) -> str:
    """The installed jpegtran, else Debian's, unpacked here (it needs only
    libjpeg62-turbo, which every Debian with a JPEG library has)."""
    found = shutil.which("jpegtran")
    if found:
        return found
    root = download(["libjpeg-turbo-progs"], work)["libjpeg-turbo-progs"]
    return str(root / "usr/bin/jpegtran")


def exif_orientation(orientation: int) -> bytes:
    """An APP1 segment with a one-entry TIFF IFD0: Orientation."""
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + ifd
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def make(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roots = download(list(PACKAGES), work)
        tran = jpegtran(work)
        for package, files in PACKAGES.items():
            for src, name in files.items():
                path = roots[package] / src
                if name in ("bridge", "dragonfly", "seeding", "sunset"):
                    shutil.copyfile(path, out / f"Lp_{name}.jpg")
                    sh(tran, "-copy", "all", "-optimize", "-outfile", str(out / f"Lb_{name}.jpg"), str(path))
                else:
                    shutil.copyfile(path, out / name)
            copyright = roots[package] / f"usr/share/doc/{package}/copyright"
            shutil.copyfile(copyright, out / f"{package}.copyright")
        crop = work / "crop.jpg"
        sh(tran, "-copy", "none", "-crop", "4032x3024+0+0", "-outfile", str(crop), str(out / "Lb_dragonfly.jpg"))
        data = crop.read_bytes()
        # After SOI: the EXIF segment, then the rest as jpegtran wrote it.
        (out / "Lo6_dragonfly_crop.jpg").write_bytes(data[:2] + exif_orientation(6) + data[2:])


def make_heic(out: Path) -> None:
    """H_ from Lo6_: libheif's x265 encoder at quality 80 (about 2.5 MB, an
    iPhone's 12 MP photos are 1.5-3 MB)."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    src = next(out.glob("Lo6_*.jpg"))
    im = Image.open(src)
    name = src.stem.split("_", 1)[1]
    im.save(out / f"H_{name}.heic", format="HEIF", quality=80, tile_size=512, exif=im.getexif().tobytes())


def corpus(explicit: str | None = None) -> Path:
    given = explicit or os.environ.get("PHOTOSKY_CORPUS")
    out = Path(given) if given else Path.home() / ".cache" / "photosky" / "corpus"
    if not any(out.glob("Lb_*.jpg")):
        print(f"fetching the photo corpus into {out} (about 200 MB of packages, once)", file=sys.stderr)
        make(out)
    if not any(out.glob("H_*.heic")):
        try:
            make_heic(out)
        except ImportError:
            print("no HEIC class: pillow-heif is not installed (bench/requirements.txt)", file=sys.stderr)
        except OSError as e:
            print(f"no HEIC class: cannot write it into {out}: {e}", file=sys.stderr)
    return out


if __name__ == "__main__":
    print(corpus(sys.argv[1] if len(sys.argv) > 1 else None))
