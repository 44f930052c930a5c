"""The Lambda binaries photosky carries, read as Lambda's loader will read
them: an ELF executable for Linux on its architecture (x86_64 or arm64,
loaded by that architecture's glibc loader), with an entry point, whose every
versioned glibc symbol is GLIBC_2.34 or older (provided.al2023 has glibc
2.34; a binary that needs GLIBC_2.38 fails there at start with "version
`GLIBC_2.38' not found": cargo-lambda#704, aws-lambda-rust-runtime#874).

Read from the file with pyelftools, not from the build machine: ldd here
would resolve against this machine's glibc, which is newer.

Run by ./dev test: python bootstrap_elf.py x86_64=PATH arm64=PATH. Prints
one line per check and "N passed, N failed"; exits 1 on a failure.
"""

import sys

from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

LAMBDA_GLIBC = (2, 34)
# What a glibc-linked Rust binary can need, and nothing from outside the
# provided.al2023 base image (it has glibc and libgcc, no OpenSSL).
ALLOWED_LIBS = {"libc.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0",
                "libdl.so.2", "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}

# Per architecture: ELF's machine, and the glibc loader's path (the
# PT_INTERP Lambda's base image must have).
ARCHES = {
    "x86_64": ("EM_X86_64", "/lib64/ld-linux-x86-64.so.2"),
    "arm64": ("EM_AARCH64", "/lib/ld-linux-aarch64.so.1"),
}

results: list[bool] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append(ok)
    print(f"{'ok    ' if ok else 'FAILED'} {name}{'  ' + detail if detail else ''}", flush=True)


def version(name: str) -> tuple[int, ...]:
    """GLIBC_2.34 -> (2, 34)."""
    return tuple(int(p) for p in name.removeprefix("GLIBC_").split("."))


def check_file(arch: str, path: str) -> None:
    machine, loader = ARCHES[arch]
    print(f"{arch}: {path}")
    with open(path, "rb") as f:
        elf = ELFFile(f)
        check(f"{arch} ELF executable", elf["e_machine"] == machine and elf["e_type"] in ("ET_EXEC", "ET_DYN"),
              f"{elf['e_machine']} {elf['e_type']}")
        check("has an entry point", elf["e_entry"] != 0, hex(elf["e_entry"]))
        interp = next((s.get_interp_name() for s in elf.iter_segments() if s["p_type"] == "PT_INTERP"), None)
        check(f"loaded by the {arch} glibc loader", interp == loader, str(interp))
        dynamic = elf.get_section_by_name(".dynamic")
        needed = sorted(t.needed for t in dynamic.iter_tags() if t.entry.d_tag == "DT_NEEDED")
        check("needs only libraries the Lambda base image has", set(needed) <= ALLOWED_LIBS, ", ".join(needed))
        glibc: set[str] = set()
        for section in elf.iter_sections():
            if isinstance(section, GNUVerNeedSection):
                for _, auxiliaries in section.iter_versions():
                    glibc.update(a.name for a in auxiliaries if a.name.startswith("GLIBC_"))
        check("has versioned glibc symbols to check", bool(glibc))
        newest = max(glibc, key=version, default="none")
        too_new = sorted((v for v in glibc if version(v) > LAMBDA_GLIBC), key=version)
        check(f"every glibc symbol version is GLIBC_{LAMBDA_GLIBC[0]}.{LAMBDA_GLIBC[1]} or older",
              not too_new, f"newest {newest}" + (f"; too new: {', '.join(too_new)}" if too_new else ""))


def main(args: list[str]) -> int:
    for arg in args:
        arch, _, path = arg.partition("=")
        if arch not in ARCHES or not path:
            sys.exit(f"usage: bootstrap_elf.py ARCH=PATH ... (ARCH: {', '.join(ARCHES)}), not {arg!r}")
        check_file(arch, path)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: bootstrap_elf.py x86_64=PATH arm64=PATH")
    sys.exit(main(sys.argv[1:]))
