//! What librdkafka tells the transport through its callbacks: its log lines (into `tracing`),
//! its errors (a broken connection is a break: counted, and told to subscriptions), and a
//! consumer group's rebalances (offsets stored before partitions go, the first assignment
//! awaited by `subscriber`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::{Notify, watch};

use crate::offsets::Tracker;

/// Whether a librdkafka error means the connection to the cluster broke.
pub(crate) fn is_break(error: &KafkaError) -> bool {
    matches!(
        error.rdkafka_error_code(),
        Some(
            RDKafkaErrorCode::BrokerTransportFailure
                | RDKafkaErrorCode::AllBrokersDown
                | RDKafkaErrorCode::Resolve
                | RDKafkaErrorCode::Authentication
        )
    )
}

/// The breaks of one client: how many, and the last one's reason.
#[derive(Debug, Default)]
pub(crate) struct Breaks {
    count: AtomicU64,
    last: Mutex<String>,
    /// Woken at each break.
    pub(crate) notify: Notify,
}

impl Breaks {
    fn record(&self, error: &KafkaError, reason: &str) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = format!("{error}: {reason}");
        self.count.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// How many breaks so far.
    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }

    /// The last break's reason.
    pub(crate) fn last(&self) -> String {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Logs a librdkafka line through `tracing` (target `librdkafka`). librdkafka never logs its
/// SASL password; the bootstrap list it names carries no user information (the options take it
/// out of the URL).
fn log(level: RDKafkaLogLevel, facility: &str, message: &str) {
    match level {
        RDKafkaLogLevel::Emerg
        | RDKafkaLogLevel::Alert
        | RDKafkaLogLevel::Critical
        | RDKafkaLogLevel::Error => {
            tracing::error!(target: "librdkafka", facility, "{message}")
        }
        RDKafkaLogLevel::Warning => tracing::warn!(target: "librdkafka", facility, "{message}"),
        RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
            tracing::info!(target: "librdkafka", facility, "{message}")
        }
        RDKafkaLogLevel::Debug => tracing::debug!(target: "librdkafka", facility, "{message}"),
    }
}

/// The producer's and admin client's context.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientEvents {
    pub(crate) breaks: Arc<Breaks>,
}

impl ClientContext for ClientEvents {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log(level, facility, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if is_break(&error) {
            self.breaks.record(&error, reason);
        }
        tracing::debug!(target: "asyncapi", error = %error, reason, "Kafka client");
    }
}

/// The probe that checks a connection is a consumer without a group.
impl ConsumerContext for ClientEvents {}

/// What a subscription's consumer shares with its reader and its records' acknowledgements.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Settled offsets, and records to read again.
    pub(crate) tracker: Mutex<Tracker>,
    /// Woken when there is something to store or rewind.
    pub(crate) settled: Notify,
    /// The consumer's breaks.
    pub(crate) breaks: Breaks,
    /// How many assignments the group gave this member (0 until it joined).
    pub(crate) assigned: watch::Sender<u64>,
    /// Whether offsets are committed (a group subscription).
    pub(crate) commits: bool,
}

impl Shared {
    pub(crate) fn new(commits: bool) -> Shared {
        Shared {
            tracker: Mutex::new(Tracker::default()),
            settled: Notify::new(),
            breaks: Breaks::default(),
            assigned: watch::Sender::new(0),
            commits,
        }
    }

    pub(crate) fn tracker(&self) -> std::sync::MutexGuard<'_, Tracker> {
        self.tracker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands librdkafka the positions that moved (committed at the next commit), and reads
    /// again from where records are to be read again.
    pub(crate) fn apply<C: ConsumerContext, K: Consumer<C>>(&self, consumer: &K) {
        let (store, rewind) = {
            let mut tracker = self.tracker();
            if !tracker.has_work(self.commits) {
                return;
            }
            let store = if self.commits {
                tracker.take_positions()
            } else {
                Vec::new()
            };
            (store, tracker.take_rewinds())
        };
        if !store.is_empty() {
            let mut list = TopicPartitionList::with_capacity(store.len());
            for ((topic, partition), position) in &store {
                let _ = list.add_partition_offset(topic, *partition, Offset::Offset(*position));
            }
            // A partition given to another member meanwhile is refused: it is no longer ours
            // to commit, and the other member reads from the last commit.
            if let Err(e) = consumer.store_offsets(&list) {
                tracing::debug!(target: "asyncapi", error = %e, "Kafka offsets not stored");
            }
        }
        for ((topic, partition), offset) in rewind {
            let at = Offset::Offset(offset);
            if let Err(e) = consumer.seek(&topic, partition, at, std::time::Duration::ZERO) {
                tracing::debug!(target: "asyncapi", error = %e, topic = %topic, partition, "Kafka seek failed");
            }
        }
    }
}

/// A subscription's consumer context.
#[derive(Clone, Debug)]
pub(crate) struct ConsumerEvents {
    pub(crate) shared: Arc<Shared>,
}

impl ClientContext for ConsumerEvents {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        log(level, facility, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if is_break(&error) {
            self.shared.breaks.record(&error, reason);
        }
        tracing::debug!(target: "asyncapi", error = %error, reason, "Kafka consumer");
    }
}

impl ConsumerContext for ConsumerEvents {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(list) = rebalance {
            // What was settled before the partitions go is stored now, so that the commit
            // librdkafka makes as they go has it.
            self.shared.apply(consumer);
            let gone: Vec<(String, i32)> = list
                .elements()
                .iter()
                .map(|e| (e.topic().to_owned(), e.partition()))
                .collect();
            self.shared
                .tracker()
                .forget(|(t, p)| gone.iter().any(|(gt, gp)| **t == **gt && p == gp));
            tracing::debug!(target: "asyncapi", partitions = ?gone, "Kafka partitions revoked");
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(list) = rebalance {
            tracing::debug!(target: "asyncapi", partitions = list.count(), "Kafka partitions assigned");
            self.shared.assigned.send_modify(|n| *n += 1);
        }
    }
}
