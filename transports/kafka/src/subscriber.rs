//! Subscriptions: a consumer of their own each, read by a task into the kit's queue, each record
//! carrying the acknowledgement that lets its offset be committed.
//!
//! In a consumer group, the consumer subscribes (the group shares the topic's partitions) and
//! commits the position of what its records' acknowledgements settled. Without a group, it is
//! assigned every partition of the topic at its end when the subscription opens: it gets what
//! is sent after, and commits nothing.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{BorrowedMessage, Headers, Message};
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::watch;

use asyncapi_runtime::ack::{Acknowledgement, Outcome, Settle};
use asyncapi_runtime::delivery::{Inbox, InboxSender, Overflow, queue};
use asyncapi_runtime::envelope::{Envelope, Headers as EnvelopeHeaders, content_type_of};
use asyncapi_runtime::transport::{
    BoxError, BoxFuture, ChannelSpec, CloseWatch, Reconnect, Subscriber, Subscription,
    TransportError,
};

use crate::context::{ConsumerEvents, Shared};
use crate::envelope::{CONTENT_TYPE, CORRELATION_ID, REPLY_TO};
use crate::offsets::Partition;
use crate::options::millis;
use crate::topics::Topics;
use crate::{KafkaConnection, KafkaEnvelope};

type KafkaConsumer = StreamConsumer<ConsumerEvents>;

/// Receives the records of a channel's topic (or of the topics its pattern matches), as a
/// member of a consumer group or on its own.
pub struct KafkaSubscriber {
    records: Inbox<KafkaEnvelope>,
    /// The check of what a pattern subscription takes.
    subscription: Option<Subscription>,
    /// Tells the reader to stop (and its consumer to leave the group).
    stop: watch::Sender<bool>,
    topics: String,
    group: Option<String>,
    /// The connection's close.
    closed: CloseWatch,
}

impl std::fmt::Debug for KafkaSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaSubscriber")
            .field("topics", &self.topics)
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl KafkaSubscriber {
    /// The consumer group this subscription is a member of, if any.
    pub fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }
}

