use ::asyncapi::__private as __rt;
/// A user has signed up.
#[derive(Clone, Debug, PartialEq)]
pub struct UserSignedUp {
    pub id: __rt::uuid::Uuid,
    /// Where to write to them.
    pub email: ::std::string::String,
    /// Default: `null`.
    pub age: ::std::option::Option<i32>,
    pub plan: Plan,
    pub tags: ::std::vec::Vec<::std::string::String>,
    pub scores: ::std::collections::BTreeMap<::std::string::String, f64>,
    /// Avro logical type `timestamp-millis`.
    pub signed_up_at: i64,
    pub referrer: ::std::option::Option<Referrer>,
    pub extra: ::std::option::Option<UserSignedUpExtra>,
}
__rt::object! {
    UserSignedUp { required id = "id", required email = "email", required age = "age",
    required plan = "plan", required tags = "tags", required scores = "scores", required
    signed_up_at = "signedUpAt", required referrer = "referrer", required extra = "extra"
    }
}
impl __rt::Validate for UserSignedUp {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("plan");
            __rt::Validate::validate_at(&self.plan, p1, out);
        }
        {
            let p1 = &path.key("referrer");
            if let __rt::Some(v1) = &self.referrer {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("extra");
            if let __rt::Some(v1) = &self.extra {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Plan {
    /// `FREE`
    Free,
    /// `PRO`
    Pro,
}
__rt::string_enum! {
    Plan { Free = "FREE", Pro = "PRO" }
}
impl __rt::Validate for Plan {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, PartialEq)]
pub struct Referrer {
    pub name: ::std::string::String,
    pub plan: Plan,
    pub next: ::std::option::Option<::std::boxed::Box<Referrer>>,
}
__rt::object! {
    Referrer { required name = "name", required plan = "plan", required next = "next" }
}
impl __rt::Validate for Referrer {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("plan");
            __rt::Validate::validate_at(&self.plan, p1, out);
        }
        {
            let p1 = &path.key("next");
            if let __rt::Some(v1) = &self.next {
                __rt::Validate::validate_at(&**v1, p1, out);
            }
        }
    }
}
/// Untagged `oneOf`: nothing in the document says which variant a value is, so decoding tries the variants in order and takes the first that fits.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum UserSignedUpExtra {
    String(::std::string::String),
    Integer(i64),
}
impl __rt::Validate for UserSignedUpExtra {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                "{\"oneOf\":[{\"type\":[\"string\"]},{\"type\":[\"integer\"],\"format\":\"int64\"}]}",
            );
            __rt::check::schema(self, &SCHEMA, path, out);
        }
    }
}
