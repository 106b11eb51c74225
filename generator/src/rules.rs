//! What a spec name, URL, path or value must be for the generated crate and pages to work:
//! each rule returns the problem as a sentence for a diagnostic, or `None`. The validator
//! decides where each applies and reports it with its position.

use serde_json::Value;

/// Longest resource, action or schema name: it becomes a file name and a Rust identifier.
pub const MAX_NAME_LEN: usize = 100;

/// A resource, action or schema name: an ASCII letter, then letters, digits, `_` or `-`. These
/// names become file names (`docs/<resource>.md`, `docs/schemas/<schema>.md`) and Rust names,
/// so nothing else is safe in them on every file system; ASCII also rules out names that look
/// alike but differ (a Cyrillic `а` for a Latin `a`).
pub fn name_problem(name: &str, what: &str) -> Option<String> {
    let well_formed = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !well_formed {
        return Some(format!(
            "{what} name `{}` must start with an ASCII letter and hold only ASCII letters, digits, `_` and `-`",
            name.escape_debug()
        ));
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!(
            "{what} name is {} characters long; at most {MAX_NAME_LEN} are accepted",
            name.len()
        ));
    }
    None
}

/// An API (spec folder) name: lower-case, as crate folders are (`generated/<api>/`).
pub fn api_name_problem(name: &str) -> Option<String> {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    (!ok).then(|| {
        format!(
            "API name `{}` must start with a lower-case ASCII letter and hold only lower-case letters, digits, `_` and `-` (at most {MAX_NAME_LEN})",
            name.escape_debug()
        )
    })
}

/// Whether `stem` is a device name on Windows (`con`, `nul`, `com1`, ...), which no file may
/// be called there, whatever its extension.
pub fn windows_reserved(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    matches!(lower.as_str(), "con" | "prn" | "aux" | "nul")
        || ((lower.starts_with("com") || lower.starts_with("lpt"))
            && lower.len() == 4
            && lower.as_bytes()[3].is_ascii_digit())
}

/// A server URL: `http(s)://host[:port][/path]`, nothing the client would misread when it
/// appends a path to it.
pub fn server_url_problem(url: &str) -> Option<String> {
    let parsed = match absolute_url(url) {
        Ok(u) => u,
        Err(e) => return Some(e),
    };
    let part = if !parsed.username().is_empty() || parsed.password().is_some() {
        Some("user information (`user@`); credentials go in the auth settings")
    } else if parsed.query().is_some() || url.contains('?') {
        Some("a query (`?...`); requests append their path to the server URL")
    } else if parsed.fragment().is_some() || url.contains('#') {
        Some("a fragment (`#...`), which is never sent")
    } else {
        None
    };
    if let Some(part) = part {
        return Some(format!("server URL `{url}` must not have {part}"));
    }
    if url.ends_with('/') {
        return Some(format!("server URL `{url}` must not end with `/`"));
    }
    // The path as written: the parser has already resolved dot segments away.
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    let raw_path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    if let Some(p) = path_problem(raw_path) {
        return Some(format!("server URL `{url}`: its path {p}"));
    }
    None
}

/// A link to the vendor's pages: an absolute `http(s)` URL that a markdown autolink holds.
pub fn docs_url_problem(url: &str) -> Option<String> {
    match absolute_url(url) {
        Err(e) => Some(e),
        Ok(_) if url.contains(['<', '>', '"', '`', '\\']) => Some(format!(
            "docs URL `{url}` holds a character that is not allowed in a link (`<`, `>`, `\"`, backtick or `\\`); percent-encode it"
        )),
        Ok(_) => None,
    }
}

/// A crate's license: an SPDX expression of license ids joined by `OR`, `AND` or `WITH`, with
/// parentheses (`MIT OR Apache-2.0`).
pub fn license_problem(license: &str) -> Option<String> {
    let words: Vec<&str> = license
        .split([' ', '(', ')'])
        .filter(|w| !w.is_empty())
        .collect();
    let id = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
            && !matches!(w, "OR" | "AND" | "WITH")
    };
    let shaped = !words.is_empty()
        && words.iter().enumerate().all(|(i, w)| {
            if i % 2 == 0 {
                id(w)
            } else {
                matches!(*w, "OR" | "AND" | "WITH")
            }
        })
        && words.len() % 2 == 1
        && license.matches('(').count() == license.matches(')').count();
    (!shaped).then(|| {
        format!(
            "`{license}` is not an SPDX license expression (license ids joined by OR, AND or WITH, e.g. `MIT OR Apache-2.0`)"
        )
    })
}

