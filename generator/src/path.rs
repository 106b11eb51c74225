//! Path templates (`/applications/{applicationId}/tokens`), parsed once: validation reads their
//! placeholders, lowering their parts, and the generated tests fill them with example values.

/// A part of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is.
    Text(String),
    /// A `{name}` placeholder, filled with one encoded path segment.
    Param(String),
}

/// A parsed path template: text and placeholders in order, each placeholder named once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathTemplate {
    /// The parts, in order; two text parts never follow each other.
    pub parts: Vec<PathPart>,
}

impl PathTemplate {
    /// Parses a template. Unbalanced braces, an empty or non-identifier placeholder name and a
    /// name used twice are errors, each with a sentence for a diagnostic.
    pub fn parse(template: &str) -> Result<PathTemplate, String> {
        let mut parts = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err("`}` without a matching `{`".into());
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or("`{` without a matching `}`")?;
            let name = &after[..close];
            if name.contains('{') {
                return Err("`{` without a matching `}`".into());
            }
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "`{{{name}}}` is not a placeholder name (letters, digits and `_`)"
                ));
            }
            if names.contains(&name) {
                return Err(format!("`{{{name}}}` appears twice"));
            }
            names.push(name);
            if open > 0 {
                parts.push(PathPart::Text(rest[..open].to_string()));
            }
            parts.push(PathPart::Param(name.to_string()));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Text(rest.to_string()));
        }
        Ok(PathTemplate { parts })
    }

    /// The placeholder names, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Text(_) => None,
        })
    }

    /// The path with each placeholder replaced by `fill(name)`.
    pub fn fill(&self, mut fill: impl FnMut(&str) -> String) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                PathPart::Text(t) => t.clone(),
                PathPart::Param(name) => fill(name),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{PathPart, PathTemplate};

    #[test]
    fn placeholders_are_found_in_order_and_checked() {
        let t = PathTemplate::parse("/a/{x}/b/{y_z}").unwrap();
        assert_eq!(t.params().collect::<Vec<_>>(), vec!["x", "y_z"]);
        assert_eq!(
            t.parts,
            vec![
                PathPart::Text("/a/".into()),
                PathPart::Param("x".into()),
                PathPart::Text("/b/".into()),
                PathPart::Param("y_z".into()),
            ]
        );
        assert_eq!(t.fill(|n| n.to_uppercase()), "/a/X/b/Y_Z");
        for bad in [
            "/a/{x",
            "/a/x}",
            "/a/{}",
            "/a/{x}/{x}",
            "/a/{a{b}",
            "/a/{a-b}",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PathTemplate::parse("").unwrap().parts, vec![]);
    }
}
