//! JSON pointers (RFC 6901) as they appear in `$ref` fragments and in diagnostics.

use std::fmt;

/// A parsed JSON pointer: a list of unescaped reference tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPointer(Vec<String>);

/// Why a pointer could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    /// A non-empty pointer must start with `/`.
    #[error("a JSON pointer must be empty or start with `/`, found `{0}`")]
    NoLeadingSlash(String),
    /// `~` must be followed by `0` or `1`.
    #[error("`~` in a JSON pointer must be followed by `0` or `1` (in `{0}`)")]
    BadEscape(String),
    /// Percent-decoding produced invalid UTF-8.
    #[error("the percent-encoded pointer `{0}` is not valid UTF-8")]
    BadPercent(String),
}

impl JsonPointer {
    /// The empty pointer: the whole document.
    pub fn root() -> Self {
        JsonPointer(Vec::new())
    }

    /// Parses a pointer as written in a URI fragment: percent escapes are decoded first, then
    /// `~1` and `~0`.
    pub fn parse_fragment(fragment: &str) -> Result<Self, PointerError> {
        let decoded = percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .map_err(|_| PointerError::BadPercent(fragment.to_owned()))?;
        Self::parse(&decoded)
    }

    /// Parses a plain (not URI-encoded) pointer.
    pub fn parse(text: &str) -> Result<Self, PointerError> {
        if text.is_empty() {
            return Ok(Self::root());
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(PointerError::NoLeadingSlash(text.to_owned()));
        };
        let mut tokens = Vec::new();
        for raw in rest.split('/') {
            let mut token = String::with_capacity(raw.len());
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => token.push('~'),
                        Some('1') => token.push('/'),
                        _ => return Err(PointerError::BadEscape(text.to_owned())),
                    }
                } else {
                    token.push(c);
                }
            }
            tokens.push(token);
        }
        Ok(JsonPointer(tokens))
    }

    /// The unescaped tokens.
    pub fn tokens(&self) -> &[String] {
        &self.0
    }

    /// A pointer one level deeper.
    pub fn push(&mut self, token: impl Into<String>) {
        self.0.push(token.into());
    }

    /// Removes the last token.
    pub fn pop(&mut self) -> Option<String> {
        self.0.pop()
    }

    /// A copy one level deeper.
    pub fn child(&self, token: impl Into<String>) -> Self {
        let mut copy = self.clone();
        copy.push(token);
        copy
    }

    /// Whether `self` is `other` or inside it.
    pub fn starts_with(&self, other: &JsonPointer) -> bool {
        self.0.starts_with(&other.0)
    }
}

/// Formats with `~0`/`~1` escapes (not percent-encoded): `/channels/user~1signedup`.
impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for token in &self.0 {
            f.write_str("/")?;
            f.write_str(&token.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let p = JsonPointer::parse("/channels/a~1b~0c/x").unwrap();
        assert_eq!(p.tokens(), ["channels", "a/b~c", "x"]);
        assert_eq!(p.to_string(), "/channels/a~1b~0c/x");
    }

    #[test]
    fn percent_escapes_are_decoded_before_tilde_escapes() {
        let p = JsonPointer::parse_fragment("/channels/user%7B1%7D%20x/~01").unwrap();
        assert_eq!(p.tokens(), ["channels", "user{1} x", "~1"]);
    }

    #[test]
    fn rejects_bad_pointers() {
        assert!(matches!(
            JsonPointer::parse("channels"),
            Err(PointerError::NoLeadingSlash(_))
        ));
        assert!(matches!(
            JsonPointer::parse("/a~2"),
            Err(PointerError::BadEscape(_))
        ));
        assert!(JsonPointer::parse("").unwrap().tokens().is_empty());
        assert_eq!(JsonPointer::parse("/").unwrap().tokens(), [""]);
    }
}