/// A crates.io keyword: ASCII letters, digits, `_`, `-` and `+`, starting with a letter, at
/// most 20 characters.
pub fn keyword_problem(keyword: &str) -> Option<String> {
    let shaped = keyword.len() <= 20
        && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
        && keyword
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
    (!shaped).then(|| {
        format!(
            "`{keyword}` is not a crates.io keyword (a letter, then letters, digits, `_`, `-` or `+`; at most 20 characters)"
        )
    })
}

/// A crates.io category slug: lower-case words joined by `-`, subcategories after `::`
/// (`api-bindings`, `web-programming::http-client`).
pub fn category_problem(category: &str) -> Option<String> {
    let shaped = category.split("::").all(|part| {
        !part.is_empty()
            && part.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
    });
    (!shaped).then(|| {
        format!(
            "`{category}` is not a crates.io category slug (e.g. `api-bindings`, `web-programming::http-client`)"
        )
    })
}

fn absolute_url(url: &str) -> Result<url::Url, String> {
    if url.contains(char::is_whitespace) {
        return Err(format!(
            "URL `{url}` holds white space; percent-encode it (`%20`)"
        ));
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("URL `{url}` must start with https:// (or http://)"));
    }
    let parsed = url::Url::parse(url).map_err(|e| format!("URL `{url}` is not valid: {e}"))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("URL `{url}` has no host"));
    }
    Ok(parsed)
}

/// A path template or its part (`/applications/{applicationId}/tokens`), as it is sent: only
/// characters a URL path may hold as they are, no query or fragment, no `.` or `..` segment
/// (clients and servers resolve those away), no empty segment.
pub fn path_problem(path: &str) -> Option<String> {
    if let Some(c) = path
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%{}".contains(c)))
    {
        return Some(match c {
            '?' => "holds `?`: a query belongs in `in: query` parameters".to_string(),
            '#' => "holds `#`: a fragment is never sent to the server".to_string(),
            c => format!("holds {c:?}, which a URL path cannot carry as it is; percent-encode it"),
        });
    }
    let bytes = path.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some("holds a `%` that does not start a percent-encoded byte (`%2F`)".into());
        }
    }
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        if *seg == "." || *seg == ".." {
            return Some(format!(
                "holds the dot segment `{seg}`, which clients and servers resolve away"
            ));
        }
        if seg.is_empty() && i + 1 < segments.len() {
            return Some("holds an empty segment (`//`)".into());
        }
    }
    None
}

/// A path parameter's value that the client refuses to send as a segment (empty, `.` or `..`,
/// which URL parsers treat as navigation).
pub fn path_segment_problem(value: &str) -> Option<String> {
    matches!(value, "" | "." | "..").then(|| {
        format!(
            "`{value}` cannot be sent as a path segment: the client refuses empty, `.` and `..` values, and the generated tests and examples send this one"
        )
    })
}

/// A header value the client sends as it is: visible ASCII and inner spaces.
pub fn header_value_problem(value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| !(' '..='~').contains(c)) {
        return Some(format!(
            "header value `{}` holds `{}`; header values are visible ASCII characters and spaces",
            value.escape_debug(),
            c.escape_debug()
        ));
    }
    if value.starts_with(' ') || value.ends_with(' ') {
        return Some(format!(
            "header value `{value}` starts or ends with a space, which is not sent"
        ));
    }
    None
}

/// Whether values of the schema become a Rust integer (`i64`): `integer` with no `number`,
/// and not an epoch (which keeps the JSON number as it is).
pub fn is_rust_integer(s: &Value) -> bool {
    let types = crate::schema::types_of(s);
    types.contains(&"integer") && !types.contains(&"number") && s.get("x-epoch").is_none()
}

