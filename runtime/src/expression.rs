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

use bytes::Bytes;
use serde_json::Value;

use crate::envelope::{EnvelopeReader, EnvelopeWriter, Headers};

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

/// An envelope being written, with values to write where runtime expressions point (where a
/// document keeps a correlation id or a reply address) if the message itself leaves them empty:
/// a header (the pointer's first token names it), or a field of a JSON payload (objects on the
/// way are created). A value the message has already is kept; a payload that is not JSON is
/// left as it is.
///
/// ```
/// use asyncapi_runtime::envelope::{Envelope, EnvelopeWriter};
/// use asyncapi_runtime::expression::{RuntimeExpression, Stamped};
///
/// let writes = [
///     (RuntimeExpression::parse("$message.payload#/meta/replyTo").unwrap(), "inbox.7".to_owned()),
///     (RuntimeExpression::parse("$message.header#/correlationId").unwrap(), "c-1".to_owned()),
/// ];
/// let mut envelope = Envelope::new("jobs");
/// let mut stamped = Stamped::new(&mut envelope, &writes);
/// stamped.set_payload(br#"{"id": 1}"#.to_vec().into());
/// stamped.finish();
/// assert_eq!(&envelope.payload[..], br#"{"id":1,"meta":{"replyTo":"inbox.7"}}"#);
/// assert_eq!(envelope.headers.get_str("correlationId"), Some("c-1"));
/// ```
pub struct Stamped<'a, W> {
    inner: &'a mut W,
    writes: &'a [(RuntimeExpression, String)],
}

impl<'a, W: EnvelopeWriter> Stamped<'a, W> {
    /// `envelope`, to be written with `writes` (expression, value) stamped in.
    pub fn new(envelope: &'a mut W, writes: &'a [(RuntimeExpression, String)]) -> Self {
        Stamped {
            inner: envelope,
            writes,
        }
    }

    /// Writes the header values the message left empty (call it once the message is encoded).
    pub fn finish(self) {
        for (expression, value) in self.writes {
            if expression.source != Source::Header {
                continue;
            }
            match expression.pointer.as_slice() {
                [name] if self.inner.headers_mut().get(name).is_none() => self
                    .inner
                    .headers_mut()
                    .insert(name.clone(), value.as_str()),
                [_] => {}
                _ => tracing::debug!(
                    target: "asyncapi",
                    ?expression,
                    "not written: only a header itself can be written, not a value inside one"
                ),
            }
        }
    }
}

impl<W: EnvelopeWriter> EnvelopeWriter for Stamped<'_, W> {
    fn set_address(&mut self, address: String) {
        self.inner.set_address(address);
    }
    fn set_payload(&mut self, payload: Bytes) {
        let payload_writes = self
            .writes
            .iter()
            .filter(|(e, _)| e.source == Source::Payload);
        if payload_writes.clone().next().is_none() {
            return self.inner.set_payload(payload);
        }
        let Ok(mut json) = serde_json::from_slice::<Value>(&payload) else {
            return self.inner.set_payload(payload);
        };
        let mut changed = false;
        for (expression, value) in payload_writes {
            changed |= write_json(&mut json, &expression.pointer, value);
        }
        match serde_json::to_vec(&json) {
            Ok(bytes) if changed => self.inner.set_payload(Bytes::from(bytes)),
            _ => self.inner.set_payload(payload),
        }
    }
    fn set_content_type(&mut self, content_type: Option<&str>) {
        self.inner.set_content_type(content_type);
    }
    fn headers_mut(&mut self) -> &mut Headers {
        self.inner.headers_mut()
    }
    fn set_reply_to(&mut self, address: Option<String>) {
        self.inner.set_reply_to(address);
    }
    fn set_correlation_id(&mut self, id: Option<String>) {
        self.inner.set_correlation_id(id);
    }
    fn apply_bindings(&mut self, bindings: &crate::bindings::MessageBindings) {
        self.inner.apply_bindings(bindings);
    }
}

/// Sets the string `value` at `pointer` in `json` unless a value is there already (`null` and
/// `""` count as none); objects on the way are created. Whether anything was written.
fn write_json(json: &mut Value, pointer: &[String], value: &str) -> bool {
    let Some((last, path)) = pointer.split_last() else {
        return false;
    };
    let mut at = json;
    for token in path {
        let Value::Object(map) = at else {
            return false;
        };
        at = map
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    let Value::Object(map) = at else {
        return false;
    };
    match map.get(last) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => return false,
    }
    map.insert(last.clone(), Value::String(value.to_owned()));
    true
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
