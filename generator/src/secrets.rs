//! Which fields carry a credential, by a rule on their names and formats. A front-end applies
//! it to the vendor's schemas before its overlay's own marks are read, so the overlay only adds
//! what the rule cannot see (`x-secret: true`) or takes back what it wrongly sees
//! (`x-secret: false`). The rule is written out in `spec/README.md` ("Secrets").

use crate::yaml::{Key, Node, NodeValue};

/// The last words that name a credential on their own.
const SECRET_LAST_WORDS: &[&str] = &["password", "passphrase", "psk", "secret", "token"];

/// The words before a final `key` that make it a credential (`privateKey`, `apiKey`).
const KEY_QUALIFIERS: &[&str] = &[
    "private",
    "api",
    "access",
    "auth",
    "encryption",
    "account",
    "secret",
    "signing",
];

/// A name's words in lower case: split at `_`, `-`, `.`, spaces and lower-to-upper case
/// changes (`secretAccessKey` → `secret`, `access`, `key`; `client_secret` → `client`,
/// `secret`; `APIKey` → `api`, `key`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Whether a property of this name holds a credential: its last word is `password`,
/// `passphrase`, `psk` (a pre-shared key), `secret` or `token`; or it ends in `key` after `private`, `api`, `access`,
/// `auth`, `encryption`, `account`, `secret` or `signing`; or it is a connection string; or it
/// names a `secret` or `password` and ends in `value` (`secretValue`).
pub fn is_secret_name(name: &str) -> bool {
    let w = words(name);
    let Some(last) = w.last().map(String::as_str) else {
        return false;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str());
    SECRET_LAST_WORDS.contains(&last)
        || (last == "key" && before.is_some_and(|b| KEY_QUALIFIERS.contains(&b)))
        || (last == "string" && before == Some("connection"))
        || (last == "value" && w.iter().any(|x| x == "secret" || x == "password"))
}

/// Whether a schema of a property named `name` is secret by the rule: a string (possibly
/// nullable) whose name [`is_secret_name`], or any string of `format: password`. A schema
/// already marked either way keeps its mark.
pub fn is_secret_by_rule(name: &str, types: &[&str], format: Option<&str>) -> bool {
    let is_string = !types.is_empty() && types.iter().all(|t| *t == "string" || *t == "null");
    is_string && (format == Some("password") || is_secret_name(name))
}

/// Marks `x-secret: true` on every property that carries a credential by the rule of
/// this module's (a string named `password`, `privateKey`, `accessToken`, ...), unless the
/// overlay has marked it either way.
pub fn mark_secrets(node: &mut Node, depth: usize) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    match &mut node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                if key.name == "properties" {
                    if let NodeValue::Map(props) = &mut value.value {
                        for (name, prop) in props.iter_mut() {
                            mark_secret(&name.name, prop);
                        }
                    }
                }
                mark_secrets(value, depth + 1);
            }
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|v| mark_secrets(v, depth + 1)),
        _ => {}
    }
}

fn mark_secret(name: &str, prop: &mut Node) {
    let NodeValue::Map(entries) = &mut prop.value else {
        return;
    };
    let get = |k: &str| {
        entries
            .iter()
            .find(|(key, _)| key.name == k)
            .map(|(_, v)| v)
    };
    if get("x-secret").is_some() {
        return;
    }
    let types: Vec<&str> = match get("type").map(|t| &t.value) {
        Some(NodeValue::String(t)) => vec![t.as_str()],
        Some(NodeValue::Seq(ts)) => ts
            .iter()
            .filter_map(|t| match &t.value {
                NodeValue::String(t) => Some(t.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let format = match get("format").map(|f| &f.value) {
        Some(NodeValue::String(f)) => Some(f.as_str()),
        _ => None,
    };
    if crate::secrets::is_secret_by_rule(name, &types, format) {
        let pos = prop.pos;
        entries.push((
            Key {
                name: "x-secret".into(),
                pos,
            },
            Node {
                pos,
                value: NodeValue::Bool(true),
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("secretAccessKey"), ["secret", "access", "key"]);
        assert_eq!(words("client_secret"), ["client", "secret"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("x-api-key"), ["x", "api", "key"]);
    }

    #[test]
    fn credential_names_are_secret() {
        for name in [
            "password",
            "psk",
            "wlan_psk",
            "basicAuthPassword",
            "newPassword",
            "privateKey",
            "secretAccessKey",
            "apiKey",
            "apiKeySecret",
            "accessToken",
            "token",
            "customerToken",
            "authKey",
            "twoFactorAuthKey",
            "encryptionKey",
            "accountKey",
            "connectionString",
            "client_secret",
            "secretValue",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn names_that_only_mention_a_credential_are_not_secret() {
        for name in [
            "passwordLastUpdated",
            "isPasswordProtected",
            "client_secret_expires_at",
            "tokenId",
            "key",
            "deviceKey",
            "keyJson",
            "accessKeyId",
            "secrets",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn only_strings_are_secret_by_the_rule() {
        assert!(is_secret_by_rule("password", &["string"], None));
        assert!(is_secret_by_rule("password", &["string", "null"], None));
        assert!(!is_secret_by_rule("token", &["integer"], None));
        assert!(!is_secret_by_rule("password", &["boolean"], None));
        assert!(!is_secret_by_rule("generatePrivateKey", &["boolean"], None));
        assert!(!is_secret_by_rule("password", &[], None));
        assert!(is_secret_by_rule("pin", &["string"], Some("password")));
    }
}
