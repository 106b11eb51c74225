//! Rust source text of IR values: the one place the generator writes Rust text. Each IR leaf
//! (types, literals, docs, serde attributes, test values, path templates) serializes into a
//! template context as the text it stands for, so templates arrange text that is already
//! escaped and never build it themselves.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::ir::{
    AddTo, CallIr, Cfg, Doc, DocLit, FieldSerde, InnerDoc, Lit, OutsideType, TypeRef, ValueExpr,
};
use crate::path::PathTemplate;
use crate::spec::{ParamIn, QueryStyle};

/// A Rust string literal (quoted and escaped) for `text`.
pub fn lit(text: &str) -> String {
    // ASCII is escaped here exactly as proc-macro2 escapes it (`char::escape_debug`, quotes
    // kept); only other text, where Unicode rules decide, goes through proc-macro2.
    if !text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) || matches!(b, b'\n' | b'\r' | b'\t'))
    {
        return proc_macro2::Literal::string(text).to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `#[doc = "..."]` lines for a text, one attribute per line, so any text is a valid doc.
/// Spec text is prose, never code: fences are escaped and lines unindented, so that rustdoc
/// never takes vendor text for a doctest.
pub fn doc_attrs(text: &str) -> String {
    doc_attrs_with(text, "#[doc = ")
}

fn doc_attrs_with(text: &str, open: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    doc_lines(text)
        .iter()
        .map(|l| format!("{open}{}]\n", lit(&format!(" {l}"))))
        .collect()
}

/// The lines of spec text as rustdoc lines ([`doc_line`]); a line that continues a list item
/// is indented under the item's text, so that markdown reads it as part of the item (rustdoc
/// and clippy's `doc_lazy_continuation` would otherwise take it for a lazy continuation).
fn doc_lines(text: &str) -> Vec<String> {
    let mut item: Option<usize> = None;
    text.lines()
        .map(|l| {
            let line = doc_line(l);
            if line.is_empty() {
                item = None;
                return line;
            }
            if let Some(width) = list_marker_width(&line) {
                item = Some(width);
                return line;
            }
            match item {
                Some(width) => format!("{}{line}", " ".repeat(width)),
                None => line,
            }
        })
        .collect()
}

/// The width of the list marker a markdown line starts with (`- `, `* `, `+ `, `1. `, `2) `).
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    ((1..=9).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Spec text as one rustdoc string: each line as [`doc_attrs`] writes it, joined by `\n`.
pub fn doc_text(text: &str) -> String {
    doc_lines(text.trim())
        .iter()
        .map(|l| format!(" {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of spec text as it appears in rustdoc (markdown): unindented, so that it cannot
/// be an indented code block; fences escaped, so that it cannot open one (rustdoc would
/// compile either as a doctest); and outside code spans, `<`, `>`, `[` and `]` escaped, so
/// that it adds no HTML and no link (nor a broken intra-doc link warning); a bare `http(s)://`
/// URL is written as a code span (rustdoc's `bare_urls` lint refuses it bare).
pub fn doc_line(line: &str) -> String {
    let line = line.trim();
    // Runs of three or more backticks that pair up within the line delimit code spans as
    // single backticks do (and cannot open a fence), so that a URL in one stays in a code span.
    // An unpaired run is escaped below as a fence would be.
    let collapsed;
    let line = if line.contains("```") && backtick_runs(line).is_multiple_of(2) {
        collapsed = collapse_backtick_runs(line);
        collapsed.as_str()
    } else {
        line
    };
    // Most lines have nothing to escape.
    if !line.contains(['`', '~', '<', '>', '[', ']']) && !line.contains("://") {
        return line.to_string();
    }
    let ticks = line.matches('`').count();
    let mut out = String::with_capacity(line.len() + 8);
    let (mut inside, mut seen) = (false, 0);
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        if !inside {
            if let Some(len) = crate::markdown::bare_url_len(&line[i..]) {
                // A space keeps it apart from a code span it touches.
                if out.ends_with('`') {
                    out.push(' ');
                }
                out.push('`');
                out.push_str(&line[i..i + len]);
                out.push('`');
                if line[i + len..].starts_with('`') {
                    out.push(' ');
                }
                // The URL is ASCII: skip the rest of its characters.
                chars.nth(len - 2);
                continue;
            }
        }
        if c == '`' {
            seen += 1;
            // An unmatched last backtick is a literal one: the text after it is outside.
            if inside || seen < ticks {
                inside = !inside;
            } else if line[i..].contains("://") {
                // The backticks of a later URL's code span must not close it.
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        match c {
            '<' if !inside => out.push_str("&lt;"),
            '>' if !inside => out.push_str("&gt;"),
            '[' | ']' if !inside => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if out.contains("```") || out.contains("~~~") {
        out = out.replace("```", "\\`\\`\\`").replace("~~~", "\\~\\~\\~");
    }
    out
}

/// How many runs of three or more backticks `line` has.
fn backtick_runs(line: &str) -> usize {
    line.split(|c| c != '`')
        .filter(|run| run.len() >= 3)
        .count()
}

/// `line` with every run of three or more backticks written as one.
fn collapse_backtick_runs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = 0;
    for c in line.chars() {
        if c == '`' {
            run += 1;
            continue;
        }
        flush_backticks(&mut out, run);
        run = 0;
        out.push(c);
    }
    flush_backticks(&mut out, run);
    out
}

fn flush_backticks(out: &mut String, run: usize) {
    out.push_str(if run >= 3 { "`" } else { &"``"[..run] });
}

/// Where a type is written: inside the crate, or outside it (its tests and doc examples),
/// where the runtime's types are reached through the library name and generated types through
/// `models_path` (empty where they are imported by a glob).
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// `crate`, or the library name.
    pub root: &'a str,
    /// Prefix of a generated type's name.
    pub models_path: &'a str,
}

impl Place<'static> {
    /// Inside the crate.
    pub const INSIDE: Place<'static> = Place {
        root: "crate",
        models_path: "",
    };
}

/// The Rust text of a type.
pub fn type_text(ty: &TypeRef, place: Place<'_>) -> String {
    let mut out = String::new();
    write_type(ty, place, &mut out);
    out
}

fn write_type(ty: &TypeRef, place: Place<'_>, out: &mut String) {
    let wrap = |open: &str, inner: &TypeRef, out: &mut String| {
        out.push_str(open);
        write_type(inner, place, out);
        out.push('>');
    };
    match ty {
        TypeRef::String => out.push_str("String"),
        TypeRef::Bool => out.push_str("bool"),
        TypeRef::I64 => out.push_str("i64"),
        TypeRef::I32 => out.push_str("i32"),
        TypeRef::F64 => out.push_str("f64"),
        TypeRef::DateTime => out.push_str("chrono::DateTime<chrono::Utc>"),
        TypeRef::Uuid => out.push_str("uuid::Uuid"),
        TypeRef::Secret => {
            out.push_str(place.root);
            out.push_str("::Secret");
        }
        TypeRef::EpochSeconds => {
            out.push_str(place.root);
            out.push_str("::EpochSeconds");
        }
        TypeRef::File => {
            out.push_str(place.root);
            out.push_str("::FilePart");
        }
        TypeRef::Json => out.push_str("serde_json::Value"),
        TypeRef::JsonObject => out.push_str("serde_json::Map<String, serde_json::Value>"),
        TypeRef::Model(name) => {
            out.push_str(place.models_path);
            out.push_str(name);
        }
        TypeRef::Vec(inner) => wrap("Vec<", inner, out),
        TypeRef::Map(inner) => wrap("std::collections::BTreeMap<String, ", inner, out),
        TypeRef::Boxed(inner) => wrap("Box<", inner, out),
        TypeRef::Option(inner) => wrap("Option<", inner, out),
        TypeRef::Nullable(inner) => {
            out.push_str(place.root);
            wrap("::Nullable<", inner, out);
        }
    }
}

/// A JSON value as it is written in a URL or header.
pub fn wire_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A Rust expression producing `v` as type `ty` (used by the generated tests). Spec values
/// become Rust tokens only as literals of their own type; anything else (which validation does
/// not let through) is parsed from a string literal.
pub fn value_expr(ty: &TypeRef, v: &Value) -> String {
    value_expr_at(ty, v, Place::INSIDE)
}

/// [`value_expr`] for code at `place` (a user's crate names a generated type by its path).
pub fn value_expr_at(ty: &TypeRef, v: &Value, place: Place) -> String {
    let text = lit(&wire_text(v));
    match (ty, v) {
        (TypeRef::String, _) => text,
        (TypeRef::Bool, Value::Bool(b)) => b.to_string(),
        (TypeRef::I64, Value::Number(n)) if n.is_i64() => n.to_string(),
        (TypeRef::I32, Value::Number(n))
            if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) =>
        {
            n.to_string()
        }
        // A number the vendor documents as a string (`x-rust-type: integer`).
        (TypeRef::I64, Value::String(s)) if s.parse::<i64>().is_ok() => s.clone(),
        (TypeRef::I32, Value::String(s)) if s.parse::<i32>().is_ok() => s.clone(),
        (TypeRef::F64, Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
            format!("{:?}", n.as_f64().unwrap_or_default())
        }
        (TypeRef::Vec(item), Value::Array(items)) => {
            let owned = |i: &Value| match **item {
                TypeRef::String => format!("{}.to_string()", value_expr_at(item, i, place)),
                _ => value_expr_at(item, i, place),
            };
            format!(
                "vec![{}]",
                items.iter().map(owned).collect::<Vec<_>>().join(", ")
            )
        }
        (
            TypeRef::Bool
            | TypeRef::I64
            | TypeRef::I32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime,
            _,
        ) => format!(
            "{text}.parse::<{}>().unwrap()",
            type_text(ty, Place::INSIDE)
        ),
        // A file part: these bytes (the runtime's type, imported where examples are used).
        (TypeRef::File, _) if place.root == "crate" => format!("FilePart::bytes({text})"),
        (TypeRef::File, _) => format!("{}::FilePart::bytes({text})", place.root),
        // A part whose value has no text form (an object): read from its JSON.
        (
            TypeRef::Model(_) | TypeRef::Json | TypeRef::JsonObject,
            Value::Object(_) | Value::Array(_),
        ) => {
            format!(
                "serde_json::from_value::<{}>(serde_json::json!({v})).unwrap()",
                type_text(ty, place)
            )
        }
        _ => format!("{}::from({text})", type_text(ty, place)),
    }
}

/// A Rust expression that builds `v` as a value of `ty` with the models' constructors, setters
/// and variants (what a user writes), for the reference pages' examples; `None` where the value
/// does not fit that shape (a union, a map, a field the model does not have), and the caller
/// reads the JSON instead. `owned` asks for an owned value where a text would do as `&str`
/// (inside a list, or as a `Nullable`). `models` are in name order, as `CrateIr::models` keeps
/// them.
pub fn build_expr(
    models: &[crate::ir::Model],
    ty: &TypeRef,
    v: &Value,
    place: Place<'_>,
    owned: bool,
) -> Option<String> {
    use crate::ir::Model;
    let text = |s: &str| {
        if owned {
            format!("{}.to_string()", lit(s))
        } else {
            lit(s)
        }
    };
    let parsed = |s: &str| {
        format!(
            "{}.parse::<{}>().expect(\"a valid value\")",
            lit(s),
            type_text(ty, place)
        )
    };
    Some(match (ty, v) {
        (TypeRef::String, Value::String(s)) => text(s),
        (TypeRef::Bool, Value::Bool(_))
        | (TypeRef::I64 | TypeRef::I32, Value::Number(_))
        | (TypeRef::F64, Value::Number(_)) => value_expr(ty, v),
        (TypeRef::DateTime | TypeRef::Uuid, Value::String(s)) => parsed(s),
        (TypeRef::Secret, Value::String(s)) => format!("{}::Secret::new({})", place.root, lit(s)),
        (TypeRef::File, Value::String(s)) => {
            format!("{}::FilePart::bytes({})", place.root, lit(s))
        }
        (TypeRef::Json, v) => format!("serde_json::json!({v})"),
        (TypeRef::Vec(inner), Value::Array(items)) => {
            let items: Option<Vec<String>> = items
                .iter()
                .map(|i| build_expr(models, inner, i, place, true))
                .collect();
            format!("vec![{}]", items?.join(", "))
        }
        (TypeRef::Boxed(inner), v) => {
            format!("Box::new({})", build_expr(models, inner, v, place, true)?)
        }
        (TypeRef::Option(_), Value::Null) => "None".to_string(),
        (TypeRef::Option(inner), v) => build_expr(models, inner, v, place, true)?,
        (TypeRef::Nullable(_), Value::Null) => format!("{}::Nullable::Null", place.root),
        (TypeRef::Nullable(inner), v) => format!(
            "{}::Nullable::Value({})",
            place.root,
            build_expr(models, inner, v, place, true)?
        ),
        (TypeRef::Model(name), v) => {
            let path = format!("{}{name}", place.models_path);
            let at = models
                .binary_search_by(|m| m.name().cmp(name.as_str()))
                .ok()?;
            match (&models[at], v) {
                // An alias of an enum names the enum's variants through its own name.
                (Model::Alias { target, .. }, v) => {
                    let e = build_expr(models, target, v, place, owned)?;
                    match target {
                        TypeRef::Model(t) => {
                            let through = format!("{}{t}::", place.models_path);
                            match e.strip_prefix(&through) {
                                Some(rest) => format!("{path}::{rest}"),
                                None => e,
                            }
                        }
                        _ => e,
                    }
                }
                (
                    Model::Enum { variants, .. } | Model::StringConsts { variants, .. },
                    Value::String(s),
                ) => match variants.iter().find(|x| x.wire.0 == *s) {
                    Some(x) => format!("{path}::{}", x.name),
                    None => format!("{path}::from({})", lit(s)),
                },
                (
                    Model::Struct {
                        fields,
                        built: true,
                        ..
                    },
                    Value::Object(map),
                ) => {
                    let wire = |f: &crate::ir::FieldIr| f.wire.0.clone();
                    // Every key must be a field, so that the built value is the example.
                    if map.keys().any(|k| !fields.iter().any(|f| wire(f) == *k)) {
                        return None;
                    }
                    let mut args = Vec::new();
                    let mut setters = String::new();
                    for f in fields {
                        let value = map.get(&wire(f));
                        if f.required {
                            let e = build_expr(models, &f.ty, value?, place, false)?;
                            args.push(e.replace('\n', "\n    "));
                        } else if let (Some(value), Some(setter)) = (value, &f.setter) {
                            let e = build_expr(models, &setter.ty, value, place, false)?
                                .replace('\n', "\n    ");
                            setters.push_str(&format!("\n    .{}({e})", setter.name));
                        }
                    }
                    format!("{path}::new({}){setters}", args.join(", "))
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// The `#[cfg(...)]` attribute line of a [`Cfg`] (empty when the item is always compiled).
pub fn cfg_attr(cfg: &Cfg) -> String {
    let features: Vec<String> = cfg
        .0
        .iter()
        .map(|f| format!("feature = {}", lit(f)))
        .collect();
    match features.as_slice() {
        [] => String::new(),
        [one] => format!("#[cfg({one})]"),
        many => format!("#[cfg(any({}))]", many.join(", ")),
    }
}

impl Serialize for Cfg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&cfg_attr(self))
    }
}

impl Serialize for TypeRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&type_text(self, Place::INSIDE))
    }
}

impl Serialize for crate::ir::WebhookType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let place = Place {
            root: "crate",
            models_path: "crate::models::",
        };
        s.serialize_str(&type_text(&self.0, place))
    }
}

impl Serialize for OutsideType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let place = Place {
            root: &self.lib,
            models_path: "",
        };
        s.serialize_str(&type_text(&self.ty, place))
    }
}

