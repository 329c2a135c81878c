//! A connection to a NATS server: connecting (the URL's user information handed over as
//! credentials), its events in the log, and the registry's [`Connect`] impl.

use std::time::Duration;

use tracing::Instrument;

use asyncapi_runtime::bindings::NatsJetStream;
use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{CloseSignal, Connect, TransportError, redacted_url};
use asyncapi_runtime::url::ServerUrl;

use crate::NatsOptions;

/// A connection to a NATS server. Cloning it gives another handle to the same connection.
#[derive(Clone, Debug)]
pub struct NatsConnection {
    /// Closed by [`NatsConnection::close`] from any clone.
    pub(crate) closing: CloseSignal,
    pub(crate) client: async_nats::Client,
    pub(crate) server: String,
    /// Each send flushed within this time (`flush_each_send`).
    pub(crate) flush: Option<Duration>,
    /// What each subscription's queue holds at most.
    pub(crate) limits: Limits,
    /// JetStream, on the same connection.
    pub(crate) jetstream: async_nats::jetstream::Context,
    /// Channels the options put on JetStream, by name.
    pub(crate) jetstream_channels: std::sync::Arc<Vec<(String, NatsJetStream)>>,
    /// How long a send waits to be flushed, or a JetStream send for the stream's `PubAck`: the
    /// send timeout of every publisher of the connection, kept by one ticking task.
    pub(crate) send_timer: asyncapi_runtime::transport::SendTimer,
}

impl NatsConnection {
    pub(crate) fn check_open(&self) -> Result<(), TransportError> {
        self.closing.check(&self.server)
    }

    /// Connects.
    pub async fn connect(options: NatsOptions) -> Result<NatsConnection, TransportError> {
        let mut o = async_nats::ConnectOptions::new().connection_timeout(options.connect_timeout);
        if let Some(name) = &options.name {
            o = o.name(name);
        }
        if let Some((user, password)) = options.user.clone() {
            o = o.user_and_password(user, password);
        }
        if let Some(token) = options.token.clone() {
            o = o.token(token);
        }
        if let Some(seed) = options.nkey.clone() {
            o = o.nkey(seed);
        }
        if let Some(file) = &options.credentials_file {
            o = o
                .credentials_file(file)
                .await
                .map_err(|e| TransportError::Connect {
                    server: redacted_url(&options.url),
                    source: format!("credentials file `{}`: {e}", file.display()).into(),
                })?;
        }
        let server = redacted_url(&options.url);
        if let Some(tls) = &options.tls {
            let config = tls.client_config().map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
            o = o.tls_client_config(config);
        }
        o = o.require_tls(options.require_tls);
        if options.tls_first {
            o = o.tls_first();
        }
        // async-nats's own buffer per subscription (65,536 messages unless `client_buffer` says
        // otherwise): past it async-nats drops without telling the subscription (the suite's
        // slow-consumer scenario found a buffer of 4 losing most of a burst the task had not yet
        // moved), and each subscription's task empties it into the kit's queue, which counts
        // what it drops.
        o = o.subscription_capacity(options.client_buffer);
        o = match options.reconnect.bounds() {
            Some((first, longest)) => o.reconnect_delay_callback(move |attempts| {
                let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
                first
                    .checked_mul(2u32.saturating_pow(doublings.min(16)))
                    .unwrap_or(longest)
                    .min(longest)
            }),
            None => o.max_reconnects(1),
        };
        let logged = server.clone();
        o = o.event_callback(move |event| {
            let server = logged.clone();
            async move { log_event(&server, &event) }
        });
        // async-nats logs the server URLs it tries: the user information leaves them and is
        // handed over as credentials (the options' own come first).
        let (urls, userinfo) =
            without_userinfo(&options.url).map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
        if options.user.is_none() && options.token.is_none() {
            match userinfo {
                Some((user, Some(password))) => o = o.user_and_password(user, password),
                Some((token, None)) => o = o.token(token),
                None => {}
            }
        }
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        let client = o
            .connect(urls.as_str())
            .instrument(span)
            .await
            .map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
        let jetstream = async_nats::jetstream::ContextBuilder::new()
            .timeout(options.send_timeout)
            .build(client.clone());
        Ok(NatsConnection {
            jetstream,
            jetstream_channels: std::sync::Arc::new(options.jetstream),
            send_timer: asyncapi_runtime::transport::SendTimer::new(options.send_timeout),
            client,
            closing: CloseSignal::new(),
            server,
            flush: options.flush_each_send.then_some(options.send_timeout),
            limits: options.subscription_limits,
        })
    }

