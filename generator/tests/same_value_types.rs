//! A value the spec says is the same in a request and in an answer has the same Rust type in
//! both, so that code can send back what it read: Losant's token `scope` (created with
//! `ApiTokenPost::scope`, read back in `ApiToken::scope`) is a list of `ApiTokenScope` in both.

use std::path::Path;

/// The type of `field` of struct `name` in the generated model files, as Rust text.
fn field_type(models: &[syn::File], name: &str, field: &str) -> String {
    let item = models
        .iter()
        .flat_map(|file| &file.items)
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"));
    let found = item
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
        .unwrap_or_else(|| panic!("{name} has no field {field}"));
    let ty = &found.ty;
    quote::quote!(#ty).to_string()
}

#[test]
fn a_token_scope_has_one_type_in_the_request_and_the_answer() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/losant/src/models");
    let models: Vec<syn::File> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            syn::parse_file(&text).unwrap()
        })
        .collect();
    let request = field_type(&models, "ApiTokenPost", "scope");
    let answer = field_type(&models, "ApiToken", "scope");
    assert_eq!(request, answer);
    assert_eq!(answer, "Option < Vec < ApiTokenScope > >");
}
