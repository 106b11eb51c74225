//! Helpers for the library's unit tests.

/// The valid `shop` fixture with `files` (path under `spec/shop/`, text) added or replaced,
/// in a temp folder.
pub(crate) fn shop_with(files: &[(String, String)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/spec/shop");
    let to = tmp.path().join("spec/shop");
    for sub in ["", "resources", "schemas"] {
        std::fs::create_dir_all(to.join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap().flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), to.join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    for (rel, text) in files {
        std::fs::write(to.join(rel), text).unwrap();
    }
    tmp
}
