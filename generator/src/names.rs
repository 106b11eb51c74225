//! Rust names for spec names: heck for the case, then keywords made raw (or suffixed where Rust
//! has no raw form), leading digits and punctuation made legal.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (all editions) that can be written as raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];
/// Keywords with no raw form.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names a model may not take: the prelude and std types the generated code names
/// unqualified, the crate's own types, and what its modules and tests import next to a glob
/// import of the models (an explicit import shadows the glob, so a model of that name would
/// silently become another type there). A schema of such a name gets a numbered Rust name.
pub const RESERVED_TYPES: &[&str] = &[
    // std prelude types and traits.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Debug",
    "Hash",
    // serde's traits, implemented by every model.
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    // The crate's own types (lib.rs re-exports, client and support internals).
    "ApiError",
    "ApiErrorBody",
    "ApiResponse",
    "Attach",
    "Auth",
    "HeaderMap",
    "StatusCode",
    "AfterReceive",
    "BeforeSend",
    "Call",
    "Client",
    "ClientBuilder",
    "EpochSeconds",
    "Error",
    "Fields",
    "FieldsOut",
    "ErrorKind",
    "Action",
    "Globals",
    "HeaderNames",
    "Hooks",
    "Inner",
    "NextLink",
    "Nullable",
    "Overrides",
    "Pages",
    "ParamValue",
    "QueryPairs",
    "Raw",
    "Resend",
    "RetryPolicy",
    "Secret",
    "Server",
    "TimeLimit",
    "UnknownValue",
    // Imported by the generated tests next to `models::*`.
    "Duration",
    "FilePart",
    "Future",
    "Instant",
    "Mock",
    "MockServer",
    "Request",
    "ResponseTemplate",
    "Value",
];

/// Method names of the generated `Client` (its own, and those of the traits it derives or
/// every type has), which a resource accessor may not take.
pub const RESERVED_CLIENT_METHODS: &[&str] = &[
    "attempt",
    "base_url",
    "borrow",
    "borrow_mut",
    "builder",
    "clone",
    "clone_from",
    "eq",
    "execute",
    "fmt",
    "from",
    "into",
    "ne",
    "request",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
];

/// Member names of a generated request builder (its fields, its own methods, and those of the
/// traits it derives or every type has), which a parameter's setter may not take.
pub const RESERVED_REQUEST_MEMBERS: &[&str] = &[
    "body",
    "borrow",
    "borrow_mut",
    "call",
    "client",
    "clone",
    "clone_from",
    "deadline",
    "fmt",
    "from",
    "globals",
    "header",
    "into",
    "options",
    "pages",
    "retry_policy",
    "send",
    "send_with_response",
    "stream",
    "timeout",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Method names of a generated resource handle (derived traits and those every type has),
/// which an action's method may not take.
pub const RESERVED_HANDLE_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "fmt",
    "from",
    "into",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Method names every generated model has (its constructor, and the methods of the traits it
/// derives or every type has), which an optional field's setter may not take.
pub const RESERVED_MODEL_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "new",
    "serialize",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// A scope in which `reserved` names are already taken.
pub fn scope_reserving(reserved: &[&str]) -> Scope {
    let mut scope = Scope::default();
    for name in reserved {
        scope.claim((*name).to_string());
    }
    scope
}

/// Replaces what cannot appear in an identifier, so case conversion sees word breaks.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

fn legal(mut ident: String, fallback: &str) -> String {
    ident.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident.is_empty() {
        ident = fallback.to_string();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(
            0,
            if fallback.starts_with(char::is_uppercase) {
                'N'
            } else {
                'n'
            },
        );
        if ident.starts_with('n') {
            ident.insert(1, '_');
        }
    }
    if NOT_RAW.contains(&ident.as_str()) {
        ident.push('_');
    } else if KEYWORDS.contains(&ident.as_str()) {
        ident.insert_str(0, "r#");
    }
    ident
}

/// The variant of an action's outcome enum for a success status: its reason phrase in camel
/// case (`Accepted` for 202), or `Status<code>` for a status without a common one.
pub fn outcome_variant(status: u16) -> String {
    let known = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        _ => return format!("Status{status}"),
    };
    known.to_string()
}

/// A `snake_case` name for a field, function or module (raw where it is a keyword).
pub fn snake(name: &str) -> String {
    legal(words(name).to_snake_case(), "value")
}

/// An `UpperCamelCase` name for a type or variant.
pub fn camel(name: &str) -> String {
    legal(words(name).to_upper_camel_case(), "Value")
}

/// A `SHOUTY_SNAKE_CASE` name for a constant.
pub fn shouty(name: &str) -> String {
    legal(words(name).to_shouty_snake_case(), "VALUE")
}

/// A snake-case word to build longer names from (test names): no raw prefix, no keyword suffix.
pub fn snake_part(name: &str) -> String {
    snake(name)
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .to_string()
}

/// The snake-case base of a name, without the raw prefix: a field's name for collision
/// checks, a resource module's file name (`src/resources/<base>.rs`).
pub fn field_base(name: &str) -> String {
    snake(name).trim_start_matches("r#").to_string()
}

/// The key two parameter names collide on: both give the same Rust field name before numbering
/// (leading underscores dropped, as the flags `_actions` and `actions` become one field).
pub fn param_collision_key(name: &str) -> String {
    name.trim_start_matches('_').to_snake_case()
}

/// The key two schema names collide on: both give the same Rust type name before numbering.
pub fn type_collision_key(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Makes names unique within one scope by appending `2`, `3`, ... to later duplicates.
#[derive(Debug, Default)]
pub struct Scope {
    taken: std::collections::HashSet<String>,
    /// Names owned by an enclosing scope (shared, so that many scopes can see one large set
    /// without copying it).
    reserved: Option<std::rc::Rc<std::collections::HashSet<String>>>,
}

impl Scope {
    /// A scope in which the `reserved` names are already taken.
    pub fn within(reserved: std::rc::Rc<std::collections::HashSet<String>>) -> Self {
        Scope {
            taken: Default::default(),
            reserved: Some(reserved),
        }
    }

    fn take(&mut self, name: &str) -> bool {
        if self.reserved.as_ref().is_some_and(|r| r.contains(name)) {
            return false;
        }
        self.taken.insert(name.to_string())
    }

    /// Reserves `name` or the first free numbered variant of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.take(&name) {
            return name;
        }
        let base = name.strip_prefix("r#").unwrap_or(&name).to_string();
        let mut n = 2;
        loop {
            let candidate = format!("{base}{n}");
            if self.take(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("self"), "self_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(snake("crate"), "crate_");
    }

    #[test]
    fn punctuation_and_digits_make_legal_names() {
        assert_eq!(camel("all.User"), "AllUser");
        assert_eq!(camel("applicationApiToken.*"), "ApplicationApiToken");
        assert_eq!(camel(""), "Value");
        assert_eq!(camel("+1"), "N1");
        assert_eq!(snake("2fa"), "n_2fa");
        assert_eq!(snake("_links"), "links");
        assert_eq!(snake("org_id"), "org_id");
        assert_eq!(snake("apiTokenId"), "api_token_id");
    }

    #[test]
    fn scope_numbers_duplicates() {
        let mut s = Scope::default();
        assert_eq!(s.claim("A".into()), "A");
        assert_eq!(s.claim("A".into()), "A2");
        assert_eq!(s.claim("A".into()), "A3");
        assert_eq!(s.claim("r#type".into()), "r#type");
        assert_eq!(s.claim("r#type".into()), "type2");
    }
}
