//! A YAML tree that remembers where every node came from.
//!
//! The validator must point at the line and column of the key or value it complains about, so a
//! file is parsed by the event parser of `yaml-rust2`, whose markers build this tree. When that
//! finds a syntax error, `serde_yaml` parses the text too: its message names the construct the
//! error is in, and the message that points earlier is the one a maintainer sees.

use std::collections::HashSet;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

/// A position in a source file, 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Line, counted from 1.
    pub line: usize,
    /// Column, counted from 1.
    pub col: usize,
}

impl Pos {
    fn from_marker(m: &Marker) -> Self {
        Pos {
            line: m.line().max(1),
            col: m.col() + 1,
        }
    }
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The value itself.
    pub value: NodeValue,
}

/// The kinds of YAML value the spec uses.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (kept as JSON so integers stay exact).
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order; keys are strings with their own positions.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Where the key starts.
    pub pos: Pos,
    /// The key text.
    pub name: String,
}

impl Node {
    /// A short name of the value's type, for messages ("a string", "a mapping").
    pub fn kind(&self) -> &'static str {
        match &self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// The entries of a mapping, or `None`.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            NodeValue::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The string value, or `None`.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The position of `key` in a mapping.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.pos)
    }

    /// Converts to JSON (mapping order is kept).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A problem found while parsing one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseProblem {
    /// Where it is.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
}

/// Deepest nesting a spec file may have; deeper input is refused instead of risking the stack.
pub const MAX_DEPTH: usize = 256;

