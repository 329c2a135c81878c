//! Validation of generated types against the constraints of their schemas.
//!
//! serde checks what a Rust type can hold (types, required properties, enums, tagged unions);
//! every generated type also implements [`Validate`], which checks what serde cannot: patterns,
//! numeric ranges and `multipleOf`, string and array lengths, formats that stay strings, unique
//! items, `const`, `not`, `if`/`then`/`else` and the rest. It reports **every** violation, each
//! with the JSON pointer of the value that broke it.
//!
//! ```
//! use asyncapi_runtime::validate::{Path, Validate, Violations};
//!
//! struct Percent(i64);
//!
//! impl Validate for Percent {
//!     fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
//!         if !(0..=100).contains(&self.0) {
//!             out.push(path, "maximum", format!("{} is not between 0 and 100", self.0));
//!         }
//!     }
//! }
//!
//! let err = vec![Percent(50), Percent(150)].validate().unwrap_err();
//! assert_eq!(err.to_string(), "/1: 150 is not between 0 and 100");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// Where a value sits inside the value being validated, as a chain of keys and indexes on the
/// stack: building one costs nothing; it becomes a JSON pointer only when a violation is reported.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The value [`Validate::validate`] was called on.
    Root,
    /// A property of an object.
    Key(&'a Path<'a>, &'a str),
    /// An item of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of property `key` of the value at `self`.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of item `index` of the array at `self`.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The JSON pointer (RFC 6901) of this path: `""` for the root, `/items/0/name` below it.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        self.write_pointer(&mut out);
        out
    }

    fn write_pointer(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write_pointer(out);
                out.push('/');
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Path::Index(parent, index) => {
                parent.write_pointer(out);
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
}

/// One broken constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The JSON pointer of the value that broke it (`""` for the value validated itself).
    pub pointer: String,
    /// The JSON Schema keyword that was broken (`pattern`, `maximum`, `format`, ...).
    pub keyword: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// Every violation found in a value; the error of [`Validate::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// No violations.
    pub fn new() -> Self {
        Violations(Vec::new())
    }

    /// Records that the value at `path` breaks `keyword`.
    pub fn push(&mut self, path: &Path<'_>, keyword: &'static str, message: impl Into<String>) {
        self.0.push(Violation {
            pointer: path.pointer(),
            keyword,
            message: message.into(),
        });
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The violations, in the order they were found (document order of the value).
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// `Ok(())` when there are none, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A value whose constraints can be checked. Every generated type implements it.
pub trait Validate {
    /// Checks every constraint and returns every violation.
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_at(&Path::Root, &mut out);
        out.into_result()
    }

    /// Checks every constraint of this value, which sits at `path`, adding violations to `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations);
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        if let Some(value) = self {
            value.validate_at(path, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&path.index(i), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        self.as_slice().validate_at(path, out);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
        for (key, value) in self {
            value.validate_at(&path.key(key), out);
        }
    }
}

/// Values that have no constraints of their own: the constraints a schema puts on them are
/// checked by the generated code of the schema that holds them. With these, every type the
/// generator plans in any position (a free-form object is a map of `Value`s, say) can be
/// validated, wherever it is held.
macro_rules! unconstrained {
    ($($t:ty),* $(,)?) => {$(
        impl Validate for $t {
            fn validate_at(&self, _: &Path<'_>, _: &mut Violations) {}
        }
    )*};
}

unconstrained!(
    serde_json::Value,
    String,
    str,
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    u8,
    u16,
    u32,
    u64,
    u128,
    f32,
    f64,
    bytes::Bytes,
    uuid::Uuid,
    rust_decimal::Decimal,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::FixedOffset>,
    chrono::DateTime<chrono::Utc>,
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    crate::types::Base64,
);

/// Tuples (`prefixItems`): each item checked at its index.
macro_rules! tuples {
    ($(($($t:ident $i:tt),+)),* $(,)?) => {$(
        impl<$($t: Validate),+> Validate for ($($t,)+) {
            fn validate_at(&self, path: &Path<'_>, out: &mut Violations) {
                $(self.$i.validate_at(&path.index($i), out);)+
            }
        }
    )*};
}

tuples!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11),
);

/// A `pattern`, compiled the first time it is used.
///
/// Patterns are ECMA-262 regular expressions in JSON Schema; they are matched with
/// [`regex_lite`], which accepts the common subset (classes, quantifiers, anchors, groups,
/// alternation) but not look-around or back-references. The generator checks every pattern when
/// it generates code and leaves out (with a warning) the ones that would not compile here.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex_lite::Regex, String>>,
}

