//! Embeds the build source (handler/, buildspec.yml) in the photosky binary,
//! so an installed binary deploys from any directory, and with
//! `PHOTOSKY_BOOTSTRAP=<absolute path>` the prebuilt handler binary too
//! (`./dev install` builds it with cargo-zigbuild and sets this). Writes
//! `$OUT_DIR/bundle_files.rs`: a sorted list of (path, include_bytes!) and
//! `BOOTSTRAP`.

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
    let bootstrap = bootstrap();
    // For `photosky --version`.
    let carried = if bootstrap == "None" {
        "no prebuilt Lambda binary: CodeBuild compiles the handler"
    } else {
        "carries the prebuilt Lambda binary"
    };
    println!("cargo:rustc-env=PHOTOSKY_BUILD_NOTE={carried}");
    out += &format!("pub static BOOTSTRAP: Option<&[u8]> = {bootstrap};\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundle_files.rs");
    std::fs::write(dest, out).unwrap();
}

/// `Some(include_bytes!(..))` of `PHOTOSKY_BOOTSTRAP`, or `None` when unset.
/// A path that is not an x86_64 ELF executable stops the build: embedding
/// the wrong file would only fail later, inside CodeBuild or on Lambda.
fn bootstrap() -> String {
    println!("cargo:rerun-if-env-changed=PHOTOSKY_BOOTSTRAP");
    let Some(path) = std::env::var_os("PHOTOSKY_BOOTSTRAP").filter(|p| !p.is_empty()) else {
        return "None".into();
    };
    let path = PathBuf::from(path);
    let fail = |why: &str| -> ! {
        panic!(
            "PHOTOSKY_BOOTSTRAP={}: {why}\n\
             hint: `./dev bootstrap` builds it (or unset PHOTOSKY_BOOTSTRAP to deploy by compiling in CodeBuild)",
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
    // ELF magic, 64-bit, little-endian; e_machine 62 is x86-64.
    if head.len() < 20
        || &head[..4] != b"\x7fELF"
        || head[4] != 2
        || head[5] != 1
        || head[18..20] != [62, 0]
    {
        fail("not an x86_64 ELF binary (build it with --target x86_64-unknown-linux-gnu.2.34)");
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
