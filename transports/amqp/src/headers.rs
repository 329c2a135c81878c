//! Headers as an AMQP field table, with their types: a typed header's number, boolean, array or
//! object (a [`HeaderValue::is_json`] value) becomes the field of that type (`x-tenant: 7` a
//! signed 64-bit integer, not the text `"7"`), so that a consumer that is not this library reads
//! the type the document gives; text stays a long string. Received fields of any type are read
//! back: text as it is, the others as their JSON text.

use lapin::types::{AMQPValue, FieldArray, FieldTable, LongString, ShortString};
use serde_json::Value;

use asyncapi_runtime::envelope::HeaderValue;

/// How deep nested arrays and tables are read (a hostile peer's nesting stops here).
const DEPTH: usize = 32;

/// The field of a header value.
pub(crate) fn field(value: &HeaderValue) -> AMQPValue {
    if value.is_json()
        && let Ok(json) = serde_json::from_slice::<Value>(value.as_bytes())
    {
        return of_json(&json);
    }
    AMQPValue::LongString(LongString::from(value.as_bytes()))
}

fn of_json(value: &Value) -> AMQPValue {
    match value {
        Value::Null => AMQPValue::Void,
        Value::Bool(b) => AMQPValue::Boolean(*b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => AMQPValue::LongLongInt(i),
            // Past i64 (a u64 near its end) or a fraction: a double, as JSON reads it.
            (None, Some(f)) => AMQPValue::Double(f),
            (None, None) => AMQPValue::LongString(LongString::from(n.to_string().as_bytes())),
        },
        Value::String(s) => AMQPValue::LongString(LongString::from(s.as_bytes())),
        Value::Array(items) => AMQPValue::FieldArray(FieldArray::from(
            items.iter().map(of_json).collect::<Vec<_>>(),
        )),
        Value::Object(map) => {
            let mut table = FieldTable::default();
            for (k, v) in map {
                table.insert(ShortString::from(k.as_str()), of_json(v));
            }
            AMQPValue::FieldTable(table)
        }
    }
}

/// A received field as a header value: text as it is, bytes as they are, every other type as
/// its JSON text; `None` for a void field.
pub(crate) fn value(field: &AMQPValue) -> Option<HeaderValue> {
    match field {
        AMQPValue::LongString(s) => Some(HeaderValue::from(s.as_bytes().to_vec())),
        AMQPValue::ShortString(s) => Some(HeaderValue::from(s.as_str())),
        AMQPValue::ByteArray(b) => Some(HeaderValue::from(b.as_slice().to_vec())),
        AMQPValue::Void => None,
        other => Some(HeaderValue::json(to_json(other, 0).to_string())),
    }
}

fn to_json(field: &AMQPValue, depth: usize) -> Value {
    if depth > DEPTH {
        return Value::Null;
    }
    match field {
        AMQPValue::Boolean(b) => Value::Bool(*b),
        AMQPValue::ShortShortInt(n) => Value::from(*n),
        AMQPValue::ShortShortUInt(n) => Value::from(*n),
        AMQPValue::ShortInt(n) => Value::from(*n),
        AMQPValue::ShortUInt(n) => Value::from(*n),
        AMQPValue::LongInt(n) => Value::from(*n),
        AMQPValue::LongUInt(n) => Value::from(*n),
        AMQPValue::LongLongInt(n) => Value::from(*n),
        AMQPValue::Timestamp(n) => Value::from(*n),
        AMQPValue::Float(n) => {
            serde_json::Number::from_f64(f64::from(*n)).map_or(Value::Null, Value::Number)
        }
        AMQPValue::Double(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        AMQPValue::DecimalValue(d) => {
            let v = f64::from(d.value) / 10f64.powi(i32::from(d.scale));
            serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
        }
        AMQPValue::ShortString(s) => Value::String(s.as_str().to_owned()),
        AMQPValue::LongString(s) => {
            Value::String(String::from_utf8_lossy(s.as_bytes()).into_owned())
        }
        AMQPValue::ByteArray(b) => {
            Value::String(String::from_utf8_lossy(b.as_slice()).into_owned())
        }
        AMQPValue::FieldArray(items) => Value::Array(
            items
                .as_slice()
                .iter()
                .map(|v| to_json(v, depth + 1))
                .collect(),
        ),
        AMQPValue::FieldTable(table) => Value::Object(
            table
                .inner()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), to_json(v, depth + 1)))
                .collect(),
        ),
        AMQPValue::Void => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_headers_keep_their_type_both_ways() {
        assert_eq!(field(&HeaderValue::json("7")), AMQPValue::LongLongInt(7));
        assert_eq!(field(&HeaderValue::json("true")), AMQPValue::Boolean(true));
        assert_eq!(field(&HeaderValue::json("2.5")), AMQPValue::Double(2.5));
        // The text "7" of a string header stays text.
        assert_eq!(
            field(&HeaderValue::from("7")),
            AMQPValue::LongString(LongString::from(&b"7"[..]))
        );
        let nested = field(&HeaderValue::json(r#"{"a":[1,"x"],"b":null}"#));
        let AMQPValue::FieldTable(table) = &nested else {
            panic!("{nested:?}");
        };
        assert_eq!(table.inner().len(), 2);
        let back = value(&nested).unwrap();
        assert!(back.is_json());
        assert_eq!(back.as_str(), Some(r#"{"a":[1,"x"],"b":null}"#));
        assert_eq!(value(&AMQPValue::LongInt(-3)).unwrap().as_str(), Some("-3"));
        assert_eq!(value(&AMQPValue::Void), None);
        // Nesting past the limit reads as null instead of recursing on.
        let mut deep = AMQPValue::Boolean(true);
        for _ in 0..100 {
            deep = AMQPValue::FieldArray(FieldArray::from(vec![deep]));
        }
        assert!(value(&deep).unwrap().as_str().unwrap().contains("null"));
    }
}
