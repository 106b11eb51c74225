//! Escaping for markdown pages: text from the spec can never break a table or a page.

/// Escapes text for a markdown table cell: `|` is escaped, newlines become `<br>`, HTML and
/// backticks are neutralised, and markdown emphasis characters are escaped.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.trim();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(&inline(line.trim()));
        if lines.peek().is_some() {
            out.push_str("<br>");
        }
    }
    out
}

/// Escapes text for running markdown (a paragraph): HTML and markdown syntax are shown as text.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '`' => out.push_str("&#96;"),
            '*' | '_' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_survive_pipes_newlines_html_and_backticks() {
        assert_eq!(
            cell("a|b\nc <b>x</b> `y`"),
            "a\\|b<br>c &lt;b&gt;x&lt;/b&gt; &#96;y&#96;"
        );
    }
}
