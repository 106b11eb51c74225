//! Links and special files. Spec folders and templates are read only from regular files inside
//! them: named pipes, devices and links out are refused with a message naming the file, and
//! never hang the generator.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

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