/// Parses YAML text into a located tree. Returns every duplicate key found, or the first syntax
/// error (YAML parsing cannot go on past one).
///
/// Work is linear in the text: parsing stops at the first collection deeper than
/// [`MAX_DEPTH`], so the rest of a deep file is never scanned (yaml-rust2's scanner spends time
/// in proportion to the open levels on every token, and its own loader recurses once per level).
pub fn parse(text: &str) -> Result<Node, Vec<ParseProblem>> {
    if let Some(problem) = tab_indentation(text) {
        return Err(vec![problem]);
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let scanner = load_first_document(&mut parser, &mut builder)
        .err()
        .map(|err| {
            let problem = ParseProblem {
                pos: Pos::from_marker(err.marker()),
                message: if err.info().contains("recursion limit") {
                    format!("nesting deeper than {MAX_DEPTH} levels")
                } else {
                    format!("invalid YAML: {}", err.info())
                },
            };
            (problem, err.marker().index())
        });
    if let Some((scanner, at)) = scanner {
        // serde_yaml (libyaml) names the construct a syntax error is in ("while parsing a
        // flow sequence at line 9 column 13"); yaml-rust2 sometimes points closer to the cause
        // (an unclosed quote where it opens). On a syntax error both speak; the one that
        // points earlier wins. Valid text is parsed once.
        return Err(vec![match libyaml_problem(libyaml_input(text, at)) {
            Some(libyaml) if libyaml.pos <= scanner.pos => libyaml,
            _ => scanner,
        }]);
    }
    if !builder.problems.is_empty() {
        return Err(builder.problems);
    }
    Ok(builder.root.unwrap_or(Node {
        pos: Pos { line: 1, col: 1 },
        value: NodeValue::Null,
    }))
}

/// How far past yaml-rust2's error libyaml reads: beyond libyaml's lookahead (a simple key is
/// given up after 1,024 characters), so that its verdict on everything up to that error is the
/// one it gives on the whole text. Anything it finds at the cut lies past yaml-rust2's error,
/// so it loses to that.
const LIBYAML_MARGIN: usize = 4096;

/// The text libyaml reads after yaml-rust2 failed at character `at`: up to [`LIBYAML_MARGIN`]
/// characters past it. serde_yaml reads a whole document before it builds values, and libyaml
/// has no depth limit: on the whole text it would read on through a deep part that yaml-rust2
/// never reached, in time that grows with the nesting on every token, only for serde_yaml to
/// drop its verdict ("recursion limit exceeded").
fn libyaml_input(text: &str, at: usize) -> &str {
    match text.char_indices().nth(at.saturating_add(LIBYAML_MARGIN)) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// What yaml-rust2's `Parser::load` does for one document, without recursion (its loader
/// calls itself once per level, so a deep file overflowed the stack), stopping as soon as the
/// builder refuses the nesting.
fn load_first_document(
    parser: &mut Parser<std::str::Chars<'_>>,
    builder: &mut Builder,
) -> Result<(), ScanError> {
    let (ev, mark) = parser.next_token()?;
    if ev != Event::StreamStart {
        return Err(ScanError::new(mark, "did not find expected <stream-start>"));
    }
    let (ev, mark) = parser.next_token()?;
    match ev {
        Event::StreamEnd => return Ok(()),
        Event::DocumentStart => {}
        _ => {
            return Err(ScanError::new(
                mark,
                "did not find expected <document-start>",
            ))
        }
    }
    let mut open = 0usize;
    loop {
        let (ev, mark) = parser.next_token()?;
        match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => open += 1,
            Event::SequenceEnd | Event::MappingEnd => open = open.saturating_sub(1),
            // The parser ends a document only after its root node.
            Event::DocumentEnd | Event::StreamEnd => return Ok(()),
            _ => {}
        }
        builder.on_event(ev, mark);
        if builder.too_deep {
            return Ok(());
        }
        if open == 0 {
            break;
        }
    }
    // The document's end is read too: text after the root node is an error there.
    parser.next_token()?;
    Ok(())
}

/// Parses a JSON file quickly, without positions: every node is at [`Pos::UNKNOWN`]. The tree is
/// the one [`parse`] gives for the same text (JSON is YAML), apart from the positions. Returns
/// `None` for anything [`parse`] should see instead: invalid JSON, duplicate keys, deep nesting,
/// tabs (which YAML reads differently) and `\u` escapes.
pub fn parse_json(text: &str) -> Option<Node> {
    if text.contains('\t') || text.contains("\\u") {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let node = serde::de::DeserializeSeed::deserialize(UnlocatedSeed(0), &mut de).ok()?;
    de.end().ok()?;
    Some(node)
}

impl Pos {
    /// The position of a node parsed without positions ([`parse_json`]).
    pub const UNKNOWN: Pos = Pos { line: 0, col: 0 };
}

/// Deserializes a [`Node`] at a depth, refusing duplicate keys and nesting past [`MAX_DEPTH`].
#[derive(Clone, Copy)]
struct UnlocatedSeed(usize);

impl<'de> serde::de::DeserializeSeed<'de> for UnlocatedSeed {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UnlocatedSeed {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(unlocated(NodeValue::Null))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(unlocated(NodeValue::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
        Ok(unlocated(NodeValue::Number(n.into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
        Ok(unlocated(NodeValue::Number(n.into())))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Node, E> {
        // `-0` and friends: leave the corner cases of number reading to `parse`.
        if f == 0.0 && f.is_sign_negative() {
            return Err(E::custom("negative zero"));
        }
        serde_json::Number::from_f64(f)
            .map(|n| unlocated(NodeValue::Number(n)))
            .ok_or_else(|| E::custom("not a finite number"))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(unlocated(NodeValue::String(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(unlocated(NodeValue::String(s)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(unlocated(NodeValue::Seq(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !seen.insert(name.clone()) {
                return Err(serde::de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(inner)?;
            entries.push((
                Key {
                    pos: Pos::UNKNOWN,
                    name,
                },
                value,
            ));
        }
        Ok(unlocated(NodeValue::Map(entries)))
    }
}

impl UnlocatedSeed {
    /// The seed of a collection's members, one level deeper.
    fn nested<E: serde::de::Error>(self) -> Result<UnlocatedSeed, E> {
        if self.0 >= MAX_DEPTH {
            return Err(E::custom("too deep"));
        }
        Ok(UnlocatedSeed(self.0 + 1))
    }
}

fn unlocated(value: NodeValue) -> Node {
    Node {
        pos: Pos::UNKNOWN,
        value,
    }
}

/// serde_yaml's syntax error, if it finds one.
fn libyaml_problem(text: &str) -> Option<ParseProblem> {
    let err = serde_yaml::from_str::<serde_yaml::Value>(text).err()?;
    let pos = err
        .location()
        .map(|l| Pos {
            line: l.line(),
            col: l.column(),
        })
        .unwrap_or(Pos { line: 1, col: 1 });
    let message = clean_serde_yaml_message(&err.to_string(), pos);
    // Duplicate keys are found by the tree builder, all of them, with positions. Its fixed
    // recursion limit (128) is below ours; depth is checked by the tree builder.
    (!message.contains("duplicate entry") && !message.contains("recursion limit exceeded"))
        .then_some(ParseProblem {
            pos,
            message: format!("invalid YAML: {message}"),
        })
}

/// YAML forbids tabs in indentation; say so plainly rather than with a scanner message.
fn tab_indentation(text: &str) -> Option<ParseProblem> {
    for (i, line) in text.lines().enumerate() {
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if let Some(col) = indent.find('\t') {
            return Some(ParseProblem {
                pos: Pos {
                    line: i + 1,
                    col: col + 1,
                },
                message: "tab character in indentation; YAML indents with spaces only".into(),
            });
        }
    }
    None
}

/// serde_yaml appends " at line L column C" for the error's own position, which is printed
/// separately; positions of the context ("while parsing ... at line 9 column 13") stay.
fn clean_serde_yaml_message(message: &str, pos: Pos) -> String {
    message.replacen(&format!(" at line {} column {}", pos.line, pos.col), "", 1)
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Key, Node)>, Option<Key>, HashSet<String>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    problems: Vec<ParseProblem>,
    too_deep: bool,
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending, seen)) => match pending.take() {
                None => {
                    let name = match &node.value {
                        NodeValue::String(s) => s.clone(),
                        NodeValue::Number(n) => n.to_string(),
                        NodeValue::Bool(b) => b.to_string(),
                        NodeValue::Null => "null".to_string(),
                        _ => {
                            self.problems.push(ParseProblem {
                                pos: node.pos,
                                message: "mapping keys must be plain strings".into(),
                            });
                            String::new()
                        }
                    };
                    if !seen.insert(name.clone()) {
                        self.problems.push(ParseProblem {
                            pos: node.pos,
                            message: format!("duplicate key `{name}` in this mapping"),
                        });
                    }
                    *pending = Some(Key {
                        pos: node.pos,
                        name,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

fn scalar(value: String, style: TScalarStyle, tag_plain: bool) -> NodeValue {
    if style != TScalarStyle::Plain || !tag_plain {
        return NodeValue::String(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "true" | "True" | "TRUE" => return NodeValue::Bool(true),
        "false" | "False" | "FALSE" => return NodeValue::Bool(false),
        _ => {}
    }
    if let Ok(i) = value.parse::<i64>() {
        return NodeValue::Number(i.into());
    }
    if let Ok(u) = value.parse::<u64>() {
        return NodeValue::Number(u.into());
    }
    let looks_numeric = value
        .trim_start_matches(['-', '+'])
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if looks_numeric {
        if let Ok(f) = value.parse::<f64>() {
            if let Some(n) = serde_json::Number::from_f64(f) {
                return NodeValue::Number(n);
            }
        }
    }
    NodeValue::String(value)
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.too_deep {
            return;
        }
        let pos = Pos::from_marker(&mark);
        // A tag changes what a value is (`!!binary`, `!!float`, a custom `!thing`); the spec
        // format has no use for one, and ignoring it would read the value as something else.
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::SequenceStart(_, Some(tag))
        | Event::MappingStart(_, Some(tag)) = &ev
        {
            self.problems.push(ParseProblem {
                pos,
                message: format!(
                    "YAML tags such as `{}{}` are not supported in specs; write the plain value",
                    if tag.handle == "tag:yaml.org,2002:" {
                        "!!"
                    } else {
                        &tag.handle
                    },
                    tag.suffix
                ),
            });
        }
        match ev {
            Event::Scalar(value, style, _, tag) => {
                let plain = tag.is_none();
                self.push_value(Node {
                    pos,
                    value: scalar(value, style, plain),
                });
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.too_deep = true;
                    self.problems.push(ParseProblem {
                        pos,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                    });
                    return;
                }
                if matches!(ev, Event::SequenceStart(..)) {
                    self.stack.push(Frame::Seq(pos, Vec::new()));
                } else {
                    self.stack
                        .push(Frame::Map(pos, Vec::new(), None, HashSet::new()));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(p, items)) => Node {
                        pos: p,
                        value: NodeValue::Seq(items),
                    },
                    Some(Frame::Map(p, entries, _, _)) => {
                        // yaml-rust2 marks a block mapping at the `:` of its first key; the
                        // mapping starts at that key.
                        let start = entries.first().map_or(p, |(k, _)| k.pos.min(p));
                        Node {
                            pos: start,
                            value: NodeValue::Map(entries),
                        }
                    }
                    None => return,
                };
                self.push_value(node);
            }
            Event::Alias(_) => self.problems.push(ParseProblem {
                pos,
                message: "YAML aliases (`*name`) are not supported in specs; write the value out"
                    .into(),
            }),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree without its positions.
    fn unlocate(node: &Node) -> Node {
        let value = match &node.value {
            NodeValue::Seq(items) => NodeValue::Seq(items.iter().map(unlocate).collect()),
            NodeValue::Map(entries) => NodeValue::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                pos: Pos::UNKNOWN,
                                name: k.name.clone(),
                            },
                            unlocate(v),
                        )
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        unlocated(value)
    }

    fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }

    /// The quick JSON reading gives `parse`'s tree, or leaves the text to `parse`: on every
    /// JSON file of the repository's specs and fixtures, and on the corner cases of JSON in YAML.
    #[test]
    fn parse_json_agrees_with_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        json_files(&root.join("../spec"), &mut files);
        json_files(&root.join("tests/fixtures"), &mut files);
        assert!(files.len() > 3, "found only {files:?}");
        let mut texts: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .collect();
        for corner in [
            r#"{"a": 1, "b": [1, -2, 3.5, 1e3, 12345678901234567890, 1.0], "c": null}"#,
            r#"{"t": true, "f": false, "s": "x: y # z", "e": "", "n": {"deep": [[[]]]}}"#,
            r#"{"esc": "quote \" slash \/ back \\ nl \n", "k y": "v"}"#,
            r#"{"a": 1, "a": 2}"#,
            r#"{"u": "\u00e9"}"#,
            "{\t\"tab\": 1}",
            r#"{"z": -0.0, "y": -0}"#,
            r#"[1, 2"#,
            r#"{"big": 1e400}"#,
            "\u{feff}{}",
            "{} trailing",
        ] {
            texts.push(corner.to_string());
        }
        for text in &texts {
            if let Some(fast) = parse_json(text) {
                let slow = parse(text).expect("JSON the quick reading accepts is valid YAML");
                assert_eq!(fast, unlocate(&slow), "{text}");
            }
        }
        // The plain cases do take the quick path.
        assert!(parse_json(&texts[files.len()]).is_some());
        assert!(parse_json(&texts[files.len() + 1]).is_some());
        assert!(parse_json(r#"{"a": 1, "a": 2}"#).is_none());
    }

    #[test]
    fn positions_are_one_based_and_point_at_keys_and_values() {
        let node = parse("name: x\nlist:\n  - a: 1\n    b: two\n").unwrap();
        assert_eq!(node.key_pos("list"), Some(Pos { line: 2, col: 1 }));
        let item = &match &node.get("list").unwrap().value {
            NodeValue::Seq(items) => items.clone(),
            _ => panic!("not a list"),
        }[0];
        assert_eq!(item.key_pos("b"), Some(Pos { line: 4, col: 5 }));
        assert_eq!(item.get("a").unwrap().value, NodeValue::Number(1.into()));
        assert_eq!(item.get("b").unwrap().as_str(), Some("two"));
    }

    #[test]
    fn every_duplicate_key_is_reported() {
        let problems = parse("a: 1\nb: 2\na: 3\nb: 4\n").unwrap_err();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].pos, Pos { line: 3, col: 1 });
        assert!(problems[0].message.contains("duplicate key `a`"));
    }

    #[test]
    fn tabs_and_syntax_errors_have_positions() {
        let tab = parse("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(tab[0].pos, Pos { line: 2, col: 1 });
        let broken = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(broken[0].message.starts_with("invalid YAML"));
        assert!(broken[0].pos.line >= 1);
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let node = parse("a: \"0\"\nb: 0\nc: 'true'\nd: 1.5\n").unwrap();
        assert_eq!(node.get("a").unwrap().as_str(), Some("0"));
        assert_eq!(node.get("b").unwrap().to_json(), serde_json::json!(0));
        assert_eq!(node.get("c").unwrap().as_str(), Some("true"));
        assert_eq!(node.get("d").unwrap().to_json(), serde_json::json!(1.5));
    }

    fn too_deep(text: &str) -> Pos {
        let problems = parse(text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            format!("nesting deeper than {MAX_DEPTH} levels")
        );
        problems[0].pos
    }

    /// Deep nesting of every kind is refused where it passes the limit, however much more of
    /// it follows: the parser stops there (it used to scan on, in time that grew with the
    /// square of the depth, and its recursive loader overflowed the stack on block nesting).
    #[test]
    fn deep_nesting_is_refused_where_it_passes_the_limit() {
        let levels = 100_000;
        // Flow sequences inside a flow mapping.
        let flow = format!("a: {{b: {}{}}}\n", "[".repeat(levels), "]".repeat(levels));
        assert_eq!(too_deep(&flow).line, 1);
        // Unclosed, as a file cut short would be.
        assert_eq!(too_deep(&format!("a: {{b: {}", "[".repeat(levels))).line, 1);
        // Flow mappings.
        let maps = format!("{}1{}\n", "{a: ".repeat(levels), "}".repeat(levels));
        assert_eq!(too_deep(&maps).line, 1);
        // Compact block sequences: `- - - x`.
        let block = format!("a:\n  {}x\n", "- ".repeat(levels));
        assert_eq!(
            too_deep(&block),
            Pos {
                line: 2,
                col: 3 + 2 * (MAX_DEPTH - 1)
            }
        );
        // Block mappings, one more space of indentation per level.
        let mut indent = String::new();
        for i in 0..2_000 {
            indent.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        indent.push_str(&format!("{}v\n", " ".repeat(2_000)));
        assert_eq!(too_deep(&indent).line, MAX_DEPTH + 1);
        // JSON: the quick reading leaves deep text to `parse`, which refuses it.
        let json = format!("{{\"a\": {}{}}}", "[".repeat(levels), "]".repeat(levels));
        assert!(parse_json(&json).is_none());
        assert_eq!(too_deep(&json).line, 1);
    }

    /// As deep as the limit allows is accepted, in block and in flow style.
    #[test]
    fn nesting_up_to_the_limit_is_accepted() {
        let block = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        let mut node = &parse(&block).unwrap();
        let mut depth = 0;
        while let NodeValue::Seq(items) = &node.value {
            depth += 1;
            node = &items[0];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert!(parse(&format!("{}x\n", "- ".repeat(MAX_DEPTH + 1))).is_err());
        // yaml-rust2 counts flow levels in a byte: flow alone stops one level short.
        let flow = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH - 2),
            "]".repeat(MAX_DEPTH - 2)
        );
        assert!(parse(&flow).is_ok());
        let json = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&json).is_ok());
    }

    /// A syntax error before a deep part is reported as it is without the deep part (libyaml,
    /// which words it, reads only a little past yaml-rust2's error); text after the root node
    /// is still an error.
    #[test]
    fn syntax_errors_before_deep_nesting_keep_their_message() {
        for broken in [
            "a: [1, 2\nb: 3\n",
            "a: \"open\nb: 1\n",
            "a:\n  - 1\n b: 2\n",
            "a: {x: 1\nb: 2\n",
        ] {
            let alone = parse(broken).unwrap_err();
            let deep = format!(
                "{broken}c: {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            );
            assert_eq!(parse(&deep).unwrap_err(), alone, "{broken}");
            assert!(alone[0].message.starts_with("invalid YAML"), "{alone:?}");
        }
        let trailing = parse("a: 1\n]\n").unwrap_err();
        assert!(
            trailing[0].message.starts_with("invalid YAML"),
            "{trailing:?}"
        );
    }

    #[test]
    fn json_files_parse_too() {
        let node = parse("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}")
            .unwrap();
        assert_eq!(node.get("type").unwrap().as_str(), Some("object"));
    }
}
