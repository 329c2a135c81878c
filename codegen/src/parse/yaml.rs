//! YAML 1.2 to [`Node`]s, on top of saphyr-parser's event stream.
//!
//! Plain scalars are typed with the YAML 1.2 core schema, anchors and aliases are expanded under
//! a node budget (so an alias bomb is refused instead of filling memory), `<<` merge keys are
//! honoured, and duplicate keys are errors.

use std::collections::HashMap;

use indexmap::IndexMap;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

use super::{Limits, ParseError};
use crate::diag::Code;
use crate::node::{Map, Member, Node, Value};
use crate::source::{FileId, Pos, Span};

pub(super) fn parse(text: &str, file: FileId, limits: &Limits) -> Result<Node, ParseError> {
    Builder {
        file,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        documents: 0,
    }
    .run(text)
}

fn pos(marker: &Marker) -> Pos {
    Pos::new(
        u32::try_from(marker.line()).unwrap_or(u32::MAX),
        u32::try_from(marker.col() + 1).unwrap_or(u32::MAX),
    )
}

fn scan_error(error: &ScanError) -> ParseError {
    ParseError::new(Code::Syntax, error.info().to_owned(), pos(error.marker()))
}

/// A collection being built.
enum Frame {
    Seq {
        start: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Pos,
        anchor: usize,
        map: Map,
        key: Option<(String, Span)>,
        /// `<<` merge sources, applied when the mapping ends (explicit keys win).
        merges: Vec<Node>,
    },
}

struct Builder<'a> {
    file: FileId,
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// Anchored nodes with the number of nodes each contains and how deep each is.
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    root: Option<Node>,
    documents: usize,
}

/// An anchored node, with what repeating it costs.
struct Anchored {
    node: Node,
    /// How many nodes it holds (charged against the budget at every alias).
    size: usize,
    /// How many collection levels it spans (checked against the depth limit at every alias).
    depth: usize,
}

impl Anchored {
    fn new(node: Node) -> Self {
        Anchored {
            size: size(&node),
            depth: depth(&node),
            node,
        }
    }
}

/// How many collection levels a tree spans.
fn depth(node: &Node) -> usize {
    match &node.value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(|m| depth(&m.value)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Counts the nodes of a tree, to charge alias expansion against the budget.
fn size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Array(items) => items.iter().map(size).sum(),
        Value::Object(map) => map.values().map(|m| size(&m.value)).sum(),
        _ => 0,
    }
}

