//! The WebSocket transport of asyncapi-rs (the `asyncapi` crate's feature `ws`), client and
//! server, on tokio-tungstenite.
//!
//! A WebSocket channel is a connection at a path: the channel's address is the path, appended
//! to the server's pathname (`/` is the server's path itself). There are no wildcards, so a
//! client subscription fixes every parameter of the address.
//!
//! - **Client** ([`WsConnection`]): a [`Producer`](asyncapi_runtime::transport::Producer) and a [`Consumer`](asyncapi_runtime::transport::Consumer). Publishers and
//!   subscribers of one URL share one socket, opened when first needed; so a request sent on a
//!   channel and its reply, which comes back on the same connection, meet on one socket
//!   ([`Replies::OnRequestConnection`](asyncapi_runtime::transport::Replies::OnRequestConnection)). The channel's WebSocket binding is applied to the
//!   upgrade request: its query parameters and headers (the document's `const` values, the typed
//!   values a generated subscription `Filter` sets, then those [`WsOptions::query`] and
//!   [`WsOptions::header`] add), and its method (`GET`, the only one RFC 6455
//!   defines: a binding that asks for `POST` is refused when the channel is opened, rather than
//!   silently changed). Credentials go on the upgrade request: a user and password as HTTP
//!   basic authentication, an API key in the header, query parameter or cookie the document
//!   names, a token as `Authorization: <scheme> <token>`.
//! - **Server** ([`WsServer`]): also a [`Producer`](asyncapi_runtime::transport::Producer) and a [`Consumer`](asyncapi_runtime::transport::Consumer), for code generated from
//!   the server's perspective. One listener serves every channel opened on it: a client may
//!   connect at any path that fits the address of a channel the server has opened a publisher or
//!   subscriber for (others get `404`), with the credentials the server was bound with (others
//!   get `401`). A received envelope's `reply_to` names the connection it came on, so a reply
//!   goes back to that one client; an envelope sent to a path goes to every client connected at
//!   that path.
//! - **Frames**: text frames for textual content types (JSON, XML, YAML, `text/*`, `+json`,
//!   ...), binary frames otherwise; a received frame of either kind is the payload. WebSocket
//!   frames carry no headers, so a message with headers is refused when it is sent rather than
//!   stripped; `reply_to` and correlation ids do not travel (replies come back on the
//!   connection, and the document says where in the payload a correlation id is).
//! - **TLS** (`wss`) with rustls: extra certificate authorities from PEM files on the client,
//!   a certificate and key from PEM files on the server.
//!
//! A client socket that breaks while subscribed to is connected again by itself, with a
//! growing wait between attempts ([`WsOptions::reconnect`]): its subscribers get one error for
//! the break, then the frames of the new connection (WebSocket keeps nothing, so what was sent
//! meanwhile is lost). A normal close by the server ends their streams. With
//! [`WsOptions::ping_interval`] a server that stops answering pings counts as broken.
//!
//! **Limits.** A message (client and server) is at most 16 MiB unless
//! [`WsOptions::max_message_size`] or [`WsServerOptions::max_message_size`] says otherwise: a
//! larger send is [`TransportError::TooLarge`](asyncapi_runtime::transport::TransportError::TooLarge)
//! before anything is written, a larger frame received ends that socket (WebSocket cannot skip
//! one). The server pings every client (30 s) and drops one silent for its idle timeout (60 s),
//! serves at most 1,024 connections, queues at most 256 frames and 16 MiB per client, and drops
//! a client that falls behind or whose write takes over 10 s, so a send to a path never waits
//! on one client (see [`WsServer`] for the bounds and [`WsServerOptions`] to set them).

mod connection;
mod envelope;
mod options;
mod outbox;
mod publisher;
mod server;
mod socket;
mod subscriber;

