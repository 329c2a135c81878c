//! A connection to a Kafka cluster: [`KafkaConnection`], its producer and admin client, and the
//! registry's [`Connect`] impl.

use std::sync::{Arc, OnceLock};

use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
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

/// An admin client, made when a channel's topic is to be created or checked.
type Admin = Arc<AdminClient<DefaultClientContext>>;

/// A connection to a Kafka cluster: one producer for every publisher (made with the first),
/// an admin client while a topic is created or checked, and a consumer of its own for each
/// subscription. Cloning it gives another handle.
#[derive(Clone)]
pub struct KafkaConnection {
    inner: Arc<Inner>,
}

struct Inner {
    options: KafkaOptions,
    /// The server's URL without its secrets.
    server: String,
    /// Made by the first publisher.
    producer: OnceLock<Result<FutureProducer<ClientEvents>, String>>,
    events: ClientEvents,
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
    /// Connects: the cluster's metadata is read, with a client that goes once it has answered
    /// (the producer is made with the first publisher: a connection that only subscribes has
    /// none). A cluster that cannot be reached, refuses the credentials or does not answer
    /// within the connect timeout is [`TransportError::Connect`] naming it.
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
        // The user's properties are in it already (`client_config` sets them last).
        let probe: BaseConsumer<ClientEvents> = options
            .client_config()
            .create_with_context(events.clone())
            .map_err(|e| connect_err(Box::new(e)))?;
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        let timeout = options.connect_timeout;
        // librdkafka's calls block, and so does letting its client go: on a thread that may.
        let reached = tokio::task::spawn_blocking(move || {
            let reached = probe
                .fetch_metadata(None, timeout)
                .map(|m| m.brokers().len());
            if reached.is_err() {
                // What librdkafka said about it (a refused connection, an unknown host) comes
                // as events: read them, for the error.
                let _ = probe.poll(std::time::Duration::ZERO);
            }
            drop(probe);
            reached
        })
        .instrument(span)
        .await
        .map_err(|e| connect_err(Box::new(e)))?;
        if let Err(e) = reached {
            let reason = match events.breaks.count() {
                0 => e.to_string(),
                _ => format!("{e} ({})", events.breaks.last()),
            };
            return Err(connect_err(reason.into()));
        }
        Ok(KafkaConnection {
            inner: Arc::new(Inner {
                server,
                producer: OnceLock::new(),
                events,
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
        if let Some(Ok(producer)) = self.inner.producer.get() {
            let producer = producer.clone();
            let timeout = self.inner.options.send_timeout;
            let _ = tokio::task::spawn_blocking(move || producer.flush(timeout)).await;
        }
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

    /// The connection's producer, made at the first call (by the first publisher).
    pub(crate) fn producer(&self) -> Result<&FutureProducer<ClientEvents>, BoxError> {
        let made = self.inner.producer.get_or_init(|| {
            let options = &self.inner.options;
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
            config
                .create_with_context(self.inner.events.clone())
                .map_err(|e| e.to_string())
        });
        made.as_ref().map_err(|e| e.clone().into())
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

    /// An admin client, for one topic's creation or check: librdkafka's clients keep threads
    /// that wake up while idle, so it goes once done (see [`KafkaConnection::ensure_topic`]).
    fn admin(&self) -> Result<Admin, BoxError> {
        let mut config = self.inner.options.client_config();
        config.set("allow.auto.create.topics", "false");
        Ok(Arc::new(
            config.create::<AdminClient<DefaultClientContext>>()?,
        ))
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
        let admin = self.admin()?;
        let ensured = ensure(
            &admin,
            topic,
            &wanted,
            options.create_topics,
            options.connect_timeout,
        )
        .await;
        // Letting a client go waits for its threads: on a thread that may.
        drop(tokio::task::spawn_blocking(move || drop(admin)));
        ensured
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
        self.producer().map_err(|source| TransportError::Open {
            address: channel.address.to_string(),
            source,
        })?;
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