/// The expression `Action::call` returns (a `crate::Result<Call>`): the runtime's `Call`, then
/// what the action adds to it, each addition a method of `Call` (`query`, `header`, or
/// `query_or`/`header_or` with the value sent when the caller sets none).
pub fn call_expr(call: &CallIr) -> String {
    let fields: Vec<String> = call
        .path_fields
        .iter()
        .map(|f| format!("&self.{f}"))
        .collect();
    let new = format!(
        "Call::new(reqwest::Method::{}, {}, {}, &[{}])",
        call.method.as_str(),
        lit(&call.trace_name.0),
        lit(&call.template.0),
        fields.join(", ")
    );
    if call.adds.is_empty() && !call.body && call.accept.is_none() {
        return new;
    }
    let mut expr = format!("{new}?");
    if let Some(media) = &call.accept {
        expr.push_str(&format!(".accept({})", lit(&media.0)));
    }
    let (parts, adds): (Vec<_>, Vec<_>) = call
        .adds
        .iter()
        .partition(|a| matches!(a.to, AddTo::Part | AddTo::JsonPart | AddTo::FilePart));
    for add in adds {
        let (wire, field) = (lit(&add.wire.0), &add.field);
        if add.to == AddTo::Query && add.style != QueryStyle::Form {
            let value = if add.required {
                format!("Some(&self.{field})")
            } else {
                format!("self.{field}.as_ref()")
            };
            expr.push_str(&match add.style {
                QueryStyle::Comma => format!(".query_joined({wire}, {value}, \",\")"),
                QueryStyle::Space => format!(".query_joined({wire}, {value}, \" \")"),
                QueryStyle::Pipe => format!(".query_joined({wire}, {value}, \"|\")"),
                QueryStyle::Brackets => format!(".query_indexed({wire}, {value})"),
                QueryStyle::Json => format!(".query_json({wire}, {value})?"),
                QueryStyle::DeepObject | QueryStyle::Form => {
                    format!(".query_deep({wire}, {value})?")
                }
            });
            continue;
        }
        let method = match add.to {
            AddTo::Query => "query",
            _ => "header",
        };
        expr.push_str(&match (add.required, &add.always) {
            (true, _) => format!(".{method}({wire}, Some(&self.{field}))"),
            (false, None) => format!(".{method}({wire}, self.{field}.as_ref())"),
            (false, Some(value)) => format!(
                ".{method}_or({wire}, self.{field}.as_ref(), {})",
                lit(&value.0)
            ),
        });
    }
    if !parts.is_empty() {
        let mut form = "crate::upload::Form::new()".to_string();
        for part in parts {
            let (wire, field) = (lit(&part.wire.0), &part.field);
            let value = if part.required {
                format!("Some(&self.{field})")
            } else {
                format!("self.{field}.as_ref()")
            };
            form.push_str(&match part.to {
                AddTo::JsonPart => format!(".json({wire}, {value})?"),
                AddTo::FilePart => format!(".file({wire}, {value})"),
                _ => format!(".text({wire}, {value})"),
            });
        }
        expr.push_str(&format!(".form({form})"));
    }
    if call.body {
        expr + ".json(self.body.as_ref())"
    } else if let Some(fallible) = expr.strip_suffix('?') {
        // The last step returns the call's `Result` already (a query written as JSON).
        fallible.to_string()
    } else {
        format!("Ok({expr})")
    }
}

