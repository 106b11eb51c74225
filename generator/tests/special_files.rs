//! Links and special files. `generate` never follows, writes or deletes through a symbolic link
//! anywhere under `generated/`: it refuses before its first write and leaves every byte and
//! mtime as it was, in the tree and behind the links. `check` reports them without reading
//! through them. Spec folders and templates are read only from regular files inside them:
//! named pipes, devices and links out are refused with a message naming the file, and never
//! hang the generator.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

mod common;
use common::{copy_dir, workspace};

/// Runs `f` on a thread of its own and fails when it does not return within 60 s, so a
/// regression that blocks on a named pipe fails the test instead of hanging CI.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => {
            panic!("did not finish within 60 s (blocked on a special file?)")
        }
        Err(RecvTimeoutError::Disconnected) => panic!("the work panicked (see above)"),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Every entry under `root` (not following links): its kind, its bytes (regular files) or
/// target (links), and its mtime. Named pipes are not opened.
type Snapshot = Vec<(PathBuf, String, Vec<u8>, SystemTime)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let kind = meta.file_type();
        let (what, bytes) = if kind.is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            ("link", target.to_string_lossy().into_owned().into_bytes())
        } else if kind.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
            ("folder", Vec::new())
        } else if kind.is_file() {
            ("file", std::fs::read(&path).unwrap())
        } else {
            ("special", Vec::new())
        };
        out.push((path, what.to_string(), bytes, meta.modified().unwrap()));
    }
    out.sort();
    out
}

/// The files generated from the repository's spec and templates, made once per test binary.
fn generated() -> &'static sdkgen::Generated {
    static GENERATED: OnceLock<sdkgen::Generated> = OnceLock::new();
    GENERATED.get_or_init(|| sdkgen::generate(&workspace(), &[]).unwrap_or_else(|e| panic!("{e}")))
}

/// A temporary workspace (spec, templates, generated) and a folder outside it for links to
/// point at.
struct Scene {
    root: tempfile::TempDir,
    outside: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let root = tempfile::tempdir().unwrap();
        for dir in ["spec", "templates", "generated"] {
            copy_dir(&workspace().join(dir), &root.path().join(dir));
        }
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("README.md"), "not generated\n").unwrap();
        std::fs::create_dir(outside.path().join("src")).unwrap();
        std::fs::write(outside.path().join("src/extra.rs"), "// not generated\n").unwrap();
        Scene { root, outside }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }

    /// Replaces `rel` (a file or folder) with a symbolic link to `target`.
    fn link(&self, rel: &str, target: &Path) {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        symlink(target, &path).unwrap();
    }

    fn snapshot(&self) -> (Snapshot, Snapshot) {
        (snapshot(self.root.path()), snapshot(self.outside.path()))
    }

    /// `write` and `check` of the repository's output for `apis` (all when empty) on this
    /// scene, under the watchdog.
    fn write_and_check(
        &self,
        apis: &[&str],
    ) -> (
        Result<sdkgen::output::WriteReport, sdkgen::output::OutputError>,
        sdkgen::output::Drift,
    ) {
        let g = generated();
        let owned: Vec<String> = g
            .owned
            .iter()
            .filter(|o| apis.is_empty() || apis.iter().any(|a| **o == format!("generated/{a}")))
            .cloned()
            .collect();
        let files: sdkgen::FileSet = g
            .files
            .iter()
            .filter(|(rel, _)| owned.iter().any(|o| rel.starts_with(&format!("{o}/"))))
            .map(|(rel, bytes)| (rel.clone(), bytes.clone()))
            .collect();
        let root = self.root.path().to_path_buf();
        within_a_minute(move || {
            let written = sdkgen::output::write(&root, &files, &owned);
            let drift = sdkgen::output::check(&root, &files, &owned).unwrap();
            (written, drift)
        })
    }
}