pub(crate) async fn subscribe(
    connection: &KafkaConnection,
    channel: &ChannelSpec,
) -> Result<KafkaSubscriber, TransportError> {
    let topics = Topics::of(channel)?;
    let open_err = |source: BoxError| TransportError::Open {
        address: channel.address.to_string(),
        source,
    };
    let options = connection.options();
    let group = channel.group("kafka").map(str::to_owned);
    if let Topics::One { topic, .. } = &topics {
        connection
            .ensure_topic(topic, channel.bindings.kafka.as_ref())
            .await
            .map_err(open_err)?;
    }
    let shared = Arc::new(Shared::new(group.is_some()));
    let mut config = options.client_config();
    let limits = options.subscription_limits;
    let client_id = channel
        .bindings
        .kafka_operation
        .as_ref()
        .and_then(|k| k.client_id.as_deref());
    if let Some(id) = client_id {
        config.set("client.id", id);
    }
    let fetch = options.max_message_size.max(1024);
    config
        .set("enable.partition.eof", "false")
        .set("enable.auto.offset.store", "false")
        .set("allow.auto.create.topics", "false")
        .set("max.partition.fetch.bytes", fetch.to_string())
        .set("fetch.max.bytes", fetch.max(52_428_800).to_string())
        // librdkafka's prefetch queue, within the subscription's limits.
        .set("queued.min.messages", limits.messages().max(1).to_string())
        .set(
            "queued.max.messages.kbytes",
            (limits.bytes() / 1024).clamp(1, 2_097_151).to_string(),
        );
    match &group {
        Some(group) => {
            let reset = match options.start_at {
                crate::StartAt::Earliest => "earliest",
                crate::StartAt::Latest => "latest",
            };
            config
                .set("group.id", group)
                .set("enable.auto.commit", "true")
                .set(
                    "auto.commit.interval.ms",
                    millis(options.commit_interval).to_string(),
                )
                .set(
                    "session.timeout.ms",
                    millis(options.session_timeout).to_string(),
                )
                .set("auto.offset.reset", reset);
        }
        None => {
            // A group of its own that never commits: librdkafka wants a group for a pattern
            // subscription, and one assignment of every partition needs none.
            config
                .set(
                    "group.id",
                    format!("asyncapi-{}", asyncapi_runtime::operation::unique_id()),
                )
                .set("enable.auto.commit", "false")
                .set("auto.offset.reset", "latest");
        }
    }
    for (key, value) in &options.config {
        config.set(key, value);
    }
    let events = ConsumerEvents {
        shared: Arc::clone(&shared),
    };
    let consumer: KafkaConsumer = config
        .create_with_context(events)
        .map_err(|e| open_err(Box::new(e)))?;
    let consumer = Arc::new(consumer);
    let timeout = options.connect_timeout;
    let mut assigned = shared.assigned.subscribe();
    let (address, subscription) = match &topics {
        Topics::One { topic, address } => {
            if group.is_some() {
                consumer
                    .subscribe(&[topic])
                    .map_err(|e| open_err(Box::new(e)))?;
            } else {
                let at_end = at_end(&consumer, topic, timeout).await.map_err(open_err)?;
                consumer
                    .assign(&at_end)
                    .map_err(|e| open_err(Box::new(e)))?;
            }
            (Some(address.clone()), None)
        }
        Topics::Pattern {
            regex,
            subscription,
        } => {
            consumer
                .subscribe(&[regex])
                .map_err(|e| open_err(Box::new(e)))?;
            (None, Some(subscription.clone()))
        }
    };
    let name = topics.name().to_owned();
    let (tx, records) = queue(name.clone(), limits, Overflow::Wait);
    let (stop, stopped) = watch::channel(false);
    let reader = Reader {
        consumer: Arc::clone(&consumer),
        shared: Arc::clone(&shared),
        tx,
        address,
        name: name.clone(),
        reconnect: options.reconnect,
        commit_interval: options.commit_interval,
        stopped,
        topic: None,
    };
    tokio::spawn(reader.run(connection.close_watch()));
    drop(consumer);
    // A member of a group (or a pattern's subscription) reads once the group has assigned it
    // its partitions: waiting for that here makes what is sent after `subscribe` returns
    // reach it.
    if group.is_some() || subscription.is_some() {
        let joined = tokio::time::timeout(timeout, assigned.wait_for(|n| *n > 0)).await;
        if !matches!(joined, Ok(Ok(_))) {
            let _ = stop.send(true);
            return Err(open_err(
                format!(
                    "the consumer group gave no partitions within {timeout:?} (KafkaOptions::connect_timeout)"
                )
                .into(),
            ));
        }
    }
    tracing::debug!(target: "asyncapi", topics = %name, group = ?group, "Kafka subscription open");
    Ok(KafkaSubscriber {
        records,
        subscription,
        stop,
        topics: name,
        group,
        closed: connection.close_watch(),
    })
}

/// Every partition of `topic` at its end (its high watermark), read from the cluster.
async fn at_end(
    consumer: &Arc<KafkaConsumer>,
    topic: &str,
    timeout: Duration,
) -> Result<TopicPartitionList, BoxError> {
    let (consumer, topic) = (Arc::clone(consumer), topic.to_owned());
    tokio::task::spawn_blocking(move || {
        let metadata = consumer.fetch_metadata(Some(&topic), timeout)?;
        let partitions: Vec<i32> = metadata
            .topics()
            .iter()
            .filter(|t| t.name() == topic)
            .flat_map(|t| t.partitions().iter().map(|p| p.id()))
            .collect();
        if partitions.is_empty() {
            return Err(format!(
                "topic `{topic}` does not exist (create it, or open the channel with KafkaOptions::create_topics)"
            )
            .into());
        }
        let mut list = TopicPartitionList::with_capacity(partitions.len());
        for partition in partitions {
            let (_, high) = consumer.fetch_watermarks(&topic, partition, timeout)?;
            list.add_partition_offset(&topic, partition, Offset::Offset(high))?;
        }
        Ok(list)
    })
    .await?
}

/// The task that reads a subscription's consumer.
struct Reader {
    consumer: Arc<KafkaConsumer>,
    shared: Arc<Shared>,
    tx: InboxSender<KafkaEnvelope>,
    /// The address of every record (one topic), or `None` (a pattern: the record's topic).
    address: Option<String>,
    name: String,
    reconnect: Reconnect,
    commit_interval: Duration,
    stopped: watch::Receiver<bool>,
    /// The topic of the records read last, shared by their acknowledgements.
    topic: Option<Arc<str>>,
}