impl Pattern {
    /// A pattern from its source text.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches somewhere (JSON Schema patterns are not anchored), or why the
    /// pattern cannot be used.
    pub fn is_match(&self, text: &str) -> Result<bool, &str> {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).map_err(|e| e.to_string()))
            .as_ref()
            .map(|re| re.is_match(text))
            .map_err(String::as_str)
    }
}

/// The checks generated `validate_at` methods call. Each takes the rules of one schema as a
/// constant and adds a violation per broken rule.
#[doc(hidden)]
pub mod check {
    use super::{Path, Pattern, Violations};

    /// String constraints.
    #[derive(Debug, Default)]
    pub struct StringRules {
        /// `minLength`, in characters.
        pub min_length: Option<u64>,
        /// `maxLength`, in characters.
        pub max_length: Option<u64>,
        /// `pattern`
        pub pattern: Option<&'static Pattern>,
        /// `format`, when the value stays a string (see [`crate::formats::check`]).
        pub format: Option<&'static str>,
    }

    impl StringRules {
        /// No rule: generated code sets the ones the schema has (`..StringRules::NONE`).
        pub const NONE: StringRules = StringRules {
            min_length: None,
            max_length: None,
            pattern: None,
            format: None,
        };
    }

    /// Checks a string.
    pub fn string(value: &str, rules: &StringRules, path: &Path<'_>, out: &mut Violations) {
        if rules.min_length.is_some() || rules.max_length.is_some() {
            let len = value.chars().count() as u64;
            if let Some(min) = rules.min_length.filter(|&m| len < m) {
                out.push(
                    path,
                    "minLength",
                    format!("{len} characters, fewer than {min}"),
                );
            }
            if let Some(max) = rules.max_length.filter(|&m| len > m) {
                out.push(
                    path,
                    "maxLength",
                    format!("{len} characters, more than {max}"),
                );
            }
        }
        if let Some(pattern) = rules.pattern {
            match pattern.is_match(value) {
                Ok(true) => {}
                Ok(false) => out.push(
                    path,
                    "pattern",
                    format!("{value:?} does not match `{}`", pattern.source()),
                ),
                Err(e) => out.push(
                    path,
                    "pattern",
                    format!("the pattern `{}` cannot be used: {e}", pattern.source()),
                ),
            }
        }
        if let Some(format) = rules.format
            && crate::formats::check(format, value) == Some(false)
        {
            out.push(path, "format", format!("{value:?} is not a valid {format}"));
        }
    }

    /// Numeric constraints, as the document wrote them.
    #[derive(Debug, Default)]
    pub struct NumberRules {
        /// `minimum`
        pub minimum: Option<f64>,
        /// `maximum`
        pub maximum: Option<f64>,
        /// `exclusiveMinimum`
        pub exclusive_minimum: Option<f64>,
        /// `exclusiveMaximum`
        pub exclusive_maximum: Option<f64>,
        /// `multipleOf`
        pub multiple_of: Option<f64>,
    }

    impl NumberRules {
        /// No rule: generated code sets the ones the schema has (`..NumberRules::NONE`).
        pub const NONE: NumberRules = NumberRules {
            minimum: None,
            maximum: None,
            exclusive_minimum: None,
            exclusive_maximum: None,
            multiple_of: None,
        };
    }

    /// A number the rules can be applied to: integers exactly, floats as `f64`.
    pub trait Numeric: Copy + std::fmt::Display {
        /// The value as `f64`, for comparisons with the bounds.
        fn as_f64(self) -> f64;
        /// The value as an integer, when it is one.
        fn as_i128(self) -> Option<i128>;
    }