impl Builder<'_> {
    fn span(&self, start: Pos, end: Pos) -> Span {
        Span {
            file: self.file,
            start,
            end,
        }
    }

    fn charge(&mut self, count: usize, at: Pos, alias: bool) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes > self.limits.max_nodes {
            let message = if alias {
                format!(
                    "expanding this alias would make the document larger than {} values (an alias bomb?)",
                    self.limits.max_nodes
                )
            } else {
                format!(
                    "the document has more than {} values",
                    self.limits.max_nodes
                )
            };
            return Err(ParseError::new(Code::Limit, message, at));
        }
        Ok(())
    }

    fn run(mut self, text: &str) -> Result<Node, ParseError> {
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| scan_error(&e))?;
            let start = pos(&span.start);
            let end = pos(&span.end);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(ParseError::new(
                            Code::Syntax,
                            "the file holds more than one YAML document; an AsyncAPI file must hold exactly one",
                            start,
                        ));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.charge(1, start, false)?;
                    let span = self.span(start, end);
                    let expecting_key =
                        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                    let node = if expecting_key {
                        Node {
                            value: Value::String(text.into_owned()),
                            span,
                        }
                    } else {
                        Node {
                            value: scalar(&text, style, tag.as_deref()),
                            span,
                        }
                    };
                    if anchor > 0 {
                        self.anchors.insert(anchor, Anchored::new(node.clone()));
                    }
                    self.complete(node)?;
                }
                Event::Alias(id) => {
                    let Some(anchored) = self.anchors.get(&id) else {
                        return Err(ParseError::new(
                            Code::Syntax,
                            "alias to an unknown anchor",
                            start,
                        ));
                    };
                    let (count, nested) = (anchored.size, anchored.depth);
                    // Check before copying, so an alias bomb is refused before it costs memory,
                    // and aliases of aliases cannot nest deeper than the depth limit.
                    if self.stack.len() + nested > self.limits.max_depth {
                        return Err(ParseError::new(
                            Code::Limit,
                            format!(
                                "through this alias, values are nested more than {} levels deep",
                                self.limits.max_depth
                            ),
                            start,
                        ));
                    }
                    self.charge(count, start, true)?;
                    let Some(mut node) = self.anchors.get(&id).map(|a| a.node.clone()) else {
                        return Err(ParseError::new(
                            Code::Syntax,
                            "alias to an unknown anchor",
                            start,
                        ));
                    };
                    // The alias's own position is where the value is used; keep the anchored
                    // node's inner positions, which point at the text that defines it.
                    node.span = self.span(start, end);
                    self.complete(node)?;
                }
                Event::SequenceStart(anchor, _) => {
                    self.charge(1, start, false)?;
                    self.enter(start)?;
                    self.stack.push(Frame::Seq {
                        start,
                        anchor,
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(anchor, _) => {
                    self.charge(1, start, false)?;
                    self.enter(start)?;
                    self.stack.push(Frame::Map {
                        start,
                        anchor,
                        map: IndexMap::new(),
                        key: None,
                        merges: Vec::new(),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        return Err(ParseError::new(
                            Code::Syntax,
                            "unbalanced collection end",
                            start,
                        ));
                    };
                    let (node, anchor) = match frame {
                        Frame::Seq {
                            start: s,
                            anchor,
                            items,
                        } => (
                            Node {
                                value: Value::Array(items),
                                span: self.span(s, end),
                            },
                            anchor,
                        ),
                        Frame::Map {
                            start: s,
                            anchor,
                            mut map,
                            merges,
                            ..
                        } => {
                            for source in merges {
                                merge_into(&mut map, source)?;
                            }
                            (
                                Node {
                                    value: Value::Object(map),
                                    span: self.span(s, end),
                                },
                                anchor,
                            )
                        }
                    };
                    if anchor > 0 {
                        self.anchors.insert(anchor, Anchored::new(node.clone()));
                    }
                    self.complete(node)?;
                }
            }
        }
        Ok(self.root.unwrap_or(Node {
            value: Value::Null,
            span: Span {
                file: self.file,
                start: Pos::new(1, 1),
                end: Pos::new(1, 1),
            },
        }))
    }

    fn enter(&self, at: Pos) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(ParseError::new(
                Code::Limit,
                format!(
                    "values are nested more than {} levels deep",
                    self.limits.max_depth
                ),
                at,
            ));
        }
        Ok(())
    }

    /// Hands a finished node to the collection being built, or makes it the root.
    fn complete(&mut self, node: Node) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                None => {
                    let name = match node.value {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".to_owned(),
                        Value::Array(_) | Value::Object(_) => {
                            return Err(ParseError::new(
                                Code::Syntax,
                                "mapping keys must be scalars; AsyncAPI documents have string keys only",
                                node.span.start,
                            ));
                        }
                    };
                    *key = Some((name, node.span));
                    Ok(())
                }
                Some((name, key_span)) => {
                    if name == "<<" {
                        merges.push(node);
                        return Ok(());
                    }
                    if let Some(first) = map.get(&name) {
                        let mut err = ParseError::new(
                            Code::DuplicateKey,
                            format!("the key `{name}` appears twice in this mapping"),
                            key_span.start,
                        );
                        err.related = Some(("first written here".to_owned(), first.key_span.start));
                        return Err(err);
                    }
                    map.insert(
                        name,
                        Member {
                            key_span,
                            value: node,
                        },
                    );
                    Ok(())
                }
            },
        }
    }
}

