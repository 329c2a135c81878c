//! Server URLs, parsed in one place for every transport: scheme, user information, host, port
//! and the rest; and the one redacted form of a URL that every `Debug`, span, log line and error
//! prints.

use std::borrow::Cow;

/// A server URL taken apart: `scheme://user:password@host:port/path?query#fragment`, every part
/// but the host optional (`host`, `host:port` and `[::1]:port` parse too). The user and the
/// password are percent-decoded. Its `Display` and `Debug` are the [redacted](redacted_url) form.
///
/// ```
/// use asyncapi_runtime::url::ServerUrl;
///
/// let url = ServerUrl::parse("mqtt://ada:p%40ss@127.0.0.1:1883").unwrap();
/// assert_eq!((url.scheme(), url.host(), url.port()), (Some("mqtt"), "127.0.0.1", Some(1883)));
/// assert_eq!((url.user(), url.password()), (Some("ada"), Some("p@ss")));
/// assert_eq!(url.to_string(), "mqtt://<redacted>@127.0.0.1:1883");
/// assert_eq!(ServerUrl::parse("[::1]:4222").unwrap().host(), "::1");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl {
    original: String,
    scheme: Option<String>,
    user: Option<String>,
    password: Option<String>,
    host: String,
    port: Option<u16>,
    /// Path, query and fragment, as written (`/0`, `/feed?key=k`), or empty.
    rest: String,
}

/// Why a server URL does not parse. Its message shows the URL redacted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{url}` is not a server URL: {reason}")]
pub struct UrlError {
    /// The URL, redacted.
    pub url: String,
    /// What is wrong.
    pub reason: &'static str,
}

impl ServerUrl {
    /// Takes a URL apart.
    pub fn parse(url: &str) -> Result<ServerUrl, UrlError> {
        let error = |reason| UrlError {
            url: redacted_url(url),
            reason,
        };
        let (scheme, rest) = match url.find("://") {
            Some(i) => (Some(url[..i].to_ascii_lowercase()), &url[i + 3..]),
            None => (None, url),
        };
        if scheme.as_deref().is_some_and(|s| {
            s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }) {
            return Err(error("the scheme is not a name"));
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (Some(decode(u)), Some(decode(p))),
                None => (Some(decode(info)), None),
            },
        };
        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let close = bracketed
                .find(']')
                .ok_or_else(|| error("an IPv6 address without its `]`"))?;
            let after = &bracketed[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(error("text after the IPv6 address")),
            };
            (&bracketed[..close], port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        let port = match port {
            None => None,
            Some(p) => Some(
                p.parse::<u16>()
                    .map_err(|_| error("the port is not a number from 0 to 65535"))?,
            ),
        };
        if host.is_empty() {
            return Err(error("it has no host"));
        }
        Ok(ServerUrl {
            original: url.to_owned(),
            scheme,
            user: user.filter(|u| !u.is_empty()),
            password,
            host: host.to_owned(),
            port,
            rest: tail.to_owned(),
        })
    }

    /// The scheme, lower-cased (`mqtt`, `rediss`), if the URL has one.
    pub fn scheme(&self) -> Option<&str> {
        self.scheme.as_deref()
    }

    /// The host: a name or an address (an IPv6 address without its brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the host is this machine (`localhost` or a loopback address): what travels to
    /// it never crosses a network.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The port, if the URL gives one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The port, or `default` when the URL gives none.
    pub fn port_or(&self, default: u16) -> u16 {
        self.port.unwrap_or(default)
    }

    /// The user of the user information, percent-decoded; `None` when there is none or it is
    /// empty.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The password of the user information, percent-decoded.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// Path, query and fragment, as written, or empty.
    pub fn rest(&self) -> &str {
        &self.rest
    }

    /// The URL as it was given, secrets included: for the protocol library, never for output.
    pub fn as_given(&self) -> &str {
        &self.original
    }

