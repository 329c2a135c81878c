//! What generated operations are made of: a [`Sender`] for `send` operations, a [`Receiver`]
//! stream for `receive` operations, and request/reply on top of [`crate::reply`].
//!
//! Generated code supplies the channel's typed parameters ([`ChannelParams`]) and the
//! operation's typed messages ([`Outgoing`], [`Incoming`]); these types do the rest: build the
//! concrete address, encode and validate, send; or receive, parse the parameters back out of the
//! address, decode exactly one of the expected messages and validate it. A message that cannot
//! be decoded is an error for that message only: the stream goes on.
//!
//! Tracing (target `asyncapi`): a `debug` span around opening a channel (`open`, `subscribe`)
//! and around each send (`send`, with the channel and the concrete address), a `debug` event
//! for each message received and a `warn` event for each one the stream yields as an error.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tracing::Instrument;

use crate::ack::{AckMode, Acknowledgement, Outcome};
use crate::address::AddressError;
use crate::envelope::{EnvelopeReader, EnvelopeWriter};
use crate::expression::{RuntimeExpression, Stamped};
use crate::message::Error;
use crate::transport::{
    ChannelSpec, Consumer, Producer, Publisher, Replies, Subscriber, TransportError,
};

/// The typed parameters of a channel (a unit struct for a channel without any).
pub trait ChannelParams: Sized + Send + Sync {
    /// The channel's name in the document.
    const CHANNEL: &'static str;
    /// The channel's address template.
    const ADDRESS: &'static str;

    /// The concrete address for these values. The default, for a channel without parameters:
    /// the address itself.
    fn address(&self) -> Result<String, AddressError> {
        Ok(Self::ADDRESS.to_owned())
    }

    /// The values, read back from a concrete address; `None` when it does not fit.
    fn from_address(address: &str) -> Option<Self>;

    /// The values as `(name, value)` pairs, to fix them in a subscription. The default, for a
    /// channel without parameters: none.
    fn values(&self) -> Vec<(Cow<'static, str>, String)> {
        Vec::new()
    }
}

/// Where a message (or one of several) keeps its correlation id, as its document says.
pub trait Correlated {
    /// The correlation id the message carries, if the document says where it is.
    fn correlation_id(&self) -> Option<String> {
        None
    }

    /// Where the document keeps the message's correlation id (a runtime expression), if it
    /// says: a reply is written with its request's correlation id there.
    fn correlation_location(&self) -> Option<&'static str> {
        None
    }
}

/// Every message knows where its document keeps its correlation id.
impl<M: crate::message::Message> Correlated for M {
    fn correlation_id(&self) -> Option<String> {
        crate::message::Message::correlation_id(self)
    }

    fn correlation_location(&self) -> Option<&'static str> {
        M::CORRELATION_ID
    }
}

/// A message (or one of several) that an operation sends.
pub trait Outgoing: Correlated + Send + Sync {
    /// Validates the message and writes it into an envelope.
    fn encode_into(
        &self,
        channel: &'static str,
        envelope: &mut impl EnvelopeWriter,
    ) -> Result<(), Error>;
}

/// A message (or one of several) that an operation receives.
pub trait Incoming: Correlated + Sized + Send {
    /// Reads exactly this message from an envelope, and validates it.
    fn decode_from(channel: &'static str, envelope: &impl EnvelopeReader) -> Result<Self, Error>;
}

/// Every message that checks itself is sent validated, with its bindings applied
/// ([`encode_validated`]): generated messages need no impl of their own.
impl<M> Outgoing for M
where
    M: crate::message::Message + crate::validate::Validate,
{
    fn encode_into(
        &self,
        channel: &'static str,
        envelope: &mut impl EnvelopeWriter,
    ) -> Result<(), Error> {
        encode_validated(self, channel, envelope)
    }
}

/// Every message that checks itself is received validated ([`decode_validated`]).
impl<M> Incoming for M
where
    M: crate::message::Message + crate::validate::Validate,
{
    fn decode_from(channel: &'static str, envelope: &impl EnvelopeReader) -> Result<Self, Error> {
        decode_validated(channel, envelope)
    }
}

/// The "parameters" of a reply that comes back on whatever address the request named (a reply
/// without a channel of its own in the document).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AnyAddress(pub String);

impl ChannelParams for AnyAddress {
    const CHANNEL: &'static str = "reply";
    const ADDRESS: &'static str = "{address}";