impl Reader {
    async fn run(mut self, mut closed: CloseWatch) {
        let mut reported = 0;
        let mut last_break: Option<tokio::time::Instant> = None;
        // Breaks closer together than this are one break (librdkafka reports each of its
        // connections, and each failed attempt to connect again).
        let window = self
            .reconnect
            .bounds()
            .map_or(Duration::from_secs(1), |(_, longest)| {
                (longest * 2).max(Duration::from_secs(1))
            });
        // Positions settled since the last record reach librdkafka at least this often, before
        // its next commit.
        let mut tick = tokio::time::interval(self.commit_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            self.shared.apply(&*self.consumer);
            let breaks = self.shared.breaks.count();
            if breaks > reported {
                reported = breaks;
                let now = tokio::time::Instant::now();
                let fresh = last_break.is_none_or(|at| now.duration_since(at) > window);
                last_break = Some(now);
                if fresh && !self.report_break() {
                    break;
                }
            }
            let consumer = Arc::clone(&self.consumer);
            let closing = std::future::poll_fn(|cx| closed.poll_closed(cx));
            tokio::select! {
                biased;
                _ = self.stopped.changed() => break,
                () = closing => break,
                () = self.shared.settled.notified() => continue,
                _ = tick.tick(), if self.shared.commits => continue,
                () = self.shared.breaks.notify.notified() => continue,
                received = consumer.recv() => match received {
                    Ok(message) => {
                        // rdkafka reads header names as UTF-8 and panics on one that is not,
                        // which any producer can send: such a record is an error of the
                        // stream (and counts as rejected), never the end of the reader.
                        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            self.envelope(&message)
                        }));
                        drop(message);
                        match read {
                            Ok(envelope) => {
                                if self.tx.send(envelope).await.is_err() {
                                    break;
                                }
                            }
                            Err(_) => self.tx.broke(TransportError::Receive {
                                address: self.name.clone(),
                                source: "a record whose header names are not UTF-8: skipped".into(),
                            }),
                        }
                    }
                    Err(e) => {
                        // A record that cannot be read (its partition gone, an error of the
                        // broker's for it): an error of the stream, which goes on.
                        tracing::debug!(target: "asyncapi", error = %e, topics = %self.name, "Kafka consumer");
                        if !crate::context::is_break(&e) {
                            self.tx.broke(TransportError::Receive {
                                address: self.name.clone(),
                                source: Box::new(e),
                            });
                        }
                    }
                },
            }
        }
        // librdkafka's close waits for the group to take the partitions back (and commits what
        // was acknowledged): on a thread that may block.
        let consumer = self.consumer;
        let shared = self.shared;
        drop(tokio::task::spawn_blocking(move || {
            shared.apply(&*consumer);
            drop(consumer);
        }));
    }

    /// One error for a break (librdkafka connects again by itself, and the consumer reads on
    /// from its position); `false` when reading is not to go on (`Reconnect::Never`: the
    /// stream ends after the error).
    fn report_break(&self) -> bool {
        let again = self.reconnect.bounds().is_some();
        let then = if again {
            "reading again once it is back (records wait in the topic)"
        } else {
            "not reading again (Reconnect::Never)"
        };
        self.tx.broke(TransportError::Receive {
            address: self.name.clone(),
            source: format!(
                "the connection to the cluster broke ({}); {then}",
                self.shared.breaks.last()
            )
            .into(),
        });
        again && !self.tx.is_gone()
    }

    fn envelope(&mut self, message: &BorrowedMessage<'_>) -> KafkaEnvelope {
        let topic_name = message.topic();
        let topic = match &self.topic {
            Some(t) if **t == *topic_name => Arc::clone(t),
            _ => {
                let t: Arc<str> = Arc::from(topic_name);
                self.topic = Some(Arc::clone(&t));
                t
            }
        };
        let address = self
            .address
            .clone()
            .unwrap_or_else(|| topic_name.to_owned());
        let mut envelope = record_envelope(address, message);
        let partition = (topic, message.partition());
        let offset = message.offset();
        if self.shared.commits {
            self.shared.tracker().delivered(&partition, offset);
        }
        envelope.envelope.acknowledgement = Some(Acknowledgement::new(Record {
            shared: Arc::clone(&self.shared),
            partition,
            offset,
        }));
        envelope
    }
}

