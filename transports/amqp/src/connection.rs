//! A connection to an AMQP broker: [`AmqpConnection`], kept up by its link, and the registry's
//! [`Connect`] impl.

use std::sync::Arc;

use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Connect, Consumer, Producer, TransportError, open_within,
};

use crate::link::{self, Link};
use crate::{
    AmqpOptions, AmqpPublisher, AmqpSubscriber, AmqpTopologyError, publisher, subscriber, topology,
};

/// What bounds opening a publisher or a subscription (its AMQP channel, declarations, confirms
/// or consumer).
const OPEN_OPTION: &str = "AmqpOptions::connect_timeout";

/// A connection to an AMQP broker, kept up: when it breaks it is connected again by itself
/// (see [`AmqpOptions::reconnect`]). Each publisher and each subscription has a channel of its
/// own (a refused declaration closes only that one), opened again on the new connection. Cloning
/// it gives another handle.
#[derive(Clone)]
pub struct AmqpConnection {
    pub(crate) link: Arc<Link>,
}

impl std::fmt::Debug for AmqpConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpConnection")
            .field("server", &self.link.server)
            .finish_non_exhaustive()
    }
}

impl AmqpConnection {
    /// Connects; a broker that is down, refuses the credentials or has no such virtual host is
    /// [`TransportError::Connect`] naming it.
    pub async fn connect(options: AmqpOptions) -> Result<AmqpConnection, TransportError> {
        Ok(AmqpConnection {
            link: Link::connect(options).await?,
        })
    }

    /// Whether the connection is up now (`false` while it is being connected again, and once
    /// closed).
    pub fn is_connected(&self) -> bool {
        matches!(self.link.state(), link::State::Up { connection, .. } if connection.status().connected())
    }

    /// Closes the connection (`connection.close`) for good: its publishers' sends fail and its
    /// subscriptions end.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.link.close().await
    }

    /// A channel of its own, for one publisher or subscription, after checking that the
    /// channel's binding names this connection's virtual host (if it names one).
    pub(crate) async fn channel_for(
        &self,
        channel: &ChannelSpec,
    ) -> Result<(u64, lapin::Channel), TransportError> {
        let open_err = |source: BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if let Some(vhost) = topology::Target::vhost(channel)
            && vhost != self.link.vhost
        {
            return Err(open_err(Box::new(AmqpTopologyError::Unsupported(format!(
                "the binding names the virtual host `{vhost}`, and the connection is to `{}`: connect to `{vhost}` for this channel",
                self.link.vhost
            )))));
        }
        let (generation, connection) =
            self.link
                .working(self.link.options.connect_timeout)
                .await
                .map_err(|e| open_err(e.describe(&self.link.server).into()))?;
        let channel = connection
            .create_channel()
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        Ok((generation, channel))
    }
}

impl Connect for AmqpConnection {
    type Options = AmqpOptions;
    const PROTOCOLS: &'static [Protocol] = &[
        Protocol::any_version("amqp"),
        Protocol::any_version("amqps"),
    ];

    async fn connect_with(options: AmqpOptions) -> Result<Self, TransportError> {
        AmqpConnection::connect(options).await
    }
}

impl Producer for AmqpConnection {
    type Publisher = AmqpPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<AmqpPublisher, TransportError> {
        // A broker that stopped answering, or a connection that died before lapin saw it go,
        // would hold the AMQP channel's opening for ever.
        let patience = self.link.options.connect_timeout;
        open_within(
            channel,
            patience,
            OPEN_OPTION,
            publisher::open(self, channel),
        )
        .await
    }
}

impl Consumer for AmqpConnection {
    type Subscriber = AmqpSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<AmqpSubscriber, TransportError> {
        let patience = self.link.options.connect_timeout;
        open_within(
            channel,
            patience,
            OPEN_OPTION,
            subscriber::open(self, channel),
        )
        .await
    }
}