    fn address(&self) -> Result<String, AddressError> {
        Ok(self.0.clone())
    }

    fn from_address(address: &str) -> Option<Self> {
        Some(AnyAddress(address.to_owned()))
    }

    fn values(&self) -> Vec<(Cow<'static, str>, String)> {
        Vec::new()
    }
}

/// A received message with the channel parameters of the address it came on.
#[derive(Clone, Debug, PartialEq)]
pub struct Received<C, M> {
    /// The parameters, read back from the address.
    pub params: C,
    /// The message.
    pub message: M,
    /// The concrete address.
    pub address: String,
    /// Where the sender expects a reply.
    pub reply_to: Option<String>,
    /// The correlation id: the transport's own field, or where the message's document keeps
    /// it.
    pub correlation_id: Option<String>,
    /// How to acknowledge the message, on a subscription in [`AckMode::Manual`] over a
    /// transport that acknowledges (`None` otherwise: there is nothing to settle).
    pub acknowledgement: Option<Acknowledgement>,
}

impl<C, M> Received<C, M> {
    /// Tells the server the message is handled (manual acknowledgement; nothing to do
    /// otherwise).
    pub async fn ack(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Ack).await
    }

    /// Tells the server the message was not handled and should come again, as far as the
    /// protocol allows (see [`crate::ack`]).
    pub async fn nack(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Nack).await
    }

    /// Tells the server the message is not to be handled, ever.
    pub async fn reject(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Reject).await
    }

    /// Tells the server the message was not handled and should come again no sooner than
    /// `delay` from now, where the protocol can wait (NATS JetStream); elsewhere as
    /// [`nack`](Self::nack).
    pub async fn nack_after(&self, delay: std::time::Duration) -> Result<(), TransportError> {
        match &self.acknowledgement {
            Some(ack) => ack.nack_after(delay).await,
            None => Ok(()),
        }
    }

    async fn settle(&self, outcome: Outcome) -> Result<(), TransportError> {
        match &self.acknowledgement {
            Some(ack) => ack.settle(outcome).await,
            None => Ok(()),
        }
    }
}

/// Sends the messages of one `send` operation.
pub struct Sender<P, C, M> {
    publisher: P,
    _types: PhantomData<fn(&C, &M)>,
}

impl<P: Publisher, C: ChannelParams, M: Outgoing> Sender<P, C, M> {
    /// Opens the operation's channel on a connection.
    pub async fn open<Pr>(producer: &Pr, channel: &ChannelSpec) -> Result<Self, Error>
    where
        Pr: Producer<Publisher = P>,
    {
        let span = tracing::debug_span!(target: "asyncapi", "open", channel = C::CHANNEL, address = %channel.address);
        let publisher = logged(
            producer
                .publisher(channel)
                .instrument(span)
                .await
                .map_err(in_channel::<C>),
        )?;
        Ok(Sender {
            publisher,
            _types: PhantomData,
        })
    }

    /// Validates, encodes and sends a message to the address of `params`.
    pub async fn send(&self, params: &C, message: &M) -> Result<(), Error> {
        let span = tracing::debug_span!(target: "asyncapi", "send", channel = C::CHANNEL, address = tracing::field::Empty);
        if span.is_disabled() {
            // Nothing listens to the span: no span entered and left around each poll of the
            // send (and the send's future is not moved into one).
            return logged(self.send_to(address_of(params)?, message).await);
        }
        let sending = async {
            let address = address_of(params)?;
            span.record("address", address.as_str());
            self.send_to(address, message).await
        };
        logged(sending.instrument(span.clone()).await)
    }

