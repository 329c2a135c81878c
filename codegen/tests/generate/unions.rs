/// Tagged by an OpenAPI discriminator with a mapping.
///
/// `oneOf` decided by the `petType` property: decoding reads it and decodes exactly that variant.
#[derive(Clone, Debug, PartialEq, ::asyncapi::__private::serde::Serialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Pet {
    /// Selected by `dog`.
    Dog(Dog),
    /// Selected by `cat`.
    Cat(Cat),
}
impl<'de> ::asyncapi::__private::serde::Deserialize<'de> for Pet {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::asyncapi::__private::serde::Deserializer<'de>,
    {
        let value = <::asyncapi::__private::serde_json::Value as ::asyncapi::__private::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = value
            .get("petType")
            .and_then(::asyncapi::__private::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            ::std::option::Option::Some("dog") => {
                <Dog as ::asyncapi::__private::serde::Deserialize>::deserialize(value)
                    .map(Pet::Dog)
                    .map_err(
                        <D::Error as ::asyncapi::__private::serde::de::Error>::custom,
                    )
            }
            ::std::option::Option::Some("cat") => {
                <Cat as ::asyncapi::__private::serde::Deserialize>::deserialize(value)
                    .map(Pet::Cat)
                    .map_err(
                        <D::Error as ::asyncapi::__private::serde::de::Error>::custom,
                    )
            }
            other => {
                ::std::result::Result::Err(
                    <D::Error as ::asyncapi::__private::serde::de::Error>::custom(
                        ::std::format!(
                            "unknown `petType` {:?}, expected one of `dog`, `cat`", other
                        ),
                    ),
                )
            }
        }
    }
}
impl ::asyncapi::__private::Validate for Pet {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        match self {
            Pet::Dog(v1) => {
                ::asyncapi::__private::Validate::validate_at(v1, path, out);
            }
            Pet::Cat(v1) => {
                ::asyncapi::__private::Validate::validate_at(v1, path, out);
            }
        }
    }
}
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Dog {
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    pub name: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub barks: ::std::option::Option<bool>,
}
impl ::asyncapi::__private::Validate for Dog {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Cat {
    #[serde(rename = "petType")]
    pub pet_type: ::std::string::String,
    pub name: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub lives: ::std::option::Option<i64>,
}
impl ::asyncapi::__private::Validate for Cat {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
/// Tagged by a property every variant fixes with `const`.
///
/// `oneOf` decided by the `kind` property: decoding reads it and decodes exactly that variant.
#[derive(Clone, Debug, PartialEq, ::asyncapi::__private::serde::Serialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Shape {
    /// Selected by `circle`.
    Circle(Circle),
    /// Selected by `square`.
    Square(Square),
}
impl<'de> ::asyncapi::__private::serde::Deserialize<'de> for Shape {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::asyncapi::__private::serde::Deserializer<'de>,
    {
        let value = <::asyncapi::__private::serde_json::Value as ::asyncapi::__private::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = value
            .get("kind")
            .and_then(::asyncapi::__private::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            ::std::option::Option::Some("circle") => {
                <Circle as ::asyncapi::__private::serde::Deserialize>::deserialize(value)
                    .map(Shape::Circle)
                    .map_err(
                        <D::Error as ::asyncapi::__private::serde::de::Error>::custom,
                    )
            }
            ::std::option::Option::Some("square") => {
                <Square as ::asyncapi::__private::serde::Deserialize>::deserialize(value)
                    .map(Shape::Square)
                    .map_err(
                        <D::Error as ::asyncapi::__private::serde::de::Error>::custom,
                    )
            }
            other => {
                ::std::result::Result::Err(
                    <D::Error as ::asyncapi::__private::serde::de::Error>::custom(
                        ::std::format!(
                            "unknown `kind` {:?}, expected one of `circle`, `square`",
                            other
                        ),
                    ),
                )
            }
        }
    }
}
impl ::asyncapi::__private::Validate for Shape {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        match self {
            Shape::Circle(v1) => {
                ::asyncapi::__private::Validate::validate_at(v1, path, out);
            }
            Shape::Square(v1) => {
                ::asyncapi::__private::Validate::validate_at(v1, path, out);
            }
        }
    }
}
/// Nothing tells the variants apart but their shapes.
///
/// Untagged `anyOf`: nothing in the document says which variant a value is, so decoding tries the variants in order and takes the first that fits.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Value {
    Integer(i64),
    String(::std::string::String),
    Array(::std::vec::Vec<i64>),
}
impl ::asyncapi::__private::Validate for Value {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
/// Circle
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Circle {
    pub kind: ::std::string::String,
    pub radius: f64,
}
impl ::asyncapi::__private::Validate for Circle {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("kind");
            {
                static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                    "{\"const\":\"circle\"}",
                );
                ::asyncapi::__private::check::schema(&self.kind, &SCHEMA, p1, out);
            }
        }
    }
}
/// Square
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Square {
    pub kind: ::std::string::String,
    pub side: f64,
}
impl ::asyncapi::__private::Validate for Square {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("kind");
            {
                static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                    "{\"const\":\"square\"}",
                );
                ::asyncapi::__private::check::schema(&self.kind, &SCHEMA, p1, out);
            }
        }
    }
}
