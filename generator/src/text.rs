//! The character rules for spec text, checked where the text is read (with its position), so
//! that what reaches the escapers of the output is known to be printable:
//!
//! - **one-line text** (names, titles, summaries, URLs, header values, scopes, property
//!   names): no control character at all (line breaks, tabs, NUL, DEL, C1), no line or
//!   paragraph separator, no bidirectional control;
//! - **prose** (descriptions): line breaks and tabs are allowed, nothing else of the above;
//! - **data** (examples, defaults, accepted values): any character JSON can carry, except
//!   bidirectional controls, which would make a page or a literal read differently from what
//!   it holds ("Trojan Source").

/// The kind of text a spec value is, which decides the characters it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: a name, title, summary, URL or header value.
    Line,
    /// Paragraphs: a description.
    Prose,
    /// A string inside an example, default or accepted value.
    Data,
}

/// Bidirectional formatting characters: they reorder what a reader sees.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A character one line of text may not hold: a control character, a line or paragraph
/// separator, or a bidirectional control.
pub fn breaks_a_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// What a character is called in a message.
fn describe(c: char) -> String {
    let name = match c {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\0' => "a NUL character",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        c if is_bidi_control(c) => "a bidirectional control character",
        _ => "a control character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

/// The first character `text` may not hold as `kind`, described for a message.
pub fn problem(text: &str, kind: TextKind) -> Option<String> {
    let bad = text.chars().find(|&c| match kind {
        TextKind::Line => breaks_a_line(c),
        TextKind::Prose => c != '\n' && c != '\t' && breaks_a_line(c),
        TextKind::Data => is_bidi_control(c),
    })?;
    let rule = match kind {
        TextKind::Line => "; this text must be one line of printable characters",
        TextKind::Prose => {
            "; descriptions may hold line breaks and tabs, no other control characters"
        }
        TextKind::Data => "",
    };
    Some(format!("holds {}{rule}", describe(bad)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_refuses_every_control_and_bidi_character() {
        for bad in [
            "a\nb",
            "a\rb",
            "a\tb",
            "a\0b",
            "a\u{7f}",
            "a\u{85}",
            "\u{202E}x",
            "x\u{2066}",
            "a\u{2028}b",
        ] {
            assert!(problem(bad, TextKind::Line).is_some(), "{bad:?}");
        }
        assert_eq!(
            problem("Application API Token: `x` <y> \"z\" é ✓", TextKind::Line),
            None
        );
        assert_eq!(
            problem("a\nb", TextKind::Line).as_deref(),
            Some("holds a line break (U+000A); this text must be one line of printable characters")
        );
    }

    #[test]
    fn prose_keeps_line_breaks_and_tabs_only() {
        assert_eq!(problem("one\n\ttwo\n", TextKind::Prose), None);
        for bad in ["lone\rcr", "nul\0", "\u{1b}[31m", "\u{202D}", "a\u{2029}b"] {
            assert!(problem(bad, TextKind::Prose).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn data_refuses_only_bidi_controls() {
        assert_eq!(problem("line\nbreak\r\0", TextKind::Data), None);
        assert!(problem("\u{202E}gnp.exe", TextKind::Data)
            .unwrap()
            .contains("bidirectional control character (U+202E)"));
    }
}
