//! A connection to a broker: connecting, the event loops that reconnect and subscribe again,
//! and the registry's [`Connect`] impls.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rumqttc_v4::{Event, EventLoop, Packet};
use rumqttc_v5::{PubAckReason, PubCompReason, PubRecReason};
use tracing::Instrument;

use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{Backoff, Connect, TransportError};

use asyncapi_runtime::delivery::Limits;

use crate::acks::Sent;
use crate::client::{Mqtt5Client, Mqtt311Client, MqttClient, Shared};
use crate::envelope::{MqttEnvelope, level_of};
use crate::inbound::Inbound;
use crate::options::MqttOptions;

/// A connection to an MQTT broker; `C` is the protocol version's client. Cloning it gives another
/// handle to the same connection.
#[derive(Clone)]
pub struct MqttConnectionOf<C> {
    pub(crate) client: C,
    pub(crate) shared: Arc<Shared>,
    pub(crate) subscription_limits: Limits,
    /// The send timeout of every publisher of the connection, kept by one ticking task.
    pub(crate) send_timer: asyncapi_runtime::transport::SendTimer,
    pub(crate) max_message_size: usize,
}

/// A connection that speaks MQTT 3.1.1.
pub type MqttConnection = MqttConnectionOf<Mqtt311Client>;

/// A connection that speaks MQTT 5.
pub type Mqtt5Connection = MqttConnectionOf<Mqtt5Client>;

impl<C> std::fmt::Debug for MqttConnectionOf<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttConnection")
            .field("server", &self.shared.server)
            .finish_non_exhaustive()
    }
}

/// Waits, at most `timeout`, for `wait`: the event loop's first CONNACK, or its error.
pub(crate) async fn connected<E>(
    server: &str,
    timeout: Duration,
    wait: impl std::future::Future<Output = Result<(), E>>,
) -> Result<(), TransportError>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match tokio::time::timeout(timeout, wait).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(TransportError::Connect {
            server: server.to_owned(),
            source: Box::new(e),
        }),
        Err(_) => Err(TransportError::Connect {
            server: server.to_owned(),
            source: format!("no CONNACK within {timeout:?}").into(),
        }),
    }
}

/// Messages are small and latency matters: no Nagle delay (with delayed ACKs it stalls a stream
/// of small publishes by ~40 ms).
pub(crate) fn network_options() -> rumqttc_v4::NetworkOptions {
    let mut network = rumqttc_v4::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    network
}

impl MqttConnectionOf<Mqtt311Client> {
    /// Connects with MQTT 3.1.1, and waits for the broker to accept the connection.
    pub async fn connect(options: MqttOptions) -> Result<MqttConnection, TransportError> {
        options.check()?;
        let server = options.server();
        let mut mqtt_options = options.to_v4();
        if let Some(tls) = options.transport()? {
            mqtt_options.set_transport(rumqttc_v4::Transport::tls_with_config(tls));
        }
        let (client, mut events) = rumqttc_v4::AsyncClient::builder(mqtt_options)
            .capacity(64)
            .build();
        events.set_network_options(network_options());
        let wait = async {
            loop {
                if let Event::Incoming(Packet::ConnAck(_)) = events.poll().await? {
                    return Ok::<(), rumqttc_v4::ConnectionError>(());
                }
            }
        };
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        connected(&server, options.connect_timeout, wait)
            .instrument(span)
            .await?;
        let shared = Shared::new(server, !options.clean_session);
        let client = Mqtt311Client(client);
        let inbound = Inbound::new(shared.clone(), client.clone());
        tokio::spawn(run_v311(
            events,
            client.clone(),
            shared.clone(),
            Reconnecting::new(options.reconnect.waits()),
            inbound,
            options.max_message_size,
        ));
        Ok(MqttConnectionOf {
            client,
            shared,
            subscription_limits: options.subscription_limits,
            send_timer: asyncapi_runtime::transport::SendTimer::new(options.send_timeout),
            max_message_size: options.max_message_size,
        })
    }
}

