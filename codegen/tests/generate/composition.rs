/// allOf of a base and own properties, merged into one struct.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Created {
    pub id: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub at: ::std::option::Option<
        ::asyncapi::__private::chrono::DateTime<
            ::asyncapi::__private::chrono::FixedOffset,
        >,
    >,
    /// Named after Base, where it is defined, though Created meets it first.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub origin: ::std::option::Option<BaseOrigin>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub labels: ::std::option::Option<
        ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
    >,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub tree: ::std::option::Option<Node>,
}
impl ::asyncapi::__private::Validate for Created {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("origin");
            if let ::std::option::Option::Some(v1) = &self.origin {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("tree");
            if let ::std::option::Option::Some(v1) = &self.tree {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                "{\"properties\":{\"id\":{\"type\":[\"string\"],\"maxLength\":8}}}",
            );
            ::asyncapi::__private::check::schema(self, &SCHEMA, path, out);
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
pub struct Base {
    pub id: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub at: ::std::option::Option<
        ::asyncapi::__private::chrono::DateTime<
            ::asyncapi::__private::chrono::FixedOffset,
        >,
    >,
    /// Named after Base, where it is defined, though Created meets it first.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub origin: ::std::option::Option<BaseOrigin>,
}
impl ::asyncapi::__private::Validate for Base {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("origin");
            if let ::std::option::Option::Some(v1) = &self.origin {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
/// Contains itself, through a vector and directly.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Node {
    pub name: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub children: ::std::option::Option<::std::vec::Vec<Node>>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub parent: ::std::option::Option<::std::boxed::Box<Node>>,
}
impl ::asyncapi::__private::Validate for Node {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("children");
            if let ::std::option::Option::Some(v1) = &self.children {
                for (i2, v2) in v1.iter().enumerate() {
                    let p2 = &p1.index(i2);
                    ::asyncapi::__private::Validate::validate_at(v2, p2, out);
                }
            }
        }
        {
            let p1 = &path.key("parent");
            if let ::std::option::Option::Some(v1) = &self.parent {
                ::asyncapi::__private::Validate::validate_at(&**v1, p1, out);
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
#[serde(deny_unknown_fields)]
pub struct Strict {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub only: ::std::option::Option<i64>,
}
impl ::asyncapi::__private::Validate for Strict {
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
pub struct Tagged {
    pub name: ::std::string::String,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub color: ::std::option::Option<TaggedColor>,
    /// Properties the schema does not name (`additionalProperties`).
    #[serde(flatten)]
    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, f64>,
}
impl ::asyncapi::__private::Validate for Tagged {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("color");
            if let ::std::option::Option::Some(v1) = &self.color {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
pub type Point = (f64, f64);
/// Named after Base, where it is defined, though Created meets it first.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct BaseOrigin {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub system: ::std::option::Option<::std::string::String>,
}
impl ::asyncapi::__private::Validate for BaseOrigin {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub enum TaggedColor {
    /// `red`
    #[serde(rename = "red")]
    Red,
    /// `green`
    #[serde(rename = "green")]
    Green,
    /// `light-blue`
    #[serde(rename = "light-blue")]
    LightBlue,
}
impl ::asyncapi::__private::Validate for TaggedColor {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