    macro_rules! numeric_int {
        ($($t:ty),*) => {$(
            impl Numeric for $t {
                fn as_f64(self) -> f64 { self as f64 }
                fn as_i128(self) -> Option<i128> { Some(self as i128) }
            }
        )*};
    }
    numeric_int!(i8, i16, i32, i64, u8, u16, u32, u64);

    impl Numeric for f32 {
        fn as_f64(self) -> f64 {
            f64::from(self)
        }
        fn as_i128(self) -> Option<i128> {
            None
        }
    }

    impl Numeric for f64 {
        fn as_f64(self) -> f64 {
            self
        }
        fn as_i128(self) -> Option<i128> {
            None
        }
    }

    /// Checks a number.
    pub fn number<N: Numeric>(
        value: N,
        rules: &NumberRules,
        path: &Path<'_>,
        out: &mut Violations,
    ) {
        let v = value.as_f64();
        if let Some(min) = rules.minimum.filter(|&m| v < m) {
            out.push(path, "minimum", format!("{value} is less than {min}"));
        }
        if let Some(max) = rules.maximum.filter(|&m| v > m) {
            out.push(path, "maximum", format!("{value} is greater than {max}"));
        }
        if let Some(min) = rules.exclusive_minimum.filter(|&m| v <= m) {
            out.push(
                path,
                "exclusiveMinimum",
                format!("{value} is not greater than {min}"),
            );
        }
        if let Some(max) = rules.exclusive_maximum.filter(|&m| v >= m) {
            out.push(
                path,
                "exclusiveMaximum",
                format!("{value} is not less than {max}"),
            );
        }
        if let Some(m) = rules.multiple_of
            && !is_multiple(value, m)
        {
            out.push(
                path,
                "multipleOf",
                format!("{value} is not a multiple of {m}"),
            );
        }
    }

    /// `value` is a multiple of `m`: exactly for integers and integral `m`, within a relative
    /// tolerance of one part in 10⁹ otherwise (`0.3` is a multiple of `0.1`).
    pub fn is_multiple<N: Numeric>(value: N, m: f64) -> bool {
        if m <= 0.0 || !m.is_finite() {
            return true;
        }
        if let Some(i) = value.as_i128()
            && m.fract() == 0.0
            && m < 1e30
        {
            return i % (m as i128) == 0;
        }
        let q = value.as_f64() / m;
        if !q.is_finite() {
            return false;
        }
        (q - q.round()).abs() <= 1e-9 * q.abs().max(1.0)
    }

    /// Array constraints.
    #[derive(Debug, Default)]
    pub struct ArrayRules {
        /// `minItems`
        pub min_items: Option<u64>,
        /// `maxItems`
        pub max_items: Option<u64>,
        /// `uniqueItems: true`
        pub unique: bool,
    }

    impl ArrayRules {
        /// No rule: generated code sets the ones the schema has (`..ArrayRules::NONE`).
        pub const NONE: ArrayRules = ArrayRules {
            min_items: None,
            max_items: None,
            unique: false,
        };
    }

