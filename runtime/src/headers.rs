//! Typed headers to and from envelope headers without a JSON map in between.
//!
//! Writing: each field of a headers value becomes one header, a string as it is and any other
//! value as its JSON text; absent fields and fields that are JSON `null` add none. Reading: the
//! headers are handed to the type's `Deserialize` as a map from names to strings or JSON values.
//! These are the rules of the JSON-value round trip they replace, without building and hashing
//! a `serde_json::Map` per message.

use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

use crate::envelope::{HeaderValue, Headers};

/// Why a value could not be written as headers.
#[derive(Debug)]
pub(crate) enum HeaderError {
    /// The value is not an object of named fields.
    NotAnObject,
    /// A value's `Serialize` failed, or a name is not text.
    Custom(String),
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderError::NotAnObject => f.write_str("headers are an object of named values"),
            HeaderError::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for HeaderError {}

impl ser::Error for HeaderError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        HeaderError::Custom(msg.to_string())
    }
}

/// Writes the fields of `value` into `headers`, each replacing what the header had.
pub(crate) fn write<T: Serialize + ?Sized>(
    value: &T,
    headers: &mut Headers,
) -> Result<(), HeaderError> {
    value.serialize(Object { headers })
}

/// A field's header: `None` for a value that writes no header. Strings are their text; any
/// other value is its JSON text, marked as JSON ([`HeaderValue::is_json`]) so that a transport
/// whose headers are typed writes it with its type.
fn text_of<T: Serialize + ?Sized>(value: &T) -> Result<Option<HeaderValue>, HeaderError> {
    match value.serialize(Scalar) {
        Err(Compound) => {
            // Arrays, objects, bytes: their JSON text, as the JSON round trip wrote them.
            let json = serde_json::to_value(value).map_err(ser::Error::custom)?;
            Ok(match json {
                Value::Null => None,
                Value::String(s) => Some(s.into()),
                other => Some(HeaderValue::json(other.to_string())),
            })
        }
        Ok(text) => Ok(text),
    }
}

/// The top-level serializer: only an object (a struct, or a map for flattened fields) is headers.
struct Object<'a> {
    headers: &'a mut Headers,
}

/// Refuses every top-level shape that is not an object.
macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*);)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), HeaderError> {
            Err(HeaderError::NotAnObject)
        }
    )*};
}