pub use connection::WsConnection;
pub use envelope::{WsConnectionInfo, WsEnvelope, is_textual};
pub use options::{DEFAULT_MAX_MESSAGE_SIZE, WsOptions, WsServerOptions};
pub use publisher::WsPublisher;
pub use server::{WsServer, WsServerPublisher};
pub use subscriber::WsSubscriber;

/// Entry points for the project's fuzz targets (`fuzz/`); not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    use asyncapi_runtime::address::AddressTemplate;
    use asyncapi_runtime::security::{ApiKey, Credential, KeyLocation, UserPassword};
    use tokio_tungstenite::tungstenite::http;

    /// An upgrade request as a client may send it (the request target on the first line, then
    /// `name: value` header lines) read as the server reads it, for the camera hub's
    /// `/cameras/{cameraId}/feed` below `/v2`, requiring a user and password, an API key in a
    /// cookie and a token in the query.
    pub fn upgrade(text: &str) {
        let mut lines = text.lines();
        let target = lines.next().unwrap_or_default();
        let mut request = http::Request::builder().uri(target);
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                request = request.header(name.trim(), value.trim());
            }
        }
        let Ok(request) = request.body(()) else {
            return;
        };
        let Ok(template) = AddressTemplate::parse("/cameras/{cameraId}/feed") else {
            return;
        };
        let required = [
            Credential::UserPassword(UserPassword {
                user: "hub".into(),
                password: "s3cret".into(),
            }),
            Credential::ApiKey {
                key: ApiKey { key: "k1".into() },
                location: KeyLocation::Cookie("session".into()),
            },
            Credential::ApiKey {
                key: ApiKey { key: "t0".into() },
                location: KeyLocation::Query("token".into()),
            },
        ];
        let serves = |path: &str| crate::server::fits(&template, path, &[]);
        if let Ok((path, query, headers)) = crate::server::admit(&request, "/v2", serves, &required)
        {
            let _ = (template.extract(&path), query.len(), format!("{headers:?}"));
        }
    }
}

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, connect_with};

/// The protocols (`servers.*.protocol`) the client and the server speak.
pub const PROTOCOLS: &[Protocol] = &[Protocol::any_version("ws"), Protocol::any_version("wss")];

/// [`WsConnection`] (the client) in the registry; [`WsServer`] is bound through a generated
/// server's `bind`.
pub static WS: Descriptor = Descriptor {
    name: "WebSocket",
    feature: Some("ws"),
    protocols: PROTOCOLS,
    library: "tokio-tungstenite",
    library_version: "0.30",
    kind: Kind::Brokerless,
    bindings: &["channel.method", "channel.query", "channel.headers"],
    security: &[
        "userPassword",
        "apiKey",
        "httpApiKey",
        "http",
        "oauth2",
        "openIdConnect",
    ],
    groups: None,
    connect: Some(connect_with::<WsConnection>),
};

