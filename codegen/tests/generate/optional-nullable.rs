use ::asyncapi::__private as __rt;
/// Required, optional, nullable, and both.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Required and not nullable.
    pub id: i64,
    /// Required but nullable.
    pub nickname: ::std::option::Option<::std::string::String>,
    /// Optional and nullable (OpenAPI style).
    pub middle_name: ::std::option::Option<::std::option::Option<::std::string::String>>,
    /// Optional and nullable.
    pub email: ::std::option::Option<::std::option::Option<::std::string::String>>,
    /// Optional.
    pub age: ::std::option::Option<i32>,
    /// A keyword as a property name.
    ///
    /// Default: `"person"` (read when the property is absent; `None` is not written).
    pub r#type: ::std::option::Option<::std::string::String>,
}
__rt::object! {
    Profile { required id = "id", required nickname = "nickname", nullable middle_name =
    "middleName", nullable email = "email", optional age = "age", defaulted r#type =
    "type" }
}
impl Profile {
    /// The JSON text of the `default` of each optional property that has
    /// one, by wire name: what an absent property reads as.
    pub const DEFAULTS: &'static [(&'static str, &'static str)] = &[
        ("type", "\"person\""),
    ];
}
impl __rt::Validate for Profile {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("age");
            if let __rt::Some(v1) = &self.age {
                __rt::check::number(
                    *v1,
                    &__rt::check::NumberRules {
                        minimum: __rt::Some(0f64),
                        ..__rt::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
}