/// Where a value holds a number that its schema's Rust integer type cannot take (`1.0`,
/// `1e3`, or beyond `i64`): (JSON pointer into the value, problem). The walk follows
/// properties, items, additional properties, `allOf` and refs (`resolve`); union alternatives
/// are left to the union's own decoding.
pub fn integer_problems<'a>(
    resolve: &impl Fn(&'a Value) -> &'a Value,
    schema: &'a Value,
    value: &Value,
    at: &mut String,
    out: &mut Vec<(String, String)>,
) {
    let schema = resolve(schema);
    let len = at.len();
    match value {
        Value::Number(n) if is_rust_integer(schema) && !n.is_i64() => {
            let problem = if n.is_u64() {
                format!("{n} is beyond the range of the field's Rust type (i64)")
            } else {
                format!(
                    "{n} is written as a fraction or with an exponent; an integer field takes an integer such as `{}`",
                    n.as_f64().map_or(0.0, f64::trunc)
                )
            };
            out.push((at.clone(), problem));
        }
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties").filter(|v| v.is_object());
            for (k, v) in map {
                let sub = props.and_then(|p| p.get(k)).or(extra);
                if let Some(sub) = sub {
                    at.push('/');
                    at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    integer_problems(resolve, sub, v, at, out);
                    at.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items").filter(|v| v.is_object()) {
                for (i, v) in items.iter().enumerate() {
                    use std::fmt::Write as _;
                    let _ = write!(at, "/{i}");
                    integer_problems(resolve, item, v, at, out);
                    at.truncate(len);
                }
            }
        }
        _ => {}
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for part in all {
            integer_problems(resolve, part, value, at, out);
        }
    }
}

/// A schema that no value can satisfy: bounds that exclude each other, or no accepted value.
pub fn unsatisfiable(s: &Value) -> Option<(&'static str, String)> {
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    let count = |k: &str| s.get(k).and_then(Value::as_u64);
    if matches!(s.get("enum"), Some(Value::Array(a)) if a.is_empty()) {
        return Some((
            "enum",
            "`enum` lists no value, so no value fits the schema".into(),
        ));
    }
    if let Some(m) = num("multipleOf").filter(|m| *m <= 0.0) {
        return Some((
            "multipleOf",
            format!("`multipleOf` is {m}; it must be greater than 0"),
        ));
    }
    for (lo, hi, strict) in [
        ("minimum", "maximum", false),
        ("exclusiveMinimum", "maximum", true),
        ("minimum", "exclusiveMaximum", true),
        ("exclusiveMinimum", "exclusiveMaximum", true),
    ] {
        if let (Some(a), Some(b)) = (num(lo), num(hi)) {
            if a > b || (strict && a >= b) {
                return Some((
                    lo,
                    format!("`{lo}` {a} and `{hi}` {b} leave no number that fits"),
                ));
            }
        }
    }
    for (lo, hi) in [
        ("minLength", "maxLength"),
        ("minItems", "maxItems"),
        ("minProperties", "maxProperties"),
    ] {
        if let (Some(a), Some(b)) = (count(lo), count(hi)) {
            if a > b {
                return Some((
                    lo,
                    format!("`{lo}` {a} is greater than `{hi}` {b}, so no value fits"),
                ));
            }
        }
    }
    None
}

/// What is wrong with `v` as a value of a string schema marked `x-rust-type: integer`: the SDK
/// takes it as an integer (`i32` with `format: int32`, else `i64`), so it must be one written
/// as a string.
pub fn rust_integer_problem(schema: &Value, v: &Value) -> Option<String> {
    let int32 = schema.get("format").and_then(Value::as_str) == Some("int32");
    let fits = v.as_str().is_some_and(|s| {
        if int32 {
            s.parse::<i32>().is_ok()
        } else {
            s.parse::<i64>().is_ok()
        }
    });
    (!fits).then(|| {
        format!(
            "{v} is not an integer written as a string, which `x-rust-type: integer` needs (the SDK takes it as {})",
            if int32 { "`i32`" } else { "`i64`" }
        )
    })
}