/// The characters a query parameter's name or value keeps as they are.
pub(crate) const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use tokio_tungstenite::tungstenite::Message as Frame;

    use asyncapi_runtime::address::AddressTemplate;
    use asyncapi_runtime::envelope::Envelope;
    use asyncapi_runtime::transport::ChannelSpec;

    use crate::envelope::{frame_for, outgoing};
    use crate::options::{client_path, join, parse_query, with_query};
    use crate::server::fits;

    #[test]
    fn debug_shows_no_secret() {
        use asyncapi_runtime::envelope::Headers;
        use asyncapi_runtime::security::{ApiKey, Credential, KeyLocation};
        let mut headers = Headers::new();
        headers.append("Authorization", "Bearer tok-1");
        headers.append("Cookie", "sid=cookie-2");
        headers.append("X-Tenant", "tenant-3");
        headers.append("Accept", "text/plain");
        let info = crate::WsConnectionInfo {
            id: 1,
            path: "/feed".into(),
            query: vec![
                ("apikey".into(), "key-4".into()),
                ("room".into(), "lobby".into()),
            ],
            headers,
            peer: None,
            // The document's httpApiKey scheme puts its key in `X-Tenant`.
            secret_names: asyncapi_runtime::security::secret_names(&[Credential::ApiKey {
                key: ApiKey {
                    key: "tenant-3".into(),
                },
                location: KeyLocation::Header("x-tenant".into()),
            }])
            .into(),
        };
        let shown = format!("{info:?}");
        for secret in ["tok-1", "cookie-2", "tenant-3", "key-4"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("lobby") && shown.contains("text/plain"),
            "{shown}"
        );
        let options = crate::WsOptions::new("wss://user:pw-5@h/feed?token=tok-6");
        let shown = format!("{options:?}");
        assert!(
            !shown.contains("pw-5") && !shown.contains("tok-6"),
            "{shown}"
        );
    }

    #[test]
    fn frames_by_content_type() {
        assert!(matches!(
            frame_for(Bytes::from_static(b"{}"), Some("application/json")),
            Frame::Text(_)
        ));
        assert!(matches!(
            frame_for(
                Bytes::from_static(b"<a/>"),
                Some("application/vnd.x+xml; charset=utf-8")
            ),
            Frame::Text(_)
        ));
        assert!(matches!(
            frame_for(
                Bytes::from_static(b"\x00\x01"),
                Some("application/octet-stream")
            ),
            Frame::Binary(_)
        ));
        // Text that is not UTF-8 keeps its bytes in a binary frame.
        assert!(matches!(
            frame_for(Bytes::from_static(b"\xff"), Some("text/plain")),
            Frame::Binary(_)
        ));
    }

    #[test]
    fn urls_paths_and_queries() {
        assert_eq!(join("ws://h:1", "/"), "ws://h:1/");
        assert_eq!(join("wss://h/raw", "/"), "wss://h/raw");
        assert_eq!(join("ws://h:1/base/", "/v1/x"), "ws://h:1/base/v1/x");
        let q = vec![
            ("a b".to_owned(), "1&2".to_owned()),
            ("c".to_owned(), "é".to_owned()),
        ];
        let url = with_query("ws://h/p", &q);
        assert_eq!(url, "ws://h/p?a%20b=1%262&c=%C3%A9");
        assert_eq!(parse_query(url.split_once('?').map(|(_, q)| q)), q);
    }

    #[test]
    fn paths_fit_templates_segment_by_segment() {
        let t = AddressTemplate::parse("/v1/marketdata/{symbol}").unwrap();
        assert!(fits(&t, "/v1/marketdata/btcusd", &[]));
        assert!(fits(&t, "/v1/marketdata/btcusd", &[("symbol", "btcusd")]));
        assert!(!fits(&t, "/v1/marketdata/btcusd", &[("symbol", "ethusd")]));
        assert!(!fits(&t, "/v1/marketdata/btc/usd", &[]));
        let root = AddressTemplate::parse("/").unwrap();
        assert!(fits(&root, "/", &[]));
        assert!(!fits(&root, "/x", &[]));
    }

    #[test]
    fn subscriptions_fix_every_parameter() {
        let open = ChannelSpec::new("m", "/v1/{symbol}");
        let err = client_path(&open).unwrap_err().to_string();
        assert!(err.contains("`symbol` is not fixed"), "{err}");
        let fixed = open.clone().with_param("symbol", "btcusd");
        assert_eq!(client_path(&fixed).unwrap(), "/v1/btcusd");
        let bad = open.with_param("symbol", "a/b");
        assert!(client_path(&bad).is_err());
    }

    #[test]
    fn headers_are_refused_not_dropped() {
        let mut e = Envelope::new("/").with_payload("x");
        e.headers.insert("trace", "1");
        let err = outgoing(e).unwrap_err().to_string();
        assert!(
            err.contains("carry no headers") && err.contains("`trace`"),
            "{err}"
        );
    }
}