/// `generate` refuses naming `blocked`, changes nothing in the workspace or behind the links,
/// and `check` reports the entry as blocked (and so not current).
fn assert_refused(scene: &Scene, apis: &[&str], blocked: &str, kind: &str) {
    let before = scene.snapshot();
    std::thread::sleep(Duration::from_millis(20));
    let (written, drift) = scene.write_and_check(apis);
    let err = written.expect_err("generate must refuse").to_string();
    let want = format!("`{blocked}` is {kind}");
    assert!(err.contains(&want), "expected `{want}` in: {err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(
        scene.snapshot() == before,
        "a refused run changed files (bytes or mtimes)"
    );
    assert!(!drift.is_clean());
    let report = drift.report("cargo xtask generate");
    assert!(report.contains(&format!("blocked: {want}")), "{report}");
    assert!(report.contains("Remove the blocked entries"), "{report}");
}

#[test]
fn an_intact_tree_is_written_as_unchanged_and_checks_clean() {
    let scene = Scene::new();
    let before = scene.snapshot();
    let (written, drift) = scene.write_and_check(&[]);
    let report = written.unwrap();
    assert_eq!(report.unchanged, generated().files.len());
    assert!(drift.is_clean(), "{}", drift.report("fix"));
    assert!(scene.snapshot() == before);
}

/// The case that deleted every template: `generated/<api>` a link to `../templates`.
#[test]
fn an_api_folder_linked_to_the_templates_is_refused() {
    let scene = Scene::new();
    scene.link("generated/mist", Path::new("../templates"));
    assert_refused(&scene, &[], "generated/mist", "a symbolic link");
}

#[test]
fn an_api_folder_linked_to_another_folder_is_refused() {
    let scene = Scene::new();
    scene.link("generated/mist", scene.outside.path());
    assert_refused(&scene, &[], "generated/mist", "a symbolic link");
    assert!(scene.outside.path().join("src/extra.rs").is_file());
}

/// Pages would have been written outside the tree.
#[test]
fn a_linked_docs_folder_is_refused() {
    let scene = Scene::new();
    let docs = scene.outside.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    scene.link("generated/mist/docs", &docs);
    assert_refused(&scene, &[], "generated/mist/docs", "a symbolic link");
    assert_eq!(std::fs::read_dir(&docs).unwrap().count(), 0);
}

#[test]
fn a_linked_file_is_refused() {
    let scene = Scene::new();
    scene.link(
        "generated/mist/README.md",
        &scene.outside.path().join("README.md"),
    );
    assert_refused(&scene, &[], "generated/mist/README.md", "a symbolic link");
    // A link the generator would not write (an extra file) is refused too: deleting it is
    // not the generator's call.
    let scene = Scene::new();
    symlink(
        scene.outside.path().join("src/extra.rs"),
        scene.path("generated/mist/src/extra.rs"),
    )
    .unwrap();
    assert_refused(
        &scene,
        &[],
        "generated/mist/src/extra.rs",
        "a symbolic link",
    );
}

#[test]
fn generated_itself_as_a_link_is_refused() {
    let scene = Scene::new();
    let elsewhere = scene.outside.path().join("generated");
    copy_dir(&scene.path("generated"), &elsewhere);
    scene.link("generated", &elsewhere);
    assert_refused(&scene, &[], "generated", "a symbolic link");
}

/// A link anywhere under `generated/` is refused, also when only another API is generated.
#[test]
fn a_link_under_another_api_is_refused_too() {
    let scene = Scene::new();
    scene.link("generated/losant/docs", scene.outside.path());
    assert_refused(
        &scene,
        &["mist"],
        "generated/losant/docs",
        "a symbolic link",
    );
}

/// Named pipes are never opened (opening one blocks until a writer comes): one in place of a
/// generated file, one as an extra file.
#[test]
fn named_pipes_under_generated_are_refused_without_blocking() {
    let scene = Scene::new();
    std::fs::remove_file(scene.path("generated/mist/README.md")).unwrap();
    mkfifo(&scene.path("generated/mist/README.md"));
    assert_refused(
        &scene,
        &[],
        "generated/mist/README.md",
        "a named pipe (FIFO)",
    );
    let scene = Scene::new();
    mkfifo(&scene.path("generated/mist/src/extra.rs"));
    assert_refused(&scene, &[], "generated/mist/src/extra.rs", "a named pipe");
}

