/// Required, optional, nullable, and both.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
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
impl ::asyncapi::__private::Validate for Profile {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("age");
            if let ::std::option::Option::Some(v1) = &self.age {
                ::asyncapi::__private::check::number(
                    *v1,
                    &::asyncapi::__private::check::NumberRules {
                        minimum: ::std::option::Option::Some(0f64),
                        ..::asyncapi::__private::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
}
