//! The publishers and subscribers of one channel.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::sync::oneshot;

use asyncapi_runtime::delivery::{Inbox, Overflow};
use asyncapi_runtime::transport::{
    self, ChannelSpec, Consumer, Producer, Publisher, PublisherState, Subscriber, Subscription,
    TransportError,
};

use crate::WILDCARDS;
use crate::acks::Sent;
use crate::client::{MqttClient, MqttRoute, Shared};
use crate::connection::MqttConnectionOf;
use crate::envelope::MqttEnvelope;

/// Sends on one MQTT channel.
pub struct MqttPublisher<C> {
    pub(crate) client: C,
    pub(crate) shared: Arc<Shared>,
    pub(crate) send_timeout: Duration,
    pub(crate) max_message_size: usize,
    pub(crate) qos: u8,
    pub(crate) retain: bool,
    pub(crate) message_expiry_interval: Option<u32>,
    /// The channel's name, and whether it is closed.
    pub(crate) state: PublisherState,
}

impl<C> std::fmt::Debug for MqttPublisher<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttPublisher")
            .field("channel", &self.state.channel())
            .field("qos", &self.qos)
            .field("retain", &self.retain)
            .finish_non_exhaustive()
    }
}

impl<C: MqttClient> Producer for MqttConnectionOf<C> {
    type Publisher = MqttPublisher<C>;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<MqttPublisher<C>, TransportError> {
        if self.shared.is_closed() {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let binding = channel.bindings.mqtt.clone().unwrap_or_default();
        Ok(MqttPublisher {
            client: self.client.clone(),
            shared: self.shared.clone(),
            send_timeout: self.send_timeout,
            max_message_size: self.max_message_size,
            qos: binding.qos.unwrap_or(0),
            retain: binding.retain.unwrap_or(false),
            message_expiry_interval: binding.message_expiry_interval,
            state: PublisherState::new(channel),
        })
    }
}

/// About how many bytes the PUBLISH packet of `envelope` takes: topic, payload, and the MQTT 5
/// properties it carries (fixed header and lengths counted generously).
fn packet_size(envelope: &MqttEnvelope) -> usize {
    let e = &envelope.envelope;
    let properties: usize = e
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.as_bytes().len() + 5)
        .sum::<usize>()
        + e.content_type.as_ref().map_or(0, |c| c.len() + 3)
        + e.reply_to.as_ref().map_or(0, |r| r.len() + 3)
        + e.correlation_id.as_ref().map_or(0, |c| c.len() + 3);
    e.payload.len() + e.address.len() + properties + 16
}

impl<C: MqttClient> Publisher for MqttPublisher<C> {
    type Envelope = MqttEnvelope;

    fn envelope(&self) -> MqttEnvelope {
        MqttEnvelope::default()
    }

    /// Resolves when the broker has taken the message at the QoS asked for: QoS 0 once written
    /// to the connection, QoS 1 on its PUBACK, QoS 2 on its PUBCOMP. An MQTT 5 reason code of
    /// 0x80 or more is [`TransportError::Rejected`]; no answer within the connection's send
    /// timeout is [`TransportError::Unconfirmed`] (rumqttc keeps sending it until the
    /// connection is closed).
    async fn send(&self, mut envelope: MqttEnvelope) -> Result<(), TransportError> {
        self.state.check()?;
        let qos = envelope.qos.unwrap_or(self.qos);
        let retain = envelope.retain.unwrap_or(self.retain);
        envelope.message_expiry_interval = envelope
            .message_expiry_interval
            .or(self.message_expiry_interval);
        let address = envelope.envelope.address.clone();
        let size = packet_size(&envelope);
        if size > self.max_message_size {
            return Err(TransportError::Send {
                address,
                source: format!(
                    "the message takes {size} bytes; the connection's largest is {} (MqttOptions::max_message_size)",
                    self.max_message_size
                )
                .into(),
            });
        }
        let sent = {
            let _order = self.shared.send_order.lock().await;
            let sent = self.shared.sends().queue(qos);
            if let Err(source) = self.client.publish(envelope, qos, retain).await {
                self.shared.sends().unqueue_last();
                return Err(TransportError::Send { address, source });
            }
            sent
        };
        let answer = async { Ok(sent.await.unwrap_or(Sent::Closed)) };
        match transport::confirmed(&address, self.send_timeout, answer).await? {
            Sent::Done => Ok(()),
            Sent::Refused(reason) => Err(TransportError::Rejected { address, reason }),
            Sent::Closed => Err(TransportError::Closed(self.shared.server.clone())),
        }
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// How many topic filters one subscription subscribes to at most (one per listed value of a
/// parameter inside a level); past that it subscribes to the broader filter.
const MOST_FILTERS: usize = 32;

/// Receives the publishes of one topic filter, or of one filter per listed value of a parameter
/// inside a level.
pub struct MqttSubscriber<C: MqttClient> {
    pub(crate) client: C,
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: u64,
    pub(crate) filters: Vec<String>,
    /// What the filters take (a parameter inside a level without listed values makes it
    /// broader than the channel).
    pub(crate) subscription: Subscription,
    pub(crate) inbox: Inbox<MqttEnvelope>,
}

impl<C: MqttClient> std::fmt::Debug for MqttSubscriber<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSubscriber")
            .field("filters", &self.filters)
            .finish_non_exhaustive()
    }
}