/// A regular file where the generator needs a folder would fail halfway through the writes:
/// it is found before the first one.
#[test]
fn a_file_in_place_of_a_folder_is_refused_before_any_write() {
    let scene = Scene::new();
    // Make the run one that has something to write, so a late failure would show.
    std::fs::remove_file(scene.path("generated/losant/README.md")).unwrap();
    std::fs::remove_dir_all(scene.path("generated/mist/docs")).unwrap();
    std::fs::write(scene.path("generated/mist/docs"), "a file\n").unwrap();
    assert_refused(
        &scene,
        &[],
        "generated/mist/docs",
        "a regular file where a folder must be",
    );
    assert!(!scene.path("generated/losant/README.md").exists());
}

/// The command line says what is in the way and that nothing was written.
#[test]
fn the_generate_command_names_the_link() {
    let scene = Scene::new();
    scene.link("generated/mist/docs", scene.outside.path());
    let before = scene.snapshot();
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .arg("--workspace")
        .arg(scene.root.path())
        .args(["generate", "--no-cache"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`generated/mist/docs` is a symbolic link"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(scene.snapshot() == before);
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .arg("--workspace")
        .arg(scene.root.path())
        .args(["check", "--no-cache"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("blocked: `generated/mist/docs` is a symbolic link"),
        "{stdout}"
    );
}

/// A copy of the valid fixture's spec in a temporary workspace.
fn valid_spec() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &workspace().join("generator/tests/fixtures/valid/spec"),
        &tmp.path().join("spec"),
    );
    tmp
}

/// Loads `spec/shop` under the watchdog; the report of its problems.
fn load_report(root: &Path) -> String {
    let root = root.to_path_buf();
    within_a_minute(move || match sdkgen::load_checked(&root, "spec/shop") {
        Ok(_) => panic!("loaded without problems"),
        Err(diags) => diags.to_string(),
    })
}

fn assert_reports(report: &str, wanted: &[&str]) {
    for want in wanted {
        assert!(report.contains(want), "expected `{want}` in:\n{report}");
    }
}

#[test]
fn a_named_pipe_in_a_spec_folder_is_refused_without_blocking() {
    let tmp = valid_spec();
    let spec = tmp.path().join("spec/shop");
    mkfifo(&spec.join("schemas/x.yaml"));
    mkfifo(&spec.join("resources/pipe.yaml"));
    let report = load_report(tmp.path());
    assert_reports(
        &report,
        &[
            "spec/shop/schemas/x.yaml: file is a named pipe (FIFO); only regular files are read",
            "spec/shop/resources/pipe.yaml: file is a named pipe (FIFO)",
        ],
    );
    // The whole run finishes too, with the same problem.
    let root = tmp.path().to_path_buf();
    let err = within_a_minute(move || sdkgen::generate(&root, &[]).map(|_| ()))
        .expect_err("a named pipe must fail the run")
        .to_string();
    assert!(
        err.contains("spec/shop/schemas/x.yaml: file is a named pipe"),
        "{err}"
    );
}

#[test]
fn links_to_devices_and_out_of_the_spec_folder_are_refused() {
    let tmp = valid_spec();
    let spec = tmp.path().join("spec/shop");
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        spec.join("schemas/item.yaml"),
        outside.path().join("stolen.yaml"),
    )
    .unwrap();
    symlink("/dev/zero", spec.join("schemas/zero.yaml")).unwrap();
    symlink("/dev/null", spec.join("schemas/null.json")).unwrap();
    symlink(
        outside.path().join("stolen.yaml"),
        spec.join("schemas/stolen.yaml"),
    )
    .unwrap();
    // Relative, through `..`, to a file of the workspace outside the spec folder.
    std::fs::write(tmp.path().join("spec/secret.yaml"), "name: secret\n").unwrap();
    symlink("../../secret.yaml", spec.join("resources/secret.yaml")).unwrap();
    // A link inside the folder, to a named pipe inside it: the target decides.
    mkfifo(&spec.join("pipe"));
    symlink("../pipe", spec.join("resources/piped.yaml")).unwrap();
    symlink("missing.yaml", spec.join("resources/dangling.yaml")).unwrap();
    let report = load_report(tmp.path());
    let outside_message = "is a symbolic link to a file outside `spec/shop/`";
    assert_reports(
        &report,
        &[
            &format!("spec/shop/schemas/zero.yaml: file {outside_message}"),
            &format!("spec/shop/schemas/null.json: file {outside_message}"),
            &format!("spec/shop/schemas/stolen.yaml: file {outside_message}"),
            &format!("spec/shop/resources/secret.yaml: file {outside_message}"),
            "spec/shop/resources/piped.yaml: file is a symbolic link to a named pipe (FIFO)",
            "spec/shop/resources/dangling.yaml: file is a symbolic link to nothing",
        ],
    );
}

