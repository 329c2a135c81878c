//! What a channel is on the broker, from the document's AMQP channel binding: an exchange and a
//! routing key, or a queue; declared with the document's properties, and refusals turned into
//! errors that name the exchange or queue and the property.

use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{Channel, ExchangeKind};

use asyncapi_runtime::address::AddressTemplate;
use asyncapi_runtime::transport::{ChannelSpec, Subscription, TransportError};

use crate::{AmqpOptions, WILDCARDS};

/// A declaration the broker refused.
#[derive(Debug, thiserror::Error)]
pub enum AmqpTopologyError {
    /// The exchange or queue exists with other properties.
    #[error("{kind} `{name}` exists with another `{property}` than the document's: {detail}")]
    Conflict {
        /// `exchange` or `queue`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// The property that differs (`durable`, `auto_delete`, `type`, ...).
        property: String,
        /// What the broker said.
        detail: String,
    },
    /// The broker refused it for another reason (access, a missing virtual host, ...).
    #[error("{kind} `{name}`: {detail}")]
    Refused {
        /// `exchange`, `queue` or `binding`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// What the broker said.
        detail: String,
    },
    /// The document asks for something AMQP cannot do.
    #[error("{0}")]
    Unsupported(String),
}

/// An exchange as the document declares it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Exchange {
    pub name: String,
    pub kind: ExchangeKind,
    pub durable: bool,
    pub auto_delete: bool,
}

/// A queue as the document declares it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Queue {
    pub name: String,
    pub durable: bool,
    pub exclusive: bool,
    pub auto_delete: bool,
}

/// What a channel is (`is` of the channel binding).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Target {
    /// `routingKey` (the default): messages go to the exchange with the concrete address as the
    /// routing key; a subscription is a queue bound to it.
    Exchange { exchange: Exchange, queue: Queue },
    /// `queue`: messages go to the queue through the default exchange; a subscription consumes
    /// it.
    Queue(Queue),
}

fn kind_of(name: &str) -> ExchangeKind {
    match name {
        "topic" => ExchangeKind::Topic,
        "direct" => ExchangeKind::Direct,
        "fanout" => ExchangeKind::Fanout,
        "headers" => ExchangeKind::Headers,
        // The binding's `default` is the default exchange, a direct one.
        "default" => ExchangeKind::Direct,
        other => ExchangeKind::Custom(other.to_owned()),
    }
}

impl Target {
    /// The target of `channel`; `address` is the concrete address (a queue channel's name when
    /// the binding gives none).
    pub(crate) fn of(
        channel: &ChannelSpec,
        address: Option<&str>,
        options: &AmqpOptions,
    ) -> Target {
        let amqp = channel.bindings.amqp.clone().unwrap_or_default();
        let q = amqp.queue.unwrap_or_default();
        let queue = |default_name: String| Queue {
            name: q.name.as_deref().map(str::to_owned).unwrap_or(default_name),
            durable: q.durable.unwrap_or(false),
            exclusive: q.exclusive.unwrap_or(false),
            auto_delete: q.auto_delete.unwrap_or(false),
        };
        if amqp.is.as_deref() == Some("queue") {
            return Target::Queue(queue(address.unwrap_or(&channel.address).to_owned()));
        }
        let e = amqp.exchange.unwrap_or_default();
        let exchange = Exchange {
            name: e
                .name
                .as_deref()
                .map(str::to_owned)
                .unwrap_or_else(|| options.default_exchange.clone()),
            kind: kind_of(e.kind.as_deref().unwrap_or("topic")),
            durable: e.durable.unwrap_or(true),
            auto_delete: e.auto_delete.unwrap_or(false),
        };
        // A subscription without a queue of its own in the document: the queue group's queue
        // (shared), or one the broker names for this subscriber alone.
        let queue = match (&q.name, channel.group("amqp")) {
            (Some(_), _) => queue(String::new()),
            (None, Some(group)) => Queue {
                name: group.to_owned(),
                durable: q.durable.unwrap_or(false),
                exclusive: false,
                auto_delete: q.auto_delete.unwrap_or(false),
            },
            // Named here rather than by the broker: lapin declares it again under this name
            // when it recovers the connection, and RabbitMQ refuses to declare `amq.gen-*`.
            (None, None) => Queue {
                name: format!(
                    "asyncapi.{}.{}",
                    channel.name,
                    asyncapi_runtime::operation::unique_id()
                ),
                durable: false,
                exclusive: true,
                auto_delete: true,
            },
        };
        Target::Exchange { exchange, queue }
    }

