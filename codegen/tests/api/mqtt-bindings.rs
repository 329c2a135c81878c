/// Types of the schemas of *Lamp sessions over MQTT*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct CommandPayload {
        pub action: ::std::string::String,
        pub note: ::std::option::Option<::std::string::String>,
    }
    __rt::object! {
        CommandPayload { required action = "action", optional note = "note" }
    }
    impl __rt::Validate for CommandPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
}
/// The messages of *Lamp sessions over MQTT*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Command {
        /// The payload.
        pub payload: super::models::CommandPayload,
    }
    impl Command {
        /// A message with this payload.
        pub fn new(payload: super::models::CommandPayload) -> Self {
            Command { payload }
        }
    }
    impl __rt::Message for Command {
        const NAME: &'static str = "command";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Command {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Command {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `text/plain`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Status {
        /// The payload.
        pub payload: ::std::string::String,
    }
    impl Status {
        /// A message with this payload.
        pub fn new(payload: ::std::string::String) -> Self {
            Status { payload }
        }
    }
    impl __rt::Message for Status {
        const NAME: &'static str = "status";
        const CONTENT_TYPE: &'static str = "text/plain";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Status {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Status {
        fn validate_at(&self, _: &__rt::Path<'_>, _: &mut __rt::Violations) {}
    }
}
/// The channels of *Lamp sessions over MQTT*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `lamps/{lampId}/commands`.
    pub mod commands {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "commands";
        /// The address template.
        pub const ADDRESS: &str = "lamps/{lampId}/commands";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            pub lamp_id: __rt::String,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `lampId`; `None` for any.
            pub lamp_id: __rt::Option<__rt::String>,
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    lamp_id: __rt::address::param(values.as_slice(), "lampId")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("lampId", self.lamp_id.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([("lampId".into(), self.lamp_id.as_str().into())])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.lamp_id {
                    spec = spec.with_param("lampId", v.as_str());
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            __rt::ChannelSpec::new(NAME, ADDRESS)
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
    /// Address: `lamps/{lampId}/status`.
    pub mod status {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "status";
        /// The address template.
        pub const ADDRESS: &str = "lamps/{lampId}/status";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            pub lamp_id: __rt::String,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `lampId`; `None` for any.
            pub lamp_id: __rt::Option<__rt::String>,
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    lamp_id: __rt::address::param(values.as_slice(), "lampId")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("lampId", self.lamp_id.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([("lampId".into(), self.lamp_id.as_str().into())])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.lamp_id {
                    spec = spec.with_param("lampId", v.as_str());
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            __rt::ChannelSpec::new(NAME, ADDRESS)
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
}
/// The operations of *Lamp sessions over MQTT*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application receives on channel `commands` (operation `receiveCommands`).
    #[derive(Clone, Copy, Debug)]
    pub struct ReceiveCommands;
    impl ReceiveCommands {
        /// The operation's name in the document.
        pub const NAME: &'static str = "receiveCommands";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::commands::spec();
            spec.bindings.mqtt = __rt::Some({
                let mut v: __rt::bindings::MqttOperation = ::std::default::Default::default();
                v.qos = __rt::Some(1u8);
                v
            });
            spec
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on. Messages are acknowledged once decoded;
        /// through `asyncapi::ack::ManualAck(&connection)` each carries its
        /// acknowledgement for you to settle.
        pub async fn subscribe<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::commands::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::commands::Params,
                messages::Command,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            __rt::operation::Receiver::open(consumer, &spec).await
        }
        /// Subscribes as [`Self::subscribe`] does, as a member of the consumer group
        /// `group` (in place of any the document names): the members of one group
        /// share the channel's messages, each going to one of them. A transport
        /// without groups refuses the subscription.
        pub async fn subscribe_in_group<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::commands::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::commands::Params,
                messages::Command,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `status` (operation `sendStatus`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendStatus;
    impl SendStatus {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendStatus";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::status::spec();
            spec.bindings.mqtt = __rt::Some({
                let mut v: __rt::bindings::MqttOperation = ::std::default::Default::default();
                v.qos = __rt::Some(1u8);
                v.message_expiry_interval = __rt::Some(60u32);
                v
            });
            spec
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::status::Params,
                messages::Status,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::status::Params,
            message: &messages::Status,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Lamp sessions over MQTT*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// `mqtt://127.0.0.1:{port}`
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Lamp {
        pub port: __rt::String,
    }
    impl ::std::default::Default for Lamp {
        fn default() -> Self {
            Lamp {
                port: ::std::borrow::ToOwned::to_owned("1883"),
            }
        }
    }
    /// Server `lamp` asks for no security.
    pub type LampSecurity = __rt::security::Anonymous;
    impl Lamp {
        /// The server's name in the document.
        pub const NAME: &'static str = "lamp";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "mqtt";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "127.0.0.1:{port}";
        /// The path template.
        pub const PATHNAME: &'static str = "";
        /// The host (and port) with the variables filled in.
        pub fn host(&self) -> __rt::String {
            __rt::transport::fill(Self::HOST, &[("port", self.port.as_str())])
        }
        /// `protocol://host/pathname`, with the variables filled in.
        pub fn url(&self) -> __rt::String {
            let url = ::std::format!(
                "{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME
            );
            __rt::transport::fill(&url, &[("port", self.port.as_str())])
        }
        /// Connects to the server with the transport `C` (`MqttConnection`,
        /// `NatsConnection`, ...), the document's server bindings, and credentials of
        /// a kind the server accepts.
        pub async fn connect<C: __rt::transport::Connect>(
            &self,
            security: LampSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: LampSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: LampSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: LampSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: LampSecurity) -> __rt::transport::ServerSpec {
            __rt::transport::ServerSpec {
                name: __rt::Cow::Borrowed(Self::NAME),
                url: self.url(),
                protocol: __rt::Cow::Borrowed(Self::PROTOCOL),
                protocol_version: Self::PROTOCOL_VERSION.map(__rt::Cow::Borrowed),
                bindings: {
                    let mut v: __rt::bindings::ServerBindings = ::std::default::Default::default();
                    v.mqtt = __rt::Some({
                        let mut v: __rt::bindings::MqttServer = ::std::default::Default::default();
                        v.client_id = __rt::Some(__rt::Cow::Borrowed("lamp-1"));
                        v.clean_session = __rt::Some(false);
                        v.keep_alive = __rt::Some(5u32);
                        v.last_will = __rt::Some({
                            let mut v: __rt::bindings::MqttLastWill = ::std::default::Default::default();
                            v.topic = __rt::Some(
                                __rt::Cow::Borrowed("lamps/lamp-1/status"),
                            );
                            v.qos = __rt::Some(1u8);
                            v.message = __rt::Some(__rt::Cow::Borrowed("offline"));
                            v.retain = __rt::Some(false);
                            v
                        });
                        v
                    });
                    v
                },
                credentials: __rt::security::Credentials::credentials(&security),
            }
        }
    }
    /// `mqtt://127.0.0.1:{port}`
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Lamp5 {
        pub port: __rt::String,
    }
    impl ::std::default::Default for Lamp5 {
        fn default() -> Self {
            Lamp5 {
                port: ::std::borrow::ToOwned::to_owned("1883"),
            }
        }
    }
    /// Server `lamp5` asks for no security.
    pub type Lamp5Security = __rt::security::Anonymous;
    impl Lamp5 {
        /// The server's name in the document.
        pub const NAME: &'static str = "lamp5";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "mqtt";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::Some("5");
        /// The host template.
        pub const HOST: &'static str = "127.0.0.1:{port}";
        /// The path template.
        pub const PATHNAME: &'static str = "";
        /// The host (and port) with the variables filled in.
        pub fn host(&self) -> __rt::String {
            __rt::transport::fill(Self::HOST, &[("port", self.port.as_str())])
        }
        /// `protocol://host/pathname`, with the variables filled in.
        pub fn url(&self) -> __rt::String {
            let url = ::std::format!(
                "{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME
            );
            __rt::transport::fill(&url, &[("port", self.port.as_str())])
        }
        /// Connects to the server with the transport `C` (`MqttConnection`,
        /// `NatsConnection`, ...), the document's server bindings, and credentials of
        /// a kind the server accepts.
        pub async fn connect<C: __rt::transport::Connect>(
            &self,
            security: Lamp5Security,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: Lamp5Security,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: Lamp5Security,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: Lamp5Security,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: Lamp5Security) -> __rt::transport::ServerSpec {
            __rt::transport::ServerSpec {
                name: __rt::Cow::Borrowed(Self::NAME),
                url: self.url(),
                protocol: __rt::Cow::Borrowed(Self::PROTOCOL),
                protocol_version: Self::PROTOCOL_VERSION.map(__rt::Cow::Borrowed),
                bindings: {
                    let mut v: __rt::bindings::ServerBindings = ::std::default::Default::default();
                    v.mqtt = __rt::Some({
                        let mut v: __rt::bindings::MqttServer = ::std::default::Default::default();
                        v.client_id = __rt::Some(__rt::Cow::Borrowed("lamp-5"));
                        v.clean_session = __rt::Some(false);
                        v.last_will = __rt::Some({
                            let mut v: __rt::bindings::MqttLastWill = ::std::default::Default::default();
                            v.topic = __rt::Some(
                                __rt::Cow::Borrowed("lamps/lamp-5/status"),
                            );
                            v.qos = __rt::Some(1u8);
                            v.message = __rt::Some(__rt::Cow::Borrowed("offline"));
                            v
                        });
                        v.session_expiry_interval = __rt::Some(60u32);
                        v.maximum_packet_size = __rt::Some(512u32);
                        v
                    });
                    v
                },
                credentials: __rt::security::Credentials::credentials(&security),
            }
        }
    }
}
