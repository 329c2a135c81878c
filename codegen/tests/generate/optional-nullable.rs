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
