//! Property tests: any name becomes a valid, collision-free identifier; any text survives into
//! doc comments, string literals and markdown table cells.

use proptest::prelude::*;
use sdkgen::markdown::cell;
use sdkgen::names::{camel, shouty, snake, Scope};
use sdkgen::rust::{doc_attrs, lit};

fn is_ident(s: &str) -> bool {
    syn::parse_str::<syn::Ident>(s).is_ok()
}

/// Undoes `cell` the way a markdown reader does: `<br>` is a line break, escapes are dropped,
/// entities decoded.
fn read_cell(c: &str) -> String {
    let mut out = String::new();
    let mut chars = c
        .replace("<br>", "\n")
        .chars()
        .collect::<Vec<_>>()
        .into_iter()
        .peekable();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#96;", "`")
        .replace("&amp;", "&")
}

proptest! {
    #[test]
    fn any_name_becomes_a_valid_identifier(name in "\\PC*") {
        for ident in [snake(&name), camel(&name), shouty(&name)] {
            prop_assert!(is_ident(&ident), "{name:?} became {ident:?}");
        }
    }

    #[test]
    fn names_in_one_scope_never_collide(names in proptest::collection::vec("[a-zA-Z_ .*+0-9-]{0,12}", 1..40)) {
        let mut scope = Scope::default();
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            let ident = scope.claim(camel(n));
            prop_assert!(is_ident(&ident), "{n:?} became {ident:?}");
            prop_assert!(seen.insert(ident.trim_start_matches("r#").to_string()), "duplicate {ident}");
        }
    }

    #[test]
    fn any_text_is_a_string_literal_with_the_same_value(text in "\\PC*|.*") {
        let parsed: syn::LitStr = syn::parse_str(&lit(&text)).unwrap();
        prop_assert_eq!(parsed.value(), text);
    }

    #[test]
    fn any_text_is_a_valid_doc_comment_that_keeps_its_lines(text in "(\\PC|\n)*") {
        let attrs = doc_attrs(&text);
        let file: syn::File = syn::parse_str(&format!("{attrs}pub struct Documented;")).unwrap();
        let mut lines = Vec::new();
        for attr in &file.items.iter().find_map(|i| match i { syn::Item::Struct(s) => Some(s.attrs.clone()), _ => None }).unwrap() {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                    lines.push(s.value().strip_prefix(' ').unwrap_or(&s.value()).to_string());
                }
            }
        }
        let expected: Vec<String> = text.trim().lines().map(sdkgen::rust::doc_line).collect();
        for line in &lines {
            prop_assert!(!line.starts_with("    ") && !line.contains("```"), "{line:?} would be a code block");
        }
        prop_assert_eq!(lines, expected);
    }

    #[test]
    fn any_text_survives_a_markdown_table_cell(text in "(\\PC|\n)*") {
        let c = cell(&text);
        prop_assert!(!c.contains('\n'), "a newline would end the table row");
        let unescaped_pipe = c.char_indices().any(|(i, ch)| ch == '|' && !c[..i].ends_with('\\'));
        prop_assert!(!unescaped_pipe, "an unescaped `|` would split the cell: {c}");
        prop_assert!(!c.contains('<') || c.contains("<br>"), "raw HTML would render: {c}");
        let expected: Vec<&str> = text.trim().lines().map(str::trim).collect();
        prop_assert_eq!(read_cell(&c), expected.join("\n"));
    }
}