impl<C: MqttClient> Consumer for MqttConnectionOf<C> {
    type Subscriber = MqttSubscriber<C>;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<MqttSubscriber<C>, TransportError> {
        let open_err = |source: asyncapi_runtime::transport::BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if self.shared.is_closed() {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let subscription = channel.subscription(&WILDCARDS, MOST_FILTERS)?;
        let filters = subscription.patterns().to_vec();
        let qos = channel
            .bindings
            .mqtt
            .as_ref()
            .and_then(|m| m.qos)
            .unwrap_or(0);
        let route = MqttRoute {
            filters: filters.clone(),
            qos,
            ack: channel.ack,
        };
        // Waiting while the queue is full holds the event loop: the socket is not read, and
        // the broker keeps the rest (backpressure).
        let (id, inbox) = self.shared.subscriptions.subscribe(
            route,
            subscription.pattern(),
            self.subscription_limits,
            Overflow::Wait,
        );
        // From here a failure drops the subscriber, which takes its route and filters back.
        let subscriber = MqttSubscriber {
            client: self.client.clone(),
            shared: self.shared.clone(),
            id,
            filters,
            subscription,
            inbox,
        };
        for filter in &subscriber.filters {
            let (done, acked) = oneshot::channel();
            self.shared.pending().push_back(done);
            self.client
                .subscribe(filter.clone(), qos)
                .await
                .map_err(open_err)?;
            tokio::time::timeout(Duration::from_secs(10), acked)
                .await
                .map_err(|_| open_err(format!("no SUBACK for `{filter}` within 10 s").into()))?
                .map_err(|_| TransportError::Closed(self.shared.server.clone()))?;
        }
        // What the resumed session brought before this subscription existed, behind anything
        // newer the event loop hands over meanwhile (on a task: it may not fit in the buffer).
        let parked: Vec<MqttEnvelope> = subscriber
            .filters
            .iter()
            .flat_map(|filter| self.shared.unpark(filter, channel.ack))
            .collect();
        if let Some(tx) = self
            .shared
            .subscriptions
            .sender(id)
            .filter(|_| !parked.is_empty())
        {
            tokio::spawn(async move {
                for envelope in parked {
                    if tx.send(envelope).await.is_err() {
                        break;
                    }
                }
            });
        }
        Ok(subscriber)
    }
}

impl<C: MqttClient> MqttSubscriber<C> {
    /// Removes the subscriber's route; returns its filters that no other subscriber of this
    /// connection uses, to unsubscribe from.
    pub(crate) fn detach(&mut self) -> Vec<String> {
        self.shared.subscriptions.remove(self.id);
        let others = self.shared.subscriptions.keys();
        self.filters
            .iter()
            .filter(|f| !others.iter().any(|r| r.filters.contains(f)))
            .cloned()
            .collect()
    }
}

impl<C: MqttClient> Stream for MqttSubscriber<C> {
    type Item = Result<MqttEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match Pin::new(&mut this.inbox).poll_next(cx) {
                Poll::Ready(Some(Ok(envelope))) => {
                    if let Some(envelope) = this.subscription.admit(envelope, cx) {
                        return Poll::Ready(Some(Ok(envelope)));
                    }
                }
                // A break, or publishes dropped (never with the waiting policy).
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<C: MqttClient> Subscriber for MqttSubscriber<C> {
    type Envelope = MqttEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        let unused = self.detach();
        self.inbox.close();
        if !self.shared.is_closed() {
            for filter in unused {
                self.client
                    .unsubscribe(filter.clone())
                    .await
                    .map_err(|e| TransportError::Closed(format!("{filter}: {e}")))?;
            }
        }
        Ok(())
    }
}

impl<C: MqttClient> Drop for MqttSubscriber<C> {
    fn drop(&mut self) {
        let unused = self.detach();
        if !self.shared.is_closed() {
            for filter in unused {
                self.client.try_unsubscribe(filter);
            }
        }
    }
}