    /// `host:port` (brackets around an IPv6 address), with `default` when there is no port.
    pub fn authority(&self, default_port: u16) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port_or(default_port))
        } else {
            format!("{}:{}", self.host, self.port_or(default_port))
        }
    }
}

/// The redacted form ([`redacted_url`]).
impl std::fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redacted_url(&self.original))
    }
}

/// The redacted form ([`redacted_url`]).
impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerUrl({})", redacted_url(&self.original))
    }
}

/// Percent-decoded user information (`%40` is `@`); invalid escapes and UTF-8 stay as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(_) => text.to_owned(),
    }
}

/// `url` with nothing secret left in it, for `Debug`, spans, log lines and errors: the user
/// information (`user:password@`, a token as the user) and every query value become
/// `<redacted>`; the scheme, host, port and path stay.
///
/// ```
/// use asyncapi_runtime::url::redacted_url;
///
/// assert_eq!(redacted_url("redis://ada:hunter2@cache:6379/0"), "redis://<redacted>@cache:6379/0");
/// assert_eq!(redacted_url("nats://s3cret@127.0.0.1:4222"), "nats://<redacted>@127.0.0.1:4222");
/// assert_eq!(redacted_url("wss://api.example.com/feed?apikey=k1&v=2"), "wss://api.example.com/feed?apikey=<redacted>&v=<redacted>");
/// assert_eq!(redacted_url("mqtt://127.0.0.1:1883"), "mqtt://127.0.0.1:1883");
/// ```
pub fn redacted_url(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let mut out = String::with_capacity(url.len() + 12);
    out.push_str(scheme);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("<redacted>");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let (path_and_query, fragment) = match tail.find('#') {
        Some(i) => tail.split_at(i),
        None => (tail, ""),
    };
    match path_and_query.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let pairs: Vec<Cow<'_, str>> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) => Cow::Owned(format!("{name}=<redacted>")),
                    None => Cow::Borrowed(pair),
                })
                .collect();
            out.push_str(&pairs.join("&"));
        }
        None => out.push_str(path_and_query),
    }
    out.push_str(fragment);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let u = ServerUrl::parse("MQTTS://user@broker.local/path?x=1").unwrap();
        assert_eq!(u.scheme(), Some("mqtts"));
        assert_eq!((u.user(), u.password()), (Some("user"), None));
        assert_eq!(
            (u.host(), u.port(), u.rest()),
            ("broker.local", None, "/path?x=1")
        );
        assert_eq!(u.authority(8883), "broker.local:8883");
        let u = ServerUrl::parse("localhost").unwrap();
        assert_eq!((u.scheme(), u.host(), u.port()), (None, "localhost", None));
        let u = ServerUrl::parse("tcp://[::1]:1883").unwrap();
        assert_eq!(
            (u.host(), u.port(), u.authority(1)),
            ("::1", Some(1883), "[::1]:1883".into())
        );
        let u = ServerUrl::parse("redis://:only-password@h:6379/0").unwrap();
        assert_eq!((u.user(), u.password()), (None, Some("only-password")));
        // The last `@` ends the user information: a password may hold one unescaped.
        let u = ServerUrl::parse("amqp://u:p@ss@h").unwrap();
        assert_eq!((u.password(), u.host()), (Some("p@ss"), "h"));
    }

    #[test]
    fn errors_never_show_the_secret() {
        for bad in [
            "mqtt://ada:hunter2@:1883",
            "mqtt://ada:hunter2@h:port",
            "mqtt://ada:hunter2@h:70000",
            "mqtt://ada:hunter2@[::1",
            "m qtt://ada:hunter2@h",
        ] {
            let err = ServerUrl::parse(bad).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.contains("<redacted>"), "{err}");
        }
        let shown = format!("{:?}", ServerUrl::parse("mqtt://ada:hunter2@h").unwrap());
        assert_eq!(shown, "ServerUrl(mqtt://<redacted>@h)");
    }
}
