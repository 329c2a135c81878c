//! `Serialize` and `Deserialize` for generated models, written by declarative macros.
//!
//! Generated structs, string enums and newtypes do not `#[derive(Serialize, Deserialize)]`: they
//! call [`object!`](crate::object), [`string_enum!`](crate::string_enum) and
//! [`newtype!`](crate::newtype), which write what the derives would write for the attributes the
//! generator uses (`rename`, `default`, `skip_serializing_if = "Option::is_none"`, optional
//! nullable properties, `deny_unknown_fields`, a flattened map of additional properties,
//! `transparent`), with the per-field work done by the functions of this module. The expansion
//! is much smaller than serde_derive's (the whole API of a 113-schema document: 42,386 lines
//! after expansion with the derives, 27,920 with these macros), and expansion is most of what a
//! crate that expands a large document compiles after every edit.
//!
//! What the wire sees is what the derives produce: the same `serialize_struct` /
//! `serialize_map` calls, field names and skipped fields; the same `deserialize_struct`,
//! `deserialize_map` and `deserialize_enum` calls with the same field and variant lists, and the
//! same errors (`missing field`, `duplicate field`, `unknown field`, `unknown variant`). Two
//! differences, both what the schema says: an object is read from a map only (serde_derive also
//! takes a sequence of the fields in order, which no JSON Schema `object` is), and a required
//! property that may be `null` must still be present (serde_derive reads its absence as `null`).
//!
//! ```
//! # use asyncapi_runtime as rt;
//! #[derive(Debug, PartialEq)]
//! pub struct Reading {
//!     pub sensor: String,
//!     pub note: Option<String>,
//!     pub level: Option<Option<u8>>,
//! }
//! rt::object! {
//!     Reading {
//!         required sensor = "sensor",
//!         optional note = "note",
//!         nullable level = "level",
//!     }
//! }
//!
//! let r: Reading = serde_json::from_str(r#"{"sensor":"s-1","level":null,"other":1}"#).unwrap();
//! assert_eq!(r, Reading { sensor: "s-1".into(), note: None, level: Some(None) });
//! assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"sensor":"s-1","level":null}"#);
//! let e = serde_json::from_str::<Reading>(r#"{"note":"n"}"#).unwrap_err();
//! assert!(e.to_string().starts_with("missing field `sensor`"));
//! ```

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// What a key (or variant name) that is not one of [`Keys::names`] becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Other {
    /// [`Key::Ignored`]: its value is skipped.
    Ignore,
    /// [`Key::Other`] with the key, for a map of additional properties.
    Keep,
    /// An `unknown field` error (`additionalProperties: false`).
    UnknownField,
    /// An `unknown variant` error (a string enum).
    UnknownVariant,
}

/// A key read by [`Keys`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// The index of the key in [`Keys::names`].
    Known(usize),
    /// A key that is not one of the names, whose value is skipped.
    Ignored,
    /// A key that is not one of the names, kept ([`Other::Keep`]).
    Other(String),
}

/// Reads an object's key, or an enum's variant name, as its index among the wire names: a
/// `DeserializeSeed` for `MapAccess::next_key_seed` and `EnumAccess::variant_seed`.
#[derive(Clone, Copy, Debug)]
pub struct Keys {
    /// The wire names, in declaration order (for error messages).
    pub names: &'static [&'static str],
    /// The index of a name in `names` (a `match` the macros write, as fast as serde_derive's).
    pub find: fn(&str) -> Option<usize>,
    /// What a name that is not one of them becomes.
    pub other: Other,
}