    /// Sends `message` to a concrete address.
    async fn send_to(&self, address: String, message: &M) -> Result<(), Error> {
        let envelope = self.envelope_to(address, message, &[])?;
        self.publisher.send(envelope).await.map_err(in_channel::<C>)
    }

    /// The envelope `send` would send.
    pub fn envelope(&self, params: &C, message: &M) -> Result<P::Envelope, Error> {
        self.envelope_to(address_of(params)?, message, &[])
    }

    /// The envelope of `message` to a concrete address, with `writes` stamped in where the
    /// message leaves them empty.
    fn envelope_to(
        &self,
        address: String,
        message: &M,
        writes: &[(RuntimeExpression, String)],
    ) -> Result<P::Envelope, Error> {
        let mut envelope = self.publisher.envelope();
        envelope.set_address(address);
        let mut stamped = Stamped::new(&mut envelope, writes);
        message.encode_into(C::CHANNEL, &mut stamped)?;
        stamped.finish();
        if let Some(id) = message.correlation_id() {
            envelope.set_correlation_id(Some(id));
        }
        Ok(envelope)
    }

    /// Closes the publisher.
    pub async fn close(&self) -> Result<(), Error> {
        self.publisher.close().await.map_err(in_channel::<C>)
    }
}

impl<P, C: ChannelParams, M> std::fmt::Debug for Sender<P, C, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("channel", &C::CHANNEL)
            .finish_non_exhaustive()
    }
}

/// The messages of one `receive` operation, as a stream.
pub struct Receiver<S, C, M> {
    subscriber: S,
    ack: AckMode,
    on_invalid: Outcome,
    reply_location: Option<RuntimeExpression>,
    _types: PhantomData<fn() -> (C, M)>,
}

impl<S: Subscriber, C: ChannelParams, M: Incoming> Receiver<S, C, M> {
    /// Subscribes to the operation's channel on a connection.
    pub async fn open<Co>(consumer: &Co, channel: &ChannelSpec) -> Result<Self, Error>
    where
        Co: Consumer<Subscriber = S>,
    {
        let span = tracing::debug_span!(target: "asyncapi", "subscribe", channel = C::CHANNEL, address = %channel.address);
        let subscriber = logged(
            consumer
                .subscriber(channel)
                .instrument(span)
                .await
                .map_err(in_channel::<C>),
        )?;
        Ok(Receiver {
            subscriber,
            ack: consumer.ack_mode(channel),
            on_invalid: channel.on_invalid,
            reply_location: None,
            _types: PhantomData,
        })
    }

    /// The same receiver, reading the address a request wants its reply at from `location` (a
    /// runtime expression: the operation's `reply.address.location`) when the transport's own
    /// reply field is absent or empty. An expression that does not parse is ignored.
    pub fn with_reply_location(mut self, location: &str) -> Self {
        match RuntimeExpression::parse(location) {
            Ok(expression) => self.reply_location = Some(expression),
            Err(error) => {
                tracing::warn!(target: "asyncapi", channel = C::CHANNEL, %error, "reply address location ignored")
            }
        }
        self
    }

    /// Ends the subscription; the stream then ends.
    pub async fn close(&mut self) -> Result<(), Error> {
        self.subscriber.close().await.map_err(in_channel::<C>)
    }
}

/// Decodes one received envelope.
pub fn receive<C: ChannelParams, M: Incoming>(
    envelope: &impl EnvelopeReader,
) -> Result<Received<C, M>, Error> {
    receive_replying(envelope, None)
}

