//! Runtime expressions (`$message.header#/correlationId`, `$message.payload#/user/id`): where
//! a message keeps its correlation id, or where a reply should go.
//!
//! ```
//! use asyncapi_runtime::expression::RuntimeExpression;
//! use serde_json::json;
//!
//! let e = RuntimeExpression::parse("$message.payload#/meta/a~1b").unwrap();
//! let payload = json!({"meta": {"a/b": "x"}});
//! assert_eq!(e.evaluate(&json!({}), &payload), Some(&json!("x")));
//! ```

use serde_json::Value;

use crate::envelope::EnvelopeReader;

/// Which part of a message an expression reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The headers.
    Header,
    /// The payload.
    Payload,
}

/// Why an expression cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid runtime expression `{expression}`: {reason}")]
pub struct ExpressionError {
    /// The expression.
    pub expression: String,
    /// What is wrong.
    pub reason: String,
}

/// A parsed runtime expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeExpression {
    /// What it reads.
    pub source: Source,
    /// The JSON pointer's tokens, unescaped (`~1` is `/`, `~0` is `~`, percent escapes decoded).
    pub pointer: Vec<String>,
}

impl RuntimeExpression {
    /// Parses `$message.header#/...` or `$message.payload#/...`.
    pub fn parse(text: &str) -> Result<RuntimeExpression, ExpressionError> {
        let err = |reason: &str| ExpressionError {
            expression: text.to_owned(),
            reason: reason.to_owned(),
        };
        let rest = text
            .strip_prefix("$message.")
            .ok_or_else(|| err("it must start with `$message.`"))?;
        let (source, fragment) = match rest.split_once('#') {
            Some((s, f)) => (s, Some(f)),
            None => (rest, None),
        };
        let source = match source {
            "header" => Source::Header,
            "payload" => Source::Payload,
            _ => return Err(err("the source is `header` or `payload`")),
        };
        let mut pointer = Vec::new();
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let decoded = percent_decode(fragment).ok_or_else(|| err("a `%` escape is invalid"))?;
            let Some(body) = decoded.strip_prefix('/') else {
                return Err(err("the fragment is a JSON pointer and starts with `/`"));
            };
            for token in body.split('/') {
                if token.contains('~') && !valid_escapes(token) {
                    return Err(err("`~` is only `~0` or `~1` in a JSON pointer"));
                }
                pointer.push(token.replace("~1", "/").replace("~0", "~"));
            }
        }
        Ok(RuntimeExpression { source, pointer })
    }

    /// The value the expression names, given the message's headers (as a JSON object) and
    /// payload.
    pub fn evaluate<'v>(&self, headers: &'v Value, payload: &'v Value) -> Option<&'v Value> {
        let root = match self.source {
            Source::Header => headers,
            Source::Payload => payload,
        };
        self.pointer.iter().try_fold(root, |v, token| match v {
            Value::Object(m) => m.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }

    /// The value the expression names in a received envelope, as text (strings as they are,
    /// other values as JSON). Header values that are JSON are looked into for deeper pointers.
    pub fn evaluate_envelope(&self, envelope: &impl EnvelopeReader) -> Option<String> {
        let value = match self.source {
            Source::Header => {
                let (name, deeper) = self.pointer.split_first()?;
                let raw = envelope.headers().get(name)?;
                if deeper.is_empty() {
                    return raw.as_str().map(str::to_owned);
                }
                let json: Value = serde_json::from_slice(raw.as_bytes()).ok()?;
                let sub = RuntimeExpression {
                    source: Source::Payload,
                    pointer: deeper.to_vec(),
                };
                sub.evaluate(&Value::Null, &json)?.clone()
            }
            Source::Payload => {
                let json: Value = serde_json::from_slice(envelope.payload()).ok()?;
                self.evaluate(&Value::Null, &json)?.clone()
            }
        };
        Some(match value {
            Value::String(s) => s,
            other => other.to_string(),
        })
    }
}

fn valid_escapes(token: &str) -> bool {
    let b = token.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{Envelope, EnvelopeWriter};
    use serde_json::json;

    #[test]
    fn parses_and_escapes() {
        let e = RuntimeExpression::parse("$message.header#/a~0b/c%20d/0").unwrap();
        assert_eq!(e.source, Source::Header);
        assert_eq!(e.pointer, ["a~b", "c d", "0"]);
        for bad in [
            "$request.header#/a",
            "$message.body#/a",
            "$message.payload#a",
            "$message.payload#/a~2",
            "$message.payload#/%zz",
        ] {
            assert!(RuntimeExpression::parse(bad).is_err(), "{bad}");
        }
        let whole = RuntimeExpression::parse("$message.payload").unwrap();
        assert_eq!(whole.evaluate(&json!({}), &json!(5)), Some(&json!(5)));
    }

    #[test]
    fn evaluates_on_envelopes() {
        let mut env = Envelope::new("a");
        env.headers_mut().insert("correlationId", "c-1");
        env.headers_mut().insert("meta", r#"{"trace": {"id": 7}}"#);
        env.set_payload(br#"{"items": [{"id": "x"}]}"#.to_vec().into());
        let get = |e: &str| RuntimeExpression::parse(e).unwrap().evaluate_envelope(&env);
        assert_eq!(
            get("$message.header#/correlationId").as_deref(),
            Some("c-1")
        );
        assert_eq!(get("$message.header#/meta/trace/id").as_deref(), Some("7"));
        assert_eq!(get("$message.payload#/items/0/id").as_deref(), Some("x"));
        assert_eq!(get("$message.payload#/items/1/id"), None);
    }
}
