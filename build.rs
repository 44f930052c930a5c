//! Embeds the build source (handler/, buildspec.yml) in the photosky binary,
//! so an installed binary deploys from any directory. Writes
//! `$OUT_DIR/bundle_files.rs`: a sorted list of (path, include_bytes!).

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
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundle_files.rs");
    std::fs::write(dest, out).unwrap();
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
        if name == "target"
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
