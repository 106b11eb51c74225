//! The front-end of Losant's API description on the small description of the
//! `losant-description` fixture (`spec/things/`): the spec it gives, what it leaves out and why,
//! and the located diagnostics of broken copies of it.

use std::path::Path;

use serde_json::{json, Value};

use sdkgen::frontend::load_memory;
use sdkgen::load::MemoryFiles;

const SPEC: &str = "spec/things";

/// The fixture's files, keyed as `load_memory` reads them.
fn fixture() -> MemoryFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/losant-description");
    let mut files = MemoryFiles::new();
    let mut stack = vec![root.join(SPEC)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Loads and validates; the spec (if any) and every diagnostic as text.
fn load(files: &MemoryFiles) -> (Option<sdkgen::spec::Spec>, Vec<String>) {
    let (loaded, diags) = load_memory(files, SPEC);
    let mut diags: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let spec = loaded.map(|l| {
        diags.extend(
            sdkgen::validate::validate(&l.spec, &l.sources)
                .iter()
                .map(ToString::to_string),
        );
        l.spec
    });
    (spec, diags)
}

fn clean() -> sdkgen::spec::Spec {
    let (spec, diags) = load(&fixture());
    assert!(diags.is_empty(), "{}", diags.join("\n"));
    spec.expect("a spec")
}

/// Replaces the one occurrence of `from` in a file.
fn edit(files: &mut MemoryFiles, file: &str, from: &str, to: &str) {
    let key = format!("{SPEC}/{file}");
    let text = String::from_utf8(files[&key].clone()).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
    files.insert(key, text.replacen(from, to, 1).into_bytes());
}

fn resource<'a>(spec: &'a sdkgen::spec::Spec, name: &str) -> &'a sdkgen::spec::Resource {
    spec.resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("resource {name}"))
}

#[test]
fn resources_and_actions_keep_the_vendor_names_and_paths() {
    let spec = clean();
    let names: Vec<&str> = spec.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["thing", "things"]);
    assert_eq!(spec.api.title, "Things API");
    assert_eq!(spec.api.version, "1.0.0");
    let thing = resource(&spec, "thing");
    assert_eq!(thing.title, "Thing");
    assert_eq!(thing.path, "/things/{thingId}");
    let things = resource(&spec, "things");
    // Without an `x-title`, the title is the name's words; the description the vendor's wording.
    assert_eq!(things.title, "Things");
    assert!(things.description.starts_with(
        "Details on the various actions that can be performed on the Things resource"
    ));
    let search = &things.actions["search"];
    assert_eq!(search.path, "/search");
    assert_eq!(format!("{:?}", search.method).to_uppercase(), "POST");
}

#[test]
fn scopes_are_the_overlays_list_or_the_resources_and_the_actions_own() {
    let spec = clean();
    assert_eq!(
        resource(&spec, "thing").actions["get"].scopes,
        ["all.Application", "thing.*", "thing.get"]
    );
    assert_eq!(
        resource(&spec, "things").actions["search"].scopes,
        ["things.*", "things.search"]
    );
}

#[test]
fn a_body_takes_its_definitions_example_and_refs_resolve_across_the_files() {
    let spec = clean();
    let search = &resource(&spec, "things").actions["search"];
    let body = search.body.as_ref().expect("a body");
    assert_eq!(body.name, "query");
    // `#/definitions/advancedThingQuery` inside its own file names the definition itself.
    assert_eq!(
        spec.schemas["advancedThingQuery"]["properties"]["$and"]["items"],
        json!({"$ref": "advancedThingQuery"})
    );
    assert_eq!(
        spec.schemas["things"]["properties"]["items"]["items"],
        json!({"$ref": "thing"})
    );
    // The definition's example comes from apiExamples.json; the overlay's secret is kept.
    assert_eq!(
        spec.schemas["thing"]["examples"][0]["name"],
        Value::from("My Thing")
    );
    assert_eq!(
        spec.schemas["thing"]["properties"]["secret"]["x-secret"],
        Value::Bool(true)
    );
}

