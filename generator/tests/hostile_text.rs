//! Any text in any free-text field of a valid spec (titles, summaries, descriptions, the docs
//! URL, server descriptions, examples' strings) is either refused with a location or changes
//! nothing but text: the generated files, the Rust items in them, and the links, raw HTML and
//! code blocks of every markdown page are those of the same spec with plain text. (That such a
//! crate compiles is shown on a sample: the adversarial fixture, built by `adversarial.rs`.)

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;

mod common;

/// Where the docs URLs of the cases point.
const DOCS: &str = "https://docs.example/";

/// The valid fixture's files, as JSON values by path relative to `spec/shop/`, with a docs URL.
fn valid_spec() -> BTreeMap<String, Value> {
    let dir = common::workspace().join("generator/tests/fixtures/valid/spec/shop");
    let mut files = BTreeMap::new();
    for sub in ["", "resources", "schemas"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap().flatten() {
            if entry.path().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let value: Value = serde_yaml::from_str(&text).unwrap();
                let rel = Path::new(sub).join(entry.file_name());
                files.insert(rel.to_string_lossy().into_owned(), value);
            }
        }
    }
    files.get_mut("api.yaml").unwrap()["docs_url"] = Value::String(DOCS.into());
    files
}

/// Puts `texts` (used in turn, round robin) into every free-text field.
fn fill(files: &mut BTreeMap<String, Value>, texts: &[String], docs_url: String) {
    let mut next = texts.iter().cycle();
    let mut take = || Value::String(next.next().cloned().unwrap_or_default());
    for (path, value) in files.iter_mut() {
        fill_value(value, path.starts_with("schemas"), &mut take);
    }
    let api = files.get_mut("api.yaml").unwrap();
    api["docs_url"] = Value::String(docs_url);
    api["servers"][1]["description"] = take();
}

fn fill_value(v: &mut Value, schema_file: bool, take: &mut impl FnMut() -> Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match k.as_str() {
                    "title" | "summary" | "description" if child.is_string() => *child = take(),
                    // The strings of examples (a schema's, and the bodies' and responses').
                    "examples" | "example" if schema_file || child.is_object() => {
                        fill_strings(child, take)
                    }
                    _ => fill_value(child, schema_file, take),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| fill_value(i, schema_file, take)),
        _ => {}
    }
}

/// The strings of an example, but not those an enum or a format constrains.
fn fill_strings(v: &mut Value, take: &mut impl FnMut() -> Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == "name" && child.is_string() {
                    *child = take();
                } else {
                    fill_strings(child, take);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| fill_strings(i, take)),
        _ => {}
    }
}

fn write_spec(root: &Path, files: &BTreeMap<String, Value>) {
    for (rel, value) in files {
        let path = root.join("spec/shop").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // JSON is YAML; serde_json escapes every control character.
        std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    }
}

/// What must not change: file names, the Rust items of each file, and per markdown file its
/// links, images, raw HTML and code blocks.
fn shape(files: &sdkgen::FileSet) -> BTreeMap<String, Vec<String>> {
    files
        .iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let facts = if path.ends_with(".rs") {
                rust_items(&text)
            } else if path.ends_with(".md") {
                markdown_structure(&text)
            } else {
                Vec::new()
            };
            (path.clone(), facts)
        })
        .collect()
}

fn rust_items(text: &str) -> Vec<String> {
    let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut out = Vec::new();
    items(&file.items, "", &mut out);
    out
}

fn items(list: &[syn::Item], prefix: &str, out: &mut Vec<String>) {
    for item in list {
        match item {
            syn::Item::Fn(f) => out.push(format!("{prefix}fn {}", f.sig.ident)),
            syn::Item::Struct(s) => {
                out.push(format!("{prefix}struct {}", s.ident));
                for f in &s.fields {
                    if let Some(name) = &f.ident {
                        out.push(format!("{prefix}{}.{name}", s.ident));
                    }
                }
            }
            syn::Item::Enum(e) => {
                out.push(format!("{prefix}enum {}", e.ident));
                for v in &e.variants {
                    out.push(format!("{prefix}{}::{}", e.ident, v.ident));
                }
            }
            syn::Item::Impl(i) => {
                let ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                for it in &i.items {
                    match it {
                        syn::ImplItem::Fn(f) => out.push(format!("{prefix}{ty}::{}", f.sig.ident)),
                        syn::ImplItem::Const(c) => out.push(format!("{prefix}{ty}::{}", c.ident)),
                        syn::ImplItem::Macro(m) => out.push(format!(
                            "{prefix}{ty}::{}!",
                            quote::ToTokens::to_token_stream(&m.mac.path)
                        )),
                        _ => {}
                    }
                }
            }
            syn::Item::Mod(m) => {
                out.push(format!("{prefix}mod {}", m.ident));
                if let Some((_, inner)) = &m.content {
                    items(inner, &format!("{prefix}{}::", m.ident), out);
                }
            }
            syn::Item::Const(c) => out.push(format!("{prefix}const {}", c.ident)),
            syn::Item::Type(t) => out.push(format!("{prefix}type {}", t.ident)),
            syn::Item::Use(u) => out.push(format!(
                "{prefix}use {}",
                quote::ToTokens::to_token_stream(&u.tree)
            )),
            syn::Item::Macro(m) => out.push(format!(
                "{prefix}{}!",
                quote::ToTokens::to_token_stream(&m.mac.path)
            )),
            _ => {}
        }
    }
}

