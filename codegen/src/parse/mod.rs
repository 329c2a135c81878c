//! Text to [`Node`] trees: JSON or YAML, told apart by content, with resource limits.

mod json;
mod yaml;

use crate::diag::Code;
use crate::node::Node;
use crate::source::{FileId, Pos};

/// Resource limits that keep a hostile or broken document from exhausting time or memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: usize,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes one file may produce, counting every node an alias repeats.
    pub max_nodes: usize,
    /// Most files one document may pull in through `$ref`s.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_files: 512,
        }
    }
}

/// Which syntax a text was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// JSON (RFC 8259).
    Json,
    /// YAML 1.2.
    Yaml,
}

/// Why a text could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Syntax, limit or duplicate-key problem.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub pos: Pos,
    /// A second position that helps (the first occurrence of a duplicated key).
    pub related: Option<(String, Pos)>,
}

impl ParseError {
    pub(crate) fn new(code: Code, message: impl Into<String>, pos: Pos) -> Self {
        ParseError {
            code,
            message: message.into(),
            pos,
            related: None,
        }
    }
}

/// Parses `text` (a whole file) into a tree. JSON is recognised by content: text whose first
/// significant character is `{` or `[` is read as JSON, and only if that fails as YAML (a YAML
/// flow collection starts the same way); anything else is YAML.
pub fn parse(text: &str, file: FileId, limits: &Limits) -> Result<(Node, Syntax), ParseError> {
    if text.len() > limits.max_file_bytes {
        return Err(ParseError::new(
            Code::Limit,
            format!(
                "the file is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_file_bytes
            ),
            Pos::new(1, 1),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{') | Some('[')) {
        match json::parse(text, file, limits) {
            Ok(node) => Ok((node, Syntax::Json)),
            Err(json_error) if json_error.code == Code::Syntax => {
                match yaml::parse(text, file, limits) {
                    Ok(node) => Ok((node, Syntax::Yaml)),
                    // The text looked like JSON; its JSON error is the useful one.
                    Err(_) => Err(json_error),
                }
            }
            Err(other) => Err(other),
        }
    } else {
        yaml::parse(text, file, limits).map(|node| (node, Syntax::Yaml))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Value;

    fn p(text: &str) -> Result<(Node, Syntax), ParseError> {
        parse(text, FileId(0), &Limits::default())
    }

    #[test]
    fn json_and_yaml_give_the_same_tree_shape() {
        let (j, sj) = p(r#"{"a": [1, 2.5, "x", null, true], "b": {"c": "d"}}"#).unwrap();
        let (y, sy) = p("a: [1, 2.5, x, ~, true]\nb:\n  c: d\n").unwrap();
        assert_eq!(sj, Syntax::Json);
        assert_eq!(sy, Syntax::Yaml);
        assert_eq!(j.to_json(), y.to_json());
    }

    #[test]
    fn detects_by_content_not_extension() {
        // A YAML flow mapping that is not JSON falls back to YAML.
        let (n, s) = p("{a: b}").unwrap();
        assert_eq!(s, Syntax::Yaml);
        assert_eq!(n.get("a").unwrap().as_str(), Some("b"));
        // JSON with tab indentation, which YAML would refuse.
        let (n, s) = p("{\n\t\"a\": 1\n}").unwrap();
        assert_eq!(s, Syntax::Json);
        assert!(matches!(n.get("a").unwrap().value, Value::Number(_)));
    }

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let (n, _) = p("asyncapi: 3.0.0\ninfo:\n  title: x\n").unwrap();
        let title = n.get("info").unwrap().get("title").unwrap();
        assert_eq!(title.span.start, Pos::new(3, 10));
        let (n, _) = p("{\n  \"info\": {\"title\": \"x\"}\n}").unwrap();
        let title = n.get("info").unwrap().get("title").unwrap();
        assert_eq!(title.span.start, Pos::new(2, 21));
    }

    #[test]
    fn broken_json_reports_json_error_with_position() {
        let err = p("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(err.code, Code::Syntax);
        assert_eq!(err.pos, Pos::new(3, 7));
        assert!(err.message.contains("`:`"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors_in_both_syntaxes() {
        for text in ["{\"a\": 1, \"a\": 2}", "a: 1\na: 2\n"] {
            let err = p(text).unwrap_err();
            assert_eq!(err.code, Code::DuplicateKey, "{text}");
            assert!(err.related.is_some());
        }
    }

    #[test]
    fn absurd_nesting_is_refused() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(p(&deep).unwrap_err().code, Code::Limit);
        let deep_yaml = "a:\n".to_owned()
            + &(1..300)
                .map(|i| format!("{}b:\n", " ".repeat(i)))
                .collect::<String>();
        assert_eq!(p(&deep_yaml).unwrap_err().code, Code::Limit);
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let err = p(&text).unwrap_err();
        assert_eq!(err.code, Code::Limit);
        assert!(err.message.contains("alias"), "{}", err.message);
        // Not a timing test of speed, only a guard against exponential work: generous bound.
        assert!(started.elapsed().as_secs() < 10);
    }

    #[test]
    fn huge_file_is_refused_before_parsing() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        let err = parse("a: 12345678901", FileId(0), &limits).unwrap_err();
        assert_eq!(err.code, Code::Limit);
    }

    #[test]
    fn yaml_scalars_follow_the_core_schema() {
        let (n, _) =
            p("a: 0x1F\nb: .inf\nc: 'true'\nd: True\ne:\nf: 1e3\ng: 012\nh: 200\n").unwrap();
        let j = n.to_json();
        assert_eq!(j["a"], 31);
        assert_eq!(j["c"], "true");
        assert_eq!(j["d"], true);
        assert_eq!(j["e"], serde_json::Value::Null);
        assert_eq!(j["f"], 1000.0);
        assert_eq!(j["g"], 12);
        assert_eq!(j["h"], 200);
        // .inf has no JSON form; it stays a string rather than becoming a wrong number.
        assert_eq!(j["b"], ".inf");
    }

    #[test]
    fn numeric_and_boolean_yaml_keys_become_strings() {
        let (n, _) = p("200: ok\ntrue: yes\n").unwrap();
        assert!(n.get("200").is_some());
        assert!(n.get("true").is_some());
    }
}