    /// Checks an array's length and, for `uniqueItems`, that no two items are equal (as JSON
    /// values: in O(n log n) and the items' size, see
    /// [`first_duplicate`](crate::schema::first_duplicate)).
    pub fn array<T: PartialEq + serde::Serialize>(
        items: &[T],
        rules: &ArrayRules,
        path: &Path<'_>,
        out: &mut Violations,
    ) {
        let len = items.len() as u64;
        if let Some(min) = rules.min_items.filter(|&m| len < m) {
            out.push(path, "minItems", format!("{len} items, fewer than {min}"));
        }
        if let Some(max) = rules.max_items.filter(|&m| len > m) {
            out.push(path, "maxItems", format!("{len} items, more than {max}"));
        }
        if rules.unique {
            let values: Result<Vec<serde_json::Value>, _> =
                items.iter().map(serde_json::to_value).collect();
            let duplicate = match values {
                Ok(values) => crate::schema::first_duplicate(&values),
                // Items JSON cannot hold (maps with keys that are not text): compared in pairs.
                Err(_) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, a)| items[..i].iter().position(|b| a == b).map(|j| (j, i))),
            };
            if let Some((j, i)) = duplicate {
                out.push(path, "uniqueItems", format!("items {j} and {i} are equal"));
            }
        }
    }

    /// Checks the number of properties of an object (`minProperties`, `maxProperties`).
    pub fn properties(
        count: usize,
        min: Option<u64>,
        max: Option<u64>,
        path: &Path<'_>,
        out: &mut Violations,
    ) {
        let count = count as u64;
        if let Some(min) = min.filter(|&m| count < m) {
            out.push(
                path,
                "minProperties",
                format!("{count} properties, fewer than {min}"),
            );
        }
        if let Some(max) = max.filter(|&m| count > m) {
            out.push(
                path,
                "maxProperties",
                format!("{count} properties, more than {max}"),
            );
        }
    }

    /// Checks the JSON form of `value` against the keywords of a schema that the Rust type does
    /// not express (`not`, `if`/`then`/`else`, `const`, `contains`, ...).
    pub fn schema<T: serde::Serialize + ?Sized>(
        value: &T,
        schema: &'static crate::schema::LazySchema,
        path: &Path<'_>,
        out: &mut Violations,
    ) {
        match serde_json::to_value(value) {
            Ok(json) => schema.validate_at(&json, path, out),
            Err(e) => out.push(path, "type", format!("cannot be written as JSON: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check::*;
    use super::*;

    #[test]
    fn pointers_escape_keys() {
        let root = Path::Root;
        let a = root.key("a/b");
        let b = a.index(3);
        let c = b.key("~x");
        assert_eq!(c.pointer(), "/a~1b/3/~0x");
        assert_eq!(root.pointer(), "");
    }

    #[test]
    fn strings_report_every_broken_rule() {
        static P: Pattern = Pattern::new("^[a-z]+$");
        let rules = StringRules {
            min_length: Some(5),
            max_length: Some(10),
            pattern: Some(&P),
            format: Some("email"),
        };
        let mut out = Violations::new();
        string("AB", &rules, &Path::Root, &mut out);
        let keywords: Vec<_> = out.iter().map(|v| v.keyword).collect();
        assert_eq!(keywords, ["minLength", "pattern", "format"]);
        let mut out = Violations::new();
        string(
            "ünïcödé",
            &StringRules {
                max_length: Some(7),
                ..Default::default()
            },
            &Path::Root,
            &mut out,
        );
        assert!(out.is_empty(), "lengths count characters, not bytes: {out}");
    }

    #[test]
    fn numbers() {
        let rules = NumberRules {
            minimum: Some(0.0),
            exclusive_maximum: Some(10.0),
            multiple_of: Some(0.1),
            ..Default::default()
        };
        let mut out = Violations::new();
        number(0.3f64, &rules, &Path::Root, &mut out);
        number(10i64, &rules, &Path::Root, &mut out);
        number(-1i32, &rules, &Path::Root, &mut out);
        number(0.35f64, &rules, &Path::Root, &mut out);
        let keywords: Vec<_> = out.iter().map(|v| v.keyword).collect();
        assert_eq!(keywords, ["exclusiveMaximum", "minimum", "multipleOf"]);
        assert!(is_multiple(u64::MAX - 1, 2.0));
        assert!(!is_multiple(u64::MAX, 2.0));
        assert!(is_multiple(7.5f64, 2.5));
    }

    #[test]
    fn arrays() {
        let rules = ArrayRules {
            min_items: Some(1),
            max_items: Some(2),
            unique: true,
        };
        let mut out = Violations::new();
        array(&[1, 2, 1], &rules, &Path::Root, &mut out);
        array::<i32>(&[], &rules, &Path::Root, &mut out);
        assert_eq!(
            out.to_string(),
            "(root): 3 items, more than 2\n(root): items 0 and 2 are equal\n(root): 0 items, fewer than 1"
        );
    }

    #[test]
    fn unusable_patterns_are_reported_not_panicked() {
        static P: Pattern = Pattern::new("(?<=a)b");
        assert!(P.is_match("ab").is_err());
    }
}
