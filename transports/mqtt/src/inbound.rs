//! The event loop's inbound side: received publishes handed to their subscribers, in order,
//! without ever holding up the event loop.
//!
//! rumqttc answers pings, reads acknowledgements and writes this connection's own publishes only
//! while its event loop is polled. So a publish waiting for room in a slow subscriber's queue is
//! delivered beside the loop, not inside it: the publishes that come meanwhile wait behind it in
//! a staging queue of the connection ([`STAGING`]: 1,024 publishes, 64 MiB). For QoS 1 and 2 the
//! broker's own window bounds what can come (at most its in-flight limit goes unacknowledged:
//! MQTT 5's receive maximum, which this client sets to 1,024, or the broker's setting for 3.1.1,
//! Mosquitto's 20 by default; each is acknowledged only once its subscribers have settled it),
//! so nothing is lost; QoS 0 has no flow control, so a publish that finds the staging queue full is
//! offered to its subscribers at once, and dropped and counted
//! ([`TransportError::Lagged`](asyncapi_runtime::transport::TransportError::Lagged)) by those
//! whose queue is full (one that has room takes it ahead of the staged publishes: MQTT orders
//! publishes within one QoS only). A QoS 1 or 2 publish past the bound (a broker ignoring its window) is
//! left unacknowledged: a persistent session brings it again.

use std::collections::VecDeque;
use std::sync::Arc;

use asyncapi_runtime::delivery::{Limits, weight};
use asyncapi_runtime::transport::BoxFuture;

use crate::client::{MqttClient, Shared};
use crate::envelope::MqttEnvelope;

/// What the staging queue holds at most.
pub(crate) const STAGING: Limits = Limits::DEFAULT;

/// The publishes of one connection on their way to subscribers.
pub(crate) struct Inbound<C: MqttClient> {
    shared: Arc<Shared>,
    client: C,
    /// The delivery under way (waiting for room in a subscriber's queue, perhaps).
    current: Option<BoxFuture<'static, ()>>,
    /// What came after it, oldest first, and its weight in bytes.
    staged: VecDeque<(MqttEnvelope, C::Incoming, usize)>,
    staged_bytes: usize,
}

impl<C: MqttClient> Inbound<C> {
    pub(crate) fn new(shared: Arc<Shared>, client: C) -> Inbound<C> {
        Inbound {
            shared,
            client,
            current: None,
            staged: VecDeque::new(),
            staged_bytes: 0,
        }
    }

    /// A publish from the broker: delivered now, or staged behind the delivery under way.
    pub(crate) fn take(&mut self, envelope: MqttEnvelope, publish: C::Incoming) {
        if self.current.is_none() {
            self.current = self.shared.deliver(envelope, &self.client, publish);
            return;
        }
        let weight = weight(&envelope);
        let fits = self.staged.len() < STAGING.messages()
            && (self.staged.is_empty() || self.staged_bytes + weight <= STAGING.bytes());
        if fits {
            self.staged_bytes += weight;
            self.staged.push_back((envelope, publish, weight));
        } else if envelope.qos.unwrap_or(0) == 0 {
            self.shared.offer(envelope);
        } else {
            tracing::warn!(
                target: "asyncapi",
                server = %self.shared.server,
                topic = %envelope.envelope.address,
                "MQTT publish beyond the staging bound (the broker sent past its in-flight window); left unacknowledged"
            );
        }
    }

    /// Runs `poll` (the event loop's next event, or a wait) to its end while deliveries go on
    /// beside it. `poll` is never cancelled.
    pub(crate) async fn beside<T>(&mut self, poll: impl Future<Output = T>) -> T {
        let mut poll = std::pin::pin!(poll);
        loop {
            tokio::select! {
                biased;
                event = &mut poll => return event,
                () = self.progress() => {}
            }
        }
    }

    /// Completes when the delivery under way has finished, and starts the next staged one;
    /// pending while nothing is under way. Cancelling it loses nothing.
    async fn progress(&mut self) {
        match self.current.as_mut() {
            Some(delivery) => {
                delivery.await;
                self.current = None;
                // What was staged meanwhile goes at once, up to one that has to wait.
                while self.current.is_none()
                    && let Some((envelope, publish, weight)) = self.staged.pop_front()
                {
                    self.staged_bytes -= weight;
                    self.current = self.shared.deliver(envelope, &self.client, publish);
                }
            }
            None => std::future::pending().await,
        }
    }
}