/// The envelope of a received record, on `address`: payload and key, the content type,
/// correlation id and reply address from their headers, the other headers as they are.
pub(crate) fn record_envelope(address: String, message: &impl Message) -> KafkaEnvelope {
    let mut envelope = Envelope::new(address);
    envelope.payload = Bytes::copy_from_slice(message.payload().unwrap_or_default());
    if let Some(headers) = message.headers() {
        let mut own = EnvelopeHeaders::new();
        for header in headers.iter() {
            let value = header.value.unwrap_or_default();
            match header.key {
                CONTENT_TYPE => {
                    envelope.content_type = Some(content_type_of(&String::from_utf8_lossy(value)));
                }
                CORRELATION_ID => {
                    envelope.correlation_id = Some(String::from_utf8_lossy(value).into_owned());
                }
                REPLY_TO => envelope.reply_to = Some(String::from_utf8_lossy(value).into_owned()),
                name => own.append(name, Bytes::copy_from_slice(value)),
            }
        }
        envelope.headers = own;
    }
    KafkaEnvelope {
        envelope,
        key: message.key().map(Bytes::copy_from_slice),
        partition: Some(message.partition()),
        offset: Some(message.offset()),
        timestamp: message.timestamp().to_millis(),
        topic: Some(message.topic().to_owned()),
    }
}

/// The acknowledgement of one record.
struct Record {
    shared: Arc<Shared>,
    partition: Partition,
    offset: i64,
}

impl Record {
    /// Settled records are committed by the reader's next round (at the next record, or at
    /// its tick within the commit interval); a record to read again wakes it at once.
    fn settle_now(&self, outcome: Outcome) {
        match outcome {
            // Without a group nothing is committed: a settled record needs nothing.
            Outcome::Ack | Outcome::Reject if !self.shared.commits => {}
            Outcome::Ack | Outcome::Reject => {
                self.shared.tracker().settled(&self.partition, self.offset);
            }
            Outcome::Nack => {
                self.shared.tracker().again(&self.partition, self.offset);
                self.shared.settled.notify_one();
            }
        }
    }
}

impl Settle for Record {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        self.settle_now(outcome);
        Box::pin(std::future::ready(Ok(())))
    }

    /// Settling is the subscription's own bookkeeping: done at once, committed by librdkafka.
    fn settle_detached(
        self: Box<Self>,
        outcome: Outcome,
    ) -> Option<BoxFuture<'static, Result<(), TransportError>>> {
        self.settle_now(outcome);
        None
    }

    /// Read again, as a `nack`: a record nobody settled is not done.
    fn abandoned(self: Box<Self>) {
        self.settle_now(Outcome::Nack);
    }
}

impl Stream for KafkaSubscriber {
    type Item = Result<KafkaEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.closed.poll_closed(cx).is_ready() {
            let _ = self.stop.send(true);
            return Poll::Ready(None);
        }
        let this = &mut *self;
        match &this.subscription {
            Some(subscription) => this.records.poll_admitted(subscription, cx),
            None => Pin::new(&mut this.records).poll_next(cx),
        }
    }
}

impl Subscriber for KafkaSubscriber {
    type Envelope = KafkaEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        let _ = self.stop.send(true);
        self.records.close();
        Ok(())
    }
}

impl Drop for KafkaSubscriber {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asyncapi_runtime::envelope::EnvelopeReader;
    use rdkafka::message::{Header, OwnedHeaders, OwnedMessage, Timestamp};

    #[test]
    fn a_record_becomes_an_envelope() {
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: CONTENT_TYPE,
                value: Some("application/json"),
            })
            .insert(Header {
                key: CORRELATION_ID,
                value: Some("c-1"),
            })
            .insert(Header {
                key: REPLY_TO,
                value: Some("replies"),
            })
            .insert(Header {
                key: "tenant",
                value: Some("7"),
            })
            .insert(Header::<&str> {
                key: "empty",
                value: None,
            });
        let message = OwnedMessage::new(
            Some(b"{}".to_vec()),
            Some(b"light-7".to_vec()),
            "lights".into(),
            Timestamp::CreateTime(1_700_000_000_000),
            3,
            42,
            Some(headers),
        );
        let e = record_envelope("lights".into(), &message);
        assert_eq!(e.content_type(), Some("application/json"));
        assert_eq!(e.correlation_id(), Some("c-1"));
        assert_eq!(e.reply_to(), Some("replies"));
        assert_eq!(e.headers().get_str("tenant"), Some("7"));
        assert_eq!(e.headers().get_str("empty"), Some(""));
        assert_eq!(e.headers().len(), 2);
        assert_eq!(e.key.as_deref(), Some(&b"light-7"[..]));
        assert_eq!((e.partition, e.offset), (Some(3), Some(42)));
        assert_eq!(e.timestamp, Some(1_700_000_000_000));
    }
}
