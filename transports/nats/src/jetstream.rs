//! JetStream: channels carried by a stream, at least once. A channel is on JetStream when its
//! NATS channel binding says so (`x-jetstream`, this project's extension) or
//! [`NatsOptions::jetstream`](crate::NatsOptions::jetstream) names it; the stream is created or
//! checked when the channel opens, a send is `Ok` once the stream's `PubAck` says it stored the
//! message, and each subscription reads through a pull consumer (a durable one named after its
//! consumer group, shared by the group's members, or one of its own) whose messages carry
//! acknowledgements: `+ACK`, `-NAK` (with a delay through `nack_after`), `+TERM`.

use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, pull};
use async_nats::jetstream::stream::{self, RetentionPolicy, StorageType};
use async_nats::jetstream::{self as js, AckKind};

use asyncapi_runtime::ack::{Acknowledgement, Outcome, Settle};
use asyncapi_runtime::bindings::NatsJetStream;
use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{BoxError, BoxFuture, ChannelSpec, TransportError};

use crate::{NatsConnection, WILDCARDS};

/// The header that carries a JetStream message's reply address: its reply subject is the
/// server's acknowledgement subject.
pub const REPLY_TO: &str = "Reply-To";

/// The header JetStream drops duplicates by (within the stream's `duplicateWindow`).
pub const MESSAGE_ID: &str = "Nats-Msg-Id";

/// How long the server waits for an acknowledgement before it delivers a message again, unless
/// the channel says (`ackWait`).
pub const DEFAULT_ACK_WAIT: Duration = Duration::from_secs(30);

/// How long a consumer of a subscription without a group outlives its subscriber when the
/// process dies without deleting it.
const EPHEMERAL_INACTIVE: Duration = Duration::from_secs(60);

/// A channel on JetStream, as it opens: its stream's name and configuration and how consumers
/// read it.
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    pub(crate) config: NatsJetStream,
    pub(crate) stream: String,
    pub(crate) subjects: Vec<String>,
}

impl Channel {
    /// The JetStream settings of `channel`, when it is on JetStream: the options' for its name,
    /// else its binding's.
    pub(crate) fn of(
        connection: &NatsConnection,
        channel: &ChannelSpec,
    ) -> Result<Option<Channel>, TransportError> {
        let config = connection
            .jetstream_channels
            .iter()
            .find(|(name, _)| name == channel.name.as_ref())
            .map(|(_, c)| c.clone())
            .or_else(|| {
                channel
                    .bindings
                    .nats_channel
                    .as_ref()
                    .and_then(|n| n.jetstream.clone())
            });
        let Some(config) = config else {
            return Ok(None);
        };
        let stream = match &config.stream {
            Some(name) => name.to_string(),
            None => stream_name(&channel.name),
        };
        if stream.is_empty() || stream.contains(['.', '*', '>', ' ', '\t', '/', '\\']) {
            return Err(open_error(
                channel,
                format!(
                    "`{stream}` cannot name a JetStream stream (no `.`, `*`, `>`, white space or path separators)"
                ),
            ));
        }
        let subjects = if config.subjects.is_empty() {
            // Every parameter free: what any send of the channel goes to.
            let mut every = channel.clone();
            every.params.clear();
            every.subscription(&WILDCARDS, 1)?.patterns().to_vec()
        } else {
            config.subjects.iter().map(|s| s.to_string()).collect()
        };
        Ok(Some(Channel {
            config,
            stream,
            subjects,
        }))
    }

