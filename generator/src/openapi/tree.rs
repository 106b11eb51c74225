//! Small builders of located trees: the front-end writes the spec it reads as the same kind of
//! tree a spec file gives, each value positioned where the vendor document (or the overlay)
//! says it, so later checks point into the vendor document.

use crate::yaml::{Key, Node, NodeValue, Pos};

/// A mapping.
pub fn map(pos: Pos, entries: Vec<(Key, Node)>) -> Node {
    Node {
        pos,
        value: NodeValue::Map(entries),
    }
}

/// One mapping entry.
pub fn entry(pos: Pos, key: &str, value: Node) -> (Key, Node) {
    (
        Key {
            pos,
            name: key.to_string(),
        },
        value,
    )
}

/// A list.
pub fn list(pos: Pos, items: Vec<Node>) -> Node {
    Node {
        pos,
        value: NodeValue::Seq(items),
    }
}

/// A string.
pub fn string(pos: Pos, text: &str) -> Node {
    Node {
        pos,
        value: NodeValue::String(text.to_string()),
    }
}

/// A boolean.
pub fn boolean(pos: Pos, value: bool) -> Node {
    Node {
        pos,
        value: NodeValue::Bool(value),
    }
}

/// A number.
pub fn number(pos: Pos, value: u64) -> Node {
    Node {
        pos,
        value: NodeValue::Number(value.into()),
    }
}
