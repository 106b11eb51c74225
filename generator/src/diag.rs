//! Diagnostics: what is wrong, where in which file, and at which spec path.

use std::fmt;

use crate::yaml::Pos;

/// One problem in a spec, with enough context for a maintainer to fix it without reading the
/// generator.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as a path relative to the workspace (`spec/losant/api.yaml`).
    pub file: String,
    /// Line and column, where the problem has a position.
    pub pos: Option<Pos>,
    /// What is wrong.
    pub message: String,
    /// The spec path (`resources.userApiTokens.actions.get.params[2]`), where there is one.
    pub spec_path: String,
    /// A hint such as "did you mean `required`?".
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a position of a file.
    pub fn new(file: &str, pos: Option<Pos>, spec_path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            pos,
            message: message.into(),
            spec_path: spec_path.to_string(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, message) = (shown(&self.file), shown(&self.message));
        match self.pos {
            Some(p) => write!(f, "{file}:{}:{}: {message}", p.line, p.col)?,
            None => write!(f, "{file}: {message}")?,
        }
        if !self.spec_path.is_empty() {
            write!(f, "\n    at {}", shown(&self.spec_path))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {}", shown(hint))?;
        }
        Ok(())
    }
}

/// Text of a diagnostic as a terminal shows it: spec text quoted in a message may hold control
/// or bidirectional characters, which are written as escapes so that they cannot move the
/// cursor, colour the terminal or reorder the line.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = crate::text::breaks_a_line;
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The best close match for `word` among `candidates`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= 1.max(c.len().min(word.len()) / 3))
        .min_by_key(|(d, c)| (*d, c.to_string()))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Several diagnostics, printed one per paragraph, with a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} found in the spec",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_file_line_col_path_and_hint() {
        let d = Diagnostic::new(
            "spec/a/api.yaml",
            Some(Pos { line: 3, col: 5 }),
            "api.auth",
            "unknown key `hedaer`",
        )
        .with_hint("did you mean `header`?");
        assert_eq!(
            d.to_string(),
            "spec/a/api.yaml:3:5: unknown key `hedaer`\n    at api.auth\n    hint: did you mean `header`?"
        );
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        assert_eq!(
            did_you_mean("requird", ["name", "required", "in"]).as_deref(),
            Some("did you mean `required`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["name", "required"]), None);
    }
}