impl MqttConnectionOf<Mqtt5Client> {
    /// Connects with MQTT 5, and waits for the broker to accept the connection.
    pub async fn connect(options: MqttOptions) -> Result<Mqtt5Connection, TransportError> {
        use rumqttc_v5::{Event as E5, Packet as P5};
        options.check()?;
        let server = format!("{} (MQTT 5)", options.server());
        let mut mqtt_options = options.to_v5();
        mqtt_options.set_network_options(network_options());
        if let Some(tls) = options.transport()? {
            mqtt_options.set_transport(rumqttc_v5::Transport::tls_with_config(tls));
        }
        let (client, mut events) = rumqttc_v5::AsyncClient::builder(mqtt_options)
            .capacity(64)
            .build();
        let wait = async {
            loop {
                if let E5::Incoming(P5::ConnAck(_)) = events.poll().await? {
                    return Ok::<(), rumqttc_v5::ConnectionError>(());
                }
            }
        };
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        connected(&server, options.connect_timeout, wait)
            .instrument(span)
            .await?;
        let shared = Shared::new(server, !options.clean_session);
        let client = Mqtt5Client(client);
        let inbound = Inbound::new(shared.clone(), client.clone());
        tokio::spawn(run_v5(
            events,
            client.clone(),
            shared.clone(),
            Reconnecting::new(options.reconnect.waits()),
            inbound,
        ));
        Ok(MqttConnectionOf {
            client,
            shared,
            subscription_limits: options.subscription_limits,
            send_timer: asyncapi_runtime::transport::SendTimer::new(options.send_timeout),
            max_message_size: options.max_message_size,
        })
    }
}

impl<C: MqttClient> MqttConnectionOf<C> {
    /// Disconnects; every subscriber's stream ends.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.shared.closed.store(true, Ordering::SeqCst);
        self.shared.shut();
        self.client
            .disconnect()
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.shared.server)))
    }
}

impl Connect for MqttConnectionOf<Mqtt311Client> {
    type Options = MqttOptions;
    /// 3.1.1 (and 3.1) by default: a server that gives no version.
    const PROTOCOLS: &'static [Protocol] = &[
        Protocol::default_versions("mqtt", &["3.1.1", "3.1", "3"]),
        Protocol::default_versions("mqtts", &["3.1.1", "3.1", "3"]),
        Protocol::default_versions("secure-mqtt", &["3.1.1", "3.1", "3"]),
    ];

    async fn connect_with(options: MqttOptions) -> Result<Self, TransportError> {
        Self::connect(options).await
    }
}

impl Connect for MqttConnectionOf<Mqtt5Client> {
    type Options = MqttOptions;
    /// `mqtt5`, or `mqtt` with protocol version 5.
    const PROTOCOLS: &'static [Protocol] = &[
        Protocol::any_version("mqtt5"),
        Protocol::versions("mqtt", &["5"]),
        Protocol::versions("mqtts", &["5"]),
        Protocol::versions("secure-mqtt", &["5"]),
    ];

    async fn connect_with(options: MqttOptions) -> Result<Self, TransportError> {
        Self::connect(options).await
    }
}

/// An MQTT 5 reason code of a refused publish, as the specification names it.
fn reason_code(reason: impl Into<RefusedReason>) -> String {
    let RefusedReason(code, name) = reason.into();
    format!("0x{code:02X} ({name})")
}

