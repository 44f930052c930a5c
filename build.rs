//! Embeds the build source (handler/, buildspec.yml) in the photosky binary,
//! so an installed binary deploys from any directory, and with
//! `PHOTOSKY_BOOTSTRAP=<absolute path>` the prebuilt x86_64 handler binary too
//! (`./dev install` builds it with cargo-zigbuild and sets this), and with
//! `PHOTOSKY_BOOTSTRAP_ARM64` the arm64 one. Writes
//! `$OUT_DIR/bundle_files.rs`: a sorted list of (path, include_bytes!),
//! `BOOTSTRAP_X86_64` and `BOOTSTRAP_ARM64`.

use std::io::Read;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = vec![root.join("buildspec.yml")];
    collect(&root.join("handler"), &mut files);
    files.sort();
    println!("cargo:rerun-if-changed=buildspec.yml");
    println!("cargo:rerun-if-changed=handler");
    let mut out = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .expect("UTF-8 path")
            .replace('\\', "/");
        println!("cargo:rerun-if-changed={}", f.display());
        out += &format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            f.display().to_string()
        );
    }
    out += "];\n";
    // One prebuilt handler binary per architecture (`./dev bootstrap`
    // builds both); either may be missing, and that architecture's stacks
    // then compile the handler in CodeBuild.
    let x86_64 = bootstrap("PHOTOSKY_BOOTSTRAP", "x86_64", 62);
    let arm64 = bootstrap("PHOTOSKY_BOOTSTRAP_ARM64", "aarch64", 183);
    let carried: Vec<&str> = [("arm64", &arm64), ("x86_64", &x86_64)]
        .iter()
        .filter(|(_, b)| b.as_str() != "None")
        .map(|(arch, _)| *arch)
        .collect();
    // For `photosky --version`.
    let note = if carried.is_empty() {
        "no prebuilt Lambda binary: CodeBuild compiles the handler".to_owned()
    } else {
        format!("prebuilt Lambda binary for {}", carried.join(" and "))
    };
    println!("cargo:rustc-env=PHOTOSKY_BUILD_NOTE={note}");
    out += &format!("pub static BOOTSTRAP_X86_64: Option<&[u8]> = {x86_64};\n");
    out += &format!("pub static BOOTSTRAP_ARM64: Option<&[u8]> = {arm64};\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundle_files.rs");
    std::fs::write(dest, out).unwrap();
}

/// `Some(include_bytes!(..))` of the file the variable `var` names, or
/// `None` when unset. A path that is not a 64-bit little-endian ELF file
/// for `machine` (ELF's e_machine: 62 x86-64, 183 AArch64) stops the build:
/// embedding the wrong file would only fail later, inside CodeBuild or on
/// Lambda.
fn bootstrap(var: &str, arch: &str, machine: u16) -> String {
    println!("cargo:rerun-if-env-changed={var}");
    let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) else {
        return "None".into();
    };
    let path = PathBuf::from(path);
    let fail = |why: &str| -> ! {
        panic!(
            "{var}={}: {why}\n\
             hint: `./dev bootstrap` builds it (or unset {var} to deploy by compiling in CodeBuild)",
            path.display()
        )
    };
    if !path.is_absolute() {
        fail("must be an absolute path");
    }
    let mut head = Vec::new();
    if let Err(e) = std::fs::File::open(&path).and_then(|f| f.take(20).read_to_end(&mut head)) {
        fail(&e.to_string());
    }
    // ELF magic, 64-bit, little-endian, then e_machine.
    if head.len() < 20
        || &head[..4] != b"\x7fELF"
        || head[4] != 2
        || head[5] != 1
        || head[18..20] != machine.to_le_bytes()
    {
        fail(&format!(
            "not an {arch} ELF binary (build it with --target {arch}-unknown-linux-gnu.2.34)"
        ));
    }
    println!("cargo:rerun-if-changed={}", path.display());
    format!("Some(include_bytes!({:?}))", path.display().to_string())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("handler/ exists")
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // Build output and editor droppings are not source.
        // Dockerfile.prebuilt goes into the prebuilt zip only (bundle.rs).
        if name == "target"
            || name == "Dockerfile.prebuilt"
            || name.starts_with('.') && name != ".dockerignore"
            || name.ends_with('~')
        {
            continue;
        }
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