/// Decodes one received envelope whose reply address, when the transport carries none, is at
/// `reply_location`.
pub fn receive_replying<C: ChannelParams, M: Incoming>(
    envelope: &impl EnvelopeReader,
    reply_location: Option<&RuntimeExpression>,
) -> Result<Received<C, M>, Error> {
    let mut received = received_without_address(envelope, reply_location)?;
    received.address = envelope.address().to_owned();
    Ok(received)
}

/// [`receive_replying`], its `address` left empty: a caller that owns the envelope moves the
/// address in instead of copying it.
fn received_without_address<C: ChannelParams, M: Incoming>(
    envelope: &impl EnvelopeReader,
    reply_location: Option<&RuntimeExpression>,
) -> Result<Received<C, M>, Error> {
    let address = envelope.address();
    let params = C::from_address(address).ok_or_else(|| Error::UnknownMessage {
        channel: C::CHANNEL,
        address: address.to_owned(),
        reason: format!("arrived on an address that does not fit `{}`", C::ADDRESS),
    })?;
    let message = M::decode_from(C::CHANNEL, envelope)?;
    let reply_to = envelope
        .reply_to()
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .or_else(|| reply_location.and_then(|at| at.evaluate_envelope(envelope)))
        .filter(|a| !a.is_empty());
    let correlation_id = envelope
        .correlation_id()
        .map(str::to_owned)
        .or_else(|| message.correlation_id());
    Ok(Received {
        params,
        message,
        address: String::new(),
        reply_to,
        correlation_id,
        acknowledgement: None,
    })
}

impl<S, C, M> Stream for Receiver<S, C, M>
where
    S: Subscriber,
    C: ChannelParams,
    M: Incoming,
{
    type Item = Result<Received<C, M>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = match Pin::new(&mut self.subscriber).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(Err(source))) => Err(in_channel::<C>(source)),
            Poll::Ready(Some(Ok(envelope))) => {
                let item = received_without_address(&envelope, self.reply_location.as_ref());
                let ack = envelope.acknowledgement().cloned();
                let item = item.map(|mut received| {
                    received.address = envelope.into_address();
                    received
                });
                match (item, ack) {
                    (Ok(mut received), Some(ack)) => {
                        match self.ack {
                            AckMode::Manual => received.acknowledgement = Some(ack),
                            AckMode::Auto => {
                                crate::ack::settle_in_background(&ack, Outcome::Ack, cx)
                            }
                        }
                        Ok(received)
                    }
                    (Err(e), Some(ack)) => {
                        crate::ack::settle_in_background(&ack, self.on_invalid, cx);
                        Err(e)
                    }
                    (item, None) => item,
                }
            }
        };
        match &item {
            Ok(r) => {
                tracing::debug!(target: "asyncapi", channel = C::CHANNEL, address = %r.address, "received")
            }
            Err(e) => {
                tracing::warn!(target: "asyncapi", channel = C::CHANNEL, error = %e, "received")
            }
        }
        Poll::Ready(Some(item))
    }
}

impl<S: Unpin, C, M> Unpin for Receiver<S, C, M> {}

impl<S, C: ChannelParams, M> std::fmt::Debug for Receiver<S, C, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("channel", &C::CHANNEL)
            .finish_non_exhaustive()
    }
}

/// A runtime expression of generated code (checked when the document was loaded).
fn expression(text: &str) -> Option<RuntimeExpression> {
    RuntimeExpression::parse(text).ok()
}

/// `result`, its error (if any) logged at `debug` (the error names the channel).
fn logged<T>(result: Result<T, Error>) -> Result<T, Error> {
    result.inspect_err(|e| tracing::debug!(target: "asyncapi", error = %e, "failed"))
}

/// The concrete address of `params`.
fn address_of<C: ChannelParams>(params: &C) -> Result<String, Error> {
    params.address().map_err(|source| Error::Address {
        channel: C::CHANNEL,
        source,
    })
}