    /// The stream, created when it does not exist (unless the channel says `create: false`)
    /// or checked to take the channel's subjects.
    pub(crate) async fn stream(
        &self,
        context: &js::Context,
        channel: &ChannelSpec,
    ) -> Result<stream::Stream, TransportError> {
        let found = context.get_stream(&self.stream).await;
        let stream = match found {
            Ok(stream) => stream,
            Err(e) if !is_not_found(&e) => {
                return Err(open_error(
                    channel,
                    format!("JetStream stream `{}`: {e}", self.stream),
                ));
            }
            Err(_) if self.config.create == Some(false) => {
                return Err(open_error(
                    channel,
                    format!(
                        "the JetStream stream `{}` does not exist (the channel says `create: false`)",
                        self.stream
                    ),
                ));
            }
            Err(_) => {
                let config = self.stream_config(channel)?;
                context.get_or_create_stream(config).await.map_err(|e| {
                    open_error(
                        channel,
                        format!("creating the JetStream stream `{}`: {e}", self.stream),
                    )
                })?
            }
        };
        let held = &stream.cached_info().config.subjects;
        if let Some(missing) = self
            .subjects
            .iter()
            .find(|s| !held.iter().any(|h| h == *s || WILDCARDS.matches(h, s)))
        {
            return Err(open_error(
                channel,
                format!(
                    "the JetStream stream `{}` stores {held:?}, which does not take `{missing}`",
                    self.stream
                ),
            ));
        }
        Ok(stream)
    }

    fn stream_config(&self, channel: &ChannelSpec) -> Result<stream::Config, TransportError> {
        let c = &self.config;
        let retention = match c.retention.as_deref() {
            None | Some("limits") => RetentionPolicy::Limits,
            Some("interest") => RetentionPolicy::Interest,
            Some("workqueue") => RetentionPolicy::WorkQueue,
            Some(other) => {
                return Err(open_error(
                    channel,
                    format!(
                        "JetStream retention `{other}`: expected `limits`, `interest` or `workqueue`"
                    ),
                ));
            }
        };
        let storage = match c.storage.as_deref() {
            None | Some("file") => StorageType::File,
            Some("memory") => StorageType::Memory,
            Some(other) => {
                return Err(open_error(
                    channel,
                    format!("JetStream storage `{other}`: expected `file` or `memory`"),
                ));
            }
        };
        Ok(stream::Config {
            name: self.stream.clone(),
            subjects: self.subjects.clone(),
            retention,
            storage,
            max_messages: c.max_messages.unwrap_or(-1),
            max_bytes: c.max_bytes.unwrap_or(-1),
            max_age: c.max_age.map(Duration::from_secs).unwrap_or_default(),
            duplicate_window: c
                .duplicate_window
                .map(Duration::from_secs)
                .unwrap_or_default(),
            num_replicas: c.replicas.unwrap_or(1) as usize,
            ..Default::default()
        })
    }

    /// The pull consumer a subscription reads: the group's durable one (created by its first
    /// member), or one of the subscription's own, filtered on the one subject (pattern) it
    /// listens to (NATS servers before 2.10 take one filter per consumer).
    pub(crate) async fn consumer(
        &self,
        stream: &stream::Stream,
        channel: &ChannelSpec,
        filter: &str,
    ) -> Result<js::consumer::Consumer<pull::Config>, TransportError> {
        let c = &self.config;
        let group = channel.group("nats");
        let deliver_policy = match (c.deliver.as_deref(), group) {
            (Some("all"), _) | (None, Some(_)) => DeliverPolicy::All,
            (Some("new"), _) | (None, None) => DeliverPolicy::New,
            (Some(other), _) => {
                return Err(open_error(
                    channel,
                    format!("JetStream deliver `{other}`: expected `all` or `new`"),
                ));
            }
        };
        let mut config = pull::Config {
            ack_policy: AckPolicy::Explicit,
            ack_wait: c
                .ack_wait
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_ACK_WAIT),
            max_deliver: c.max_deliver.unwrap_or(-1),
            deliver_policy,
            filter_subject: filter.to_owned(),
            ..Default::default()
        };
        let Some(group) = group else {
            config.inactive_threshold = EPHEMERAL_INACTIVE;
            return stream.create_consumer(config).await.map_err(|e| {
                open_error(
                    channel,
                    format!("a consumer of the JetStream stream `{}`: {e}", self.stream),
                )
            });
        };
        let durable = consumer_name(group);
        config.durable_name = Some(durable.clone());
        let consumer: js::consumer::Consumer<pull::Config> = stream
            .get_or_create_consumer(&durable, config.clone())
            .await
            .map_err(|e| {
                open_error(
                    channel,
                    format!(
                        "the consumer `{durable}` (group `{group}`) of the JetStream stream `{}`: {e}",
                        self.stream
                    ),
                )
            })?;
        let theirs = &consumer.cached_info().config.filter_subject;
        if theirs != filter {
            return Err(open_error(
                channel,
                format!(
                    "the consumer `{durable}` (group `{group}`) of the JetStream stream `{}` reads `{theirs}`, and this subscription listens to `{filter}`: a group's members listen to the same subjects",
                    self.stream
                ),
            ));
        }
        Ok(consumer)
    }
}

