//! Cargo features: one per resource, and each model compiled only with the resources that
//! reach it (through refs, transitively), unless every build needs it.

use std::collections::BTreeMap;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn resource(name: &str, path: &str, actions: &str) -> String {
    format!("name: {name}\ntitle: T {name}\ndescription: D\npath: {path}\nactions:\n{actions}")
}

fn get(answer: &str) -> String {
    format!(
        "  get:\n    summary: S\n    method: GET\n    responses:\n      - {{code: 200, description: R, schema: {{$ref: {answer}}}}}\n"
    )
}

fn object(fields: &[(&str, &str)]) -> String {
    let mut text = String::from("type: object\nproperties:\n");
    for (name, target) in fields {
        text.push_str(&format!("  {name}: {{$ref: {target}}}\n"));
    }
    text
}

/// The features and model `cfg`s lowered from a spec of four resources: `alpha`, `beta`,
/// `default` (whose feature would clash with cargo's own) and `every`.
fn lowered() -> sdkgen::ir::FeaturesIr {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "spec/feat/api.yaml",
        "name: feat\ntitle: Feat\nversion: '1'\ncrate: {name: feat-sdk, version: 0.1.0}\n\
         servers:\n  - {name: main, url: 'https://api.feat.example', default: true}\n\
         auth: {header: Authorization, prefix: Bearer, description: A token.}\n",
    );
    let r = "spec/feat/resources";
    write(
        root,
        &format!("{r}/default.yaml"),
        &resource("default", "/d", &get("shared")),
    );
    write(
        root,
        &format!("{r}/alpha.yaml"),
        &resource("alpha", "/a", &get("alpha")),
    );
    let post = "  post:\n    summary: S\n    method: POST\n    body:\n      name: b\n      description: B\n      required: true\n      schema: {$ref: betaPost}\n    responses:\n      - {code: 200, description: R, schema: {$ref: shared}}\n";
    write(
        root,
        &format!("{r}/beta.yaml"),
        &resource("beta", "/b", post),
    );
    // `every` reaches every model the others reach, but `lonely`.
    let every = format!("{}  list:\n    summary: S\n    method: GET\n    path: /x\n    responses:\n      - {{code: 200, description: R, schema: {{$ref: everything}}}}\n", get("shared"));
    write(
        root,
        &format!("{r}/every.yaml"),
        &resource("every", "/e", &every),
    );
    let s = "spec/feat/schemas";
    write(
        root,
        &format!("{s}/alpha.yaml"),
        &object(&[("part", "part")]),
    );
    write(
        root,
        &format!("{s}/betaPost.yaml"),
        &object(&[("part", "part")]),
    );
    write(
        root,
        &format!("{s}/part.yaml"),
        &object(&[("deep", "deep"), ("leaf", "leaf")]),
    );
    write(
        root,
        &format!("{s}/leaf.yaml"),
        "type: string\nenum: [a, b]\n",
    );
    write(
        root,
        &format!("{s}/deep.yaml"),
        "type: object\nproperties:\n  n: {type: integer}\n",
    );
    write(
        root,
        &format!("{s}/shared.yaml"),
        "type: object\nproperties:\n  ok: {type: boolean}\n",
    );
    // No resource reaches `lonely`, so every build has it, and `deep`, which it holds.
    write(
        root,
        &format!("{s}/lonely.yaml"),
        &object(&[("deep", "deep")]),
    );
    write(
        root,
        &format!("{s}/everything.yaml"),
        &object(&[("alpha", "alpha"), ("post", "betaPost")]),
    );

    let (loaded, diags) = sdkgen::frontend::load(root, "spec/feat");
    assert!(diags.is_empty(), "{diags:?}");
    let loaded = loaded.unwrap();
    let problems = sdkgen::validate::validate(&loaded.spec, &loaded.sources);
    assert!(problems.is_empty(), "{problems:?}");
    sdkgen::lower::lower(&loaded.spec).features
}

#[test]
fn each_resource_has_a_feature_that_clashes_with_no_other() {
    let f = lowered();
    assert_eq!(f.all, "full");
    // In spec order (resource files by name).
    assert_eq!(f.list, ["alpha", "beta", "default-resource", "every"]);
    let by_module: BTreeMap<&str, &str> = f
        .resources
        .iter()
        .map(|(m, r)| (m.as_str(), r.name.as_str()))
        .collect();
    assert_eq!(by_module["default"], "default-resource");
    assert_eq!(f.resources["alpha"].cfg.0, ["alpha"]);
}

#[test]
fn a_model_is_compiled_with_the_resources_that_reach_it() {
    let f = lowered();
    let cfgs: BTreeMap<&str, Vec<&str>> = f
        .models
        .iter()
        .map(|(m, c)| (m.as_str(), c.0.iter().map(String::as_str).collect()))
        .collect();
    let expected: BTreeMap<&str, Vec<&str>> = [
        ("Alpha", vec!["alpha", "every"]),
        ("BetaPost", vec!["beta", "every"]),
        // Through `Alpha` and `BetaPost`, transitively; in resource order.
        ("Part", vec!["alpha", "beta", "every"]),
        ("Leaf", vec!["alpha", "beta", "every"]),
        ("Everything", vec!["every"]),
        // `alpha` does not reach `Shared`, so it is not in every build.
        ("Shared", vec!["beta", "default-resource", "every"]),
    ]
    .into_iter()
    .collect();
    // `Deep` is held by `Lonely`, which no resource reaches: every build has both.
    assert_eq!(cfgs, expected);
    assert_eq!(
        sdkgen::rust::cfg_attr(&f.models["Part"]),
        r#"#[cfg(any(feature = "alpha", feature = "beta", feature = "every"))]"#
    );
    assert_eq!(
        sdkgen::rust::cfg_attr(&f.models["Everything"]),
        r#"#[cfg(feature = "every")]"#
    );
}

