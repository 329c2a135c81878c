//! A connection to a Kafka cluster: [`KafkaConnection`], its producer and admin client, and the
//! registry's [`Connect`] impl.

use std::sync::{Arc, OnceLock};

use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use rdkafka::producer::{FutureProducer, Producer as _};
use tracing::Instrument;

use asyncapi_runtime::bindings::KafkaChannel;
use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, CloseSignal, CloseWatch, Connect, Consumer, Producer, TransportError,
};

use crate::context::ClientEvents;
use crate::options::millis;
use crate::topics::{Wanted, ensure};
use crate::{KafkaOptions, KafkaPublisher, KafkaSubscriber, subscriber};

/// The admin client, made when a channel first needs its topic created or checked.
type Admin = Arc<AdminClient<DefaultClientContext>>;

/// A connection to a Kafka cluster: one producer for every publisher, an admin client for
/// topics, and a consumer of its own for each subscription. Cloning it gives another handle.
#[derive(Clone)]
pub struct KafkaConnection {
    inner: Arc<Inner>,
}

struct Inner {
    options: KafkaOptions,
    /// The server's URL without its secrets.
    server: String,
    producer: FutureProducer<ClientEvents>,
    events: ClientEvents,
    /// How many breaks the producer had when the connection was made.
    admin: OnceLock<Result<Admin, String>>,
    closing: CloseSignal,
}

impl std::fmt::Debug for KafkaConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaConnection")
            .field("server", &self.inner.server)
            .finish_non_exhaustive()
    }
}

impl KafkaConnection {
    /// Connects: the producer is made and the cluster's metadata read. A cluster that cannot be
    /// reached, refuses the credentials or does not answer within the connect timeout is
    /// [`TransportError::Connect`] naming it.
    pub async fn connect(options: KafkaOptions) -> Result<KafkaConnection, TransportError> {
        let server = options.server();
        let connect_err = |source: BoxError| TransportError::Connect {
            server: server.clone(),
            source,
        };
        if let Some(why) = options.unsupported() {
            return Err(connect_err(why.into()));
        }
        let events = ClientEvents::default();
        let mut config = options.client_config();
        config
            .set(
                "message.timeout.ms",
                millis(options.send_timeout).to_string(),
            )
            .set("linger.ms", options.linger.as_millis().to_string())
            .set("acks", "all")
            // Room for the record's framing beside the largest record.
            .set(
                "message.max.bytes",
                (options.max_message_size + 65_536)
                    .min(1_000_000_000)
                    .to_string(),
            );
        for (key, value) in &options.config {
            config.set(key, value);
        }
        let producer: FutureProducer<ClientEvents> = config
            .create_with_context(events.clone())
            .map_err(|e| connect_err(Box::new(e)))?;
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        let timeout = options.connect_timeout;
        let probe = producer.clone();
        let reached = tokio::task::spawn_blocking(move || {
            probe
                .client()
                .fetch_metadata(None, timeout)
                .map(|m| m.brokers().len())
        })
        .instrument(span)
        .await
        .map_err(|e| connect_err(Box::new(e)))?;
        match reached {
            Ok(_) => {}
            Err(e) => {
                let reason = match events.breaks.count() {
                    0 => e.to_string(),
                    _ => format!("{e} ({})", events.breaks.last()),
                };
                return Err(connect_err(reason.into()));
            }
        }
        Ok(KafkaConnection {
            inner: Arc::new(Inner {
                server,
                producer,
                events,
                admin: OnceLock::new(),
                closing: CloseSignal::new(),
                options,
            }),
        })
    }

