use ::asyncapi::__private as __rt;
/// Required, optional, nullable, and both.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Profile {
    /// Required and not nullable.
    pub id: i64,
    /// Required but nullable.
    pub nickname: ::std::option::Option<::std::string::String>,
    /// Optional and nullable (OpenAPI style).
    #[serde(rename = "middleName")]
    #[serde(
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        with = "::asyncapi::__private::double_option"
    )]
    pub middle_name: ::std::option::Option<::std::option::Option<::std::string::String>>,
    /// Optional and nullable.
    #[serde(
        default,
        skip_serializing_if = "::std::option::Option::is_none",
        with = "::asyncapi::__private::double_option"
    )]
    pub email: ::std::option::Option<::std::option::Option<::std::string::String>>,
    /// Optional.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub age: ::std::option::Option<i32>,
    /// A keyword as a property name.
    ///
    /// Default: `"person"`.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub r#type: ::std::option::Option<::std::string::String>,
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