impl Serialize for CallIr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&call_expr(self))
    }
}

impl Serialize for Lit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&lit(&self.0))
    }
}

impl Serialize for crate::ir::Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl Serialize for Doc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&doc_attrs(&self.0))
    }
}

impl Serialize for InnerDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&doc_attrs_with(&self.0, "#![doc = "))
    }
}

impl Serialize for DocLit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&lit(&doc_text(&self.0)))
    }
}

impl Serialize for ValueExpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value_expr(&self.ty, &self.value))
    }
}

/// A field's serde as templates see it: the `support::Fields` method that reads it.
impl Serialize for FieldSerde {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.read_method())
    }
}

impl Serialize for ParamIn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A path template as templates see it: `params` (the placeholder names, in order).
impl Serialize for PathTemplate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("params", &self.params().collect::<Vec<_>>())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::{build_expr, doc_line, lit, type_text, value_expr, value_expr_at, Place};
    use crate::ir::{FieldSerde, TypeRef};
    use serde_json::json;

    #[test]
    fn lines_that_continue_a_list_item_are_indented_under_it() {
        let text = "Steps:\n1. Call it.\n2. Check `mac`:\n\n- If empty, the device\nis alone.\n* x\ny\n\nAfter.";
        assert_eq!(
            super::doc_text(text),
            " Steps:\n 1. Call it.\n 2. Check `mac`:\n \n - If empty, the device\n   is alone.\n * x\n   y\n \n After."
        );
        assert_eq!(super::list_marker_width("10) ten"), Some(4));
        assert_eq!(super::list_marker_width("-1 degrees"), None);
        assert_eq!(super::list_marker_width("2024. A year"), Some(6));
    }

    /// A bare URL in vendor prose becomes a code span, so rustdoc's `bare_urls` lint never
    /// fails the docs build; one in a code span, or a scheme without a URL, stays as it is.
    #[test]
    fn bare_urls_become_code_spans() {
        assert_eq!(
            doc_line("see https://www.mist.com/documentation/ for more."),
            "see `https://www.mist.com/documentation/` for more."
        );
        assert_eq!(
            doc_line("raw data webhooks ([examples](https://example.com/a-b?x=1&y=2))"),
            "raw data webhooks (\\[examples\\](`https://example.com/a-b?x=1&y=2`))"
        );
        assert_eq!(
            doc_line("http://a.io, and `https://b.io` é http://c.io."),
            "`http://a.io`, and `https://b.io` é `http://c.io`."
        );
        assert_eq!(doc_line("`a`https://a.io`b`"), "`a` `https://a.io` `b`");
        // A URL between triple backticks stays in a code span.
        assert_eq!(
            doc_line("a link to ```https://a.io/x?t=:t```."),
            "a link to `https://a.io/x?t=:t`."
        );
        assert_eq!(doc_line("````x```` y"), "`x` y");
        // An unpaired one (a fence over several lines) stays escaped.
        assert_eq!(doc_line("a ```rust"), "a \\`\\`\\`rust");
        assert_eq!(doc_line("a ` https://a.io"), "a \\` `https://a.io`");
        assert_eq!(doc_line("the https:// scheme"), "the https:// scheme");
        assert_eq!(doc_line("<https://a.io>"), "&lt;`https://a.io`&gt;");
    }

    /// An example becomes Rust tokens only as a literal of the parameter's type: a string where
    /// a number or boolean belongs stays inside a string literal.
    #[test]
    fn examples_become_literals_never_code() {
        assert_eq!(value_expr(&TypeRef::I64, &json!(100)), "100");
        // A user's code names a generated type by its path.
        let user = Place {
            root: "lib",
            models_path: "lib::models::",
        };
        let kind = TypeRef::Model("Kind".into());
        assert_eq!(
            value_expr_at(&kind, &json!("a"), user),
            "lib::models::Kind::from(\"a\")"
        );
        assert_eq!(value_expr(&kind, &json!("a")), "Kind::from(\"a\")");
        assert_eq!(value_expr(&TypeRef::F64, &json!(2)), "2.0");
        assert_eq!(value_expr(&TypeRef::I32, &json!(7)), "7");
        assert_eq!(value_expr(&TypeRef::I64, &json!("10")), "10");
        assert_eq!(
            value_expr(&TypeRef::I32, &json!(5_000_000_000i64)),
            "\"5000000000\".parse::<i32>().unwrap()"
        );
        assert_eq!(value_expr(&TypeRef::Bool, &json!(true)), "true");
        assert_eq!(
            value_expr(&TypeRef::I64, &json!("1); std::process::exit(1); (")),
            "\"1); std::process::exit(1); (\".parse::<i64>().unwrap()"
        );
        assert_eq!(
            value_expr(&TypeRef::Bool, &json!(1.5)),
            "\"1.5\".parse::<bool>().unwrap()"
        );
        assert_eq!(value_expr(&TypeRef::String, &json!("a\"b")), "\"a\\\"b\"");
        assert_eq!(
            value_expr(&TypeRef::Model("Sort".into()), &json!("asc")),
            "Sort::from(\"asc\")"
        );
    }

    /// A body example becomes the constructor, setters and variants a user would write; a value
    /// the models cannot say exactly (an unknown field) is refused, so the page reads the JSON.
    #[test]
    fn examples_become_builder_calls_or_nothing() {
        use crate::ir::{Doc, FieldIr, Lit, Model, SetterIr, VariantIr};
        let field = |name: &str, ty: TypeRef, required: bool| FieldIr {
            name: name.into(),
            ty: if required {
                ty.clone()
            } else {
                TypeRef::option(ty.clone())
            },
            wire: Lit(name.into()),
            doc: Doc::default(),
            serde: FieldSerde {
                optional: !required,
                ..FieldSerde::default()
            },
            required,
            setter: (!required).then(|| SetterIr {
                name: name.into(),
                ty,
            }),
        };
        let mut models = vec![
            Model::Struct {
                name: "Token".into(),
                doc: Doc::default(),
                fields: vec![
                    field("name", TypeRef::String, true),
                    field("status", TypeRef::Model("TokenStatus".into()), false),
                    field("tags", TypeRef::vec(TypeRef::String), false),
                ],
                built: true,
            },
            Model::Enum {
                name: "Status".into(),
                doc: Doc::default(),
                variants: vec![VariantIr {
                    name: "Active".into(),
                    wire: Lit("active".into()),
                    doc: Doc::default(),
                }],
            },
            Model::Alias {
                name: "TokenStatus".into(),
                doc: Doc::default(),
                target: TypeRef::Model("Status".into()),
            },
        ];
        let place = Place {
            root: "sdk",
            models_path: "sdk::models::",
        };
        models.sort_by(|a, b| a.name().cmp(b.name()));
        let ty = TypeRef::Model("Token".into());
        let built = |v| build_expr(&models, &ty, &v, place, false);
        assert_eq!(
            built(json!({"name": "a\"b", "status": "active", "tags": ["x"]})).as_deref(),
            Some(
                "sdk::models::Token::new(\"a\\\"b\")\n    .status(sdk::models::TokenStatus::Active)\n    .tags(vec![\"x\".to_string()])"
            )
        );
        assert_eq!(
            built(json!({"name": "n", "status": "later"})).as_deref(),
            Some("sdk::models::Token::new(\"n\")\n    .status(sdk::models::TokenStatus::from(\"later\"))")
        );
        // A key the model has no field for, a missing required field, a value of another kind.
        assert_eq!(built(json!({"name": "n", "other": 1})), None);
        assert_eq!(built(json!({"status": "active"})), None);
        assert_eq!(built(json!({"name": 5})), None);
    }

    #[test]
    fn types_are_written_for_their_place() {
        let ty = TypeRef::option(TypeRef::Nullable(Box::new(TypeRef::vec(TypeRef::Model(
            "Token".into(),
        )))));
        assert_eq!(
            type_text(&ty, Place::INSIDE),
            "Option<crate::Nullable<Vec<Token>>>"
        );
        let outside = Place {
            root: "shop_sdk",
            models_path: "shop_sdk::models::",
        };
        assert_eq!(
            type_text(&ty, outside),
            "Option<shop_sdk::Nullable<Vec<shop_sdk::models::Token>>>"
        );
        assert_eq!(
            type_text(&TypeRef::Map(Box::new(TypeRef::Secret)), Place::INSIDE),
            "std::collections::BTreeMap<String, crate::Secret>"
        );
    }

    #[test]
    fn fields_are_read_by_what_they_keep_and_paths_are_written_from_data() {
        let read = |optional, keeps_null| {
            FieldSerde {
                optional,
                keeps_null,
            }
            .read_method()
        };
        assert_eq!(read(false, false), "required");
        assert_eq!(read(true, false), "optional");
        assert_eq!(read(true, true), "present");
    }

    #[test]
    fn lit_matches_proc_macro2() {
        for text in [
            "plain",
            "quote \" and \\ slash",
            "tab\tnew\nline\r",
            "é ü 🦀",
            "\u{7f}\u{0}",
            "\u{202e}rtl",
        ] {
            assert_eq!(
                lit(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }
}
