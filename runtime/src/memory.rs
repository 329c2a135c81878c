//! The in-process transport: a broker inside the process, with real publish/subscribe semantics,
//! for examples and for users' own tests. No network, no setup.
//!
//! - **Fan-out**: every matching subscriber gets every message.
//! - **Parameters and wildcards**: a subscription's address template matches any value of the
//!   parameters it does not fix (`lights/{id}/measured` with `id` free gets every light).
//! - **Queue groups**: subscribers in one group share the group's messages, round-robin.
//! - **Backpressure**: each subscriber has a bounded buffer; a publisher waits while one is full.
//! - **Request/reply**: envelopes carry `reply_to` and a correlation id (see
//!   [`crate::reply`]).
//! - **Close**: closing a subscriber ends its stream; closing the broker ends every stream and
//!   refuses every later send.
//!
//! ```
//! # tokio_test_block_on(async {
//! use asyncapi_runtime::envelope::{Envelope, EnvelopeReader};
//! use asyncapi_runtime::memory::Broker;
//! use asyncapi_runtime::transport::{ChannelSpec, Consumer, Producer, Publisher};
//! use futures_util::StreamExt;
//!
//! let broker = Broker::new();
//! let connection = broker.connect();
//! let channel = ChannelSpec::new("measured", "lights/{id}/measured");
//! let mut subscriber = connection.subscriber(&channel).await.unwrap();
//! let publisher = connection.publisher(&channel).await.unwrap();
//! publisher.send(Envelope::new("lights/7/measured").with_payload("42")).await.unwrap();
//! let received = subscriber.next().await.unwrap().unwrap();
//! assert_eq!(received.address(), "lights/7/measured");
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_core::Stream;
use tokio::sync::mpsc;

use crate::address::AddressTemplate;
use crate::envelope::Envelope;
use crate::transport::{
    ChannelSpec, Consumer, Producer, Publisher, PublisherState, Subscriber, TransportError,
};

/// How many envelopes a subscriber buffers before publishers wait, unless
/// [`Broker::with_capacity`] says otherwise.
pub const DEFAULT_CAPACITY: usize = 1024;

/// A subscription an envelope goes to: its id and its sender.
type Target = (u64, mpsc::Sender<Envelope>);

struct Subscription {
    id: u64,
    template: AddressTemplate,
    fixed: Vec<(String, String)>,
    group: Option<String>,
    tx: mpsc::Sender<Envelope>,
}

#[derive(Default)]
struct State {
    subscriptions: Vec<Subscription>,
    /// The next member of each queue group to get a message.
    turns: HashMap<String, usize>,
}

struct Inner {
    state: Mutex<State>,
    next_id: AtomicU64,
    closed: AtomicBool,
    capacity: usize,
}

/// An in-process broker. Cloning it gives another handle to the same broker.
#[derive(Clone)]
pub struct Broker {
    inner: Arc<Inner>,
}

impl Default for Broker {
    fn default() -> Self {
        Broker::new()
    }
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker")
            .field("capacity", &self.inner.capacity)
            .field("closed", &self.inner.closed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Broker {
    /// A broker whose subscribers buffer [`DEFAULT_CAPACITY`] envelopes.
    pub fn new() -> Broker {
        Broker::with_capacity(DEFAULT_CAPACITY)
    }

    /// A broker whose subscribers buffer `capacity` envelopes (at least one).
    pub fn with_capacity(capacity: usize) -> Broker {
        Broker {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                next_id: AtomicU64::new(1),
                closed: AtomicBool::new(false),
                capacity: capacity.max(1),
            }),
        }
    }

    /// A connection to the broker: a [`Producer`] and a [`Consumer`].
    pub fn connect(&self) -> MemoryConnection {
        MemoryConnection {
            broker: self.clone(),
        }
    }

