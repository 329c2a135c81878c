//! `$ref` strings: what they point at before any file is read.

use std::path::{Component, Path, PathBuf};

/// Where a `$ref` points, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefTarget {
    /// A fragment in the same file: `#/components/schemas/User`.
    Local(Fragment),
    /// Another file, by path relative to the referring file (or absolute): `../common.yaml#/x`.
    File {
        /// The path, percent-decoded, not yet joined to the referring file's folder.
        path: String,
        /// The part after `#`.
        fragment: Fragment,
    },
    /// An `http://` or `https://` URL.
    Remote {
        /// The URL without its fragment.
        url: String,
        /// The part after `#`.
        fragment: Fragment,
    },
}

/// The part of a reference after `#`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fragment {
    /// A JSON pointer, still percent- and tilde-escaped (empty for the whole file).
    Pointer(String),
    /// A plain-name fragment naming a `$anchor` (or a draft-07 `$id: "#name"`).
    Anchor(String),
}

/// Why a `$ref` string is not a reference this loader can follow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefSyntaxError {
    /// An empty `$ref`.
    #[error("the reference is empty")]
    Empty,
    /// A URI scheme other than `http`, `https` and `file`.
    #[error(
        "references with the `{0}:` scheme are not supported (use a relative path, `file:`, `http:` or `https:`)"
    )]
    Scheme(String),
    /// Percent-decoding gave invalid UTF-8.
    #[error("the reference is not valid percent-encoded UTF-8")]
    Encoding,
}

/// Parses a `$ref` value.
pub fn parse_ref(text: &str) -> Result<RefTarget, RefSyntaxError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RefSyntaxError::Empty);
    }
    let (base, fragment) = match text.split_once('#') {
        Some((base, fragment)) => (base, fragment),
        None => (text, ""),
    };
    let fragment = if fragment.is_empty() || fragment.starts_with('/') {
        Fragment::Pointer(fragment.to_owned())
    } else {
        Fragment::Anchor(decode(fragment)?)
    };
    if base.is_empty() {
        return Ok(RefTarget::Local(fragment));
    }
    if let Some(scheme) = scheme(base) {
        let lower = scheme.to_ascii_lowercase();
        return match lower.as_str() {
            "http" | "https" => Ok(RefTarget::Remote {
                url: base.to_owned(),
                fragment,
            }),
            "file" => {
                let rest = &base[scheme.len() + 1..];
                let rest = rest.strip_prefix("//localhost").unwrap_or(rest);
                let rest = rest.strip_prefix("//").unwrap_or(rest);
                Ok(RefTarget::File {
                    path: decode(rest)?,
                    fragment,
                })
            }
            _ => Err(RefSyntaxError::Scheme(scheme.to_owned())),
        };
    }
    Ok(RefTarget::File {
        path: decode(base)?,
        fragment,
    })
}

/// The scheme of an absolute URI, if `text` starts with one. A single letter followed by `:` is
/// a Windows drive, not a scheme.
fn scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() || scheme.len() < 2 {
        return None;
    }
    chars
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

fn decode(text: &str) -> Result<String, RefSyntaxError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| RefSyntaxError::Encoding)
}

/// Joins a reference path to the folder of the referring file and removes `.` and `..`
/// lexically (without touching the file system, so symlinks are not followed).
pub fn join(referrer: &Path, target: &str) -> PathBuf {
    let target = Path::new(target);
    let joined = if target.is_absolute() {
        target.to_path_buf()
    } else {
        referrer.parent().unwrap_or(Path::new("")).join(target)
    };
    normalize(&joined)
}

/// Lexically normalises a path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir | Component::Prefix(_)) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Joins a relative reference to a remote URL (RFC 3986 for the path-only cases a `$ref` uses).
pub fn join_url(base: &str, target: &str) -> String {
    if scheme(target).is_some() {
        return target.to_owned();
    }
    let (origin, path) = match base.find("://") {
        Some(i) => {
            let after = &base[i + 3..];
            match after.find('/') {
                Some(j) => (&base[..i + 3 + j], &after[j..]),
                None => (base, "/"),
            }
        }
        None => ("", base),
    };
    if target.starts_with('/') {
        return format!("{origin}{}", normalize_url_path(target));
    }
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{origin}{}", normalize_url_path(&format!("{dir}{target}")))
}

fn normalize_url_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(
            parse_ref("#/components/schemas/A").unwrap(),
            RefTarget::Local(Fragment::Pointer("/components/schemas/A".into()))
        );
        assert_eq!(
            parse_ref("../common/messages.yaml#/x").unwrap(),
            RefTarget::File {
                path: "../common/messages.yaml".into(),
                fragment: Fragment::Pointer("/x".into())
            }
        );
        assert_eq!(
            parse_ref("schema%20file.json").unwrap(),
            RefTarget::File {
                path: "schema file.json".into(),
                fragment: Fragment::Pointer(String::new())
            }
        );
        assert!(matches!(
            parse_ref("https://example.com/message").unwrap(),
            RefTarget::Remote { .. }
        ));
        assert_eq!(
            parse_ref("file:///tmp/a.yaml#anchor").unwrap(),
            RefTarget::File {
                path: "/tmp/a.yaml".into(),
                fragment: Fragment::Anchor("anchor".into())
            }
        );
        assert!(matches!(
            parse_ref("urn:x:y"),
            Err(RefSyntaxError::Scheme(_))
        ));
        assert!(matches!(parse_ref(""), Err(RefSyntaxError::Empty)));
        assert!(matches!(
            parse_ref("C:/specs/a.yaml").unwrap(),
            RefTarget::File { .. }
        ));
    }

    #[test]
    fn joins_relative_paths_lexically() {
        assert_eq!(
            join(Path::new("specs/a/asyncapi.yaml"), "../common/./m.yaml"),
            PathBuf::from("specs/common/m.yaml")
        );
        assert_eq!(join(Path::new("a.yaml"), "b.yaml"), PathBuf::from("b.yaml"));
        assert_eq!(
            join(Path::new("a.yaml"), "../b.yaml"),
            PathBuf::from("../b.yaml")
        );
        assert_eq!(
            join(Path::new("/x/a.yaml"), "/y/b.yaml"),
            PathBuf::from("/y/b.yaml")
        );
    }

    #[test]
    fn joins_urls() {
        assert_eq!(
            join_url("https://h/a/b/c.yaml", "../d.yaml"),
            "https://h/a/d.yaml"
        );
        assert_eq!(
            join_url("https://h/a/c.yaml", "/e.yaml"),
            "https://h/e.yaml"
        );
        assert_eq!(join_url("https://h/a/c.yaml", "http://o/x"), "http://o/x");
    }
}