impl Keys {
    fn unknown<E: de::Error>(self, name: &str) -> Result<Key, E> {
        match self.other {
            Other::Ignore => Ok(Key::Ignored),
            Other::Keep => Ok(Key::Other(name.to_owned())),
            Other::UnknownField => Err(E::unknown_field(name, self.names)),
            Other::UnknownVariant => Err(E::unknown_variant(name, self.names)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.other {
            Other::UnknownVariant => "variant identifier",
            _ => "field identifier",
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        match (self.find)(v) {
            Some(i) => Ok(Key::Known(i)),
            None => self.unknown(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        match (self.find)(&v) {
            Some(i) => Ok(Key::Known(i)),
            None if self.other == Other::Keep => Ok(Key::Other(v)),
            None => self.unknown(&v),
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(v).ok().and_then(self.find) {
            Some(i) => Ok(Key::Known(i)),
            None => self.unknown(&String::from_utf8_lossy(v)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        match usize::try_from(v) {
            Ok(i) if i < self.names.len() => Ok(Key::Known(i)),
            _ => match self.other {
                Other::Ignore => Ok(Key::Ignored),
                Other::Keep => Ok(Key::Other(v.to_string())),
                Other::UnknownField | Other::UnknownVariant => Err(E::invalid_value(
                    de::Unexpected::Unsigned(v),
                    &format!("an index below {}", self.names.len()).as_str(),
                )),
            },
        }
    }
}

/// Reads the value of a field into its slot; a second value for the same field is a
/// `duplicate field` error.
pub fn field<'de, A, T>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(<A::Error as de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field, or a `missing field` error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The value of an optional field: absent and `null` are both `None`.
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// The value of an optional field whose schema has a `default`: absent (or `null`), the default,
/// whose JSON text `defaults` holds by wire name (`None` when it does not read as a `T`).
pub fn defaulted<T: de::DeserializeOwned>(
    slot: Option<Option<T>>,
    name: &str,
    defaults: &[(&str, &str)],
) -> Option<T> {
    slot.flatten().or_else(|| default_of(name, defaults))
}

/// The default of field `name`, from the JSON texts of `defaults` (the schema's `default`s by
/// wire name).
pub fn default_of<T: de::DeserializeOwned>(name: &str, defaults: &[(&str, &str)]) -> Option<T> {
    let (_, json) = defaults.iter().find(|(n, _)| *n == name)?;
    serde_json::from_str(json).ok()
}

/// The index of `name` in `names` (`usize::MAX` when it is not there), for the constants the
/// macros match keys against.
pub const fn index(names: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < names.len() {
        if names[i].len() == name.len() {
            let (a, b) = (names[i].as_bytes(), name.as_bytes());
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    usize::MAX
}

/// The variant index serde's `serialize_unit_variant` is given: the position of `name`.
pub const fn variant_index(names: &[&str], name: &str) -> u32 {
    // Enums of more than `u32::MAX` variants do not compile.
    index(names, name) as u32
}

/// An error for a key index that [`Keys`] never returns, so that a generated `match` needs no
/// panic.
pub fn impossible<E: de::Error>(what: &str) -> E {
    E::custom(format_args!("{what} out of range"))
}

/// `Serialize` and `Deserialize` for a generated struct with named fields.
///
/// Each field is `PRESENCE IDENT = "wire name"`:
///
/// - `required`: always written; reading it is an error when it is absent.
/// - `optional` (`Option<T>`): written only when `Some`; absent or `null` read as `None`.
/// - `nullable` (`Option<Option<T>>`, optional and nullable): `None` is not written and is read
///   from absence, `Some(None)` is `null`.
/// - `defaulted` (`Option<T>`, optional with a schema `default`): written only when `Some`;
///   absent or `null` read as the default, whose JSON text the struct's associated constant
///   `DEFAULTS: &[(&str, &str)]` holds by wire name.
///
/// After the fields, nothing (keys that are not fields are skipped), `deny_unknown_fields` (they
/// are an error), or `rest IDENT`: the struct's `BTreeMap<String, T>` field that holds them, as a
/// `#[serde(flatten)]` map does. See the [module](crate::serde_impls) for an example.
#[macro_export]
macro_rules! object {
    ($name:ident { $($kind:ident $f:ident = $wire:literal),* $(,)? }) => {
        $crate::object!(@ser_struct $name { $($f $wire $kind),* });
        $crate::object!(@de $name [$($wire),*] { $($f $wire $kind),* } Ignore deserialize_struct);
    };
    ($name:ident { $($kind:ident $f:ident = $wire:literal),* $(,)? } deny_unknown_fields) => {
        $crate::object!(@ser_struct $name { $($f $wire $kind),* });
        $crate::object!(@de $name [$($wire),*] { $($f $wire $kind),* } UnknownField deserialize_struct);
    };
    ($name:ident { $($kind:ident $f:ident = $wire:literal),* $(,)? } rest $rest:ident) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                use $crate::__serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $($crate::object!(@entry map self $f $wire $kind);)*
                for (key, value) in &self.$rest {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
        $crate::object!(@de $name [$($wire),*] { $($f $wire $kind),* } Keep deserialize_map $rest);
    };

    (@ser_struct $name:ident { $($f:ident $wire:literal $kind:ident),* }) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                use $crate::__serde::ser::SerializeStruct as _;
                #[allow(unused_mut)]
                let mut state = serializer.serialize_struct(
                    ::core::stringify!($name),
                    0 $(+ $crate::object!(@len self $f $kind))*,
                )?;
                $($crate::object!(@field state self $f $wire $kind);)*
                state.end()
            }
        }
    };
    (@len $this:ident $f:ident required) => { 1usize };
    (@len $this:ident $f:ident $kind:ident) => { usize::from($this.$f.is_some()) };
    (@field $state:ident $this:ident $f:ident $wire:literal required) => {
        $state.serialize_field($wire, &$this.$f)?
    };
    (@field $state:ident $this:ident $f:ident $wire:literal defaulted) => {
        $crate::object!(@field $state $this $f $wire optional)
    };
    (@field $state:ident $this:ident $f:ident $wire:literal optional) => {
        if $this.$f.is_some() {
            $state.serialize_field($wire, &$this.$f)?
        } else {
            $state.skip_field($wire)?
        }
    };
    (@field $state:ident $this:ident $f:ident $wire:literal nullable) => {
        match &$this.$f {
            ::core::option::Option::Some(value) => $state.serialize_field($wire, value)?,
            ::core::option::Option::None => $state.skip_field($wire)?,
        }
    };
    (@entry $map:ident $this:ident $f:ident $wire:literal required) => {
        $map.serialize_entry($wire, &$this.$f)?
    };
    (@entry $map:ident $this:ident $f:ident $wire:literal defaulted) => {
        $crate::object!(@entry $map $this $f $wire optional)
    };
    (@entry $map:ident $this:ident $f:ident $wire:literal optional) => {
        if $this.$f.is_some() {
            $map.serialize_entry($wire, &$this.$f)?
        }
    };
    (@entry $map:ident $this:ident $f:ident $wire:literal nullable) => {
        if let ::core::option::Option::Some(value) = &$this.$f {
            $map.serialize_entry($wire, value)?
        }
    };

    (@de $name:ident $names:tt { $($f:ident $wire:literal $kind:ident),* }
        $other:ident $method:ident $($rest:ident)?) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                use $crate::serde_impls as imp;
                const FIELDS: &[&str] = &$names;
                #[allow(non_upper_case_globals)]
                mod at {
                    $(pub const $f: usize = $crate::serde_impls::index(&$names, $wire);)*
                }
                struct V;
                impl<'de> $crate::__serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("struct ", ::core::stringify!($name)))
                    }
                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: $crate::__serde::de::MapAccess<'de>,
                    {
                        $(let mut $f = ::core::option::Option::None;)*
                        $(let mut $rest = ::std::collections::BTreeMap::new();)?
                        fn find(key: &str) -> ::core::option::Option<usize> {
                            match key {
                                $($wire => ::core::option::Option::Some(at::$f),)*
                                _ => ::core::option::Option::None,
                            }
                        }
                        let keys = imp::Keys { names: FIELDS, find, other: imp::Other::$other };
                        while let ::core::option::Option::Some(key) = map.next_key_seed(keys)? {
                            match key {
                                $(imp::Key::Known(at::$f) => imp::field(&mut $f, &mut map, $wire)?,)*
                                imp::Key::Other(_key) => {
                                    $crate::object!(@rest map _key $($rest)?);
                                }
                                imp::Key::Known(_) | imp::Key::Ignored => {
                                    map.next_value::<$crate::__serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::core::result::Result::Ok($name {
                            $($f: $crate::object!(@end $name $f $wire $kind),)*
                            $($rest,)?
                        })
                    }
                }
                $crate::object!(@call deserializer $method $name FIELDS V)
            }
        }
    };
    (@rest $map:ident $key:ident) => {{
        let _ = $key;
        $map.next_value::<$crate::__serde::de::IgnoredAny>()?;
    }};
    (@rest $map:ident $key:ident $rest:ident) => {
        $rest.insert($key, $map.next_value()?)
    };
    (@end $name:ident $f:ident $wire:literal required) => { imp::required($f, $wire)? };
    (@end $name:ident $f:ident $wire:literal optional) => { imp::optional($f) };
    (@end $name:ident $f:ident $wire:literal defaulted) => {
        imp::defaulted($f, $wire, $name::DEFAULTS)
    };
    (@end $name:ident $f:ident $wire:literal nullable) => { $f };
    (@call $d:ident deserialize_struct $name:ident $fields:ident $v:ident) => {
        $d.deserialize_struct(::core::stringify!($name), $fields, $v)
    };
    (@call $d:ident deserialize_map $name:ident $fields:ident $v:ident) => {
        $d.deserialize_map($v)
    };
}

/// `Serialize` and `Deserialize` for a generated enum of strings, each variant
/// `IDENT = "wire value"`, as serde_derive writes them for unit variants renamed to their wire
/// values.
///
/// ```
/// # use asyncapi_runtime as rt;
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// pub enum Mode { Fast, Slow }
/// rt::string_enum! { Mode { Fast = "fast", Slow = "slow" } }
///
/// assert_eq!(serde_json::from_str::<Mode>(r#""slow""#).unwrap(), Mode::Slow);
/// assert_eq!(serde_json::to_string(&Mode::Fast).unwrap(), r#""fast""#);
/// let e = serde_json::from_str::<Mode>(r#""medium""#).unwrap_err();
/// assert!(e.to_string().starts_with("unknown variant `medium`, expected `fast` or `slow`"));
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($v:ident = $wire:literal),* $(,)? }) => {
        $crate::string_enum!(@impl $name [$($wire),*] { $($v $wire),* });
    };
    (@impl $name:ident $names:tt { $($v:ident $wire:literal),* }) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                match self {
                    $($name::$v => serializer.serialize_unit_variant(
                        ::core::stringify!($name),
                        $crate::serde_impls::variant_index(&$names, $wire),
                        $wire,
                    ),)*
                }
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                use $crate::serde_impls as imp;
                const VARIANTS: &[&str] = &$names;
                #[allow(non_upper_case_globals)]
                mod at {
                    $(pub const $v: usize = $crate::serde_impls::index(&$names, $wire);)*
                }
                struct V;
                impl<'de> $crate::__serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("enum ", ::core::stringify!($name)))
                    }
                    fn visit_enum<A>(self, data: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: $crate::__serde::de::EnumAccess<'de>,
                    {
                        use $crate::__serde::de::VariantAccess as _;
                        fn find(key: &str) -> ::core::option::Option<usize> {
                            match key {
                                $($wire => ::core::option::Option::Some(at::$v),)*
                                _ => ::core::option::Option::None,
                            }
                        }
                        let keys = imp::Keys {
                            names: VARIANTS,
                            find,
                            other: imp::Other::UnknownVariant,
                        };
                        let (key, variant) = data.variant_seed(keys)?;
                        variant.unit_variant()?;
                        match key {
                            $(imp::Key::Known(at::$v) => ::core::result::Result::Ok($name::$v),)*
                            _ => ::core::result::Result::Err(imp::impossible("variant")),
                        }
                    }
                }
                deserializer.deserialize_enum(::core::stringify!($name), VARIANTS, V)
            }
        }
    };
}