    /// Closes the broker: every subscriber's stream ends, and later sends and subscriptions fail.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.lock().subscriptions.clear();
    }

    /// How many subscriptions are open.
    pub fn subscriptions(&self) -> usize {
        self.lock().subscriptions.len()
    }

    /// A new unique address, for reply inboxes.
    pub fn unique_address(&self, prefix: &str) -> String {
        let n = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n}")
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_open(&self, what: &str) -> Result<(), TransportError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            Err(TransportError::Closed(what.to_owned()))
        } else {
            Ok(())
        }
    }

    /// The senders an envelope for `address` goes to: every matching subscriber outside queue
    /// groups, and one member of each matching group.
    fn targets(&self, address: &str) -> Vec<Target> {
        let mut state = self.lock();
        let mut out = Vec::new();
        let mut groups: Vec<(String, Vec<Target>)> = Vec::new();
        for s in &state.subscriptions {
            let fixed: Vec<(&str, &str)> = s
                .fixed
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            if !s.template.matches(address, &fixed) {
                continue;
            }
            match &s.group {
                None => out.push((s.id, s.tx.clone())),
                Some(g) => match groups.iter_mut().find(|(name, _)| name == g) {
                    Some((_, members)) => members.push((s.id, s.tx.clone())),
                    None => groups.push((g.clone(), vec![(s.id, s.tx.clone())])),
                },
            }
        }
        for (group, members) in groups {
            let turn = state.turns.entry(group).or_insert(0);
            out.push(members[*turn % members.len()].clone());
            *turn = turn.wrapping_add(1);
        }
        out
    }

    fn remove(&self, id: u64) {
        self.lock().subscriptions.retain(|s| s.id != id);
    }

    async fn deliver(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.check_open("the in-process broker")?;
        let targets = self.targets(&envelope.address);
        let count = targets.len();
        let mut envelope = Some(envelope);
        for (i, (id, tx)) in targets.into_iter().enumerate() {
            // The last subscriber gets the envelope itself, the others a copy.
            let env = if i + 1 == count {
                envelope.take()
            } else {
                envelope.clone()
            };
            let Some(env) = env else { break };
            if tx.send(env).await.is_err() {
                // The subscriber went away between matching and sending.
                self.remove(id);
            }
        }
        Ok(())
    }
}

/// The name [`MemoryConnection`] had before every transport's connection was named
/// `<Protocol>Connection`; kept so that code written against it still compiles.
pub type Connection = MemoryConnection;

/// A connection to a [`Broker`].
#[derive(Clone, Debug)]
pub struct MemoryConnection {
    broker: Broker,
}

impl MemoryConnection {
    /// The broker this connection talks to.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }
}

/// Sends on an in-process channel.
#[derive(Debug)]
pub struct MemoryPublisher {
    broker: Broker,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
}

impl Producer for MemoryConnection {
    type Publisher = MemoryPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<MemoryPublisher, TransportError> {
        self.broker.check_open("the in-process broker")?;
        Ok(MemoryPublisher {
            broker: self.broker.clone(),
            state: PublisherState::new(channel),
        })
    }
}

impl Publisher for MemoryPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        self.broker.deliver(envelope).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// Receives on an in-process channel.
#[derive(Debug)]
pub struct MemorySubscriber {
    broker: Broker,
    id: u64,
    rx: mpsc::Receiver<Envelope>,
}

impl Consumer for MemoryConnection {
    type Subscriber = MemorySubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<MemorySubscriber, TransportError> {
        self.broker.check_open("the in-process broker")?;
        let template =
            AddressTemplate::parse(&channel.address).map_err(|e| TransportError::Open {
                address: channel.address.to_string(),
                source: Box::new(e),
            })?;
        let (tx, rx) = mpsc::channel(self.broker.inner.capacity);
        let id = self.broker.inner.next_id.fetch_add(1, Ordering::Relaxed);
        self.broker.lock().subscriptions.push(Subscription {
            id,
            template,
            fixed: channel
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            group: channel.queue_group.clone(),
            tx,
        });
        Ok(MemorySubscriber {
            broker: self.broker.clone(),
            id,
            rx,
        })
    }
}

