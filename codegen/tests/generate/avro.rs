/// A user has signed up.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct UserSignedUp {
    pub id: ::asyncapi::__private::uuid::Uuid,
    /// Where to write to them.
    pub email: ::std::string::String,
    /// Default: `null`.
    pub age: ::std::option::Option<i32>,
    pub plan: Plan,
    pub tags: ::std::vec::Vec<::std::string::String>,
    pub scores: ::std::collections::BTreeMap<::std::string::String, f64>,
    /// Avro logical type `timestamp-millis`.
    #[serde(rename = "signedUpAt")]
    pub signed_up_at: i64,
    pub referrer: ::std::option::Option<Referrer>,
    pub extra: ::std::option::Option<UserSignedUpExtra>,
}
impl ::asyncapi::__private::Validate for UserSignedUp {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("plan");
            ::asyncapi::__private::Validate::validate_at(&self.plan, p1, out);
        }
        {
            let p1 = &path.key("referrer");
            if let ::std::option::Option::Some(v1) = &self.referrer {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("extra");
            if let ::std::option::Option::Some(v1) = &self.extra {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
    }
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
pub enum Plan {
    /// `FREE`
    #[serde(rename = "FREE")]
    Free,
    /// `PRO`
    #[serde(rename = "PRO")]
    Pro,
}
impl ::asyncapi::__private::Validate for Plan {
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
pub struct Referrer {
    pub name: ::std::string::String,
    pub plan: Plan,
    pub next: ::std::option::Option<::std::boxed::Box<Referrer>>,
}
impl ::asyncapi::__private::Validate for Referrer {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("plan");
            ::asyncapi::__private::Validate::validate_at(&self.plan, p1, out);
        }
        {
            let p1 = &path.key("next");
            if let ::std::option::Option::Some(v1) = &self.next {
                ::asyncapi::__private::Validate::validate_at(&**v1, p1, out);
            }
        }
    }
}
/// Untagged `oneOf`: nothing in the document says which variant a value is, so decoding tries the variants in order and takes the first that fits.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum UserSignedUpExtra {
    String(::std::string::String),
    Integer(i64),
}
impl ::asyncapi::__private::Validate for UserSignedUpExtra {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                "{\"oneOf\":[{\"type\":[\"string\"]},{\"type\":[\"integer\"],\"format\":\"int64\"}]}",
            );
            ::asyncapi::__private::check::schema(self, &SCHEMA, path, out);
        }
    }
}
