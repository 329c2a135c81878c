use ::asyncapi::__private as __rt;
/// allOf of a base and own properties, merged into one struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    pub id: ::std::string::String,
    pub at: ::std::option::Option<__rt::chrono::DateTime<__rt::chrono::FixedOffset>>,
    /// Named after Base, where it is defined, though Created meets it first.
    pub origin: ::std::option::Option<BaseOrigin>,
    pub labels: ::std::option::Option<
        ::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
    >,
    pub tree: ::std::option::Option<Node>,
}
__rt::object! {
    Created { required id = "id", optional at = "at", optional origin = "origin",
    optional labels = "labels", optional tree = "tree" }
}
impl __rt::Validate for Created {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("origin");
            if let __rt::Some(v1) = &self.origin {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("tree");
            if let __rt::Some(v1) = &self.tree {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                "{\"properties\":{\"id\":{\"type\":[\"string\"],\"maxLength\":8}}}",
            );
            __rt::check::schema(self, &SCHEMA, path, out);
        }
    }
}
#[derive(Clone, Debug, PartialEq)]
pub struct Base {
    pub id: ::std::string::String,
    pub at: ::std::option::Option<__rt::chrono::DateTime<__rt::chrono::FixedOffset>>,
    /// Named after Base, where it is defined, though Created meets it first.
    pub origin: ::std::option::Option<BaseOrigin>,
}
__rt::object! {
    Base { required id = "id", optional at = "at", optional origin = "origin" }
}
impl __rt::Validate for Base {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("origin");
            if let __rt::Some(v1) = &self.origin {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
/// Contains itself, through a vector and directly.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: ::std::string::String,
    pub children: ::std::option::Option<::std::vec::Vec<Node>>,
    pub parent: ::std::option::Option<::std::boxed::Box<Node>>,
}
__rt::object! {
    Node { required name = "name", optional children = "children", optional parent =
    "parent" }
}
impl __rt::Validate for Node {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("children");
            if let __rt::Some(v1) = &self.children {
                for (i2, v2) in v1.iter().enumerate() {
                    let p2 = &p1.index(i2);
                    __rt::Validate::validate_at(v2, p2, out);
                }
            }
        }
        {
            let p1 = &path.key("parent");
            if let __rt::Some(v1) = &self.parent {
                __rt::Validate::validate_at(&**v1, p1, out);
            }
        }
    }
}
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Strict {
    pub only: ::std::option::Option<i64>,
}
__rt::object! {
    Strict { optional only = "only" } deny_unknown_fields
}
impl __rt::Validate for Strict {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, PartialEq)]
pub struct Tagged {
    pub name: ::std::string::String,
    pub color: ::std::option::Option<TaggedColor>,
    /// Properties the schema does not name (`additionalProperties`).
    pub additional_properties: ::std::collections::BTreeMap<__rt::String, f64>,
}
__rt::object! {
    Tagged { required name = "name", optional color = "color" } rest
    additional_properties
}
impl __rt::Validate for Tagged {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("color");
            if let __rt::Some(v1) = &self.color {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
pub type Point = (f64, f64);
/// Named after Base, where it is defined, though Created meets it first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BaseOrigin {
    pub system: ::std::option::Option<::std::string::String>,
}
__rt::object! {
    BaseOrigin { optional system = "system" }
}
impl __rt::Validate for BaseOrigin {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaggedColor {
    /// `red`
    Red,
    /// `green`
    Green,
    /// `light-blue`
    LightBlue,
}
__rt::string_enum! {
    TaggedColor { Red = "red", Green = "green", LightBlue = "light-blue" }
}
impl __rt::Validate for TaggedColor {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
