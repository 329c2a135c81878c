//! Receiving: [`MqttSubscriber`], a channel's topic filters on the connection's routing, each
//! publish through the subscription's queue (the kit's).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::sync::oneshot;

use asyncapi_runtime::delivery::{Inbox, Overflow};
use asyncapi_runtime::transport::{
    ChannelSpec, Consumer, Subscriber, Subscription, TransportError,
};

use crate::WILDCARDS;
use crate::client::{MqttClient, MqttRoute, Shared};
use crate::connection::MqttConnectionOf;
use crate::envelope::MqttEnvelope;

/// How many topic filters one subscription subscribes to at most (one per listed value of a
/// parameter inside a level); past that it subscribes to the broader filter.
const MOST_FILTERS: usize = 32;

/// Receives the publishes of one topic filter, or of one filter per listed value of a parameter
/// inside a level.
pub struct MqttSubscriber<C: MqttClient> {
    pub(crate) client: C,
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: u64,
    /// The filters as subscribed to (`$share/<group>/<filter>` in a group).
    pub(crate) filters: Vec<String>,
    /// What the filters take (a parameter inside a level without listed values makes it
    /// broader than the channel).
    pub(crate) subscription: Subscription,
    pub(crate) inbox: Inbox<MqttEnvelope>,
    /// Cleared when the subscriber is closed or dropped (see [`MqttRoute::open`]).
    pub(crate) open: Arc<AtomicBool>,
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
        let group = channel.group("mqtt");
        if let Some(group) = group
            && (group.is_empty() || group.contains(['/', '+', '#']))
        {
            return Err(open_err(
                format!("`{group}` cannot name an MQTT shared subscription's group (empty, or with `/`, `+` or `#`)").into(),
            ));
        }
        let qos = channel
            .bindings
            .mqtt
            .as_ref()
            .and_then(|m| m.qos)
            .unwrap_or(0);
        let open = Arc::new(AtomicBool::new(true));
        let route = MqttRoute {
            filters,
            group: group.map(str::to_owned),
            qos,
            ack: channel.ack,
            open: Arc::clone(&open),
        };
        let subscribed = route.subscribed();
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
            filters: subscribed,
            subscription,
            inbox,
            open,
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
            .subscription
            .patterns()
            .iter()
            .flat_map(|filter| self.shared.unpark(filter, channel.ack, &subscriber.open))
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
        // Before the queue goes: what it holds is left unacknowledged.
        self.open.store(false, Ordering::SeqCst);
        self.shared.subscriptions.remove(self.id);
        let others = self.shared.subscriptions.keys();
        self.filters
            .iter()
            .filter(|f| !others.iter().any(|r| r.subscribed().contains(f)))
            .cloned()
            .collect()
    }
}

impl<C: MqttClient> Stream for MqttSubscriber<C> {
    type Item = Result<MqttEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.inbox.poll_admitted(&this.subscription, cx)
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
