//! Request/reply over any transport: subscribe to a reply address, send the request with
//! `reply_to` and a correlation id, and wait (with a timeout) for the reply that carries the same
//! correlation id. On connection-oriented transports ([`Replies::OnRequestConnection`]) the
//! reply address is the request's own channel, and nothing but the payload travels.
//!
//! Tracing (target `asyncapi`): a `debug` span `request` around each exchange, with the
//! channel, the correlation id and where the reply is awaited.

use std::borrow::Cow;
use std::time::Duration;

use futures_util::StreamExt;
use tracing::Instrument;

use crate::envelope::{EnvelopeReader, EnvelopeWriter};
use crate::transport::{
    ChannelSpec, Consumer, Producer, Publisher, Replies, Subscriber, TransportError,
};

/// Where a request goes and where its reply comes back.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// The channel the request is sent on, with the request's parameters fixed (a transport
    /// whose replies come back on the request's connection listens there).
    pub channel: &'a ChannelSpec,
    /// The channel the reply comes back on; its address is the concrete reply address.
    pub reply: ChannelSpec,
    /// The correlation id that ties the reply to the request.
    pub correlation_id: String,
    /// How long to wait for the reply.
    pub timeout: Duration,
}

/// Sends `envelope` as a request and returns the first reply whose correlation id matches
/// (replies that carry none are accepted when the reply address is private to this request).
pub async fn request<C>(
    connection: &C,
    request: Request<'_>,
    envelope: <C::Publisher as Publisher>::Envelope,
) -> Result<<C::Subscriber as Subscriber>::Envelope, TransportError>
where
    C: Producer + Consumer,
{
    let publisher = connection.publisher(request.channel).await?;
    exchange(connection, &publisher, request, envelope, |reply| {
        Some(Ok::<_, TransportError>(reply))
    })
    .await?
}

/// The request/reply exchange both [`request`] and the typed
/// [`operation::request`](crate::operation::request) are made of: subscribe where the reply
/// comes back, send `envelope` on `publisher` (opened on `request.channel`) with the correlation
/// id, then hand each arriving envelope whose correlation id is ours or absent to `pick`, until
/// it takes one (`Some`) or the timeout passes. `pick` returns `None` to skip an envelope (a
/// frame on a shared connection that is not the reply).
///
/// Where the reply comes back is the transport's [`Consumer::REPLIES`]: `request.reply`, named
/// in the request's `reply_to` ([`Replies::ToAddress`]), or the request's own channel
/// ([`Replies::OnRequestConnection`]).
pub async fn exchange<C, T, E>(
    connection: &C,
    publisher: &C::Publisher,
    request: Request<'_>,
    envelope: <C::Publisher as Publisher>::Envelope,
    mut pick: impl FnMut(<C::Subscriber as Subscriber>::Envelope) -> Option<Result<T, E>> + Send,
) -> Result<Result<T, E>, TransportError>
where
    C: Producer + Consumer,
    T: Send,
    E: Send,
{
    let mut envelope = envelope;
    let reply_channel = match C::REPLIES {
        Replies::ToAddress => {
            envelope.set_reply_to(Some(request.reply.address.to_string()));
            Cow::Borrowed(&request.reply)
        }
        Replies::OnRequestConnection => Cow::Owned(ChannelSpec {
            name: request.reply.name.clone(),
            queue_group: None,
            ..request.channel.clone()
        }),
    };
    let span = tracing::debug_span!(
        target: "asyncapi",
        "request",
        channel = %request.channel.name,
        correlation_id = %request.correlation_id,
        reply = %reply_channel.address,
    );
    let result = exchange_in_span(
        connection,
        publisher,
        &request,
        &reply_channel,
        envelope,
        &mut pick,
    )
    .instrument(span)
    .await;
    if let Err(e) = &result {
        tracing::debug!(target: "asyncapi", error = %e, "request failed");
    }
    result
}

