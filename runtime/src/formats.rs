//! Checks for JSON Schema string formats.
//!
//! The generator maps the formats that have a well-known Rust type to that type (`date-time` to
//! `chrono::DateTime<FixedOffset>`, `date` to `chrono::NaiveDate`, `uuid` to `uuid::Uuid`,
//! `ipv4`/`ipv6` to `std::net` addresses, `byte` to [`Base64`](crate::types::Base64), `decimal`
//! strings to `rust_decimal::Decimal`), so decoding checks them. The others stay `String` and
//! these functions check them in `validate()`: they follow the RFCs JSON Schema names, strictly
//! where the grammar is short and by its structure where a full grammar would be a parser of its
//! own (URIs).

/// Checks `value` against a named format: `Some(valid)` for a format this module knows, `None`
/// for any other (JSON Schema treats unknown formats as annotations).
pub fn check(format: &str, value: &str) -> Option<bool> {
    Some(match format {
        "date-time" => is_date_time(value),
        "date" => is_date(value),
        "time" => is_time(value),
        "duration" => is_duration(value),
        "email" | "idn-email" => is_email(value),
        "hostname" => is_hostname(value),
        "idn-hostname" => is_idn_hostname(value),
        "ipv4" => value.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => value.parse::<std::net::Ipv6Addr>().is_ok(),
        "uri" | "iri" => is_uri(value),
        "uri-reference" | "iri-reference" => is_uri_reference(value),
        "uuid" => is_uuid(value),
        "json-pointer" => is_json_pointer(value),
        "byte" => crate::types::Base64::decode(value).is_ok(),
        "regex" => regex_lite::Regex::new(value).is_ok(),
        _ => return None,
    })
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// RFC 3339 `full-date`: `2024-02-29`, with the day checked against the month and leap years.
pub fn is_date(value: &str) -> bool {
    let mut parts = value.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339 `full-time`: `23:59:60.5+01:00`, `08:00:00Z` (an offset is required; a leap second
/// is allowed).
pub fn is_time(value: &str) -> bool {
    let upper = value.to_ascii_uppercase();
    let (local, offset) = if let Some(local) = upper.strip_suffix('Z') {
        (local, None)
    } else {
        match upper.rfind(['+', '-']) {
            Some(i) => (&upper[..i], Some(&upper[i + 1..])),
            None => return false,
        }
    };
    if let Some(offset) = offset {
        let mut hm = offset.split(':');
        let (Some(h), Some(m), None) = (hm.next(), hm.next(), hm.next()) else {
            return false;
        };
        match (digits(h, 2), digits(m, 2)) {
            (Some(h), Some(m)) if h < 24 && m < 60 => {}
            _ => return false,
        }
    }
    let (hms, fraction) = match local.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (local, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = hms.split(':');
    let (Some(h), Some(m), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(
        (digits(h, 2), digits(m, 2), digits(s, 2)),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s <= 60
    )
}

/// RFC 3339 `date-time`: a date, `T` (or `t`), and a time with its offset.
pub fn is_date_time(value: &str) -> bool {
    match value.find(['T', 't']) {
        Some(i) => is_date(&value[..i]) && is_time(&value[i + 1..]),
        None => false,
    }
}

/// ISO 8601 duration as RFC 3339 appendix A writes it: `P3Y6M4DT12H30M5S`, `PT0.5S`, `P2W`.
pub fn is_duration(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('P') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let units_in_order = |part: &str, units: &[u8], fraction_last: bool| -> Option<usize> {
        let mut count = 0;
        let mut next_unit = 0;
        let mut number = String::new();
        for b in part.bytes() {
            if b.is_ascii_digit() || (fraction_last && b == b'.') {
                number.push(b as char);
                continue;
            }
            let pos = units[next_unit..].iter().position(|&u| u == b)? + next_unit;
            if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
                return None;
            }
            if number.contains('.') && pos != units.len() - 1 {
                return None;
            }
            next_unit = pos + 1;
            number.clear();
            count += 1;
        }
        number.is_empty().then_some(count)
    };
    let Some(date_units) = units_in_order(date, b"YMD", false) else {
        return false;
    };
    match time {
        None => date_units > 0,
        Some(time) => units_in_order(time, b"HMS", true).is_some_and(|n| n > 0),
    }
}

/// An email address (RFC 5321 `Mailbox` in its common form): a local part of atoms or a quoted
/// string, `@`, and a host name or an address literal.
pub fn is_email(value: &str) -> bool {
    let Some(at) = value.rfind('@') else {
        return false;
    };
    let (local, domain) = (&value[..at], &value[at + 1..]);
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        true
    } else {
        !local.is_empty()
            && local.len() <= 64
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom.chars().all(|c| {
                        c.is_alphanumeric() || !c.is_ascii() || "!#$%&'*+-/=?^_`{|}~".contains(c)
                    })
            })
    };
    let domain_ok =
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            literal.parse::<std::net::Ipv4Addr>().is_ok()
                || literal
                    .strip_prefix("IPv6:")
                    .is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok())
        } else {
            is_idn_hostname(domain)
        };
    local_ok && domain_ok
}

