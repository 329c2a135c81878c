//! A strict JSON (RFC 8259) reader that records where every value and key is written.

use indexmap::IndexMap;

use super::{Limits, ParseError};
use crate::diag::Code;
use crate::node::{Member, Node, Value};
use crate::source::{FileId, Pos, Span};

pub(super) fn parse(text: &str, file: FileId, limits: &Limits) -> Result<Node, ParseError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        column: 1,
        file,
        limits,
        nodes: 0,
    };
    reader.skip_ws();
    let node = reader.value(0)?;
    reader.skip_ws();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: u32,
    column: u32,
    file: FileId,
    limits: &'a Limits,
    nodes: usize,
}

impl Reader<'_> {
    fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(Code::Syntax, message, self.pos())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Advances one byte, keeping line and column (in characters) up to date.
    fn bump(&mut self) {
        if let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), ParseError> {
        if self.peek() == Some(byte) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{}`", byte as char)))
        }
    }

    fn unexpected(&self, wanted: &str) -> ParseError {
        match self.text[self.at..].chars().next() {
            Some(c) => self.error(format!("expected {wanted}, found `{c}`")),
            None => self.error(format!("expected {wanted}, found the end of the file")),
        }
    }

    fn span_from(&self, start: Pos) -> Span {
        Span {
            file: self.file,
            start,
            end: self.pos(),
        }
    }

    fn count_node(&mut self) -> Result<(), ParseError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(ParseError::new(
                Code::Limit,
                format!(
                    "the document has more than {} values",
                    self.limits.max_nodes
                ),
                self.pos(),
            ));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        self.count_node()?;
        let start = self.pos();
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node {
            value,
            span: self.span_from(start),
        })
    }

    fn enter(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= self.limits.max_depth {
            return Err(ParseError::new(
                Code::Limit,
                format!(
                    "values are nested more than {} levels deep",
                    self.limits.max_depth
                ),
                self.pos(),
            ));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        let depth = self.enter(depth)?;
        self.bump();
        let mut map = IndexMap::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_start = self.pos();
            let key = self.string()?;
            let key_span = self.span_from(key_start);
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth)?;
            if let Some(first) = map.get(&key) {
                let first: &Member = first;
                let mut err = ParseError::new(
                    Code::DuplicateKey,
                    format!("the key `{key}` appears twice in this object"),
                    key_start,
                );
                err.related = Some(("first written here".to_owned(), first.key_span.start));
                return Err(err);
            }
            map.insert(key, Member { key_span, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        let depth = self.enter(depth)?;
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(value)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
            n += 1;
        }
        n
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => {
                self.bump();
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("numbers must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("a digit")),
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.bump();
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            float = true;
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        let literal = &self.text[start..self.at];
        number_value(literal, float)
            .ok_or_else(|| self.error(format!("the number `{literal}` is out of range")))
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(&self.text[run_start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error("control characters must be escaped in JSON strings"));
                }
                None => return Err(self.error("the string is not closed")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.at..].starts_with(b"\\u") {
                        return Err(
                            self.error("a high surrogate must be followed by a low surrogate")
                        );
                    }
                    self.bump();
                    self.bump();
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("invalid low surrogate"));
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(code)
                        .ok_or_else(|| self.error("invalid unicode escape"));
                }
                return char::from_u32(high)
                    .ok_or_else(|| self.error("lone surrogate in unicode escape"));
            }
            _ => return Err(self.unexpected("an escape character")),
        };
        self.bump();
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.unexpected("a hexadecimal digit")),
            };
            value = value * 16 + u32::from(digit);
            self.bump();
        }
        Ok(value)
    }
}

/// Converts a number literal to a JSON number: integers stay exact when they fit 64 bits.
pub(crate) fn number_value(literal: &str, float: bool) -> Option<Value> {
    if !float {
        if let Ok(i) = literal.parse::<i64>() {
            return Some(Value::Number(i.into()));
        }
        if let Ok(u) = literal.parse::<u64>() {
            return Some(Value::Number(u.into()));
        }
    }
    let f: f64 = literal.parse().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, ParseError> {
        parse(text, FileId(0), &Limits::default())
    }

    #[test]
    fn strings_with_escapes_and_unicode() {
        let n = p(r#"{"k\u00e9y": "a\"b\\c\/d\n\ud83d\ude00", "é": "ü"}"#).unwrap();
        assert_eq!(n.get("kéy").unwrap().as_str(), Some("a\"b\\c/d\n😀"));
        // Columns count characters, not bytes.
        let n = p("{\"é\": \"ü\", \"x\": 1}").unwrap();
        assert_eq!(n.get("x").unwrap().span.start, Pos::new(1, 17));
    }

    #[test]
    fn numbers() {
        let n = p("[0, -1, 18446744073709551615, 1.5e2, -0.25]").unwrap();
        assert_eq!(
            n.to_json(),
            serde_json::json!([0, -1, 18446744073709551615u64, 150.0, -0.25])
        );
        assert!(p("[01]").is_err());
        assert!(p("[1.]").is_err());
        assert!(p("[1e999]").is_err());
    }

    #[test]
    fn rejects_trailing_commas_and_garbage() {
        assert!(p("[1,]").is_err());
        assert!(p("{\"a\":1,}").is_err());
        assert!(p("{} x").is_err());
        assert!(p("\"unterminated").is_err());
        assert!(p("\"bad \\x escape\"").is_err());
        assert!(p("\"\\ud800\"").is_err());
    }
}
