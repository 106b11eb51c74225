//! Every name the generator knows the generated crate already uses (the `Client`'s methods, a
//! request's members, a handle's methods, prelude, crate and test types) used as a resource,
//! parameter, action or schema name: the crate keeps every accessor, and no generated name
//! takes one of those. The reserved lists are checked against the runtime itself (the files
//! copied from `templates/rust/runtime/` and the generated `api.rs`), so a method or type added
//! there without its name being reserved fails here. (The adversarial fixture
//! compiles a sample of these names.)

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sdkgen::names::{
    RESERVED_CLIENT_METHODS, RESERVED_HANDLE_METHODS, RESERVED_REQUEST_MEMBERS, RESERVED_TYPES,
};

mod common;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A spec using every reserved name.
fn spec(root: &std::path::Path) {
    write(
        root,
        "spec/names/api.yaml",
        "name: names\ntitle: Names\nversion: '1'\ncrate: {name: names-sdk, version: 0.1.0}\n\
         servers:\n  - {name: main, url: 'https://api.names.example', default: true}\n\
         auth: {header: Authorization, prefix: Bearer, description: A token.}\n",
    );
    for (i, name) in RESERVED_CLIENT_METHODS.iter().enumerate() {
        write(
            root,
            &format!("spec/names/resources/{name}.yaml"),
            &format!(
                "name: {name}\ntitle: T\ndescription: D\npath: /r{i}\nactions:\n  get:\n    summary: S\n    method: GET\n    responses:\n      - {{code: 204, description: None}}\n"
            ),
        );
    }
    let mut params = String::new();
    for name in RESERVED_REQUEST_MEMBERS {
        let _ = writeln!(
            params,
            "      - {{name: {name}, in: query, description: D, schema: {{type: string}}}}"
        );
    }
    let mut actions = String::new();
    for (i, name) in RESERVED_HANDLE_METHODS.iter().enumerate() {
        let _ = write!(
            actions,
            "  {name}:\n    summary: S\n    method: GET\n    path: /a{i}\n    params:\n{params}    responses:\n      - {{code: 200, description: R, schema: {{$ref: {}}}}}\n",
            RESERVED_TYPES[i % RESERVED_TYPES.len()]
        );
    }
    write(
        root,
        "spec/names/resources/members.yaml",
        &format!("name: members\ntitle: T\ndescription: D\npath: /members\nactions:\n{actions}"),
    );
    for name in RESERVED_TYPES {
        write(
            root,
            &format!("spec/names/schemas/{name}.yaml"),
            "type: object\nproperties:\n  a: {type: string}\n",
        );
    }
}

fn parse(files: &sdkgen::FileSet, path: &str) -> syn::File {
    let text = String::from_utf8(files[path].clone()).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names of the functions of every `impl` whose type's last path segment is `ty`.
fn methods(file: &syn::File, ty: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Impl(i) = item {
            let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
            let last = self_ty.rsplit("::").next().unwrap_or("").trim();
            if i.trait_.is_none() && last.split('<').next().unwrap_or("").trim() == ty {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        out.push(f.sig.ident.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn reserved_names_are_never_taken_and_every_accessor_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::workspace().join("templates"),
        &tmp.path().join("templates"),
    );
    spec(tmp.path());
    let g = sdkgen::generate(tmp.path(), &[]).unwrap_or_else(|e| panic!("{e}"));
    let root = "generated/names";

    // The runtime's own methods and types (in the files copied from `templates/rust/runtime/`
    // and in the per-API `api.rs`) are all reserved.
    let mut runtime_methods = 0;
    for file in ["client.rs", "error.rs", "support.rs", "api.rs"] {
        let parsed = parse(&g.files, &format!("{root}/src/{file}"));
        for m in methods(&parsed, "Client") {
            runtime_methods += 1;
            assert!(
                RESERVED_CLIENT_METHODS.contains(&m.as_str()),
                "Client::{m} ({file}) is not reserved"
            );
        }
        for name in type_names(&parsed) {
            assert!(
                RESERVED_TYPES.contains(&name.as_str()),
                "the runtime's type `{name}` ({file}) is not reserved"
            );
        }
    }
    assert!(runtime_methods > 0, "no `impl Client` found in the runtime");
    // One accessor per resource, none of them a name `Client` has.
    let accessors = methods(
        &parse(&g.files, &format!("{root}/src/resources/mod.rs")),
        "Client",
    );
    assert_eq!(
        accessors.len(),
        RESERVED_CLIENT_METHODS.len() + 1,
        "{accessors:?}"
    );
    let unique: BTreeSet<&String> = accessors.iter().collect();
    assert_eq!(unique.len(), accessors.len(), "{accessors:?}");
    for a in &accessors {
        assert!(
            !RESERVED_CLIENT_METHODS.contains(&a.as_str()),
            "accessor `{a}` is a Client method"
        );
    }
    // Handles and requests: no generated method takes a reserved member name, and none twice.
    let members = parse(&g.files, &format!("{root}/src/resources/members.rs"));
    let handle = methods(&members, "MembersResource");
    assert_eq!(handle.len(), RESERVED_HANDLE_METHODS.len());
    for m in &handle {
        assert!(
            !RESERVED_HANDLE_METHODS.contains(&m.as_str()),
            "handle method `{m}`"
        );
    }
    let text =
        String::from_utf8(g.files[&format!("{root}/src/resources/members.rs")].clone()).unwrap();
    for m in RESERVED_REQUEST_MEMBERS {
        // Setters are written `setter! { "doc", field, Type }`: no field is a reserved name.
        assert!(
            !text.contains(&format!(", {m}, String")),
            "a setter is named `{m}`"
        );
    }
    // No model is named like a reserved type.
    let model_files = g
        .files
        .keys()
        .filter(|path| path.starts_with(&format!("{root}/src/models/")));
    let mut count = 0;
    for path in model_files {
        for name in type_names(&parse(&g.files, path)) {
            count += 1;
            assert!(
                !RESERVED_TYPES.contains(&name.as_str()),
                "a model is named `{name}`"
            );
        }
    }
    assert!(count > 0, "no model found under {root}/src/models/");
}

/// The names of the structs, enums and type aliases a file defines at its top level.
fn type_names(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}
