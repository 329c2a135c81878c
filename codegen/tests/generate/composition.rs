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
    pub at: ::std::option::Option<::std::string::String>,
}
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
    pub at: ::std::option::Option<::std::string::String>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub labels: ::std::option::Option<
        ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
    >,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub tree: ::std::option::Option<Node>,
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
pub type Point = (f64, f64);
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