    /// Closes the connection from any of its clones: every subscription's stream ends (its
    /// consumer leaves its group, committing what was acknowledged), and later sends,
    /// publishers and subscriptions fail with [`TransportError::Closed`]. Records sent and
    /// not yet reported are waited for, up to the send timeout.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.inner.closing.close();
        let producer = self.inner.producer.clone();
        let timeout = self.inner.options.send_timeout;
        let _ = tokio::task::spawn_blocking(move || producer.flush(timeout)).await;
        Ok(())
    }

    /// The options it was made with.
    pub fn options(&self) -> &KafkaOptions {
        &self.inner.options
    }

    pub(crate) fn check_open(&self) -> Result<(), TransportError> {
        self.inner.closing.check(&self.inner.server)
    }

    pub(crate) fn close_watch(&self) -> CloseWatch {
        self.inner.closing.watch()
    }

    pub(crate) fn producer(&self) -> &FutureProducer<ClientEvents> {
        &self.inner.producer
    }

    /// Under [`Reconnect::Never`](asyncapi_runtime::transport::Reconnect::Never), a connection
    /// that broke once sends nothing more.
    pub(crate) fn check_unbroken(&self, address: &str) -> Result<(), TransportError> {
        if self.inner.options.reconnect.bounds().is_none() && self.inner.events.breaks.count() > 0 {
            return Err(TransportError::Send {
                address: address.to_owned(),
                source: format!(
                    "the connection to {} broke ({}) and is not connected again (Reconnect::Never)",
                    self.inner.server,
                    self.inner.events.breaks.last()
                )
                .into(),
            });
        }
        Ok(())
    }

    fn admin(&self) -> Result<&Admin, BoxError> {
        let made = self.inner.admin.get_or_init(|| {
            let mut config = self.inner.options.client_config();
            config.set("allow.auto.create.topics", "false");
            config
                .create::<AdminClient<DefaultClientContext>>()
                .map(Arc::new)
                .map_err(|e| e.to_string())
        });
        made.as_ref().map_err(|e| e.clone().into())
    }

    /// Makes sure `topic` is as `channel`'s binding says (created when the options say so).
    pub(crate) async fn ensure_topic(
        &self,
        topic: &str,
        binding: Option<&KafkaChannel>,
    ) -> Result<(), BoxError> {
        let wanted = Wanted::of(binding);
        let options = &self.inner.options;
        if options.create_topics.is_none() && wanted == Wanted::default() {
            return Ok(());
        }
        ensure(
            self.admin()?,
            topic,
            &wanted,
            options.create_topics,
            options.connect_timeout,
        )
        .await
    }

    /// A subscription's opening, within the connect timeout.
    async fn opened<T>(
        &self,
        channel: &ChannelSpec,
        opening: impl Future<Output = Result<T, TransportError>>,
    ) -> Result<T, TransportError> {
        let patience = self.inner.options.connect_timeout * 2;
        asyncapi_runtime::transport::open_within(
            channel,
            patience,
            "KafkaOptions::connect_timeout",
            opening,
        )
        .await
    }
}

impl Connect for KafkaConnection {
    type Options = KafkaOptions;
    const PROTOCOLS: &'static [Protocol] = &[
        Protocol::any_version("kafka"),
        Protocol::any_version("kafka-secure"),
    ];

    async fn connect_with(options: KafkaOptions) -> Result<Self, TransportError> {
        KafkaConnection::connect(options).await
    }
}

impl Producer for KafkaConnection {
    type Publisher = KafkaPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<KafkaPublisher, TransportError> {
        self.check_open()?;
        let publisher = KafkaPublisher::new(self, channel);
        // The topic of a channel without parameters is known now; one with parameters is each
        // send's, made sure of at its first send.
        if let Ok(template) = asyncapi_runtime::address::AddressTemplate::parse(&channel.address)
            && template.params().next().is_none()
        {
            self.opened(channel, publisher.ensure(&channel.address))
                .await?;
        }
        Ok(publisher)
    }
}

impl Consumer for KafkaConnection {
    type Subscriber = KafkaSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<KafkaSubscriber, TransportError> {
        self.check_open()?;
        self.opened(channel, subscriber::subscribe(self, channel))
            .await
    }
}