/// A transport error, as an error of channel `C`.
fn in_channel<C: ChannelParams>(source: crate::transport::TransportError) -> Error {
    Error::Transport {
        channel: C::CHANNEL,
        source,
    }
}

/// A new id, unique in this process and unlikely to repeat across processes: for correlation
/// ids and reply inboxes.
pub fn unique_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    format!("{:x}{:05x}{n:x}", nanos, std::process::id() & 0xfffff)
}

/// Sends a request and waits for its reply, decoded as `R`.
///
/// The reply comes back on `reply` (whose address is the concrete reply address: a static one
/// from the document, or a fresh inbox); the request carries it as `reply_to`, and at
/// `reply_location` (the operation's `reply.address.location`: a header or a payload field) when
/// the document says where. The correlation id travels in the transport's own field and, when
/// the request message's document says where it keeps one, there too. On a
/// transport whose replies come back on the request's connection
/// ([`Replies::OnRequestConnection`], WebSocket) the requester listens on the request's own
/// channel instead, and skips what arrives there until a message decodes as `R`.
///
/// Either way a reply whose message carries a correlation id (where the document says, in its
/// payload or headers) other than the request's is someone else's and is skipped; the
/// correlation id is the request message's own when it has one, a fresh one otherwise.
#[allow(clippy::too_many_arguments)]
pub async fn request<Conn, C, M, RC, R>(
    connection: &Conn,
    channel: &ChannelSpec,
    params: &C,
    message: &M,
    reply: ChannelSpec,
    reply_location: Option<&str>,
    timeout: Duration,
) -> Result<Received<RC, R>, Error>
where
    Conn: Producer + Consumer,
    C: ChannelParams,
    M: Outgoing,
    RC: ChannelParams,
    R: Incoming + Outgoing,
{
    // The request's parameters fixed: where a connection-oriented transport listens for the
    // reply.
    let mut channel = channel.clone();
    channel.params = params.values();
    let sender = Sender::<Conn::Publisher, C, M>::open(connection, &channel).await?;
    let shared = Conn::REPLIES == Replies::OnRequestConnection;
    let correlation_id = message.correlation_id().unwrap_or_else(unique_id);
    let mut writes = Vec::new();
    if let Some(at) = message.correlation_location().and_then(expression) {
        writes.push((at, correlation_id.clone()));
    }
    if let Some(at) = reply_location.filter(|_| !shared).and_then(expression) {
        writes.push((at, reply.address.to_string()));
    }
    let envelope = sender.envelope_to(address_of(params)?, message, &writes)?;
    let expected = correlation_id.clone();
    crate::reply::exchange(
        connection,
        &sender.publisher,
        crate::reply::Request {
            channel: &channel,
            reply,
            correlation_id,
            timeout,
        },
        envelope,
        |envelope| {
            // A correlation id on the envelope already matched ours.
            let matched = envelope.correlation_id().is_some();
            let message = match R::decode_from(RC::CHANNEL, &envelope) {
                Ok(m) => m,
                Err(_) if shared && !matched => return None,
                Err(e) => return Some(Err(e)),
            };
            if !matched && message.correlation_id().is_some_and(|id| id != expected) {
                return None;
            }
            let address = envelope.address();
            Some(
                RC::from_address(address)
                    .ok_or_else(|| Error::UnknownMessage {
                        channel: RC::CHANNEL,
                        address: address.to_owned(),
                        reason: format!(
                            "arrived on an address that does not fit `{}`",
                            RC::ADDRESS
                        ),
                    })
                    .map(|params| Received {
                        params,
                        reply_to: envelope.reply_to().map(str::to_owned),
                        correlation_id: envelope
                            .correlation_id()
                            .map(str::to_owned)
                            .or_else(|| message.correlation_id()),
                        message,
                        address: address.to_owned(),
                        acknowledgement: None,
                    }),
            )
        },
    )
    .await
    .map_err(in_channel::<C>)?
}

