//! The documents of an OpenAPI spec: the vendor document and the sibling files its `$ref`s
//! name, each a located tree; `$ref` resolution across them; JSON pointers for diagnostics.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::load::{read_tree, Workspace};
use crate::yaml::{Node, NodeValue};

/// How many `$ref`s in a row are followed before the chain is called a loop.
const MAX_REF_HOPS: usize = 32;

/// Every file of the document, by workspace-relative name.
#[derive(Debug, Default)]
pub struct Documents {
    /// The vendor document (after the overlay).
    pub main: String,
    /// Located trees by file.
    pub files: BTreeMap<String, Node>,
}

/// A place in one of the documents: its file and JSON pointer (`#/paths/~1pets/get`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// Workspace-relative file.
    pub file: String,
    /// JSON pointer inside it, `#` for the root.
    pub pointer: String,
}

impl Place {
    /// The place of a child key.
    pub fn key(&self, key: &str) -> Place {
        Place {
            file: self.file.clone(),
            pointer: format!("{}/{}", self.pointer, escape(key)),
        }
    }

    /// The place of a list item.
    pub fn index(&self, i: usize) -> Place {
        Place {
            file: self.file.clone(),
            pointer: format!("{}/{i}", self.pointer),
        }
    }

    /// A diagnostic at this place, positioned at `node`.
    pub fn diag(&self, node: &Node, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file, Some(node.pos), &self.pointer, message)
    }
}

/// A JSON pointer token for a key (`/` and `~` escaped).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer's tokens, unescaped; `None` when it is not a pointer.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    let decoded = percent_decode(pointer)?;
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    let rest = decoded.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The node at a pointer's tokens below `root`.
pub fn walk<'a>(root: &'a Node, tokens: &[String]) -> Option<&'a Node> {
    let mut node = root;
    for token in tokens {
        node = match &node.value {
            NodeValue::Map(_) => node.get(token)?,
            NodeValue::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

impl Documents {
    /// Reads the sibling files the `$ref`s of the main document (and of those files) name.
    pub(crate) fn load_siblings(&mut self, workspace: &Workspace, diags: &mut Vec<Diagnostic>) {
        let mut pending: Vec<String> = vec![self.main.clone()];
        while let Some(file) = pending.pop() {
            let mut found = Vec::new();
            if let Some(root) = self.files.get(&file) {
                collect_files(root, &file, &mut found, 0);
            }
            for (target, place, pos) in found {
                if self.files.contains_key(&target) {
                    continue;
                }
                let mut problems = Vec::new();
                match read_tree(workspace, &target, &mut problems) {
                    Some(tree) => {
                        self.files.insert(target.clone(), tree.node);
                        pending.push(target);
                    }
                    None => {
                        let why = problems
                            .first()
                            .map(|p| format!(": {}", p.message))
                            .unwrap_or_default();
                        diags.push(Diagnostic::new(
                            &place.file,
                            Some(pos),
                            &place.pointer,
                            format!("`$ref` names the file `{target}`, which cannot be read{why}"),
                        ));
                        // Read once, reported once.
                        self.files.insert(
                            target,
                            Node {
                                pos,
                                value: NodeValue::Null,
                            },
                        );
                    }
                }
            }
        }
    }

    /// The root of a file.
    pub fn root(&self, file: &str) -> Option<&Node> {
        self.files.get(file)
    }

    /// Splits a `$ref` written in `from` into the file it names and its pointer tokens.
    pub fn target(&self, from: &str, reference: &str) -> Option<(String, Vec<String>)> {
        let (file, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, fragment),
            None => (reference, ""),
        };
        let file = if file.is_empty() {
            from.to_string()
        } else {
            sibling(from, file)?
        };
        Some((file, tokens(fragment)?))
    }

    /// Follows `$ref`s from `node` (at `place`) to the node they name, with the place of that
    /// node. A `$ref` that names nothing, a loop or a chain too long is a diagnostic.
    pub fn resolve<'a>(
        &'a self,
        place: &Place,
        node: &'a Node,
    ) -> Result<(Place, &'a Node), Diagnostic> {
        let mut place = place.clone();
        let mut node = node;
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = node.get("$ref") else {
                return Ok((place, node));
            };
            let Some(text) = reference.as_str() else {
                return Err(place.key("$ref").diag(reference, "`$ref` must be a string"));
            };
            let (file, tokens) = self.target(&place.file, text).ok_or_else(|| {
                place
                    .key("$ref")
                    .diag(reference, format!("`{text}` is not a reference this reader follows (a JSON pointer in this file or a sibling file)"))
            })?;
            let target = self
                .files
                .get(&file)
                .and_then(|root| walk(root, &tokens))
                .ok_or_else(|| {
                    place
                        .key("$ref")
                        .diag(reference, format!("`$ref` `{text}` names nothing"))
                })?;
            place = Place {
                file,
                pointer: pointer_of(&tokens),
            };
            node = target;
        }
        Err(place.diag(node, "`$ref`s form a loop (or a chain of more than 32)"))
    }
}

/// The pointer text (`#/a/b`) of tokens.
pub fn pointer_of(tokens: &[String]) -> String {
    let mut out = String::from("#");
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// A file named relative to `from` (same folder or below; never `..` or absolute).
fn sibling(from: &str, name: &str) -> Option<String> {
    if name.contains("://")
        || name.starts_with('/')
        || name.split('/').any(|s| s == ".." || s.is_empty())
    {
        return None;
    }
    let name = name.strip_prefix("./").unwrap_or(name);
    Some(match from.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    })
}

/// Every other file `$ref`s of a tree name, with where.
fn collect_files(
    node: &Node,
    from: &str,
    out: &mut Vec<(String, Place, crate::yaml::Pos)>,
    depth: usize,
) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    match &node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                if key.name == "$ref" {
                    if let Some(text) = value.as_str() {
                        let file = text.split('#').next().unwrap_or("");
                        if !file.is_empty() {
                            if let Some(target) = sibling(from, file) {
                                out.push((
                                    target,
                                    Place {
                                        file: from.to_string(),
                                        pointer: "#".into(),
                                    },
                                    value.pos,
                                ));
                            }
                        }
                    }
                } else {
                    collect_files(value, from, out, depth + 1);
                }
            }
        }
        NodeValue::Seq(items) => {
            for item in items {
                collect_files(item, from, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_unescape_and_percent_decode() {
        assert_eq!(
            tokens("/paths/~1pets~1%7BpetId%7D/get"),
            Some(vec!["paths".into(), "/pets/{petId}".into(), "get".into()])
        );
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(tokens("paths"), None);
        assert_eq!(pointer_of(&["a/b".into(), "c~d".into()]), "#/a~1b/c~0d");
    }

    #[test]
    fn sibling_files_stay_in_the_folder() {
        assert_eq!(
            sibling("spec/x/openapi.yaml", "pet.yaml").as_deref(),
            Some("spec/x/pet.yaml")
        );
        assert_eq!(
            sibling("spec/x/openapi.yaml", "./s/pet.yaml").as_deref(),
            Some("spec/x/s/pet.yaml")
        );
        assert_eq!(sibling("spec/x/openapi.yaml", "../y.yaml"), None);
        assert_eq!(sibling("spec/x/openapi.yaml", "https://e.com/a.yaml"), None);
    }
}