/// Whether `s` is an HTTP token (RFC 9110): a header name or an auth scheme.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_ascii_identifiers_of_bounded_length() {
        assert_eq!(name_problem("applicationApiToken", "resource"), None);
        assert_eq!(name_problem("org_api-tokens2", "schema"), None);
        for bad in [
            "",
            "1abc",
            "_x",
            "a b",
            "javascript:alert(1)",
            "a\nb",
            "раз",
            "a/b",
            "a.b",
        ] {
            assert!(name_problem(bad, "resource").is_some(), "{bad:?}");
        }
        assert!(name_problem(&"a".repeat(101), "schema").is_some());
        assert!(api_name_problem("losant").is_none());
        assert!(api_name_problem("Losant").is_some());
        assert!(api_name_problem("x\ny").is_some());
    }

    #[test]
    fn windows_device_names_are_known() {
        for name in ["con", "CON", "Aux", "nul", "com1", "LPT9", "prn"] {
            assert!(windows_reserved(name), "{name}");
        }
        for name in ["console", "com", "com10", "lpt", "auxiliary"] {
            assert!(!windows_reserved(name), "{name}");
        }
    }

    #[test]
    fn server_urls_name_the_part_that_is_not_allowed() {
        assert_eq!(server_url_problem("https://api.losant.com"), None);
        assert_eq!(server_url_problem("http://localhost:8080/api/v1"), None);
        for (url, part) in [
            ("https://api.x.com?k=v", "query"),
            ("https://api.x.com#top", "fragment"),
            ("https://user:pw@api.x.com", "user information"),
            ("https://api.x.com/a b", "white space"),
            ("ftp://api.x.com", "must start with https://"),
            ("https://api.x.com/", "must not end with `/`"),
            ("https://api.x.com/a/../b", "dot segment"),
            ("https://", "not valid"),
        ] {
            let problem = server_url_problem(url).unwrap_or_default();
            assert!(problem.contains(part), "{url}: {problem}");
        }
    }

    #[test]
    fn package_metadata_is_checked_as_crates_io_does() {
        for ok in [
            "MIT",
            "MIT OR Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "GPL-2.0+",
        ] {
            assert_eq!(license_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "MIT OR",
            "MIT Apache-2.0",
            "OR",
            "MIT/Apache-2.0",
            "(MIT",
        ] {
            assert!(license_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(keyword_problem("losant"), None);
        assert_eq!(keyword_problem("rest-api"), None);
        for bad in ["", "1api", "two words", "a-keyword-longer-than-20"] {
            assert!(keyword_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(category_problem("api-bindings"), None);
        assert_eq!(category_problem("web-programming::http-client"), None);
        for bad in ["", "API", "web programming", "a::", "-x"] {
            assert!(category_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn docs_urls_are_http_links() {
        assert_eq!(
            docs_url_problem("https://docs.losant.com/rest-api/#intro"),
            None
        );
        assert!(docs_url_problem("javascript:alert(1)").is_some());
        assert!(docs_url_problem("https://x.com/<b>").is_some());
        assert!(docs_url_problem("https://x.com/a b").is_some());
    }

    #[test]
    fn paths_refuse_queries_fragments_dots_and_unsafe_characters() {
        assert_eq!(path_problem("/applications/{applicationId}/tokens"), None);
        assert_eq!(path_problem("/api/v1/orgs/{org_id}/apitokens/"), None);
        for (path, part) in [
            ("/a?b=1", "`?`"),
            ("/a#b", "`#`"),
            ("/a/../b", "dot segment"),
            ("/a/./b", "dot segment"),
            ("/a//b", "empty segment"),
            ("/a`b", "percent-encode"),
            ("/a b", "percent-encode"),
            ("/a%zz", "percent-encoded"),
        ] {
            let problem = path_problem(path).unwrap_or_default();
            assert!(problem.contains(part), "{path}: {problem}");
        }
    }

    #[test]
    fn header_values_are_visible_ascii() {
        assert_eq!(header_value_problem("1.0.0"), None);
        assert!(header_value_problem("a\r\nX-Evil: 1").is_some());
        assert!(header_value_problem("é").is_some());
        assert!(header_value_problem(" padded").is_some());
    }

    #[test]
    fn integers_must_fit_i64_and_be_written_as_integers() {
        let schema = json!({
            "type": "object",
            "properties": {
                "n": {"type": "integer"},
                "f": {"type": "number"},
                "list": {"type": "array", "items": {"type": "integer"}}
            }
        });
        let value = json!({"n": 1.0, "f": 1.0, "list": [1, 1e3, 18446744073709551615u64]});
        let mut out = Vec::new();
        integer_problems(&|s| s, &schema, &value, &mut String::new(), &mut out);
        let at: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(at, ["/n", "/list/1", "/list/2"]);
        assert!(out[2].1.contains("beyond the range"), "{out:?}");
        assert!(out[0].1.contains("such as `1`"), "{out:?}");
    }

    #[test]
    fn impossible_bounds_are_found() {
        assert!(unsatisfiable(&json!({"minimum": 5, "maximum": 1})).is_some());
        assert!(unsatisfiable(&json!({"exclusiveMinimum": 1, "exclusiveMaximum": 1})).is_some());
        assert!(unsatisfiable(&json!({"minLength": 3, "maxLength": 2})).is_some());
        assert!(unsatisfiable(&json!({"enum": []})).is_some());
        assert!(unsatisfiable(&json!({"multipleOf": 0})).is_some());
        assert!(unsatisfiable(&json!({"minimum": 1, "maximum": 1, "minItems": 0})).is_none());
    }
}