/// `Deref`, `DerefMut`, `From` of the inner type, and transparent `Serialize` and `Deserialize`
/// for a generated newtype `pub struct Name(pub T);`, as `#[serde(transparent)]` writes them.
///
/// ```
/// # use asyncapi_runtime as rt;
/// #[derive(Debug, PartialEq)]
/// pub struct SensorId(pub String);
/// rt::newtype!(SensorId(String));
///
/// let id: SensorId = serde_json::from_str(r#""s-1""#).unwrap();
/// assert_eq!(id.len(), 3);
/// assert_eq!(serde_json::to_string(&SensorId::from("s-2".to_owned())).unwrap(), r#""s-2""#);
/// ```
#[macro_export]
macro_rules! newtype {
    ($name:ident($ty:ty)) => {
        impl ::core::ops::Deref for $name {
            type Target = $ty;
            fn deref(&self) -> &$ty {
                &self.0
            }
        }
        impl ::core::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $ty {
                &mut self.0
            }
        }
        impl ::core::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                $name(value)
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__serde::Serializer,
            {
                $crate::__serde::Serialize::serialize(&self.0, serializer)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__serde::Deserializer<'de>,
            {
                <$ty as $crate::__serde::Deserialize<'de>>::deserialize(deserializer).map($name)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    //! Each macro against what serde_derive writes for the same type, on the same inputs.

    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq)]
    struct Ours {
        id: String,
        r#type: Option<String>,
        level: Option<Option<u8>>,
        maybe: Option<u8>,
    }
    crate::object! {
        Ours { required id = "id", optional r#type = "type", nullable level = "level", required maybe = "maybe" }
    }

    #[derive(Debug, PartialEq)]
    struct Strict {
        id: u32,
    }
    crate::object! { Strict { required id = "id" } deny_unknown_fields }

    #[derive(Debug, PartialEq)]
    struct Open {
        id: u32,
        note: Option<String>,
        additional_properties: BTreeMap<String, i64>,
    }
    crate::object! { Open { required id = "id", optional note = "note" } rest additional_properties }

    #[derive(Debug, PartialEq)]
    struct Empty {}
    crate::object! { Empty {} }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Mode {
        Fast,
        Slow,
    }
    crate::string_enum! { Mode { Fast = "fast", Slow = "slow-ish" } }

    /// The same types, as serde_derive writes them.
    mod derived {
        use super::*;

        fn double<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u8>>, D::Error> {
            Option::<u8>::deserialize(d).map(Some)
        }

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        pub struct Ours {
            id: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            r#type: Option<String>,
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "double"
            )]
            level: Option<Option<u8>>,
            maybe: Option<u8>,
        }

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Strict {
            id: u32,
        }

        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        pub struct Open {
            id: u32,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            note: Option<String>,
            #[serde(flatten)]
            additional_properties: BTreeMap<String, i64>,
        }

        #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Mode {
            #[serde(rename = "fast")]
            Fast,
            #[serde(rename = "slow-ish")]
            Slow,
        }
    }

    #[derive(Debug, PartialEq)]
    struct Id(u64);
    crate::newtype!(Id(u64));

    fn message(e: &serde_json::Error) -> String {
        let text = e.to_string();
        text.split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// Decodes `json` both ways: the same value (compared through its encoding) or the same
    /// error.
    fn same<O, T>(json: &str)
    where
        O: serde::de::DeserializeOwned + Serialize + std::fmt::Debug,
        T: serde::de::DeserializeOwned + Serialize + std::fmt::Debug,
    {
        let ours = serde_json::from_str::<O>(json).map(|v| serde_json::to_string(&v).unwrap());
        let theirs = serde_json::from_str::<T>(json).map(|v| serde_json::to_string(&v).unwrap());
        match (ours, theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
            // serde_derive buffers a flattened map before reading it, so the position its
            // error names is the object's end: the messages are compared without it.
            (Err(a), Err(b)) => assert_eq!(message(&a), message(&b), "{json}"),
            (a, b) => panic!("{json}: ours {a:?}, serde_derive {b:?}"),
        }
    }

    #[test]
    fn objects_read_and_write_as_serde_derive_does() {
        for json in [
            r#"{"id":"a","maybe":1}"#,
            r#"{"id":"a","maybe":null,"type":"t","level":3}"#,
            r#"{"id":"a","maybe":2,"type":null,"level":null}"#,
            r#"{"level":1,"id":"a","other":{"x":[1,2]},"maybe":1}"#,
            r#"{"maybe":1}"#,
            r#"{"id":"a","id":"b","maybe":1}"#,
            r#"{"id":7,"maybe":1}"#,
            r#"{"id":"a","maybe":1,"level":300}"#,
            r#"{"id":"a\u0041","typ\u0065":"escaped key","maybe":1}"#,
            r#""a string""#,
            r#"{"id":"a","maybe":1"#,
        ] {
            same::<Ours, derived::Ours>(json);
        }
        for json in [r#"{"id":1}"#, r#"{"id":1,"x":2}"#, r#"{}"#] {
            same::<Strict, derived::Strict>(json);
        }
        for json in [
            r#"{"id":1,"b":2,"a":3}"#,
            r#"{"id":1,"note":"n","a":-3}"#,
            r#"{"id":1,"a":"not a number"}"#,
            r#"{"a":1}"#,
        ] {
            same::<Open, derived::Open>(json);
        }
        for json in [
            r#""fast""#,
            r#""slow-ish""#,
            r#""slow""#,
            r#"{"fast":null}"#,
            "3",
        ] {
            same::<Mode, derived::Mode>(json);
        }
    }

    #[test]
    fn what_differs_from_serde_derive_is_what_the_schema_says() {
        // A JSON array is not an object.
        assert!(serde_json::from_str::<derived::Ours>(r#"["a", null, null, 1]"#).is_ok());
        let e = serde_json::from_str::<Ours>(r#"["a", null, null, 1]"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid type: sequence, expected struct Ours")
        );
        // A required property that may be null is still required.
        assert!(serde_json::from_str::<derived::Ours>(r#"{"id":"a"}"#).is_ok());
        let e = serde_json::from_str::<Ours>(r#"{"id":"a"}"#).unwrap_err();
        assert!(e.to_string().starts_with("missing field `maybe`"));
    }

    #[test]
    fn nullable_fields_keep_null_apart_from_absence() {
        let v = Ours {
            id: "a".into(),
            r#type: None,
            level: Some(None),
            maybe: None,
        };
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"id":"a","level":null,"maybe":null}"#
        );
        let v = Ours { level: None, ..v };
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"id":"a","maybe":null}"#
        );
        let open = Open {
            id: 1,
            note: None,
            additional_properties: BTreeMap::from([("z".to_owned(), 1)]),
        };
        assert_eq!(serde_json::to_string(&open).unwrap(), r#"{"id":1,"z":1}"#);
        assert_eq!(
            serde_json::from_str::<Empty>(r#"{"a":1}"#).unwrap(),
            Empty {}
        );
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    }

    #[test]
    fn keys_read_from_bytes_and_indices() {
        use serde::de::DeserializeSeed;
        use serde::de::value::{BytesDeserializer, Error, StringDeserializer, U64Deserializer};
        fn find(key: &str) -> Option<usize> {
            let i = super::index(&["a", "b"], key);
            (i != usize::MAX).then_some(i)
        }
        let keys = super::Keys {
            names: &["a", "b"],
            find,
            other: super::Other::Keep,
        };
        let key = keys
            .deserialize(BytesDeserializer::<Error>::new(b"b"))
            .unwrap();
        assert_eq!(key, super::Key::Known(1));
        let key = keys.deserialize(U64Deserializer::<Error>::new(0)).unwrap();
        assert_eq!(key, super::Key::Known(0));
        let key = keys
            .deserialize(StringDeserializer::<Error>::new("c".into()))
            .unwrap();
        assert_eq!(key, super::Key::Other("c".into()));
        let strict = super::Keys {
            other: super::Other::UnknownVariant,
            ..keys
        };
        let e = strict
            .deserialize(U64Deserializer::<Error>::new(2))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid value: integer `2`, expected an index below 2"
        );
        assert_eq!(super::index(&["a", "bb", "b"], "b"), 2);
        assert_eq!(super::index(&["a"], "c"), usize::MAX);
    }

    #[test]
    fn newtypes_are_transparent() {
        let id: Id = serde_json::from_str("42").unwrap();
        assert_eq!(*id, 42);
        assert_eq!(serde_json::to_string(&Id(7)).unwrap(), "7");
        assert!(serde_json::from_str::<Id>(r#""42""#).is_err());
    }
}