/// [`exchange`] once the reply channel is known, in its span.
async fn exchange_in_span<C, T, E>(
    connection: &C,
    publisher: &C::Publisher,
    request: &Request<'_>,
    reply_channel: &ChannelSpec,
    mut envelope: <C::Publisher as Publisher>::Envelope,
    pick: &mut (impl FnMut(<C::Subscriber as Subscriber>::Envelope) -> Option<Result<T, E>> + Send),
) -> Result<Result<T, E>, TransportError>
where
    C: Producer + Consumer,
    T: Send,
    E: Send,
{
    let mut replies = connection.subscriber(reply_channel).await?;
    envelope.set_correlation_id(Some(request.correlation_id.clone()));
    publisher.send(envelope).await?;
    let wait = async {
        while let Some(item) = replies.next().await {
            let reply = item?;
            if reply
                .correlation_id()
                .is_some_and(|id| id != request.correlation_id)
            {
                tracing::trace!(target: "asyncapi", other = ?reply.correlation_id(), "skipped another request's reply");
                continue;
            }
            if let Some(picked) = pick(reply) {
                return Ok(picked);
            }
        }
        Err(TransportError::Closed(reply_channel.address.to_string()))
    };
    let result = tokio::time::timeout(request.timeout, wait)
        .await
        .unwrap_or_else(|_| {
            Err(TransportError::Timeout {
                address: reply_channel.address.to_string(),
                timeout: request.timeout,
            })
        });
    // The reply subscription is private to this request.
    let _ = replies.close().await;
    result
}

/// Prepares a reply to `request`: the reply's address is the request's `reply_to` (or
/// `default_address`), and it carries the request's correlation id.
pub fn prepare_reply(
    request: &impl EnvelopeReader,
    default_address: Option<&str>,
    reply: &mut impl EnvelopeWriter,
) -> Option<String> {
    let address = request.reply_to().or(default_address)?.to_owned();
    reply.set_address(address.clone());
    reply.set_correlation_id(request.correlation_id().map(str::to_owned));
    Some(address)
}

#[cfg(all(test, feature = "memory"))]
mod tests {
    use super::*;
    use crate::envelope::Envelope;
    use crate::memory::Broker;

    #[test]
    fn request_reply_with_correlation_and_timeout() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let broker = Broker::new();
            let server = broker.connect();
            let channel = ChannelSpec::new("ping", "ping");
            let mut requests = server.subscriber(&channel).await.unwrap();
            tokio::spawn(async move {
                while let Some(Ok(req)) = requests.next().await {
                    let mut reply = Envelope::default();
                    // A stray reply with another correlation id first: it must be skipped.
                    let mut stray = Envelope::default();
                    prepare_reply(&req, None, &mut stray).unwrap();
                    stray.correlation_id = Some("other".into());
                    let p = server
                        .publisher(&ChannelSpec::new("pong", "pong"))
                        .await
                        .unwrap();
                    p.send(stray).await.unwrap();
                    prepare_reply(&req, None, &mut reply).unwrap();
                    reply.payload = req.payload.clone();
                    p.send(reply).await.unwrap();
                }
            });
            let client = broker.connect();
            let inbox = broker.unique_address("_inbox.");
            let reply = request(
                &client,
                Request {
                    channel: &channel,
                    reply: ChannelSpec::new("pong", inbox),
                    correlation_id: "c-1".into(),
                    timeout: Duration::from_secs(5),
                },
                Envelope::new("ping").with_payload("hello"),
            )
            .await
            .unwrap();
            assert_eq!(reply.correlation_id(), Some("c-1"));
            assert_eq!(&reply.payload[..], b"hello");

            let nobody = ChannelSpec::new("void", "void");
            let err = request(
                &client,
                Request {
                    channel: &nobody,
                    reply: ChannelSpec::new("void-reply", broker.unique_address("_inbox.")),
                    correlation_id: "c-2".into(),
                    timeout: Duration::from_millis(50),
                },
                Envelope::new("void"),
            )
            .await
            .unwrap_err();
            assert!(matches!(err, TransportError::Timeout { .. }), "{err}");
        });
    }
}