impl<'a> ser::Serializer for Object<'a> {
    type Ok = ();
    type Error = HeaderError;
    type SerializeSeq = Impossible<(), HeaderError>;
    type SerializeTuple = Impossible<(), HeaderError>;
    type SerializeTupleStruct = Impossible<(), HeaderError>;
    type SerializeTupleVariant = Impossible<(), HeaderError>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), HeaderError>;

    not_an_object! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), HeaderError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), HeaderError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), HeaderError> {
        Err(HeaderError::NotAnObject)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, HeaderError> {
        Err(HeaderError::NotAnObject)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, HeaderError> {
        Err(HeaderError::NotAnObject)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, HeaderError> {
        Err(HeaderError::NotAnObject)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, HeaderError> {
        Err(HeaderError::NotAnObject)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, HeaderError> {
        Ok(Fields {
            headers: self.headers,
            name: None,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, HeaderError> {
        Ok(Fields {
            headers: self.headers,
            name: None,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, HeaderError> {
        Err(HeaderError::NotAnObject)
    }
}

/// The fields of the headers object, each written as it comes.
struct Fields<'a> {
    headers: &'a mut Headers,
    /// A map key waiting for its value.
    name: Option<String>,
}

impl Fields<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, name: String, value: &T) -> Result<(), HeaderError> {
        if let Some(value) = text_of(value)? {
            self.headers.insert(name, value);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = HeaderError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), HeaderError> {
        self.field(key.to_owned(), value)
    }

    fn end(self) -> Result<(), HeaderError> {
        Ok(())
    }
}

impl ser::SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = HeaderError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), HeaderError> {
        match key.serialize(Scalar) {
            Ok(Some(name)) => match name.as_str() {
                Some(name) => {
                    self.name = Some(name.to_owned());
                    Ok(())
                }
                None => Err(HeaderError::Custom("a header's name is text".to_owned())),
            },
            _ => Err(HeaderError::Custom("a header's name is text".to_owned())),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), HeaderError> {
        let name = self
            .name
            .take()
            .ok_or_else(|| HeaderError::Custom("a header value without a name".to_owned()))?;
        self.field(name, value)
    }

    fn end(self) -> Result<(), HeaderError> {
        Ok(())
    }
}

/// A value that [`Scalar`] does not write: it goes through JSON instead.
#[derive(Debug)]
struct Compound;

impl std::fmt::Display for Compound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for Compound {}

impl ser::Error for Compound {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Compound
    }
}

/// One field's text, for the scalar values headers usually hold; `Err(Compound)` for the rest.
struct Scalar;

/// Numbers as JSON writes them (non-finite floats are JSON `null`: no header).
fn number(n: Option<serde_json::Number>) -> Result<Option<HeaderValue>, Compound> {
    Ok(n.map(|n| HeaderValue::json(n.to_string())))
}

/// Integers: their decimal text, as JSON writes them.
macro_rules! as_text {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method(self, v: $ty) -> Result<Option<HeaderValue>, Compound> {
            Ok(Some(HeaderValue::json(v.to_string())))
        }
    )*};
}

macro_rules! compound {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, Compound> {
            Err(Compound)
        }
    )*};
}

impl ser::Serializer for Scalar {
    type Ok = Option<HeaderValue>;
    type Error = Compound;
    type SerializeSeq = Impossible<Option<HeaderValue>, Compound>;
    type SerializeTuple = Impossible<Option<HeaderValue>, Compound>;
    type SerializeTupleStruct = Impossible<Option<HeaderValue>, Compound>;
    type SerializeTupleVariant = Impossible<Option<HeaderValue>, Compound>;
    type SerializeMap = Impossible<Option<HeaderValue>, Compound>;
    type SerializeStruct = Impossible<Option<HeaderValue>, Compound>;
    type SerializeStructVariant = Impossible<Option<HeaderValue>, Compound>;

    fn serialize_bool(self, v: bool) -> Result<Option<HeaderValue>, Compound> {
        Ok(Some(HeaderValue::json(v.to_string())))
    }
    as_text! {
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
    }
    fn serialize_f32(self, v: f32) -> Result<Option<HeaderValue>, Compound> {
        // JSON values hold every float as an f64.
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Option<HeaderValue>, Compound> {
        number(serde_json::Number::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<Option<HeaderValue>, Compound> {
        Ok(Some(v.to_string().into()))
    }
    fn serialize_str(self, v: &str) -> Result<Option<HeaderValue>, Compound> {
        Ok(Some(v.into()))
    }
    fn serialize_none(self) -> Result<Option<HeaderValue>, Compound> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(
        self,
        value: &T,
    ) -> Result<Option<HeaderValue>, Compound> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<HeaderValue>, Compound> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<HeaderValue>, Compound> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<HeaderValue>, Compound> {
        Ok(Some(variant.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<HeaderValue>, Compound> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<HeaderValue>, Compound> {
        Err(Compound)
    }

    compound! {
        serialize_bytes(&[u8]) -> Option<HeaderValue>;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

/// Reads a value of `T` from `(name, value)` pairs, the first of each name kept.
pub(crate) fn read<T: serde::de::DeserializeOwned>(
    pairs: Vec<(String, Value)>,
) -> Result<T, serde_json::Error> {
    T::deserialize(
        serde::de::value::MapDeserializer::<_, serde_json::Error>::new(pairs.into_iter()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Sample {
        name: &'static str,
        attempt: u32,
        ratio: f32,
        nan: f64,
        absent: Option<i64>,
        tags: Vec<&'static str>,
        kind: Kind,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, i64>,
    }

    #[derive(serde::Serialize)]
    enum Kind {
        #[serde(rename = "fast")]
        Fast,
    }

    /// The rules of the JSON round trip this module replaces.
    fn through_json<T: Serialize>(value: &T) -> Vec<(String, String)> {
        let Value::Object(map) = serde_json::to_value(value).unwrap() else {
            panic!("an object");
        };
        map.into_iter()
            .filter_map(|(n, v)| match v {
                Value::Null => None,
                Value::String(s) => Some((n, s)),
                other => Some((n, other.to_string())),
            })
            .collect()
    }

    #[test]
    fn fields_are_written_as_the_json_round_trip_wrote_them() {
        let sample = Sample {
            name: "ada",
            attempt: 3,
            ratio: 1.1,
            nan: f64::NAN,
            absent: None,
            tags: vec!["a", "b"],
            kind: Kind::Fast,
            extra: [("x-more".to_owned(), 7)].into_iter().collect(),
        };
        let mut headers = Headers::new();
        write(&sample, &mut headers).unwrap();
        let written: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_owned(), v.as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(written, through_json(&sample));
        // What is not a string is marked as JSON, for transports whose headers are typed.
        let json: Vec<&str> = headers
            .iter()
            .filter(|(_, v)| v.is_json())
            .map(|(n, _)| n)
            .collect();
        assert_eq!(json, ["attempt", "ratio", "tags", "x-more"]);
        assert!(matches!(
            write(&5, &mut Headers::new()),
            Err(HeaderError::NotAnObject)
        ));
    }
}