#[test]
fn string_typed_query_values_keep_their_text() {
    let spec = clean();
    let get = &resource(&spec, "things").actions["get"];
    let page = get.params.iter().find(|p| p.name == "page").unwrap();
    assert_eq!(page.default, Some(Value::from("0")));
    let deleted = get
        .params
        .iter()
        .find(|p| p.name == "includeDeleted")
        .unwrap();
    assert_eq!(deleted.default, Some(Value::from("false")));
    assert_eq!(deleted.example, Some(Value::from("true")));
    assert!(get.paginated.is_some());
}

#[test]
fn global_parameters_are_the_apis() {
    let spec = clean();
    let globals: Vec<&str> = spec
        .api
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(globals, ["_links", "losantdomain"]);
    assert_eq!(spec.api.parameters[0].default, Some(Value::Bool(true)));
}

#[test]
fn streams_outcomes_and_styled_queries_are_read_as_the_official_clients_send_them() {
    let spec = clean();
    let thing = resource(&spec, "thing");
    assert_eq!(
        thing.actions.keys().collect::<Vec<_>>(),
        ["get", "patch", "stateStream"]
    );
    // Two success statuses: the outcomes of one action.
    let codes: Vec<u16> = thing.actions["patch"]
        .responses
        .iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    // A server-sent event stream, each event's data of its one schema.
    let stream = &thing.actions["stateStream"].responses[0];
    assert!(stream.is_event_stream());
    assert!(stream.schema.is_some());
    // An object typed `object` as one JSON text; a list as bracket keys.
    let things = resource(&spec, "things");
    let style = |action: &str, name: &str| {
        let p = things.actions[action]
            .params
            .iter()
            .find(|p| p.name == name)
            .unwrap();
        (p.style, p.schema["type"].clone())
    };
    assert_eq!(style("find", "query").0, sdkgen::spec::QueryStyle::Json);
    assert_eq!(
        style("tagged", "tags"),
        (sdkgen::spec::QueryStyle::Brackets, json!("array"))
    );
    assert_eq!(
        spec.excluded,
        ["- resource `widgets`: 1 action not yet included (`x-include-resources`)"]
    );
}

#[test]
fn an_overlay_target_that_matches_nothing_is_an_error_naming_it() {
    let mut files = fixture();
    edit(
        &mut files,
        "overlay.yaml",
        "target: $.definitions.thing.properties.secret",
        "target: $.definitions.thing.properties.password",
    );
    let (_, diags) = load(&files);
    assert!(
        diags
            .iter()
            .any(|d| d.starts_with("spec/things/overlay.yaml:")
                && d.contains("target `$.definitions.thing.properties.password` matches nothing")),
        "{diags:#?}"
    );
}

#[test]
fn problems_in_the_vendor_files_are_all_reported_with_file_line_column_and_pointer() {
    let mut files = fixture();
    edit(
        &mut files,
        "schemas/apiInfo.json",
        r#""in": "path", "name": "thingId""#,
        r#""in": "paht", "name": "thingId""#,
    );
    edit(
        &mut files,
        "schemas/things.json",
        r##""$ref": "#/definitions/thing""##,
        r##""$ref": "#/definitions/thingg""##,
    );
    let (_, diags) = load(&files);
    let text = diags.join("\n");
    let info = String::from_utf8(files[&format!("{SPEC}/schemas/apiInfo.json")].clone()).unwrap();
    let (line, col) = info
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.contains(r#""in": "paht""#)
                .then(|| (i + 1, l.find('{').unwrap() + 1))
        })
        .unwrap();
    let want =
        format!("spec/things/schemas/apiInfo.json:{line}:{col}: parameter `thingId` is `in: paht`");
    // Reported once, though both actions of the resource share the parameter.
    assert_eq!(text.matches(&want).count(), 1, "{text}");
    assert!(text.contains("#/thing/params/0/in"), "{text}");
    assert!(
        text.contains("spec/things/schemas/things.json:5:"),
        "the dangling ref, located: {text}"
    );
    assert!(
        text.contains("`$ref` `thingg.json` names nothing"),
        "{text}"
    );
}

#[test]
fn an_include_list_naming_no_resource_is_an_error() {
    let mut files = fixture();
    edit(
        &mut files,
        "overlay.yaml",
        "x-include-resources: [thing, things]",
        "x-include-resources: [thing, thingz]",
    );
    let (_, diags) = load(&files);
    assert!(
        diags.iter().any(|d| d
            .contains("names the resource `thingz`, which `schemas/apiInfo.json` does not have")),
        "{diags:#?}"
    );
}