#[test]
fn a_linked_spec_sub_folder_or_api_file_is_refused() {
    let tmp = valid_spec();
    let spec = tmp.path().join("spec/shop");
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(spec.join("schemas"), outside.path().join("schemas")).unwrap();
    symlink(outside.path().join("schemas"), spec.join("schemas")).unwrap();
    std::fs::rename(spec.join("api.yaml"), outside.path().join("api.yaml")).unwrap();
    mkfifo(&spec.join("api.yaml"));
    let report = load_report(tmp.path());
    assert_reports(
        &report,
        &[
            "spec/shop/schemas: expected a folder, found a symbolic link",
            "spec/shop/api.yaml: file is a named pipe (FIFO)",
        ],
    );
}

/// An API folder that is a link would read a whole spec from outside `spec/`.
#[test]
fn a_linked_api_folder_is_refused() {
    let tmp = valid_spec();
    let outside = tempfile::tempdir().unwrap();
    copy_dir(&tmp.path().join("spec/shop"), &outside.path().join("shop"));
    symlink(outside.path().join("shop"), tmp.path().join("spec/other")).unwrap();
    // Files beside the API folders are not APIs, whatever they are, and are not opened.
    mkfifo(&tmp.path().join("spec/notes"));
    let root = tmp.path().to_path_buf();
    let err = within_a_minute(move || sdkgen::list_apis(&root))
        .expect_err("a linked API folder must be refused")
        .to_string();
    assert!(
        err.contains("spec/other: is a symbolic link to a folder"),
        "{err}"
    );
    std::fs::remove_file(tmp.path().join("spec/other")).unwrap();
    assert_eq!(sdkgen::list_apis(tmp.path()).unwrap(), ["shop"]);
}

fn templates_error(root: &Path) -> String {
    let root = root.to_path_buf();
    within_a_minute(move || sdkgen::render::load_templates(&root.join("templates")).map(|_| ()))
        .expect_err("the templates must be refused")
        .to_string()
}

#[test]
fn special_templates_are_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &workspace().join("templates"),
        &tmp.path().join("templates"),
    );
    mkfifo(&tmp.path().join("templates/rust/pipe.tera"));
    let err = templates_error(tmp.path());
    assert!(
        err.contains("templates/rust/pipe.tera: file is a named pipe (FIFO)"),
        "{err}"
    );
    std::fs::remove_file(tmp.path().join("templates/rust/pipe.tera")).unwrap();
    symlink("/dev/zero", tmp.path().join("templates/markdown/zero.tera")).unwrap();
    let err = templates_error(tmp.path());
    assert!(
        err.contains(
            "templates/markdown/zero.tera: file is a symbolic link to a file outside `templates/`"
        ),
        "{err}"
    );
    std::fs::remove_file(tmp.path().join("templates/markdown/zero.tera")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), tmp.path().join("templates/extra")).unwrap();
    let err = templates_error(tmp.path());
    assert!(
        err.contains("templates/extra: is a symbolic link to a folder"),
        "{err}"
    );
    std::fs::remove_file(tmp.path().join("templates/extra")).unwrap();
    // Other special files are not templates and are not opened.
    mkfifo(&tmp.path().join("templates/notes"));
    let root = tmp.path().to_path_buf();
    within_a_minute(move || sdkgen::render::load_templates(&root.join("templates")).map(|_| ()))
        .unwrap_or_else(|e| panic!("{e}"));
}