impl Stream for MemorySubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|e| e.map(Ok))
    }
}

impl Subscriber for MemorySubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        self.broker.remove(self.id);
        self.rx.close();
        Ok(())
    }
}

impl Drop for MemorySubscriber {
    fn drop(&mut self) {
        self.broker.remove(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::EnvelopeReader;
    use futures_util::StreamExt;
    use std::time::Duration;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    async fn send(c: &MemoryConnection, address: &str, payload: &'static str) {
        let p = c.publisher(&ChannelSpec::new("c", "x")).await.unwrap();
        p.send(Envelope::new(address).with_payload(payload))
            .await
            .unwrap();
    }

    #[test]
    fn fan_out_and_parameters() {
        block_on(async {
            let broker = Broker::new();
            let c = broker.connect();
            let all = ChannelSpec::new("m", "lights/{id}/measured");
            let mut a = c.subscriber(&all).await.unwrap();
            let mut b = c.subscriber(&all).await.unwrap();
            let mut only7 = c
                .subscriber(&all.clone().with_param("id", "7"))
                .await
                .unwrap();
            send(&c, "lights/3/measured", "three").await;
            send(&c, "lights/7/measured", "seven").await;
            send(&c, "lights/7/other", "ignored").await;
            for s in [&mut a, &mut b] {
                assert_eq!(&s.next().await.unwrap().unwrap().payload[..], b"three");
                assert_eq!(&s.next().await.unwrap().unwrap().payload[..], b"seven");
            }
            let e = only7.next().await.unwrap().unwrap();
            assert_eq!(e.address(), "lights/7/measured");
        });
    }

    #[test]
    fn queue_groups_share() {
        block_on(async {
            let broker = Broker::new();
            let c = broker.connect();
            let spec = ChannelSpec::new("jobs", "jobs").in_queue_group("workers");
            let mut w1 = c.subscriber(&spec).await.unwrap();
            let mut w2 = c.subscriber(&spec).await.unwrap();
            for _ in 0..4 {
                send(&c, "jobs", "job").await;
            }
            broker.close();
            let n1 = (&mut w1).count().await;
            let n2 = (&mut w2).count().await;
            assert_eq!((n1, n2), (2, 2));
        });
    }

    #[test]
    fn backpressure_waits_for_the_slow_subscriber() {
        block_on(async {
            let broker = Broker::with_capacity(2);
            let c = broker.connect();
            let mut slow = c.subscriber(&ChannelSpec::new("s", "s")).await.unwrap();
            send(&c, "s", "1").await;
            send(&c, "s", "2").await;
            let third = tokio::time::timeout(Duration::from_millis(50), send(&c, "s", "3")).await;
            assert!(
                third.is_err(),
                "the third send waits while the buffer is full"
            );
            assert_eq!(&slow.next().await.unwrap().unwrap().payload[..], b"1");
            tokio::time::timeout(Duration::from_secs(5), send(&c, "s", "4"))
                .await
                .expect("room again");
        });
    }

    #[test]
    fn close_ends_streams_and_refuses_sends() {
        block_on(async {
            let broker = Broker::new();
            let c = broker.connect();
            let mut s = c.subscriber(&ChannelSpec::new("s", "s")).await.unwrap();
            let p = c.publisher(&ChannelSpec::new("s", "s")).await.unwrap();
            s.close().await.unwrap();
            assert!(s.next().await.is_none());
            assert_eq!(broker.subscriptions(), 0);
            p.close().await.unwrap();
            assert!(matches!(
                p.send(Envelope::new("s")).await,
                Err(TransportError::Closed(_))
            ));
            broker.close();
            assert!(c.subscriber(&ChannelSpec::new("s", "s")).await.is_err());
        });
    }
}