/// The code and name of a PUBACK or PUBREC reason code of 0x80 or more.
struct RefusedReason(u8, &'static str);

macro_rules! refused_reasons {
    ($($t:ty),*) => {$(
        impl From<$t> for RefusedReason {
            fn from(reason: $t) -> Self {
                type R = $t;
                match reason {
                    R::Success => RefusedReason(0x00, "success"),
                    R::NoMatchingSubscribers => RefusedReason(0x10, "no matching subscribers"),
                    R::UnspecifiedError => RefusedReason(0x80, "unspecified error"),
                    R::ImplementationSpecificError => {
                        RefusedReason(0x83, "implementation specific error")
                    }
                    R::NotAuthorized => RefusedReason(0x87, "not authorized"),
                    R::TopicNameInvalid => RefusedReason(0x90, "topic name invalid"),
                    R::PacketIdentifierInUse => RefusedReason(0x91, "packet identifier in use"),
                    R::QuotaExceeded => RefusedReason(0x97, "quota exceeded"),
                    R::PayloadFormatInvalid => RefusedReason(0x99, "payload format invalid"),
                }
            }
        }
    )*};
}
refused_reasons!(PubAckReason, PubRecReason);

/// How long a connection must have lasted for the next reconnection to start again from the
/// shortest wait: connections that die right after the CONNACK (a broker refusing what this
/// client does, say) keep the waits growing.
const STABLE: Duration = Duration::from_secs(10);

/// The reconnection policy of an event loop, and how long the connection has been up.
pub(crate) struct Reconnecting {
    backoff: Option<Backoff>,
    /// When the broker last accepted the connection; `None` while it is down.
    up_since: Option<Instant>,
}

impl Reconnecting {
    /// For a connection the broker has just accepted.
    pub(crate) fn new(backoff: Option<Backoff>) -> Reconnecting {
        Reconnecting {
            backoff,
            up_since: Some(Instant::now()),
        }
    }

    /// The broker accepted the connection (again).
    fn up(&mut self) {
        self.up_since = Some(Instant::now());
    }

    /// The connection (or an attempt to connect) failed: waits before the next attempt
    /// (`false`: no reconnection).
    async fn down(&mut self) -> bool {
        let Some(backoff) = self.backoff.as_mut() else {
            return false;
        };
        if self
            .up_since
            .take()
            .is_some_and(|since| since.elapsed() >= STABLE)
        {
            backoff.reset();
        }
        backoff.wait().await;
        true
    }
}

/// The MQTT 3.1.1 event loop: routes publishes, completes subscriptions, reconnects (and
/// subscribes again) when the connection drops.
pub(crate) async fn run_v311(
    mut events: EventLoop,
    client: Mqtt311Client,
    shared: Arc<Shared>,
    mut reconnecting: Reconnecting,
    mut inbound: Inbound<Mqtt311Client>,
    max_message_size: usize,
) {
    // Until the DISCONNECT of `close` is written, or the connection fails after `close`.
    loop {
        match inbound.beside(events.poll()).await {
            Ok(Event::Incoming(Packet::Publish(p))) => {
                // MQTT 3.1.1 cannot tell the broker the largest packet this client takes: a
                // larger one is read (up to four times the limit), refused for itself, and
                // acknowledged so that it does not come again.
                let size = p.size();
                if size > max_message_size {
                    shared.too_large(&Mqtt311Client::topic(&p), size, max_message_size);
                    if p.qos != rumqttc_v4::QoS::AtMostOnce {
                        client.try_ack(&p);
                    }
                    continue;
                }
                let envelope = MqttEnvelope {
                    envelope: Envelope {
                        address: String::from_utf8_lossy(&p.topic).into_owned(),
                        payload: p.payload.clone(),
                        ..Envelope::default()
                    },
                    qos: Some(level_of(p.qos)),
                    retain: Some(p.retain),
                    ..MqttEnvelope::default()
                };
                inbound.take(envelope, p);
            }
            Ok(Event::Outgoing(out)) if shared.outgoing((&out).into()) => break,
            Ok(Event::Incoming(Packet::PubAck(ack))) => {
                shared.sends().acknowledged(ack.pkid, Sent::Done)
            }
            Ok(Event::Incoming(Packet::PubComp(comp))) => {
                shared.sends().acknowledged(comp.pkid, Sent::Done)
            }
            Ok(Event::Incoming(Packet::SubAck(_))) => shared.subscribed(),
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                reconnecting.up();
                shared.back();
                for (filter, qos) in shared.to_renew(ack.session_present) {
                    client.try_subscribe(filter, qos);
                }
            }
            Ok(_) => {}
            Err(_) if shared.is_closed() => break,
            // rumqttc reconnects on the next poll.
            // The subscribers get one error for the break; without reconnection their streams
            // end after it.
            Err(e) => {
                shared.lost(&e);
                if !inbound.beside(reconnecting.down()).await {
                    break;
                }
            }
        }
    }
    shared.shut();
}

