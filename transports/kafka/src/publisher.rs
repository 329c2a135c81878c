//! Sending: a record per envelope, `Ok` once its delivery report says the cluster wrote it.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::FutureRecord;
use rdkafka::types::RDKafkaErrorCode;

use asyncapi_runtime::bindings::KafkaChannel;
use asyncapi_runtime::envelope::EnvelopeReader;
use asyncapi_runtime::transport::{ChannelSpec, Publisher, PublisherState, TransportError};

use crate::envelope::{CONTENT_TYPE, CORRELATION_ID, REPLY_TO};
use crate::topics::{invalid_topic, topic_for};
use crate::{KafkaConnection, KafkaEnvelope};

/// Where the cluster wrote a record: what a send's delivery report says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivered {
    /// The partition.
    pub partition: i32,
    /// The record's offset in the partition.
    pub offset: i64,
}

/// Sends records to a channel's topic.
#[derive(Debug)]
pub struct KafkaPublisher {
    connection: KafkaConnection,
    binding: Option<KafkaChannel>,
    state: PublisherState,
    /// Whether topics are made sure of (created, or checked against the binding) before the
    /// first record to each.
    ensures: bool,
    /// The topics made sure of (at most [`KNOWN`]; forgotten all at once past that).
    known: Mutex<HashSet<String>>,
}

/// How many topics a publisher remembers having made sure of.
const KNOWN: usize = 4096;

impl KafkaPublisher {
    pub(crate) fn new(connection: &KafkaConnection, channel: &ChannelSpec) -> KafkaPublisher {
        let binding = channel.bindings.kafka.clone();
        let wanted = crate::topics::Wanted::of(binding.as_ref());
        KafkaPublisher {
            ensures: connection.options().create_topics.is_some()
                || wanted != crate::topics::Wanted::default(),
            connection: connection.clone(),
            binding,
            state: PublisherState::new(channel),
            known: Mutex::new(HashSet::new()),
        }
    }

    /// Makes sure the topic of `address` is as the binding says (created when the options say
    /// so), once per topic.
    pub(crate) async fn ensure(&self, address: &str) -> Result<(), TransportError> {
        if !self.ensures {
            return Ok(());
        }
        let topic = topic_for(self.binding.as_ref(), address);
        if self.known().contains(topic) {
            return Ok(());
        }
        self.connection
            .ensure_topic(topic, self.binding.as_ref())
            .await
            .map_err(|source| TransportError::Open {
                address: address.to_owned(),
                source,
            })?;
        let mut known = self.known();
        if known.len() >= KNOWN {
            known.clear();
        }
        known.insert(topic.to_owned());
        Ok(())
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one record and waits for its delivery report: where the cluster wrote it. A record
    /// the cluster does not acknowledge within [`KafkaOptions::send_timeout`](crate::KafkaOptions::send_timeout)
    /// (librdkafka retries meanwhile) is [`TransportError::Unconfirmed`]; one it refuses is
    /// [`TransportError::Rejected`]; one larger than the largest record is
    /// [`TransportError::TooLarge`] before anything is written.
    pub async fn send_record(&self, envelope: KafkaEnvelope) -> Result<Delivered, TransportError> {
        self.state.check()?;
        self.connection.check_open()?;
        let address = envelope.address();
        let topic = topic_for(self.binding.as_ref(), address);
        let send_err = |source| TransportError::Send {
            address: address.to_owned(),
            source,
        };
        if let Some(why) = invalid_topic(topic) {
            return Err(send_err(why.into()));
        }
        let options = self.connection.options();
        let e = &envelope.envelope;
        let size = e.payload.len()
            + envelope.key.as_ref().map_or(0, |k| k.len())
            + e.headers
                .iter()
                .map(|(n, v)| n.len() + v.as_bytes().len())
                .sum::<usize>();
        if size > options.max_message_size {
            return Err(TransportError::TooLarge {
                address: address.to_owned(),
                size,
                limit: options.max_message_size,
                direction: "sends",
                option: "KafkaOptions::max_message_size",
            });
        }
        self.connection.check_unbroken(address)?;
        self.ensure(address).await?;
        let extra = usize::from(e.content_type.is_some())
            + usize::from(e.correlation_id.is_some())
            + usize::from(e.reply_to.is_some());
        let mut record = FutureRecord::<[u8], [u8]>::to(topic).payload(&e.payload[..]);
        if extra + e.headers.len() > 0 {
            let mut headers = OwnedHeaders::new_with_capacity(extra + e.headers.len());
            let text = [
                (CONTENT_TYPE, e.content_type.as_deref()),
                (CORRELATION_ID, e.correlation_id.as_deref()),
                (REPLY_TO, e.reply_to.as_deref()),
            ];
            for (key, value) in text {
                if let Some(value) = value {
                    headers = headers.insert(Header {
                        key,
                        value: Some(value.as_bytes()),
                    });
                }
            }
            for (key, value) in e.headers.iter() {
                headers = headers.insert(Header {
                    key,
                    value: Some(value.as_bytes()),
                });
            }
            record = record.headers(headers);
        }
        if let Some(key) = &envelope.key {
            record = record.key(&key[..]);
        }
        if let Some(partition) = envelope.partition {
            record = record.partition(partition);
        }
        if let Some(timestamp) = envelope.timestamp {
            record = record.timestamp(timestamp);
        }
        let timeout = options.send_timeout;
        let producer = self.connection.producer().map_err(send_err)?;
        // librdkafka's queue full is backpressure: wait, within the send timeout.
        let started = tokio::time::Instant::now();
        let delivery = loop {
            match producer.send_result(record) {
                Ok(delivery) => break delivery,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r))
                    if started.elapsed() < timeout =>
                {
                    record = r;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Err((e, _)) => return Err(failed(address, e, timeout)),
            }
        };
        // librdkafka reports every record by `message.timeout.ms` (the send timeout, retries
        // included): no timer of ours is needed.
        match delivery.await {
            Ok(Ok(delivery)) => Ok(Delivered {
                partition: delivery.partition,
                offset: delivery.offset,
            }),
            Ok(Err((e, _))) => Err(failed(address, e, timeout)),
            Err(_) => Err(send_err("the producer went away before reporting".into())),
        }
    }
}

/// The error of a record the cluster did not take.
fn failed(address: &str, error: KafkaError, timeout: Duration) -> TransportError {
    match error.rdkafka_error_code() {
        Some(RDKafkaErrorCode::MessageTimedOut) => TransportError::Unconfirmed {
            address: address.to_owned(),
            timeout,
        },
        Some(
            code @ (RDKafkaErrorCode::MessageSizeTooLarge
            | RDKafkaErrorCode::InvalidRecord
            | RDKafkaErrorCode::TopicAuthorizationFailed
            | RDKafkaErrorCode::UnknownTopicOrPartition
            | RDKafkaErrorCode::UnknownTopic
            | RDKafkaErrorCode::UnknownPartition
            | RDKafkaErrorCode::InvalidTopic
            | RDKafkaErrorCode::PolicyViolation),
        ) => TransportError::Rejected {
            address: address.to_owned(),
            reason: code.to_string(),
        },
        _ => TransportError::Send {
            address: address.to_owned(),
            source: Box::new(error),
        },
    }
}

impl Publisher for KafkaPublisher {
    type Envelope = KafkaEnvelope;

    fn envelope(&self) -> KafkaEnvelope {
        KafkaEnvelope::default()
    }

    async fn send(&self, envelope: KafkaEnvelope) -> Result<(), TransportError> {
        self.send_record(envelope).await.map(drop)
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}
