/// A named sensor id is a type of its own, so that it can check itself.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde", transparent)]
pub struct SensorId(pub ::std::string::String);
impl ::std::ops::Deref for SensorId {
    type Target = ::std::string::String;
    fn deref(&self) -> &::std::string::String {
        &self.0
    }
}
impl ::std::ops::DerefMut for SensorId {
    fn deref_mut(&mut self) -> &mut ::std::string::String {
        &mut self.0
    }
}
impl ::std::convert::From<::std::string::String> for SensorId {
    fn from(value: ::std::string::String) -> Self {
        SensorId(value)
    }
}
impl ::asyncapi::__private::Validate for SensorId {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        ::asyncapi::__private::check::string(
            &self.0,
            &::asyncapi::__private::check::StringRules {
                max_length: ::std::option::Option::Some(16u64),
                pattern: {
                    static PATTERN: ::asyncapi::__private::Pattern = ::asyncapi::__private::Pattern::new(
                        "^[a-z]+-[0-9]+$",
                    );
                    ::std::option::Option::Some(&PATTERN)
                },
                ..::asyncapi::__private::check::StringRules::NONE
            },
            path,
            out,
        );
    }
}
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde", transparent)]
pub struct Level(pub u8);
impl ::std::ops::Deref for Level {
    type Target = u8;
    fn deref(&self) -> &u8 {
        &self.0
    }
}
impl ::std::ops::DerefMut for Level {
    fn deref_mut(&mut self) -> &mut u8 {
        &mut self.0
    }
}
impl ::std::convert::From<u8> for Level {
    fn from(value: u8) -> Self {
        Level(value)
    }
}
impl ::asyncapi::__private::Validate for Level {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        ::asyncapi::__private::check::number(
            self.0,
            &::asyncapi::__private::check::NumberRules {
                maximum: ::std::option::Option::Some(100f64),
                ..::asyncapi::__private::check::NumberRules::NONE
            },
            path,
            out,
        );
    }
}
/// Values documented one by one.
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
pub enum Mode {
    /// `fast`
    ///
    /// As fast as the sensor can.
    #[serde(rename = "fast")]
    Fast,
    /// `slow`
    ///
    /// Once a minute.
    #[serde(rename = "slow")]
    Slow,
}
impl ::asyncapi::__private::Validate for Mode {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
/// The property `internal` is not generated (`x-ignore`); it is ignored when decoding.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Reading {
    pub sensor: SensorId,
    pub value: f64,
    pub at: ::asyncapi::__private::chrono::DateTime<
        ::asyncapi::__private::chrono::FixedOffset,
    >,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub day: ::std::option::Option<::asyncapi::__private::chrono::NaiveDate>,
    /// Default: `"celsius"`.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub unit: ::std::option::Option<::std::string::String>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub contact: ::std::option::Option<::std::string::String>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub attempts: ::std::option::Option<ReadingAttempts>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub mode: ::std::option::Option<Mode>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub raw: ::std::option::Option<::asyncapi::__private::Base64>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub ratio: ::std::option::Option<::asyncapi::__private::rust_decimal::Decimal>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub host: ::std::option::Option<::std::net::Ipv4Addr>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub meta: ::std::option::Option<
        ::std::collections::BTreeMap<::std::string::String, i64>,
    >,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub point: ::std::option::Option<(f64, f64)>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub anything: ::std::option::Option<::asyncapi::__private::serde_json::Value>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub either: ::std::option::Option<ReadingEither>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub kind: ::std::option::Option<::std::string::String>,
}
impl ::asyncapi::__private::Validate for Reading {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("sensor");
            ::asyncapi::__private::Validate::validate_at(&self.sensor, p1, out);
        }
        {
            let p1 = &path.key("value");
            ::asyncapi::__private::check::number(
                self.value,
                &::asyncapi::__private::check::NumberRules {
                    maximum: ::std::option::Option::Some(1000f64),
                    exclusive_minimum: ::std::option::Option::Some(-273.15f64),
                    multiple_of: ::std::option::Option::Some(0.25f64),
                    ..::asyncapi::__private::check::NumberRules::NONE
                },
                p1,
                out,
            );
        }
        {
            let p1 = &path.key("unit");
            if let ::std::option::Option::Some(v1) = &self.unit {
                {
                    static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                        "{\"not\":{\"const\":\"kelvin\"}}",
                    );
                    ::asyncapi::__private::check::schema(v1, &SCHEMA, p1, out);
                }
            }
        }
        {
            let p1 = &path.key("contact");
            if let ::std::option::Option::Some(v1) = &self.contact {
                ::asyncapi::__private::check::string(
                    v1,
                    &::asyncapi::__private::check::StringRules {
                        format: ::std::option::Option::Some("email"),
                        ..::asyncapi::__private::check::StringRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
        {
            let p1 = &path.key("tags");
            if let ::std::option::Option::Some(v1) = &self.tags {
                ::asyncapi::__private::check::array(
                    v1,
                    &::asyncapi::__private::check::ArrayRules {
                        max_items: ::std::option::Option::Some(3u64),
                        unique: true,
                        ..::asyncapi::__private::check::ArrayRules::NONE
                    },
                    p1,
                    out,
                );
                for (i2, v2) in v1.iter().enumerate() {
                    let p2 = &p1.index(i2);
                    ::asyncapi::__private::check::string(
                        v2,
                        &::asyncapi::__private::check::StringRules {
                            min_length: ::std::option::Option::Some(1u64),
                            ..::asyncapi::__private::check::StringRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("attempts");
            if let ::std::option::Option::Some(v1) = &self.attempts {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("mode");
            if let ::std::option::Option::Some(v1) = &self.mode {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("meta");
            if let ::std::option::Option::Some(v1) = &self.meta {
                {
                    static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                        "{\"minProperties\":1}",
                    );
                    ::asyncapi::__private::check::schema(v1, &SCHEMA, p1, out);
                }
                for (i2, v2) in v1.iter() {
                    let p2 = &p1.key(i2);
                    ::asyncapi::__private::check::number(
                        *v2,
                        &::asyncapi::__private::check::NumberRules {
                            minimum: ::std::option::Option::Some(0f64),
                            ..::asyncapi::__private::check::NumberRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("point");
            if let ::std::option::Option::Some(v1) = &self.point {
                {
                    let p2 = &p1.index(0usize);
                    ::asyncapi::__private::check::number(
                        v1.0,
                        &::asyncapi::__private::check::NumberRules {
                            minimum: ::std::option::Option::Some(-90f64),
                            maximum: ::std::option::Option::Some(90f64),
                            ..::asyncapi::__private::check::NumberRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("anything");
            if let ::std::option::Option::Some(v1) = &self.anything {
                {
                    static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                        "{\"maxLength\":3}",
                    );
                    ::asyncapi::__private::check::schema(v1, &SCHEMA, p1, out);
                }
            }
        }
        {
            let p1 = &path.key("either");
            if let ::std::option::Option::Some(v1) = &self.either {
                ::asyncapi::__private::Validate::validate_at(v1, p1, out);
            }
        }
        {
            static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                "{\"if\":{\"properties\":{\"kind\":{\"const\":\"alert\"}},\"required\":[\"kind\"]},\"then\":{\"required\":[\"contact\"]},\"dependentRequired\":{\"day\":[\"contact\"]}}",
            );
            ::asyncapi::__private::check::schema(self, &SCHEMA, path, out);
        }
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReadingAttempts {
    /// `1`
    V1,
    /// `2`
    V2,
    /// `3`
    V3,
}
impl ReadingAttempts {
    /// The value on the wire.
    pub fn value(self) -> i64 {
        match self {
            ReadingAttempts::V1 => 1i64,
            ReadingAttempts::V2 => 2i64,
            ReadingAttempts::V3 => 3i64,
        }
    }
}
impl ::asyncapi::__private::serde::Serialize for ReadingAttempts {
    fn serialize<S: ::asyncapi::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.value())
    }
}
impl<'de> ::asyncapi::__private::serde::Deserialize<'de> for ReadingAttempts {
    fn deserialize<D: ::asyncapi::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let value = <i64 as ::asyncapi::__private::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        match value {
            1i64 => ::std::result::Result::Ok(ReadingAttempts::V1),
            2i64 => ::std::result::Result::Ok(ReadingAttempts::V2),
            3i64 => ::std::result::Result::Ok(ReadingAttempts::V3),
            other => {
                ::std::result::Result::Err(
                    <D::Error as ::asyncapi::__private::serde::de::Error>::invalid_value(
                        ::asyncapi::__private::serde::de::Unexpected::Signed(other),
                        &"one of 1, 2, 3",
                    ),
                )
            }
        }
    }
}
impl ::asyncapi::__private::Validate for ReadingAttempts {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {}
}
/// A value of any of the schema's types; JSON tells them apart.
#[derive(
    Clone,
    Debug,
    PartialEq,
    ::asyncapi::__private::serde::Serialize,
    ::asyncapi::__private::serde::Deserialize
)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum ReadingEither {
    Integer(i64),
    String(::std::string::String),
}
impl ::asyncapi::__private::Validate for ReadingEither {
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
pub struct ReadingHeaders {
    #[serde(rename = "traceId")]
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub trace_id: ::std::option::Option<::asyncapi::__private::uuid::Uuid>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub attempt: ::std::option::Option<i32>,
}
impl ::asyncapi::__private::Validate for ReadingHeaders {
    #[allow(unused_variables)]
    fn validate_at(
        &self,
        path: &::asyncapi::__private::Path<'_>,
        out: &mut ::asyncapi::__private::Violations,
    ) {
        {
            let p1 = &path.key("attempt");
            if let ::std::option::Option::Some(v1) = &self.attempt {
                ::asyncapi::__private::check::number(
                    *v1,
                    &::asyncapi::__private::check::NumberRules {
                        minimum: ::std::option::Option::Some(1f64),
                        maximum: ::std::option::Option::Some(5f64),
                        ..::asyncapi::__private::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
}
