use ::asyncapi::__private as __rt;
/// A named sensor id is a type of its own, so that it can check itself.
#[derive(Clone, Debug, PartialEq)]
pub struct SensorId(pub ::std::string::String);
__rt::newtype!(SensorId(::std::string::String));
impl __rt::Validate for SensorId {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        __rt::check::string(
            &self.0,
            &__rt::check::StringRules {
                max_length: __rt::Some(16u64),
                pattern: {
                    static PATTERN: __rt::Pattern = __rt::Pattern::new(
                        "^[a-z]+-[0-9]+$",
                    );
                    __rt::Some(&PATTERN)
                },
                ..__rt::check::StringRules::NONE
            },
            path,
            out,
        );
    }
}
#[derive(Clone, Debug, PartialEq)]
pub struct Level(pub u8);
__rt::newtype!(Level(u8));
impl __rt::Validate for Level {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        __rt::check::number(
            self.0,
            &__rt::check::NumberRules {
                maximum: __rt::Some(100f64),
                ..__rt::check::NumberRules::NONE
            },
            path,
            out,
        );
    }
}
/// Values documented one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// `fast`
    ///
    /// As fast as the sensor can.
    Fast,
    /// `slow`
    ///
    /// Once a minute.
    Slow,
}
__rt::string_enum! {
    Mode { Fast = "fast", Slow = "slow" }
}
impl __rt::Validate for Mode {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
/// The property `internal` is not generated (`x-ignore`); it is ignored when decoding.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub sensor: SensorId,
    pub value: f64,
    pub at: __rt::chrono::DateTime<__rt::chrono::FixedOffset>,
    pub day: ::std::option::Option<__rt::chrono::NaiveDate>,
    /// Default: `"celsius"` (read when the property is absent; `None` is not written).
    pub unit: ::std::option::Option<::std::string::String>,
    pub contact: ::std::option::Option<::std::string::String>,
    pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
    pub attempts: ::std::option::Option<ReadingAttempts>,
    pub mode: ::std::option::Option<Mode>,
    pub raw: ::std::option::Option<__rt::Base64>,
    pub ratio: ::std::option::Option<__rt::rust_decimal::Decimal>,
    pub host: ::std::option::Option<::std::net::Ipv4Addr>,
    pub meta: ::std::option::Option<
        ::std::collections::BTreeMap<::std::string::String, i64>,
    >,
    pub point: ::std::option::Option<(f64, f64)>,
    pub anything: ::std::option::Option<__rt::serde_json::Value>,
    pub either: ::std::option::Option<ReadingEither>,
    pub kind: ::std::option::Option<::std::string::String>,
}
__rt::object! {
    Reading { required sensor = "sensor", required value = "value", required at = "at",
    optional day = "day", defaulted unit = "unit", optional contact = "contact", optional
    tags = "tags", optional attempts = "attempts", optional mode = "mode", optional raw =
    "raw", optional ratio = "ratio", optional host = "host", optional meta = "meta",
    optional point = "point", optional anything = "anything", optional either = "either",
    optional kind = "kind" }
}
impl Reading {
    /// The JSON text of the `default` of each optional property that has
    /// one, by wire name: what an absent property reads as.
    pub const DEFAULTS: &'static [(&'static str, &'static str)] = &[
        ("unit", "\"celsius\""),
    ];
}
impl __rt::Validate for Reading {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("sensor");
            __rt::Validate::validate_at(&self.sensor, p1, out);
        }
        {
            let p1 = &path.key("value");
            __rt::check::number(
                self.value,
                &__rt::check::NumberRules {
                    maximum: __rt::Some(1000f64),
                    exclusive_minimum: __rt::Some(-273.15f64),
                    multiple_of: __rt::Some(0.25f64),
                    ..__rt::check::NumberRules::NONE
                },
                p1,
                out,
            );
        }
        {
            let p1 = &path.key("unit");
            if let __rt::Some(v1) = &self.unit {
                {
                    static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                        "{\"not\":{\"const\":\"kelvin\"}}",
                    );
                    __rt::check::schema(v1, &SCHEMA, p1, out);
                }
            }
        }
        {
            let p1 = &path.key("contact");
            if let __rt::Some(v1) = &self.contact {
                __rt::check::string(
                    v1,
                    &__rt::check::StringRules {
                        format: __rt::Some("email"),
                        ..__rt::check::StringRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
        {
            let p1 = &path.key("tags");
            if let __rt::Some(v1) = &self.tags {
                __rt::check::array(
                    v1,
                    &__rt::check::ArrayRules {
                        max_items: __rt::Some(3u64),
                        unique: true,
                        ..__rt::check::ArrayRules::NONE
                    },
                    p1,
                    out,
                );
                for (i2, v2) in v1.iter().enumerate() {
                    let p2 = &p1.index(i2);
                    __rt::check::string(
                        v2,
                        &__rt::check::StringRules {
                            min_length: __rt::Some(1u64),
                            ..__rt::check::StringRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("attempts");
            if let __rt::Some(v1) = &self.attempts {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("mode");
            if let __rt::Some(v1) = &self.mode {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("meta");
            if let __rt::Some(v1) = &self.meta {
                {
                    static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                        "{\"minProperties\":1}",
                    );
                    __rt::check::schema(v1, &SCHEMA, p1, out);
                }
                for (i2, v2) in v1.iter() {
                    let p2 = &p1.key(i2);
                    __rt::check::number(
                        *v2,
                        &__rt::check::NumberRules {
                            minimum: __rt::Some(0f64),
                            ..__rt::check::NumberRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("point");
            if let __rt::Some(v1) = &self.point {
                {
                    let p2 = &p1.index(0usize);
                    __rt::check::number(
                        v1.0,
                        &__rt::check::NumberRules {
                            minimum: __rt::Some(-90f64),
                            maximum: __rt::Some(90f64),
                            ..__rt::check::NumberRules::NONE
                        },
                        p2,
                        out,
                    );
                }
            }
        }
        {
            let p1 = &path.key("anything");
            if let __rt::Some(v1) = &self.anything {
                {
                    static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                        "{\"maxLength\":3}",
                    );
                    __rt::check::schema(v1, &SCHEMA, p1, out);
                }
            }
        }
        {
            let p1 = &path.key("either");
            if let __rt::Some(v1) = &self.either {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                "{\"if\":{\"properties\":{\"kind\":{\"const\":\"alert\"}},\"required\":[\"kind\"]},\"then\":{\"required\":[\"contact\"]},\"dependentRequired\":{\"day\":[\"contact\"]}}",
            );
            __rt::check::schema(self, &SCHEMA, path, out);
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
impl __rt::serde::Serialize for ReadingAttempts {
    fn serialize<S: __rt::serde::Serializer>(
        &self,
        serializer: S,
    ) -> __rt::Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.value())
    }
}
impl<'de> __rt::serde::Deserialize<'de> for ReadingAttempts {
    fn deserialize<D: __rt::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> __rt::Result<Self, D::Error> {
        let value = <i64 as __rt::serde::Deserialize>::deserialize(deserializer)?;
        match value {
            1i64 => __rt::Ok(ReadingAttempts::V1),
            2i64 => __rt::Ok(ReadingAttempts::V2),
            3i64 => __rt::Ok(ReadingAttempts::V3),
            other => {
                __rt::Err(
                    <D::Error as __rt::serde::de::Error>::invalid_value(
                        __rt::serde::de::Unexpected::Signed(other),
                        &"one of 1, 2, 3",
                    ),
                )
            }
        }
    }
}
impl __rt::Validate for ReadingAttempts {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
/// A value of any of the schema's types; JSON tells them apart.
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde", untagged)]
pub enum ReadingEither {
    Integer(i64),
    String(::std::string::String),
}
impl __rt::Validate for ReadingEither {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadingHeaders {
    pub trace_id: ::std::option::Option<__rt::uuid::Uuid>,
    pub attempt: ::std::option::Option<i32>,
}
__rt::object! {
    ReadingHeaders { optional trace_id = "traceId", optional attempt = "attempt" }
}
impl __rt::Validate for ReadingHeaders {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("attempt");
            if let __rt::Some(v1) = &self.attempt {
                __rt::check::number(
                    *v1,
                    &__rt::check::NumberRules {
                        minimum: __rt::Some(1f64),
                        maximum: __rt::Some(5f64),
                        ..__rt::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
}
