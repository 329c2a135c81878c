use ::asyncapi::__private as __rt;
/// Tagged by an OpenAPI discriminator with a mapping.
///
/// `oneOf` decided by the `petType` property: decoding reads it and decodes exactly that variant.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Pet {
    /// Selected by `dog`.
    Dog(Dog),
    /// Selected by `cat`.
    Cat(Cat),
}
impl<'de> __rt::serde::Deserialize<'de> for Pet {
    fn deserialize<D>(deserializer: D) -> __rt::Result<Self, D::Error>
    where
        D: __rt::serde::Deserializer<'de>,
    {
        let value = <__rt::serde_json::Value as __rt::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = value
            .get("petType")
            .and_then(__rt::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            __rt::Some("dog") => {
                <Dog as __rt::serde::Deserialize>::deserialize(value)
                    .map(Pet::Dog)
                    .map_err(<D::Error as __rt::serde::de::Error>::custom)
            }
            __rt::Some("cat") => {
                <Cat as __rt::serde::Deserialize>::deserialize(value)
                    .map(Pet::Cat)
                    .map_err(<D::Error as __rt::serde::de::Error>::custom)
            }
            other => {
                __rt::Err(
                    <D::Error as __rt::serde::de::Error>::custom(
                        ::std::format!(
                            "unknown `petType` {:?}, expected one of `dog`, `cat`", other
                        ),
                    ),
                )
            }
        }
    }
}
impl __rt::Validate for Pet {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        match self {
            Pet::Dog(v1) => {
                __rt::Validate::validate_at(v1, path, out);
            }
            Pet::Cat(v1) => {
                __rt::Validate::validate_at(v1, path, out);
            }
        }
    }
}
#[derive(Clone, Debug, PartialEq)]
pub struct Dog {
    pub pet_type: ::std::string::String,
    pub name: ::std::string::String,
    pub barks: ::std::option::Option<bool>,
}
__rt::object! {
    Dog { required pet_type = "petType", required name = "name", optional barks = "barks"
    }
}
impl __rt::Validate for Dog {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, PartialEq)]
pub struct Cat {
    pub pet_type: ::std::string::String,
    pub name: ::std::string::String,
    pub lives: ::std::option::Option<i64>,
}
__rt::object! {
    Cat { required pet_type = "petType", required name = "name", optional lives = "lives"
    }
}
impl __rt::Validate for Cat {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
/// Tagged by a property every variant fixes with `const`.
///
/// `oneOf` decided by the `kind` property: decoding reads it and decodes exactly that variant.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Shape {
    /// Selected by `circle`.
    Circle(Circle),
    /// Selected by `square`.
    Square(Square),
}
impl<'de> __rt::serde::Deserialize<'de> for Shape {
    fn deserialize<D>(deserializer: D) -> __rt::Result<Self, D::Error>
    where
        D: __rt::serde::Deserializer<'de>,
    {
        let value = <__rt::serde_json::Value as __rt::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = value
            .get("kind")
            .and_then(__rt::serde_json::Value::as_str)
            .map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            __rt::Some("circle") => {
                <Circle as __rt::serde::Deserialize>::deserialize(value)
                    .map(Shape::Circle)
                    .map_err(<D::Error as __rt::serde::de::Error>::custom)
            }
            __rt::Some("square") => {
                <Square as __rt::serde::Deserialize>::deserialize(value)
                    .map(Shape::Square)
                    .map_err(<D::Error as __rt::serde::de::Error>::custom)
            }
            other => {
                __rt::Err(
                    <D::Error as __rt::serde::de::Error>::custom(
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
impl __rt::Validate for Shape {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        match self {
            Shape::Circle(v1) => {
                __rt::Validate::validate_at(v1, path, out);
            }
            Shape::Square(v1) => {
                __rt::Validate::validate_at(v1, path, out);
            }
        }
    }
}
/// Nothing tells the variants apart but their shapes.
///
/// Untagged `anyOf`: nothing in the document says which variant a value is, so decoding tries the variants in order and takes the first that fits.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum Value {
    Integer(i64),
    String(::std::string::String),
    Array(::std::vec::Vec<i64>),
}
impl __rt::Validate for Value {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
/// Circle
#[derive(Clone, Debug, PartialEq)]
pub struct Circle {
    pub kind: ::std::string::String,
    pub radius: f64,
}
__rt::object! {
    Circle { required kind = "kind", required radius = "radius" }
}
impl __rt::Validate for Circle {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("kind");
            {
                static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                    "{\"const\":\"circle\"}",
                );
                __rt::check::schema(&self.kind, &SCHEMA, p1, out);
            }
        }
    }
}
/// Square
#[derive(Clone, Debug, PartialEq)]
pub struct Square {
    pub kind: ::std::string::String,
    pub side: f64,
}
__rt::object! {
    Square { required kind = "kind", required side = "side" }
}
impl __rt::Validate for Square {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("kind");
            {
                static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                    "{\"const\":\"square\"}",
                );
                __rt::check::schema(&self.kind, &SCHEMA, p1, out);
            }
        }
    }
}
