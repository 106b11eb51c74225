//! Fuzzes load → validate → lower → render with arbitrary bytes as one resource file of an
//! otherwise valid spec (and, by the first byte, as a schema file or as api.yaml instead).
//! Any input must give either generated files or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

const API: &str = include_str!("../../tests/fixtures/valid/spec/shop/api.yaml");
const ITEM: &str = include_str!("../../tests/fixtures/valid/spec/shop/resources/item.yaml");
const ITEMS: &str = include_str!("../../tests/fixtures/valid/spec/shop/resources/items.yaml");
const S_ITEM: &str = include_str!("../../tests/fixtures/valid/spec/shop/schemas/item.yaml");
const S_ITEMS: &str = include_str!("../../tests/fixtures/valid/spec/shop/schemas/items.yaml");
const S_ERROR: &str = include_str!("../../tests/fixtures/valid/spec/shop/schemas/error.yaml");

thread_local! {
    static ROOT: tempfile::TempDir = {
        let dir = tempfile::tempdir().unwrap();
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
        copy(&templates, &dir.path().join("templates"));
        // rustfmt is an external program, not under test: a script that leaves the files it
        // is given as prettyplease printed them stands in for it.
        let fake = dir.path().join("fake-rustfmt");
        std::fs::write(&fake, "#!/bin/sh\nexit 0\n").unwrap();
        let mut perms = std::fs::metadata(&fake).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&fake, perms).unwrap();
        std::env::set_var("RUSTFMT", &fake);
        dir
    };
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else { return };
    ROOT.with(|root| {
        let spec = root.path().join("spec/shop");
        let _ = std::fs::remove_dir_all(&spec);
        std::fs::create_dir_all(spec.join("resources")).unwrap();
        std::fs::create_dir_all(spec.join("schemas")).unwrap();
        let files = [
            ("api.yaml", API),
            ("resources/item.yaml", ITEM),
            ("resources/items.yaml", ITEMS),
            ("schemas/item.yaml", S_ITEM),
            ("schemas/items.yaml", S_ITEMS),
            ("schemas/error.yaml", S_ERROR),
        ];
        let target = (which as usize) % files.len();
        for (i, (name, text)) in files.iter().enumerate() {
            let path = spec.join(name);
            if i == target {
                std::fs::write(path, body).unwrap();
            } else {
                std::fs::write(path, text).unwrap();
            }
        }
        let _ = sdkgen::generate(root.path(), &[]);
    });
});
