//! Escaping for markdown, one function per place spec text can take in a page: running text
//! ([`inline`]), a table cell ([`cell`]), a code span ([`code`]), a fenced block ([`fence`])
//! and a link target ([`link_target`]). Text from the spec can never break a table, open a
//! code block (which rustdoc would compile as a doctest), add HTML or make a link.

/// Escapes text for a markdown table cell: `|` is escaped, line breaks (LF, CRLF or a lone
/// CR) become `<br>`, and the rest is escaped as [`inline`] text.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(&inline(line.trim()));
        if lines.peek().is_some() {
            out.push_str("<br>");
        }
    }
    out
}

/// Escapes text for running markdown, as one line (line breaks become spaces): HTML,
/// entities, emphasis, links, headings, code spans and fences are shown as text; control
/// characters are shown as `\u{..}` escapes; a bare `http(s)://` URL is written as a code span
/// (see [`bare_url_len`]).
pub fn inline(text: &str) -> String {
    // Leading white space would make an indented code block (a doctest, in rustdoc) and a
    // leading `-`, `+`, `=`, `>` or `1.` a list, heading underline or quote wherever the text
    // starts a line; they are trimmed or escaped everywhere, which changes nothing elsewhere.
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 8);
    // (`>` needs no escape: it is written as an entity.)
    if text.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    // A list marker is the digits, `.` or `)`, then a space or the end of the line.
    let ordered = digits > 0
        && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(text.as_bytes().get(digits + 1), None | Some(b' '));
    let mut skip = 0;
    for (i, (at, c)) in text.char_indices().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        if ordered && i == digits {
            out.push('\\');
        }
        // A bare URL becomes a code span (rustdoc refuses bare URLs; spec text makes no link).
        if let Some(len) = bare_url_len(&text[at..]) {
            out.push('`');
            out.push_str(&text[at..at + len]);
            out.push('`');
            // The URL is ASCII: skip the rest of its characters.
            skip = len - 1;
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '`' => out.push_str("&#96;"),
            '*' | '_' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Running text is one line: a line break in it could start any block.
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || crate::text::is_bidi_control(c) => {
                out.push('\\');
                out.extend(c.escape_unicode());
            }
            _ => out.push(c),
        }
    }
    out
}

/// The length of the `http://` or `https://` URL `text` starts with: the characters rustdoc's
/// `bare_urls` lint takes for a URL, without a final `.`, `,`, `:`, `;`, `?` or `!` (the
/// sentence's). `None` if `text` does not start with one.
pub fn bare_url_len(text: &str) -> Option<usize> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let scheme = text.len() - rest.len();
    let url = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-@:%._+~#?&/=".contains(c)))
        .map_or(rest, |end| &rest[..end])
        .trim_end_matches(['.', ',', ':', ';', '?', '!']);
    (!url.is_empty()).then(|| scheme + url.len())
}

/// A code span holding `text` exactly: delimited by more backticks than the longest run
/// inside it, and padded with spaces where the text starts or ends with a backtick.
pub fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// The fence of a code block holding `body`: three backticks, or more than the longest run of
/// backticks in the body, so that no line of it can close the block.
pub fn fence(body: &str) -> String {
    "`".repeat((longest_run(body, '`') + 1).max(3))
}

fn longest_run(text: &str, ch: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == ch { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A link target: an absolute `http`/`https` URL or a relative path, with the characters that
/// would end or break a markdown link percent-encoded. Anything else (`javascript:`, `data:`,
/// `file:` ...) is `None`: it never becomes a link.
pub fn link_target(target: &str) -> Option<String> {
    let scheme = target
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        Some(_) => return None,
        None => {}
    }
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        if c.is_control()
            || c.is_whitespace()
            || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '\\' | '"' | '`')
        {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
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
        assert_eq!(cell("one\rtwo\r\nthree"), "one<br>two<br>three");
    }

    #[test]
    fn inline_text_opens_no_fence_link_or_html() {
        assert_eq!(inline("~~~rust"), "\\~\\~\\~rust");
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(inline("<script>"), "&lt;script&gt;");
        assert_eq!(inline("a\u{1b}b"), "a\\\\u{1b}b");
    }

    #[test]
    fn inline_text_starts_no_block() {
        assert_eq!(inline("    fn indented() {}"), "fn indented() {}");
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("=== heading line"), "\\=== heading line");
        assert_eq!(inline("> quote"), "&gt; quote");
        assert_eq!(inline("12. ordered"), "12\\. ordered");
        assert_eq!(inline("1) ordered"), "1\\) ordered");
        assert_eq!(inline("2024 was a year"), "2024 was a year");
        assert_eq!(inline("1.30.0"), "1.30.0");
        assert_eq!(inline("a\n\n    fn x() {}\r- b"), "a      fn x() {} - b");
    }

    /// A bare URL is a code span, as it is (not escaped), so rustdoc's `bare_urls` lint never
    /// fails the docs build and spec text still makes no link; a scheme without a URL stays text.
    #[test]
    fn bare_urls_become_code_spans() {
        assert_eq!(
            inline("[github’s model](https://developer.github.com/webhooks/)."),
            "\\[github’s model\\](`https://developer.github.com/webhooks/`)."
        );
        assert_eq!(
            inline("see http://a.io/x_y~z#f, or <https://b.io>"),
            "see `http://a.io/x_y~z#f`, or &lt;`https://b.io`&gt;"
        );
        assert_eq!(inline("the https:// scheme"), "the https:// scheme");
        assert_eq!(cell("a\nhttps://a.io|b"), "a<br>`https://a.io`\\|b");
        assert_eq!(bare_url_len("https://a.io/b?c=d&e. Next"), Some(20));
        assert_eq!(bare_url_len("ftp://a.io"), None);
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code("GET /a"), "`GET /a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a``"), "``` `a`` ```");
    }

    #[test]
    fn fences_outrun_the_body() {
        assert_eq!(fence("{\"a\": 1}"), "```");
        assert_eq!(fence("x\n````\ny"), "`````");
    }

    #[test]
    fn link_targets_are_http_or_relative() {
        assert_eq!(
            link_target("https://docs.example/a b(c)").as_deref(),
            Some("https://docs.example/a%20b%28c%29")
        );
        assert_eq!(
            link_target("schemas/item.md").as_deref(),
            Some("schemas/item.md")
        );
        assert_eq!(link_target("#anchor").as_deref(), Some("#anchor"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "file:///etc",
        ] {
            assert_eq!(link_target(bad), None, "{bad}");
        }
    }
}