/// Sends `message` as the reply to a received request: to the request's `reply_to` (read from
/// the transport's reply field or the document's reply address location when it was received),
/// or `default_address`; with the request's correlation id in the transport's own field and,
/// when the reply message's document says where it keeps one and the message leaves it empty,
/// there too.
pub async fn reply<P, C, M, RC, RM>(
    producer: &P,
    channel: &ChannelSpec,
    request: &Received<RC, RM>,
    default_address: Option<&str>,
    message: &M,
) -> Result<(), Error>
where
    P: Producer,
    C: ChannelParams,
    M: Outgoing,
{
    let address = request
        .reply_to
        .as_deref()
        .or(default_address)
        .ok_or_else(|| Error::UnknownMessage {
            channel: C::CHANNEL,
            address: request.address.clone(),
            reason: "asks for a reply but says nowhere where to send it".to_owned(),
        })?
        .to_owned();
    let publisher = producer.publisher(channel).await.map_err(in_channel::<C>)?;
    let mut writes = Vec::new();
    if let (Some(id), Some(at)) = (
        &request.correlation_id,
        message.correlation_location().and_then(expression),
    ) {
        writes.push((at, id.clone()));
    }
    let mut envelope = publisher.envelope();
    envelope.set_address(address);
    let mut stamped = Stamped::new(&mut envelope, &writes);
    message.encode_into(C::CHANNEL, &mut stamped)?;
    stamped.finish();
    envelope.set_correlation_id(
        request
            .correlation_id
            .clone()
            .or_else(|| message.correlation_id()),
    );
    publisher.send(envelope).await.map_err(in_channel::<C>)
}

/// Validates and encodes a message: what generated [`Outgoing`] implementations do.
pub fn encode_validated<M>(
    message: &M,
    channel: &'static str,
    envelope: &mut impl EnvelopeWriter,
) -> Result<(), Error>
where
    M: crate::message::Message + crate::validate::Validate,
{
    message.validate().map_err(|violations| Error::Invalid {
        channel,
        message: M::NAME,
        address: None,
        violations,
    })?;
    envelope.apply_bindings(&M::bindings());
    message.encode(envelope).map_err(|source| Error::Encode {
        channel,
        message: M::NAME,
        source,
    })
}

/// Checks values given for a channel's `protocol` binding (a generated `WsUpgrade`, say) before
/// a channel is opened with them: what generated `subscribe` and `open_with` do.
pub fn check_binding(
    channel: &'static str,
    protocol: &'static str,
    values: &impl crate::validate::Validate,
) -> Result<(), Error> {
    values
        .validate()
        .map_err(|violations| Error::InvalidBinding {
            channel,
            protocol,
            violations,
        })
}

/// Decodes and validates a message: what generated [`Incoming`] implementations do.
pub fn decode_validated<M>(
    channel: &'static str,
    envelope: &impl EnvelopeReader,
) -> Result<M, Error>
where
    M: crate::message::Message + crate::validate::Validate,
{
    let message = M::decode(envelope).map_err(|source| Error::Decode {
        channel,
        message: M::NAME,
        address: envelope.address().to_owned(),
        source,
    })?;
    message.validate().map_err(|violations| Error::Invalid {
        channel,
        message: M::NAME,
        address: Some(envelope.address().to_owned()),
        violations,
    })?;
    Ok(message)
}

/// A reply channel of its own for one request: the document's reply channel `name` at a fresh,
/// unique address (an inbox), for a reply channel whose address the document leaves open.
pub fn inbox(name: &'static str) -> ChannelSpec {
    ChannelSpec::new(name, unique_id())
}

/// The header that names the message an envelope carries when its operation has several
/// (`asyncapi-message: OrderCreatedV2`): written by generated code when it sends one of several
/// messages, read by [`dispatch`] when it receives, and never part of a message's typed headers.
pub const MESSAGE_HEADER: &str = "asyncapi-message";