    /// Waits until the server has processed everything sent so far.
    pub async fn flush(&self) -> Result<(), TransportError> {
        self.client.flush().await.map_err(|e| TransportError::Send {
            address: self.server.clone(),
            source: Box::new(e),
        })
    }

    /// Drains and closes the connection: its subscriptions end once drained, and later sends,
    /// publishers and subscriptions fail with [`TransportError::Closed`].
    pub async fn close(&self) -> Result<(), TransportError> {
        self.closing.close();
        self.client
            .drain()
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.server)))
    }
}

/// The server URLs (a comma-separated list) without their user information, and the first
/// user information found: `(user, password)`, or `(token, None)` for `nats://token@host`.
type UserInfo = Option<(String, Option<String>)>;

fn without_userinfo(urls: &str) -> Result<(String, UserInfo), asyncapi_runtime::url::UrlError> {
    let mut found = None;
    let mut kept = Vec::new();
    for url in urls.split(',').map(str::trim) {
        let parsed = ServerUrl::parse(url)?;
        if found.is_none()
            && let Some(user) = parsed.user()
        {
            found = Some((user.to_owned(), parsed.password().map(str::to_owned)));
        }
        let host = if parsed.host().contains(':') {
            format!("[{}]", parsed.host())
        } else {
            parsed.host().to_owned()
        };
        let scheme = parsed
            .scheme()
            .map(|s| format!("{s}://"))
            .unwrap_or_default();
        let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
        kept.push(format!("{scheme}{host}{port}{}", parsed.rest()));
    }
    Ok((kept.join(","), found))
}

/// The client's connection events in the log (target `asyncapi`): losing the connection and
/// errors at `warn`, (re)connecting at `info`.
fn log_event(server: &str, event: &async_nats::Event) {
    use async_nats::Event;
    match event {
        Event::Disconnected => {
            tracing::warn!(target: "asyncapi", server, "NATS connection lost; connecting again")
        }
        Event::Connected => tracing::info!(target: "asyncapi", server, "NATS connected"),
        Event::SlowConsumer(_) | Event::ServerError(_) | Event::ClientError(_) => {
            tracing::warn!(target: "asyncapi", server, %event, "NATS")
        }
        Event::LameDuckMode | Event::Draining | Event::Closed => {
            tracing::info!(target: "asyncapi", server, %event, "NATS")
        }
    }
}

impl Connect for NatsConnection {
    type Options = NatsOptions;
    const PROTOCOLS: &'static [Protocol] = &[Protocol::any_version("nats")];

    async fn connect_with(options: NatsOptions) -> Result<Self, TransportError> {
        NatsConnection::connect(options).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_information_leaves_the_urls_async_nats_logs() {
        let (urls, found) =
            without_userinfo("nats://ada:p%40ss@10.0.0.1:4222, tls://[::1]:4223/x").unwrap();
        assert_eq!(urls, "nats://10.0.0.1:4222,tls://[::1]:4223/x");
        assert_eq!(found, Some(("ada".into(), Some("p@ss".into()))));
        let (urls, found) = without_userinfo("nats://t0ken@h").unwrap();
        assert_eq!(
            (urls.as_str(), found),
            ("nats://h", Some(("t0ken".into(), None)))
        );
    }
}
