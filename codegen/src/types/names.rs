//! Rust identifiers from document names: conventional case, keywords escaped, collisions resolved
//! deterministically (the first keeps the name, later ones get `2`, `3`, ...).

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are (strict, reserved and 2024 keywords).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Words that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// `user-signed.up` → `UserSignedUp`; never empty, never starting with a digit, never a keyword.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_only(raw.to_upper_camel_case());
    if name.is_empty() {
        name = ascii_only(fallback.to_upper_camel_case());
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if KEYWORDS.contains(&name.as_str()) || name.is_empty() {
        name.push('_');
    }
    name
}

/// `userId` → `user_id`; keywords become raw identifiers (`r#type`) where Rust allows it.
pub fn field_name(raw: &str, fallback: &str) -> String {
    let mut name = ascii_only(raw.to_snake_case());
    if name.is_empty() {
        name = ascii_only(fallback.to_snake_case());
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// Keeps ASCII letters, digits and `_`: every result is a valid identifier body, whatever
/// characters the document used (the wire name is kept separately for serde).
fn ascii_only(mut name: String) -> String {
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    name
}

/// Hands out unique names within one namespace.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves `name`, or the first of `name2`, `name3`, ... that is free.
    pub fn unique(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let base = name.strip_prefix("r#").unwrap_or(name);
        let mut n = 2u64;
        loop {
            let candidate = format!("{base}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("user-signed.up", "X"), "UserSignedUp");
        assert_eq!(type_name("2fa", "X"), "N2fa");
        assert_eq!(type_name("$$$", "message payload"), "MessagePayload");
        assert_eq!(type_name("self", "X"), "Self_");
        assert_eq!(type_name("größe²", "X"), "Gre");
        assert_eq!(type_name("²", "fallback name"), "FallbackName");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("userId", "f"), "user_id");
        assert_eq!(field_name("type", "f"), "r#type");
        assert_eq!(field_name("self", "f"), "self_");
        assert_eq!(field_name("2nd", "f"), "_2nd");
        assert_eq!(field_name("$", "field 3"), "field_3");
        assert_eq!(field_name("temp°C", "f"), "temp_c");
        assert_eq!(field_name("ключ", "field 1"), "field_1");
    }

    #[test]
    fn collisions_get_numbers_in_order() {
        let mut namer = Namer::new();
        assert_eq!(namer.unique("UserSignedUp"), "UserSignedUp");
        assert_eq!(namer.unique("UserSignedUp"), "UserSignedUp2");
        assert_eq!(namer.unique("UserSignedUp"), "UserSignedUp3");
        assert_eq!(namer.unique("r#type"), "r#type");
        assert_eq!(namer.unique("r#type"), "type2");
    }
}