    /// The virtual host the binding names, if any.
    pub(crate) fn vhost(channel: &ChannelSpec) -> Option<String> {
        let amqp = channel.bindings.amqp.as_ref()?;
        amqp.exchange
            .as_ref()
            .and_then(|e| e.vhost.clone())
            .or_else(|| amqp.queue.as_ref().and_then(|q| q.vhost.clone()))
            .map(|v| v.to_string())
    }
}

/// The error of a declaration the broker refused.
fn refused(kind: &'static str, name: &str, e: lapin::Error) -> AmqpTopologyError {
    let detail = e.to_string();
    match detail.split("inequivalent arg '").nth(1) {
        Some(rest) => AmqpTopologyError::Conflict {
            kind,
            name: name.to_owned(),
            property: rest.split('\'').next().unwrap_or_default().to_owned(),
            detail,
        },
        None => AmqpTopologyError::Refused {
            kind,
            name: name.to_owned(),
            detail,
        },
    }
}

/// Declares the exchange; the predeclared `amq.*` exchanges and the default one are used as
/// they are (the broker refuses to declare them).
pub(crate) async fn declare_exchange(
    channel: &Channel,
    exchange: &Exchange,
) -> Result<(), AmqpTopologyError> {
    if exchange.name.is_empty() || exchange.name.starts_with("amq.") {
        return Ok(());
    }
    channel
        .exchange_declare(
            exchange.name.as_str().into(),
            exchange.kind.clone(),
            ExchangeDeclareOptions {
                durable: exchange.durable,
                auto_delete: exchange.auto_delete,
                ..ExchangeDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(|e| refused("exchange", &exchange.name, e))
}

/// Declares the queue, and returns its name.
pub(crate) async fn declare_queue(
    channel: &Channel,
    queue: &Queue,
) -> Result<String, AmqpTopologyError> {
    let declared = channel
        .queue_declare(
            queue.name.as_str().into(),
            QueueDeclareOptions {
                durable: queue.durable,
                exclusive: queue.exclusive,
                auto_delete: queue.auto_delete,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(|e| refused("queue", &queue.name, e))?;
    Ok(declared.name().as_str().to_owned())
}

/// How many binding keys one subscription may bind its queue with (one per listed value of a
/// parameter inside a routing-key word); past that it binds the broader key.
const MOST_KEYS: usize = 32;

/// The binding keys of a subscription to `channel` on `exchange`, and what they take: the
/// address with `*` for each parameter the subscription leaves free (a topic exchange; a
/// parameter inside a word, as in `orders/{region}/created`, as one key per value the document
/// lists, else the word as `*` with deliveries checked against the template), the concrete
/// address (a direct one, which needs every parameter), or nothing (fanout).
pub(crate) fn binding_keys(
    channel: &ChannelSpec,
    exchange: &Exchange,
) -> Result<(Vec<String>, Subscription), TransportError> {
    let subscription = channel.subscription(&WILDCARDS, MOST_KEYS)?;
    match exchange.kind {
        ExchangeKind::Fanout | ExchangeKind::Headers => Ok((vec![String::new()], subscription)),
        ExchangeKind::Topic | ExchangeKind::Custom(_) => {
            Ok((subscription.patterns().to_vec(), subscription))
        }
        ExchangeKind::Direct => {
            let template =
                AddressTemplate::parse(&channel.address).map_err(|e| TransportError::Open {
                    address: channel.address.to_string(),
                    source: Box::new(e),
                })?;
            let free: Vec<&str> = template
                .params()
                .filter(|p| !channel.params.iter().any(|(n, _)| n == p))
                .collect();
            if free.is_empty() {
                Ok((subscription.patterns().to_vec(), subscription))
            } else {
                Err(TransportError::Open {
                    address: channel.address.to_string(),
                    source: Box::new(AmqpTopologyError::Unsupported(format!(
                        "the direct exchange `{}` routes exact keys: a subscription fixes every parameter (free: {}), or the exchange is a topic one",
                        exchange.name,
                        free.join(", ")
                    ))),
                })
            }
        }
    }
}

/// Binds `queue` to `exchange` with `key`.
pub(crate) async fn bind(
    channel: &Channel,
    queue: &str,
    exchange: &Exchange,
    key: &str,
) -> Result<(), AmqpTopologyError> {
    channel
        .queue_bind(
            queue.into(),
            exchange.name.as_str().into(),
            key.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .map_err(|e| refused("binding", queue, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use asyncapi_runtime::bindings::{AmqpChannel, AmqpExchange, AmqpQueue, Bindings};

    fn options() -> AmqpOptions {
        AmqpOptions::new("amqp://127.0.0.1")
    }

    #[test]
    fn channels_are_exchanges_or_queues_as_the_binding_says() {
        let plain = ChannelSpec::new("lights", "lights.{id}");
        match Target::of(&plain, Some("lights.7"), &options()) {
            Target::Exchange { exchange, queue } => {
                assert_eq!(exchange.name, "amq.topic");
                assert!(queue.exclusive && queue.name.starts_with("asyncapi.lights."));
            }
            other => panic!("{other:?}"),
        }
        let mut durable = AmqpQueue::default();
        durable.durable = Some(true);
        let mut amqp = AmqpChannel::default();
        amqp.is = Some("queue".into());
        amqp.queue = Some(durable);
        let mut bindings = Bindings::default();
        bindings.amqp = Some(amqp);
        let queue = ChannelSpec::new("jobs", "jobs").with_bindings(bindings);
        match Target::of(&queue, None, &options()) {
            Target::Queue(q) => assert_eq!((q.name.as_str(), q.durable), ("jobs", true)),
            other => panic!("{other:?}"),
        }
        let mut exchange = AmqpExchange::default();
        exchange.name = Some("d".into());
        exchange.kind = Some("direct".into());
        let mut amqp = AmqpChannel::default();
        amqp.exchange = Some(exchange);
        let mut bindings = Bindings::default();
        bindings.amqp = Some(amqp);
        let direct = ChannelSpec::new("d", "d.{id}").with_bindings(bindings);
        let Target::Exchange { exchange, .. } = Target::of(&direct, None, &options()) else {
            panic!("an exchange");
        };
        assert!(binding_keys(&direct, &exchange).is_err());
        assert_eq!(
            binding_keys(&direct.clone().with_param("id", "7"), &exchange)
                .unwrap()
                .0,
            ["d.7"]
        );
    }

    #[test]
    fn inequivalent_arguments_name_the_property() {
        let e = lapin::Error::from(lapin::ErrorKind::ProtocolError(
            lapin::protocol::AMQPError::new(
                lapin::protocol::AMQPErrorKind::Soft(lapin::protocol::AMQPSoftError::PRECONDITIONFAILED),
                "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange 'x' in vhost '/': received 'false' but current is 'true'".into(),
            ),
        ));
        match refused("exchange", "x", e) {
            AmqpTopologyError::Conflict { property, .. } => assert_eq!(property, "durable"),
            other => panic!("{other:?}"),
        }
    }
}
