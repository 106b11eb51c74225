//! The markdown reference pages say every fact of the spec, their links resolve, and spec text
//! survives the table cells it is put in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sdkgen::spec::{Param, Response, Spec};
use serde_json::Value;

mod common;
use common::{copy_dir, workspace};

fn generated() -> sdkgen::FileSet {
    sdkgen::generate(&workspace(), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}

fn page<'a>(files: &'a sdkgen::FileSet, path: &str) -> &'a str {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not generated"));
    std::str::from_utf8(bytes).unwrap()
}

/// Reads a cell back as a reader sees it: links keep their text, `<br>` is a newline, markdown
/// escapes and HTML entities are undone.
fn unescape(cell: &str) -> String {
    let mut text = String::new();
    let cell = cell.trim().replace("<br>", "\n");
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    text.push(n);
                }
            }
            // a link `[text](url)`: keep the text
            '[' => {
                let mut inner = String::new();
                let mut depth = 0;
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            inner.push(n);
                            if let Some(m) = chars.next() {
                                inner.push(m);
                            }
                            continue;
                        }
                        '[' => depth += 1,
                        ']' if depth == 0 => break,
                        ']' => depth -= 1,
                        _ => {}
                    }
                    inner.push(n);
                }
                if chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                    text.push_str(&unescape(&inner));
                } else {
                    text.push('[');
                    text.push_str(&inner);
                    text.push(']');
                }
            }
            // a code span: its text is literal (CommonMark), without the backticks around it
            '`' => {
                let mut run = 1;
                while chars.peek() == Some(&'`') {
                    chars.next();
                    run += 1;
                }
                let rest: String = chars.clone().collect();
                let fence = "`".repeat(run);
                match rest.find(&fence) {
                    Some(end) => {
                        text.push_str(&rest[..end]);
                        for _ in 0..rest[..end].chars().count() + run {
                            chars.next();
                        }
                    }
                    None => text.push_str(&fence),
                }
            }
            _ => text.push(c),
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#96;", "`")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Splits a table row on the `|` that are not escaped.
fn split_row(line: &str) -> Vec<String> {
    let line = line.trim().trim_start_matches('|');
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        cells.push(cur);
    }
    cells
}

/// Every table row of a page, cells unescaped.
fn rows(page: &str) -> Vec<Vec<String>> {
    page.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .map(|l| split_row(l).iter().map(|c| unescape(c)).collect())
        .collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn title(spec: &Spec, name: &str) -> String {
    spec.schemas[name]
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string()
}

fn type_of(spec: &Spec, schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return title(spec, r);
    }
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        return f.to_string();
    }
    match schema.get("type") {
        Some(Value::Array(ts)) => ts.iter().map(text).collect::<Vec<_>>().join(" or "),
        // A list says what it holds (a list query parameter: `array of string`).
        Some(Value::String(t)) if t == "array" => match schema.get("items") {
            Some(items) => format!("array of {}", type_of(spec, items)),
            None => "array".into(),
        },
        Some(t) => text(t),
        None => String::new(),
    }
}

fn param_cells(spec: &Spec, p: &Param) -> Vec<String> {
    let mut desc = p.description.trim().to_string();
    if let Some(vals) = p.schema.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = vals.iter().map(text).collect();
        if !desc.ends_with('.') {
            desc.push('.');
        }
        desc.push_str(&format!(" Accepted values are: {}", vals.join(", ")));
    }
    vec![
        p.name.clone(),
        type_of(spec, &p.schema),
        if p.required { "Y" } else { "N" }.into(),
        desc,
        p.default.as_ref().map(text).unwrap_or_default(),
        p.example.as_ref().map(text).unwrap_or_default(),
    ]
}

fn response_cells(spec: &Spec, r: &Response) -> Vec<String> {
    vec![
        r.code.to_string(),
        r.schema
            .as_ref()
            .map(|s| type_of(spec, s))
            .unwrap_or_default(),
        r.description.trim().to_string(),
    ]
}

fn has_row(rows: &[Vec<String>], want: &[String]) -> bool {
    // A cell's lines are trimmed: white space at the start of a line of a cell means nothing.
    let lines = |s: &str| {
        s.trim()
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };
    rows.iter()
        .any(|r| r.len() == want.len() && r.iter().zip(want).all(|(a, b)| lines(a) == lines(b)))
}