fn markdown_structure(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut out = Vec::new();
    for event in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            // The docs URL is itself one of the texts, and a schema page's example anchor is
            // made from the schema's title (as a slug: letters, digits, `-` and `_`).
            Event::Start(Tag::Link { dest_url, .. }) => out.push(if dest_url.starts_with(DOCS) {
                "link to the docs URL".to_string()
            } else if let Some((page, anchor)) = dest_url.split_once(".md#") {
                assert!(
                    anchor
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_'),
                    "anchor {anchor:?}"
                );
                format!("link {page}.md#(title)")
            } else {
                format!("link {dest_url}")
            }),
            Event::Start(Tag::Image { dest_url, .. }) => out.push(format!("image {dest_url}")),
            Event::Start(Tag::CodeBlock(kind)) => out.push(format!("code block {kind:?}")),
            Event::Start(Tag::Table(_)) => out.push("table".into()),
            Event::Start(Tag::Heading { level, .. }) => out.push(format!("heading {level}")),
            // Line breaks inside table cells are the only HTML a page holds.
            Event::Html(html) | Event::InlineHtml(html) if &*html != "<br>" => {
                out.push(format!("html {html}"))
            }
            _ => {}
        }
    }
    out
}

/// The plain spec generated once: its folder (which holds the format cache every case
/// shares) and its shape.
struct Plain {
    _root: tempfile::TempDir,
    options: sdkgen::Options,
    shape: BTreeMap<String, Vec<String>>,
}

fn plain() -> &'static Plain {
    static PLAIN: std::sync::OnceLock<Plain> = std::sync::OnceLock::new();
    PLAIN.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        common::copy_dir(
            &common::workspace().join("templates"),
            &root.path().join("templates"),
        );
        write_spec(root.path(), &valid_spec());
        let options = sdkgen::Options::cached(root.path());
        let expected =
            sdkgen::generate_with(root.path(), &[], &options).unwrap_or_else(|e| panic!("{e}"));
        Plain {
            shape: shape(&expected.files),
            options,
            _root: root,
        }
    })
}

/// Markup and syntax of every output language, on one line.
fn printable_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*/".to_string()),
        Just("/*".to_string()),
        Just("\"#".to_string()),
        Just("r#\"".to_string()),
        Just("`".to_string()),
        Just("```rust fn injected() {} ```".to_string()),
        Just("~~~".to_string()),
        Just("    fn indented() {}".to_string()),
        Just("{{ lib }}".to_string()),
        Just("{% raw %}".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("[link](javascript:alert(1))".to_string()),
        Just("![img](https://x.example/i.png)".to_string()),
        Just("<https://auto.example>".to_string()),
        Just("| cell |".to_string()),
        Just("# heading".to_string()),
        Just("- item".to_string()),
        Just("\\".to_string()),
        Just("&amp; &#96;".to_string()),
        Just("javascript:alert(1)".to_string()),
        "[a-zA-Z0-9 .,:;!?'()-]{0,12}",
        "[^\\p{C}]{0,4}",
    ]
}

/// What only prose may hold (line breaks), and what nothing may hold.
fn control_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\n```rust\nfn injected() {}\n```\n".to_string()),
        Just("\n\n    fn indented() {}\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just("\0".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{2028}".to_string()),
    ]
}

/// Mostly one-line hostile text (which every field takes), sometimes with line breaks or
/// control characters (which some or all fields refuse).
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![6 => printable_piece(), 1 => control_piece()];
    proptest::collection::vec(piece, 0..5).prop_map(|parts| parts.concat())
}

/// A docs URL: a valid one with hostile characters that a URL may hold, or any text.
fn docs_url() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9()*_|\\[\\]{}!$&'+,;=:@~%.-]{0,16}"
            .prop_map(|tail| format!("{DOCS}{tail}")),
        1 => hostile_text(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn free_text_is_refused_with_a_location_or_changes_only_text(
        texts in proptest::collection::vec(hostile_text(), 1..12),
        url in docs_url(),
    ) {
        let plain = plain();
        let hostile = tempfile::tempdir().unwrap();
        common::copy_dir(&common::workspace().join("templates"), &hostile.path().join("templates"));
        let mut filled = valid_spec();
        fill(&mut filled, &texts, url);
        write_spec(hostile.path(), &filled);
        match sdkgen::generate_with(hostile.path(), &[], &plain.options) {
            Err(sdkgen::Error::Spec(diags)) => {
                for d in &diags.0 {
                    prop_assert!(d.pos.is_some() && d.file.starts_with("spec/shop/"), "no location: {d}");
                }
            }
            Err(other) => prop_assert!(false, "not a spec diagnostic: {other}"),
            Ok(got) => {
                let got = shape(&got.files);
                prop_assert_eq!(got.keys().collect::<Vec<_>>(), plain.shape.keys().collect::<Vec<_>>());
                for (path, facts) in &got {
                    prop_assert_eq!(facts, &plain.shape[path], "{}", path);
                }
            }
        }
    }
}