/// The MQTT 5 event loop: as [`run_v311`], with the publish properties read into the envelope.
pub(crate) async fn run_v5(
    mut events: rumqttc_v5::EventLoop,
    client: Mqtt5Client,
    shared: Arc<Shared>,
    mut reconnecting: Reconnecting,
    mut inbound: Inbound<Mqtt5Client>,
) {
    use rumqttc_v5::{Event as E5, Packet as P5};
    // Until the DISCONNECT of `close` is written, or the connection fails after `close`.
    // (The broker sends nothing larger than the CONNECT packet's maximum packet size.)
    loop {
        match inbound.beside(events.poll()).await {
            Ok(E5::Incoming(P5::Publish(p))) => {
                let publish = p.clone();
                let props = p.properties.unwrap_or_default();
                let headers: Headers = props.user_properties.into_iter().collect();
                let envelope = MqttEnvelope {
                    envelope: Envelope {
                        address: String::from_utf8_lossy(&p.topic).into_owned(),
                        payload: p.payload,
                        content_type: props.content_type.map(Into::into),
                        headers,
                        reply_to: props.response_topic,
                        correlation_id: props
                            .correlation_data
                            .map(|d| String::from_utf8_lossy(&d).into_owned()),
                        acknowledgement: None,
                    },
                    qos: Some(level_of(p.qos)),
                    retain: Some(p.retain),
                    payload_format_indicator: props.payload_format_indicator,
                    message_expiry_interval: props.message_expiry_interval,
                };
                inbound.take(envelope, publish);
            }
            Ok(E5::Outgoing(out)) if shared.outgoing((&out).into()) => break,
            Ok(E5::Incoming(P5::PubAck(ack))) => {
                let sent = match ack.reason {
                    PubAckReason::Success | PubAckReason::NoMatchingSubscribers => Sent::Done,
                    refused => Sent::Refused(format!("PUBACK {}", reason_code(refused))),
                };
                shared.sends().acknowledged(ack.pkid, sent)
            }
            Ok(E5::Incoming(P5::PubRec(rec))) => match rec.reason {
                PubRecReason::Success | PubRecReason::NoMatchingSubscribers => {}
                refused => shared.sends().acknowledged(
                    rec.pkid,
                    Sent::Refused(format!("PUBREC {}", reason_code(refused))),
                ),
            },
            Ok(E5::Incoming(P5::PubComp(comp))) => {
                let sent = match comp.reason {
                    PubCompReason::Success => Sent::Done,
                    PubCompReason::PacketIdentifierNotFound => {
                        Sent::Refused("PUBCOMP 0x92 (packet identifier not found)".to_owned())
                    }
                };
                shared.sends().acknowledged(comp.pkid, sent)
            }
            Ok(E5::Incoming(P5::SubAck(_))) => shared.subscribed(),
            Ok(E5::Incoming(P5::ConnAck(ack))) => {
                reconnecting.up();
                shared.back();
                for (filter, qos) in shared.to_renew(ack.session_present) {
                    client.try_subscribe(filter, qos);
                }
            }
            Ok(_) => {}
            Err(_) if shared.is_closed() => break,
            // The subscribers get one error for the break; without reconnection their streams
            // end after it.
            Err(e) => {
                shared.lost(&e);
                if !inbound.beside(reconnecting.down()).await {
                    break;
                }
            }
        }
    }
    shared.shut();
}