/// CI builds a few features alone, whatever the number of resources: the one with the fewest
/// models of its own (`default-resource`: `Shared`), the one with the most (`every`: six),
/// and the one whose models others share most (`every` again, listed once).
#[test]
fn ci_builds_the_smallest_largest_and_most_shared_features() {
    assert_eq!(lowered().checked, ["default-resource", "every"]);
}

/// Models live in files by the resources that need them, each file gated once: `common` for
/// what every build has, the resource's module for one resource's models, `shared_<first
/// model>` for the models of one set of resources.
#[test]
fn models_are_filed_by_the_resources_that_need_them() {
    let f = lowered();
    let files: Vec<(&str, Vec<&str>)> = f
        .modules
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.cfg.0.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("shared_alpha", vec!["alpha", "every"]),
            ("shared_beta_post", vec!["beta", "every"]),
            ("common", vec![]),
            ("every", vec!["every"]),
            ("shared_leaf", vec!["alpha", "beta", "every"]),
            ("shared_shared", vec!["beta", "default-resource", "every"]),
        ]
    );
    // Each file holds the models of its `cfg` (model order is name order); `Part` joins `Leaf`,
    // which the same resources reach.
    let common = f.modules.iter().find(|m| m.name == "common").unwrap();
    let shared = f.modules.iter().find(|m| m.name == "shared_leaf").unwrap();
    assert_eq!(common.models.len(), 2, "Deep and Lonely");
    assert_eq!(shared.models.len(), 2, "Leaf and Part");
    // Every model is in exactly one file.
    let filed: usize = f.modules.iter().map(|m| m.models.len()).sum();
    assert_eq!(filed, 8);
    // `Part` holds `Leaf` and `Deep`; `Deep` is in `common`, so that file imports the others.
    assert!(shared.uses_others);
    assert!(!common.uses_others);
}

/// A file over the budget ([`sdkgen::features::MODULE_BUDGET`], 800 fields and variants)
/// continues in `<name>_2`, ... (whole types, in model order): two 500-value enums that one
/// resource alone reaches make two files, both gated by it.
#[test]
fn a_large_group_of_models_is_cut_into_files_of_whole_types() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "spec/big/api.yaml",
        "name: big\ntitle: Big\nversion: '1'\ncrate: {name: big-sdk, version: 0.1.0}\n\
         servers:\n  - {name: main, url: 'https://api.big.example', default: true}\n\
         auth: {header: Authorization, prefix: Bearer, description: A token.}\n",
    );
    write(
        root,
        "spec/big/resources/one.yaml",
        &resource("one", "/one", &get("pair")),
    );
    write(
        root,
        "spec/big/resources/two.yaml",
        &resource("two", "/two", &get("small")),
    );
    write(
        root,
        "spec/big/schemas/pair.yaml",
        &object(&[("a", "bigA"), ("b", "bigB")]),
    );
    write(
        root,
        "spec/big/schemas/small.yaml",
        "type: object\nproperties:\n  n: {type: integer}\n",
    );
    for name in ["bigA", "bigB"] {
        let values: Vec<String> = (0..500).map(|i| format!("v{i}")).collect();
        write(
            root,
            &format!("spec/big/schemas/{name}.yaml"),
            &format!("type: string\nenum: [{}]\n", values.join(", ")),
        );
    }
    let (loaded, diags) = sdkgen::frontend::load(root, "spec/big");
    assert!(diags.is_empty(), "{diags:?}");
    let loaded = loaded.unwrap();
    let f = sdkgen::lower::lower(&loaded.spec).features;
    let files: Vec<(&str, usize, Vec<&str>)> = f
        .modules
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.models.len(),
                m.cfg.0.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("one", 1, vec!["one"]),
            ("one_2", 2, vec!["one"]),
            ("two", 1, vec!["two"])
        ]
    );
}

/// Every feature `Cargo.toml.tera` declares besides the resources' is one that resource
/// features are kept apart from.
#[test]
fn the_crate_s_other_features_are_known() {
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/rust/Cargo.toml.tera");
    let template = std::fs::read_to_string(template).unwrap();
    let mut in_features = false;
    let mut declared = Vec::new();
    for line in template.lines() {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        if in_features && !key.is_empty() && !key.contains(['{', '%', '#']) {
            declared.push(key.to_string());
        }
    }
    assert!(declared.contains(&"default".to_string()), "{declared:?}");
    for key in declared {
        assert!(
            sdkgen::features::OTHER_FEATURES.contains(&key.as_str()),
            "Cargo.toml.tera declares feature `{key}`: add it to features::OTHER_FEATURES"
        );
    }
}
