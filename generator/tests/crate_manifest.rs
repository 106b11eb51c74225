//! What the generated crates' manifests declare, held to what they need: the `rust-version`
//! their locked dependencies require, and a `uuid` dependency exactly when their code uses it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The generated crates: their folder under `generated/`, each with a `Cargo.toml`.
fn generated_crates() -> Vec<PathBuf> {
    let mut crates: Vec<PathBuf> = std::fs::read_dir(workspace().join("generated"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    assert!(!crates.is_empty(), "no generated crate found");
    crates
}

/// The value of `key = "..."` in the `[package]` table of a manifest.
fn package_key(manifest: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            if k.trim() == key {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// `1.82` or `1.82.1` as a comparable triple.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The declared `rust-version` of each generated crate is at least the largest `rust-version`
/// of any package its users compile with it: its normal and build dependencies, transitively,
/// as `Cargo.lock` pins them, with every feature on (a user may turn on `native-tls`).
/// Development dependencies are left out: users never build them. The same holds for the
/// workspace's own crates (generator, xtask, runtime-check) and the workspace's `rust-version`,
/// development dependencies included.
#[test]
fn rust_version_covers_every_locked_dependency() {
    let root = workspace();
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    // The largest `rust-version` among the packages reached from `start` (its dependencies,
    // transitively; development dependencies only with `dev`), with the package that sets it.
    let needed = |start: &str, dev: bool| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in nodes[id]["deps"].as_array().unwrap() {
                let follow = dev
                    || dep["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].as_str() != Some("dev"));
                if follow {
                    stack.push(dep["pkg"].as_str().unwrap());
                }
            }
        }
        seen.remove(start);
        seen.iter()
            .filter_map(|id| {
                let p = packages[id];
                let v = p["rust_version"].as_str()?;
                let (name, at) = (p["name"].as_str()?, p["version"].as_str()?);
                Some((version(v), format!("{name} {at} (rust-version {v})")))
            })
            .max()
            .unwrap()
    };
    let member = |name: &str| {
        packages
            .values()
            .find(|p| p["name"] == name && p["source"].is_null())
            .unwrap_or_else(|| panic!("{name} is not a workspace member"))["id"]
            .as_str()
            .unwrap()
    };
    for dir in generated_crates() {
        let manifest_path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).unwrap();
        let name = package_key(&manifest, "name").unwrap();
        let declared = package_key(&manifest, "rust-version")
            .unwrap_or_else(|| panic!("{} declares no rust-version", manifest_path.display()));
        let needed = needed(member(&name), false);
        assert!(
            version(&declared) >= needed.0,
            "{name} declares rust-version {declared}, but its locked dependency {} needs a newer \
             compiler: raise `rust-version` in templates/rust/Cargo.toml.tera to at least \
             {}.{} and run `cargo xtask generate`",
            needed.1,
            needed.0 .0,
            needed.0 .1,
        );
    }
    // The generator's own crates, with their tests' dependencies (who builds them runs them).
    let root_manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let declared = root_manifest
        .lines()
        .skip_while(|l| l.trim() != "[workspace.package]")
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("the workspace declares a rust-version");
    for name in ["sdkgen", "xtask", "runtime-check"] {
        let needed = needed(member(name), true);
        assert!(
            version(&declared) >= needed.0,
            "the workspace declares rust-version {declared}, but {name}'s locked dependency {} \
             needs a newer compiler: raise `rust-version` under `[workspace.package]` in \
             Cargo.toml to at least {}.{}",
            needed.1,
            needed.0 .0,
            needed.0 .1,
        );
    }
}

/// A crate depends on `uuid` exactly when its code names `uuid::` (a model field, a parameter):
/// the dependency follows the IR, so an API without UUIDs does not compile the crate.
#[test]
fn uuid_is_a_dependency_only_where_the_code_uses_it() {
    fn mentions_uuid(dir: &Path) -> bool {
        std::fs::read_dir(dir).unwrap().any(|e| {
            let path = e.unwrap().path();
            if path.is_dir() {
                mentions_uuid(&path)
            } else {
                path.extension().is_some_and(|x| x == "rs")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .lines()
                        .any(|l| l.contains("uuid::") && !l.trim_start().starts_with("//"))
            }
        })
    }
    let mut seen = Vec::new();
    for dir in generated_crates() {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let depends = manifest.lines().any(|l| l.starts_with("uuid = "));
        // The re-export in lib.rs is there because of the dependency: look at the rest.
        let models =
            mentions_uuid(&dir.join("src/resources")) || mentions_uuid(&dir.join("src/models"));
        assert_eq!(
            depends,
            models,
            "{}: the uuid dependency does not follow the code's use of it",
            dir.display()
        );
        seen.push(depends);
    }
    // Both cases are covered by the real APIs: Mist has UUIDs, Losant has none.
    assert!(seen.contains(&true) && seen.contains(&false), "{seen:?}");
}

/// The webhook runtime and its dependencies come with a spec's `webhooks` only: the valid
/// fixture declares none and gets none of it; the adversarial fixture declares some.
/// Whether a crate's `lib.rs` declares the `webhooks` module.
fn declared_in(lib: &str) -> bool {
    lib.contains("\npub mod webhooks;")
}

#[test]
fn webhook_code_and_dependencies_only_where_the_spec_declares_webhooks() {
    let fixtures = workspace().join("generator/tests/fixtures");
    let mut crates = generated_crates();
    crates.push(fixtures.join("valid/generated/shop"));
    crates.push(fixtures.join("adversarial/generated/adversarial"));
    let mut with = 0;
    for krate in crates {
        let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
        let lib = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap();
        let deps = ["hmac", "sha1", "sha2"].map(|d| manifest.contains(&format!("\n{d} = ")));
        if declared_in(&lib) {
            // Behind the default `webhook-receiver` feature: a client-only build leaves them out.
            for d in ["hmac", "sha1", "sha2"] {
                assert!(
                    manifest.contains(&format!("\n{d} = {{ version = "))
                        && manifest.contains(", optional = true }"),
                    "{krate:?}: {d} is optional"
                );
            }
            assert!(
                manifest
                    .contains("\nwebhook-receiver = [\"dep:hmac\", \"dep:sha1\", \"dep:sha2\"]"),
                "{krate:?}"
            );
            let default = manifest
                .lines()
                .find(|l| l.starts_with("default = ["))
                .unwrap();
            assert!(
                default.contains("\"webhook-receiver\""),
                "{krate:?}: {default}"
            );
            assert!(lib.contains("#[cfg(feature = \"webhook-receiver\")]\npub mod webhooks;"));
        }
        let files = ["src/webhook.rs", "src/webhooks.rs", "tests/webhooks.rs"]
            .map(|f| krate.join(f).is_file());
        let declared = declared_in(&lib);
        assert!(
            deps.iter().chain(&files).all(|&has| has == declared),
            "{krate:?}"
        );
        with += usize::from(declared);
    }
    assert!(with >= 1, "no fixture declares webhooks");
}

/// The crate's action tests are data: one harness runs a case for every action of the route
/// table (the test server's), so a route without a case, or a case twice, is a bug.
#[test]
fn every_route_has_exactly_one_action_case() {
    let fixtures = workspace().join("generator/tests/fixtures");
    let mut crates = generated_crates();
    crates.push(fixtures.join("valid/generated/shop"));
    crates.push(fixtures.join("adversarial/generated/adversarial"));
    for krate in crates {
        let routes = std::fs::read_to_string(krate.join("src/routes.json")).unwrap();
        let routes: serde_json::Value = serde_json::from_str(&routes).unwrap();
        let routes = routes["routes"].as_array().unwrap().len();
        let client = std::fs::read_to_string(krate.join("tests/client.rs")).unwrap();
        let table = client
            .split_once("const ACTIONS: &[(&str, Run)] = &[")
            .and_then(|(_, rest)| rest.split_once("\n];"))
            .map(|(table, _)| table)
            .unwrap_or_else(|| panic!("{krate:?}: no ACTIONS table"));
        // Each entry is `("name", |server, client| Box::pin(name(server, client)))`, however
        // rustfmt breaks it: its one string literal is the name.
        let mut names: Vec<&str> = table.split('"').skip(1).step_by(2).collect();
        assert_eq!(names.len(), table.matches("Box::pin(").count(), "{krate:?}");
        assert_eq!(names.len(), routes, "{krate:?}: one case per route");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), routes, "{krate:?}: each case once");
        assert!(
            client.contains("#[tokio::test]\nasync fn every_action()"),
            "{krate:?}"
        );
    }
}