/// A host name (RFC 1123): dot-separated labels of letters, digits and inner hyphens, each at
/// most 63 characters, 253 in all.
pub fn is_hostname(value: &str) -> bool {
    let value = value.strip_suffix('.').unwrap_or(value);
    !value.is_empty()
        && value.len() <= 253
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A host name that may hold non-ASCII letters (its labels are checked as [`is_hostname`]
/// checks them, with any non-ASCII letter allowed).
pub fn is_idn_hostname(value: &str) -> bool {
    let value = value.strip_suffix('.').unwrap_or(value);
    !value.is_empty()
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c) || !c.is_ascii()
}

fn percent_escapes_ok(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// An absolute URI (RFC 3986; IRI characters allowed): a scheme, `:`, and a rest made of URI
/// characters with valid percent escapes.
pub fn is_uri(value: &str) -> bool {
    let Some((scheme, _)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    scheme_ok && is_uri_reference(value)
}

/// A URI reference (RFC 3986): an absolute URI or a relative reference.
pub fn is_uri_reference(value: &str) -> bool {
    value.chars().all(is_uri_char) && percent_escapes_ok(value)
}

/// A UUID in its hyphenated form (RFC 9562): `123e4567-e89b-12d3-a456-426614174000`.
pub fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A JSON pointer (RFC 6901): empty, or `/`-separated tokens where `~` is only `~0` or `~1`.
pub fn is_json_pointer(value: &str) -> bool {
    (value.is_empty() || value.starts_with('/')) && {
        let b = value.as_bytes();
        b.iter()
            .enumerate()
            .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        for ok in [
            "2024-02-29T12:00:00Z",
            "2023-09-15T20:15:58.0Z",
            "1985-04-12t23:20:50.52+01:00",
            "1990-12-31T23:59:60Z",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2023-02-29T12:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-1-01T00:00:00Z",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        assert!(is_time("08:30:00-05:00"));
        assert!(!is_time("08:30"));
    }

    #[test]
    fn durations() {
        for ok in ["P3Y6M4DT12H30M5S", "PT0.5S", "P2W", "P1D", "PT36H", "P0D"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["P", "PT", "P1H", "P1M1Y", "3D", "P1.5D", "PT1.5H2M", "P1DT"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn names_and_addresses() {
        assert!(is_email("joe.bloggs@example.com"));
        assert!(is_email("\"joe bloggs\"@[127.0.0.1]"));
        assert!(!is_email("joe..bloggs@example.com"));
        assert!(!is_email("example.com"));
        assert!(is_hostname("api.example-1.com"));
        assert!(!is_hostname("-api.example.com"));
        assert!(!is_hostname(&"a".repeat(64)));
        assert!(is_uri("https://example.com/a?b=c#d"));
        assert!(is_uri("urn:isbn:0451450523"));
        assert!(!is_uri("/relative/path"));
        assert!(is_uri_reference("/relative/path"));
        assert!(!is_uri_reference("http://example.com/a b"));
        assert!(!is_uri_reference("%zz"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(is_json_pointer("/a~1b/0"));
        assert!(!is_json_pointer("/a~2"));
    }

    #[test]
    fn unknown_formats_are_not_checked() {
        assert_eq!(check("x-custom", "anything"), None);
        assert_eq!(check("ipv4", "300.1.1.1"), Some(false));
        assert_eq!(check("ipv6", "::1"), Some(true));
    }
}