/// (a) Every parameter row (six cells), scope and response of the spec is on its page.
#[test]
fn pages_say_every_fact_of_the_spec() {
    let files = generated();
    let mut missing = Vec::new();
    for api in ["losant", "mist"] {
        let spec = sdkgen::load_checked(&workspace(), &format!("spec/{api}"))
            .unwrap_or_else(|e| panic!("{e}"));
        for resource in &spec.resources {
            let path = format!("generated/{api}/docs/{}.md", resource.name);
            let text_of_page = page(&files, &path);
            let table = rows(text_of_page);
            let plain = unescape(text_of_page);
            for (name, action) in &resource.actions {
                let at = format!("{path} ({name})");
                if !plain.contains(&action.summary) {
                    missing.push(format!("{at}: summary `{}`", action.summary));
                }
                let mut wanted: Vec<Vec<String>> = action
                    .params
                    .iter()
                    .map(|p| param_cells(&spec, p))
                    .collect();
                if let Some(b) = &action.body {
                    let r = b.schema.get("$ref").and_then(Value::as_str);
                    // The cell names the example of the schema, or (when the schema has none)
                    // the body's own example shown below the table.
                    let example = r
                        .filter(|r| {
                            spec.schemas[*r].get("examples").is_some() || b.example.is_some()
                        })
                        .map(|r| format!("{} Example", title(&spec, r)))
                        .unwrap_or_default();
                    wanted.push(vec![
                        b.name.clone(),
                        type_of(&spec, &b.schema),
                        if b.required { "Y" } else { "N" }.into(),
                        b.description.trim().to_string(),
                        String::new(),
                        example,
                    ]);
                }
                wanted.extend(spec.api.parameters.iter().map(|p| param_cells(&spec, p)));
                for want in &wanted {
                    if !has_row(&table, want) {
                        missing.push(format!("{at}: parameter row {want:?}"));
                    }
                }
                for scope in &action.scopes {
                    if !plain.contains(scope.as_str()) {
                        missing.push(format!("{at}: scope `{scope}`"));
                    }
                }
                let mut responses: Vec<&Response> =
                    action.responses.iter().chain(&action.errors).collect();
                for e in &spec.api.errors {
                    if !action.errors.iter().any(|x| x.code == e.code) {
                        responses.push(e);
                    }
                }
                for r in responses {
                    let want = response_cells(&spec, r);
                    if !has_row(&table, &want) {
                        missing.push(format!("{at}: response row {want:?}"));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "missing facts:\n{}", missing.join("\n"));
}

/// GitHub's heading anchor: the rendered text, lower case, punctuation dropped, spaces to `-`.
fn slug(heading: &str) -> String {
    unescape(heading)
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page (with GitHub's `-1`, `-2` suffixes for repeated headings) and its
/// links, both outside code blocks.
fn anchors_and_links(page: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut anchors = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut links = Vec::new();
    let mut fenced = false;
    for line in page.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        if line.starts_with('#') {
            let s = slug(line.trim_start_matches('#'));
            let n = seen.entry(s.clone()).or_insert(0);
            anchors.insert(if *n == 0 {
                s.clone()
            } else {
                format!("{s}-{n}")
            });
            *n += 1;
        }
        let mut rest = line;
        while let Some(i) = rest.find("<a id=\"") {
            let tail = &rest[i + 7..];
            let end = tail.find('"').unwrap_or(tail.len());
            anchors.insert(tail[..end].to_string());
            rest = &tail[end..];
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let tail = &rest[i + 2..];
            let end = tail.find(')').unwrap_or(tail.len());
            // `\](` is escaped text, not a link
            if !rest[..i].ends_with('\\') {
                links.push(tail[..end].to_string());
            }
            rest = &tail[end..];
        }
    }
    (anchors, links)
}

/// (b) Every relative link and `#anchor` of the pages resolves.
#[test]
fn every_link_and_anchor_resolves() {
    let files = generated();
    let pages: BTreeMap<&str, &str> = files
        .iter()
        .filter(|(p, _)| p.contains("/docs/") && p.ends_with(".md"))
        .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).unwrap()))
        .collect();
    assert!(pages.len() > 4, "no pages generated");
    let anchors: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, t)| (*p, anchors_and_links(t).0))
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (path, text) in &pages {
        for link in anchors_and_links(text).1 {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, anchor) = match link.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if file.is_empty() {
                path.to_string()
            } else {
                let dir = Path::new(path).parent().unwrap();
                let mut parts: Vec<&str> = dir.to_str().unwrap().split('/').collect();
                for seg in file.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        "." => {}
                        s => parts.push(s),
                    }
                }
                parts.join("/")
            };
            match anchors.get(target.as_str()) {
                None => broken.push(format!("{path}: link `{link}`: no page {target}")),
                Some(set) => {
                    if let Some(a) = anchor {
                        if !set.contains(a) {
                            broken
                                .push(format!("{path}: link `{link}`: no anchor #{a} in {target}"));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// (c) Spec text with `|`, a newline, backticks and HTML survives in a table cell, both through
/// `markdown::cell` and through a whole generated page.
#[test]
fn spec_text_survives_in_cells() {
    let nasty = "a|b `code` <b>bold</b> \\ *x* _y_ [z] #w &amp;\nsecond line";
    let rendered = sdkgen::markdown::cell(nasty);
    assert!(!rendered.contains('\n'), "{rendered}");
    let line = format!("| name | {rendered} |");
    let cells = split_row(&line);
    assert_eq!(cells.len(), 2, "the cell broke the row: {line}");
    assert_eq!(unescape(&cells[1]), nasty);

    // end to end: a parameter description of a copied workspace
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("spec"), &dir.path().join("spec"));
    copy_dir(
        &workspace().join("templates"),
        &dir.path().join("templates"),
    );
    let file = dir.path().join("spec/losant/schemas/apiInfo.json");
    let json = std::fs::read_to_string(&file).unwrap();
    let json = json.replace(
        r#""description":"ID associated with the application""#,
        r#""description":"ID | of the `app` <b>now</b>\nsecond line""#,
    );
    std::fs::write(&file, json).unwrap();
    let files = sdkgen::generate(dir.path(), &["losant".to_string()])
        .unwrap_or_else(|e| panic!("{e}"))
        .files;
    let table = rows(page(&files, "generated/losant/docs/applicationApiToken.md"));
    let want = "ID | of the `app` <b>now</b>\nsecond line";
    assert!(
        table
            .iter()
            .any(|r| r.len() == 6 && r[0] == "applicationId" && r[3] == want),
        "no applicationId row with description {want:?}"
    );
}