/// Applies one `<<` merge value (a mapping or a sequence of mappings) without overriding keys.
fn merge_into(map: &mut Map, source: Node) -> Result<(), ParseError> {
    match source.value {
        Value::Object(other) => {
            for (k, m) in other {
                map.entry(k).or_insert(m);
            }
            Ok(())
        }
        Value::Array(items) => {
            for item in items {
                if !matches!(item.value, Value::Object(_)) {
                    return Err(ParseError::new(
                        Code::Syntax,
                        "a `<<` merge list may only contain mappings",
                        item.span.start,
                    ));
                }
                merge_into(map, item)?;
            }
            Ok(())
        }
        _ => Err(ParseError::new(
            Code::Syntax,
            "a `<<` merge key needs a mapping or a list of mappings",
            source.span.start,
        )),
    }
}

/// Types a scalar the way the YAML 1.2 core schema does.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() || tag.handle == "!!" {
            match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => return Value::String(text.to_owned()),
                "null" => return Value::Null,
                "bool" | "int" | "float" => {
                    return plain(text);
                }
                _ => {}
            }
        } else if tag.handle == "!" && tag.suffix.is_empty() {
            return Value::String(text.to_owned());
        }
    }
    match style {
        ScalarStyle::Plain => plain(text),
        _ => Value::String(text.to_owned()),
    }
}

fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(v) = u64::from_str_radix(hex, 16)
    {
        return Value::Number(v.into());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(v) = u64::from_str_radix(oct, 8)
    {
        return Value::Number(v.into());
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        let digits = unsigned.trim_start_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        let normalised = if negative {
            format!("-{digits}")
        } else {
            digits.to_owned()
        };
        if let Some(v) = super::json::number_value(&normalised, false) {
            return v;
        }
    }
    if is_core_float(unsigned)
        && let Some(v) = super::json::number_value(text.strip_prefix('+').unwrap_or(text), true)
    {
        return v;
    }
    Value::String(text.to_owned())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float without sign.
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
        if int_digits == 0 && frac_digits == 0 {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, ParseError> {
        parse(text, FileId(0), &Limits::default())
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let n = p("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n").unwrap();
        assert_eq!(
            n.to_json(),
            serde_json::json!({"base": {"x": 1, "y": 2}, "use": {"y": 3, "x": 1}, "list": [{"x": 1, "y": 2}]})
        );
    }

    #[test]
    fn aliases_of_aliases_cannot_nest_past_the_depth_limit() {
        let limits = Limits {
            max_depth: 16,
            ..Limits::default()
        };
        let mut text = String::from("a0: &a0 [[[[[1]]]]]\n");
        for i in 1..10 {
            text.push_str(&format!("a{i}: &a{i} [[[[*a{}]]]]\n", i - 1));
        }
        let err = parse(&text, FileId(0), &limits).unwrap_err();
        assert_eq!(err.code, Code::Limit);
        assert!(
            err.message.contains("through this alias"),
            "{}",
            err.message
        );
    }

    #[test]
    fn block_scalars_and_quotes_stay_strings() {
        let n = p("a: |\n  line 1\n  line 2\nb: \"1\"\nc: !!str 5\nd: '3.0'\n").unwrap();
        let j = n.to_json();
        assert_eq!(j["a"], "line 1\nline 2\n");
        assert_eq!(j["b"], "1");
        assert_eq!(j["c"], "5");
        assert_eq!(j["d"], "3.0");
    }

    #[test]
    fn version_like_plain_scalars_are_strings() {
        let n = p("asyncapi: 3.0.0\nversion: 1.0\n").unwrap();
        assert_eq!(n.to_json()["asyncapi"], "3.0.0");
        assert_eq!(n.to_json()["version"], 1.0);
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = p("a: b\n  c: d\n").unwrap_err();
        assert_eq!(err.code, Code::Syntax);
        assert_eq!(err.pos.line, 2);
        let err = p("a: [1, 2\n").unwrap_err();
        assert_eq!(err.code, Code::Syntax);
    }

    #[test]
    fn several_documents_are_refused() {
        let err = p("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(err.message.contains("more than one YAML document"));
        assert_eq!(err.pos.line, 2);
    }

    #[test]
    fn empty_file_is_null() {
        assert_eq!(p("").unwrap().value, Value::Null);
        assert_eq!(p("# only a comment\n").unwrap().value, Value::Null);
    }
}