/// Names the message an envelope carries, in its [`MESSAGE_HEADER`] (for an operation with
/// several messages).
pub fn name_message(envelope: &mut impl EnvelopeWriter, name: &'static str) {
    envelope.headers_mut().insert(MESSAGE_HEADER, name);
}

/// One of the several messages an operation may receive, as [`dispatch`] tells them apart; the
/// generator fills it from the document.
pub struct Candidate<T, E> {
    /// The message's name in the document.
    pub name: &'static str,
    /// The protocol's message type that names it (the AMQP message binding's `messageType`,
    /// carried in the `type` property).
    pub message_type: Option<&'static str>,
    /// The payload property whose value names it, and that value: the payload schema's
    /// `discriminator` (its `const` value there, else the message's name), or a `const`
    /// property every candidate has.
    pub discriminator: Option<(&'static str, &'static str)>,
    /// The top-level properties its payload schema declares; `None` when it takes any.
    pub properties: Option<&'static [&'static str]>,
    /// Decodes and validates the envelope as this message.
    pub decode: fn(&'static str, &E) -> Result<T, Error>,
}

/// Tells which of several messages an envelope is, in this order:
///
/// 1. the message the envelope names: by the protocol's message type (AMQP's `type` property
///    against each message's `messageType`), else by its [`MESSAGE_HEADER`]; that message alone
///    is decoded;
/// 2. the message a JSON payload's discriminator names ([`Candidate::discriminator`]); that
///    message alone is decoded;
/// 3. otherwise every candidate is decoded and validated, and of those that fit, the one whose
///    schema declares every top-level property the payload has beats one that ignores some
///    (the fewest ignored wins); still a tie, the first in the document's order.
///
/// `candidates` are in the document's order. None fitting is [`Error::UnknownMessage`], with
/// why each did not.
pub fn dispatch<T, E: EnvelopeReader>(
    channel: &'static str,
    envelope: &E,
    candidates: &[Candidate<T, E>],
) -> Result<T, Error> {
    let named = envelope
        .message_type()
        .and_then(|t| candidates.iter().find(|c| c.message_type == Some(t)))
        .or_else(|| {
            let name = envelope.headers().get_str(MESSAGE_HEADER)?;
            candidates.iter().find(|c| c.name == name)
        });
    if let Some(c) = named {
        return (c.decode)(channel, envelope);
    }
    let is_json = || envelope.content_type().is_none_or(|ct| ct.contains("json"));
    let object = || {
        serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(envelope.payload())
            .ok()
    };
    if candidates.iter().any(|c| c.discriminator.is_some())
        && is_json()
        && let Some(map) = object()
    {
        let by_discriminator = candidates.iter().find(|c| {
            c.discriminator.is_some_and(|(property, value)| {
                map.get(property).and_then(|v| v.as_str()) == Some(value)
            })
        });
        if let Some(c) = by_discriminator {
            return (c.decode)(channel, envelope);
        }
    }
    let mut fits = Vec::new();
    let mut failures = Vec::new();
    for c in candidates {
        match (c.decode)(channel, envelope) {
            Ok(message) => fits.push((c, message)),
            Err(e) => failures.push((c.name, e)),
        }
    }
    // Several fit: the payload's top-level properties decide (read only then).
    let map = if fits.len() > 1 && is_json() {
        object()
    } else {
        None
    };
    let mut best: Option<(usize, T)> = None;
    for (c, message) in fits {
        let ignored = match (&map, c.properties) {
            (Some(map), Some(declared)) => map
                .keys()
                .filter(|k| !declared.contains(&k.as_str()))
                .count(),
            _ => 0,
        };
        if best.as_ref().is_none_or(|(least, _)| ignored < *least) {
            best = Some((ignored, message));
        }
    }
    match best {
        Some((_, message)) => Ok(message),
        None => Err(Error::UnknownMessage {
            channel,
            address: envelope.address().to_owned(),
            reason: format!(
                "is none of the expected messages ({})",
                failures
                    .iter()
                    .map(|(name, e)| format!("not `{name}`: {e}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}

/// The correlation id a message keeps at a runtime expression, read from the JSON forms of its
/// headers and payload.
pub fn correlation_id_at<H: serde::Serialize, P: serde::Serialize>(
    expression: &str,
    headers: Option<&H>,
    payload: Option<&P>,
) -> Option<String> {
    let expr = crate::expression::RuntimeExpression::parse(expression).ok()?;
    let headers = headers
        .and_then(|h| serde_json::to_value(h).ok())
        .unwrap_or_default();
    let payload = payload
        .and_then(|p| serde_json::to_value(p).ok())
        .unwrap_or_default();
    match expr.evaluate(&headers, &payload)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Envelope;

    fn invalid(name: &'static str) -> Error {
        Error::Invalid {
            channel: "c",
            message: name,
            address: None,
            violations: crate::validate::Violations::new(),
        }
    }

    /// Two overlapping messages: `V1` declares `id`, `V2` declares `id` and `channel`; any
    /// object with an `id` string decodes as either.
    #[derive(Debug, PartialEq)]
    enum Order {
        V1(serde_json::Value),
        V2(serde_json::Value),
    }

    fn decode_if_id(envelope: &Envelope) -> Result<serde_json::Value, Error> {
        let v: serde_json::Value =
            serde_json::from_slice(&envelope.payload).map_err(|_| invalid("not json"))?;
        v.get("id")
            .and_then(|i| i.as_str())
            .ok_or(invalid("no id"))?;
        Ok(v)
    }

    fn candidates() -> [Candidate<Order, Envelope>; 2] {
        [
            Candidate {
                name: "V1",
                message_type: Some("order.v1"),
                discriminator: None,
                properties: Some(&["id"]),
                decode: |_, e| decode_if_id(e).map(Order::V1),
            },
            Candidate {
                name: "V2",
                message_type: None,
                discriminator: None,
                properties: Some(&["id", "channel"]),
                decode: |_, e| decode_if_id(e).map(Order::V2),
            },
        ]
    }

    fn order(json: &str) -> Envelope {
        Envelope::new("orders").with_payload(json.to_owned())
    }

    #[test]
    fn several_messages_are_told_apart_by_name_then_best_fit() {
        let dispatched = |e: &Envelope| dispatch("c", e, &candidates());
        // Best fit: the one that declares every property beats the one that ignores some; a
        // tie goes to the first in the document.
        assert!(matches!(
            dispatched(&order(r#"{"id":"a","channel":"web"}"#)),
            Ok(Order::V2(_))
        ));
        assert!(matches!(
            dispatched(&order(r#"{"id":"a"}"#)),
            Ok(Order::V1(_))
        ));
        // Named by the header: that one, whatever fits better.
        let mut named = order(r#"{"id":"a"}"#);
        name_message(&mut named, "V2");
        assert!(matches!(dispatched(&named), Ok(Order::V2(_))));
        let mut wrong = order(r#"{"nope":1}"#);
        name_message(&mut wrong, "V2");
        assert!(
            dispatched(&wrong).is_err(),
            "the named one alone is decoded"
        );
        let none = dispatched(&order("[]")).unwrap_err();
        assert!(
            none.to_string()
                .contains("none of the expected messages (not `V1`"),
            "{none}"
        );
        // Named by a discriminator.
        let mut by_kind = candidates();
        by_kind[1].discriminator = Some(("kind", "v2"));
        assert!(matches!(
            dispatch("c", &order(r#"{"id":"a","kind":"v2"}"#), &by_kind),
            Ok(Order::V2(_))
        ));
    }
    #[test]
    fn ids_are_unique() {
        let a = unique_id();
        let b = unique_id();
        assert_ne!(a, b);
    }
}
