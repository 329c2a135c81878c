//! The in-process transport: a broker inside the process, with real publish/subscribe semantics,
//! for examples and for users' own tests. No network, no setup.
//!
//! - **Fan-out**: every matching subscriber gets every message.
//! - **Parameters and wildcards**: a subscription's address template matches any value of the
//!   parameters it does not fix (`lights/{id}/measured` with `id` free gets every light).
//! - **Queue groups**: subscribers in one group share the group's messages, round-robin.
//! - **Backpressure**: each subscriber has a queue bounded in messages and bytes
//!   ([`Broker::with_limits`], the kit's [`delivery`](crate::delivery) queue); a publisher waits
//!   while one its message goes to is full, so a slow subscriber slows its publishers and no
//!   memory grows.
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

use crate::address::AddressTemplate;
use crate::delivery::{Fanout, Inbox, Limits, Overflow};
use crate::envelope::Envelope;
use crate::transport::{
    ChannelSpec, Consumer, Producer, Publisher, PublisherState, Subscriber, TransportError,
};

/// How many envelopes a subscriber buffers before publishers wait, unless
/// [`Broker::with_capacity`] says otherwise.
pub const DEFAULT_CAPACITY: usize = Limits::DEFAULT.messages();

/// What a subscription listens to.
struct Route {
    template: AddressTemplate,
    fixed: Vec<(String, String)>,
    group: Option<String>,
}

struct Inner {
    subscriptions: Fanout<Route, Envelope>,
    /// The next member of each queue group to get a message.
    turns: Mutex<HashMap<String, usize>>,
    next_id: AtomicU64,
    closed: AtomicBool,
    limits: Limits,
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
            .field("limits", &self.inner.limits)
            .field("closed", &self.inner.closed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Broker {
    /// A broker whose subscribers each buffer at most [`Limits::DEFAULT`].
    pub fn new() -> Broker {
        Broker::with_limits(Limits::DEFAULT)
    }

    /// A broker whose subscribers buffer `capacity` envelopes (at least one), and at most
    /// [`Limits::DEFAULT`]'s bytes.
    pub fn with_capacity(capacity: usize) -> Broker {
        Broker::with_limits(Limits::new(capacity, Limits::DEFAULT.bytes()))
    }

    /// A broker whose subscribers each buffer at most `limits`; a publisher waits while a
    /// subscriber its message goes to is full ([`Overflow::Wait`]).
    pub fn with_limits(limits: Limits) -> Broker {
        Broker {
            inner: Arc::new(Inner {
                subscriptions: Fanout::new(),
                turns: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                closed: AtomicBool::new(false),
                limits,
            }),
        }
    }

    /// A connection to the broker: a [`Producer`] and a [`Consumer`].
    pub fn connect(&self) -> MemoryConnection {
        MemoryConnection {
            broker: self.clone(),
            limits: self.inner.limits,
        }
    }

    /// Closes the broker: every subscriber's stream ends, and later sends and subscriptions fail.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.subscriptions.close();
    }

    /// How many subscriptions are open.
    pub fn subscriptions(&self) -> usize {
        self.inner.subscriptions.len()
    }

    /// A new unique address, for reply inboxes.
    pub fn unique_address(&self, prefix: &str) -> String {
        let n = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n}")
    }

    fn check_open(&self, what: &str) -> Result<(), TransportError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            Err(TransportError::Closed(what.to_owned()))
        } else {
            Ok(())
        }
    }

    /// Hands an envelope to every matching subscriber outside queue groups, and to one member
    /// of each matching group (in turn), waiting while one of them is full.
    async fn deliver(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.check_open("the in-process broker")?;
        let matching = self.inner.subscriptions.select(|route| {
            let fixed: Vec<(&str, &str)> = route
                .fixed
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            route
                .template
                .matches(&envelope.address, &fixed)
                .then(|| route.group.clone())
        });
        let mut targets = Vec::new();
        let mut members: Vec<(String, Vec<_>)> = Vec::new();
        for (group, target) in matching {
            match group {
                None => targets.push(target),
                Some(g) => match members.iter_mut().find(|(name, _)| *name == g) {
                    Some((_, m)) => m.push(target),
                    None => members.push((g, vec![target])),
                },
            }
        }
        if !members.is_empty() {
            let mut turns = self.inner.turns.lock().unwrap_or_else(|e| e.into_inner());
            for (group, mut m) in members {
                let turn = turns.entry(group).or_insert(0);
                let len = m.len();
                targets.push(m.swap_remove(*turn % len));
                *turn = turn.wrapping_add(1);
            }
        }
        crate::delivery::deliver_to(envelope, targets).await;
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
    /// What each of its subscriptions holds at most.
    limits: Limits,
}

impl MemoryConnection {
    /// The broker this connection talks to.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }

    /// The same connection, whose later subscriptions each hold at most `limits` (the broker's
    /// by default); a publisher waits while one its message goes to is full.
    pub fn subscription_limits(mut self, limits: Limits) -> MemoryConnection {
        self.limits = limits;
        self
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
    inbox: Inbox<Envelope>,
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
        let route = Route {
            template,
            fixed: channel
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            group: channel.queue_group.clone(),
        };
        let (id, inbox) = self.broker.inner.subscriptions.subscribe(
            route,
            channel.address.to_string(),
            self.limits,
            Overflow::Wait,
        );
        Ok(MemorySubscriber {
            broker: self.broker.clone(),
            id,
            inbox,
        })
    }
}

impl Stream for MemorySubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inbox).poll_next(cx)
    }
}

impl Subscriber for MemorySubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        self.broker.inner.subscriptions.remove(self.id);
        self.inbox.close();
        Ok(())
    }
}

impl Drop for MemorySubscriber {
    fn drop(&mut self) {
        self.broker.inner.subscriptions.remove(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::EnvelopeReader;
    use crate::test_support::block_on;
    use futures_util::StreamExt;
    use std::time::Duration;

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