/// A stream name from a channel's: upper-cased, each character a stream name cannot hold as
/// `_` (`user/signedup` is `USER_SIGNEDUP`).
pub(crate) fn stream_name(channel: &str) -> String {
    name_from(channel).to_ascii_uppercase()
}

/// A durable consumer's name from a group's: each character a consumer name cannot hold as
/// `_`.
pub(crate) fn consumer_name(group: &str) -> String {
    name_from(group)
}

/// `text` with each character a JetStream name cannot hold (`.`, `*`, `>`, path separators,
/// white space) as `_`.
fn name_from(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '.' | '*' | '>' | '/' | '\\' => '_',
            c if c.is_whitespace() => '_',
            c => c,
        })
        .collect()
}

fn is_not_found(error: &js::context::GetStreamError) -> bool {
    matches!(error.kind(), js::context::GetStreamErrorKind::JetStream(e)
        if e.error_code() == js::ErrorCode::STREAM_NOT_FOUND)
}

fn open_error(channel: &ChannelSpec, message: String) -> TransportError {
    TransportError::Open {
        address: channel.address.to_string(),
        source: format!("channel `{}`: {message}", channel.name).into(),
    }
}

/// The message id of an envelope, for the stream to drop duplicates by: where the channel's
/// `messageId` expression points, unless the envelope carries `Nats-Msg-Id` already.
pub(crate) fn message_id(
    expression: Option<&asyncapi_runtime::expression::RuntimeExpression>,
    envelope: &Envelope,
) -> Option<String> {
    if envelope.headers.get(MESSAGE_ID).is_some() {
        return None;
    }
    expression?.evaluate_envelope(envelope)
}

/// Settles one JetStream message through its acknowledgement subject.
pub(crate) struct JsSettle {
    pub(crate) acker: js::message::Acker,
    pub(crate) subject: String,
}

impl JsSettle {
    fn send(self, kind: AckKind) -> BoxFuture<'static, Result<(), TransportError>> {
        Box::pin(async move {
            self.acker
                .ack_with(kind)
                .await
                .map_err(|e: BoxError| TransportError::Receive {
                    address: self.subject,
                    source: e,
                })
        })
    }
}

impl Settle for JsSettle {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        self.send(match outcome {
            Outcome::Ack => AckKind::Ack,
            Outcome::Nack => AckKind::Nak(None),
            Outcome::Reject => AckKind::Term,
        })
    }

    fn nack_after(
        self: Box<Self>,
        delay: Duration,
    ) -> BoxFuture<'static, Result<(), TransportError>> {
        self.send(AckKind::Nak(Some(delay)))
    }

    /// A message never handed to the application (its subscriber went first) is `-NAK`ed, to
    /// be delivered again at once (to another member of the group, when there is one); without
    /// a runtime to send that on, the server delivers it again after `ackWait`.
    fn abandoned(self: Box<Self>) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = self.acker.ack_with(AckKind::Nak(None)).await;
            });
        }
    }
}

/// The acknowledgement of a received JetStream message.
pub(crate) fn acknowledgement(acker: js::message::Acker, subject: &str) -> Acknowledgement {
    Acknowledgement::new(JsSettle {
        acker,
        subject: subject.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_a_documents_channels_and_groups() {
        assert_eq!(stream_name("user/signedup"), "USER_SIGNEDUP");
        assert_eq!(stream_name("orders.created v2"), "ORDERS_CREATED_V2");
        assert_eq!(consumer_name("billing.workers"), "billing_workers");
    }
}
