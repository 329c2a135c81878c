/// Types of the schemas of *Street lights on Redis*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct MeasurementPayload {
        pub lumens: i64,
        pub sent_at: ::std::option::Option<
            __rt::chrono::DateTime<__rt::chrono::FixedOffset>,
        >,
    }
    __rt::object! {
        MeasurementPayload { required lumens = "lumens", optional sent_at = "sentAt" }
    }
    impl __rt::Validate for MeasurementPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("lumens");
                __rt::check::number(
                    self.lumens,
                    &__rt::check::NumberRules {
                        minimum: __rt::Some(0f64),
                        ..__rt::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
    #[derive(Clone, Debug, PartialEq)]
    pub struct CommandPayload {
        pub id: ::std::string::String,
        pub action: CommandPayloadAction,
    }
    __rt::object! {
        CommandPayload { required id = "id", required action = "action" }
    }
    impl __rt::Validate for CommandPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("action");
                __rt::Validate::validate_at(&self.action, p1, out);
            }
        }
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum CommandPayloadAction {
        /// `on`
        On,
        /// `off`
        Off,
    }
    __rt::string_enum! {
        CommandPayloadAction { On = "on", Off = "off" }
    }
    impl __rt::Validate for CommandPayloadAction {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct CommandHeaders {
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    __rt::object! {
        CommandHeaders { optional trace_id = "traceId" }
    }
    impl __rt::Validate for CommandHeaders {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
}
/// The messages of *Street lights on Redis*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Measurement {
        /// The payload.
        pub payload: super::models::MeasurementPayload,
    }
    impl Measurement {
        /// A message with this payload.
        pub fn new(payload: super::models::MeasurementPayload) -> Self {
            Measurement { payload }
        }
    }
    impl __rt::Message for Measurement {
        const NAME: &'static str = "measurement";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Measurement {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Measurement {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Command {
        /// The payload.
        pub payload: super::models::CommandPayload,
        /// The headers.
        pub headers: super::models::CommandHeaders,
    }
    impl Command {
        /// A message with this payload and its headers' `Default` (every header absent, or at its schema's `default`).
        pub fn new(payload: super::models::CommandPayload) -> Self {
            Command {
                payload,
                headers: ::std::default::Default::default(),
            }
        }
    }
    impl __rt::Message for Command {
        const NAME: &'static str = "command";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)?;
            __rt::message::write_headers(&self.headers, to.headers_mut())?;
            __rt::Ok(())
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Command {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
                headers: __rt::message::read_headers_with(from.headers(), &[])?,
            })
        }
    }
    impl __rt::Validate for Command {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
            __rt::Validate::validate_at(&self.headers, &path.key("headers"), out);
        }
    }
}
/// The channels of *Street lights on Redis*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `lights:{streetlightId}:measured`.
    pub mod measured {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "measured";
        /// The address template.
        pub const ADDRESS: &str = "lights:{streetlightId}:measured";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// The light's id.
            pub streetlight_id: __rt::String,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `streetlightId`; `None` for any.
            pub streetlight_id: __rt::Option<__rt::String>,
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    streetlight_id: __rt::address::param(
                        values.as_slice(),
                        "streetlightId",
                    )?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("streetlightId", self.streetlight_id.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([
                    ("streetlightId".into(), self.streetlight_id.as_str().into()),
                ])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.streetlight_id {
                    spec = spec.with_param("streetlightId", v.as_str());
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
    /// A work queue, on a Redis stream (this project's extension `x-stream`).
    ///
    /// Address: `lights:commands`.
    pub mod commands {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "commands";
        /// The address template.
        pub const ADDRESS: &str = "lights:commands";
        /// The channel has no parameters.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Params;
        /// Subscriptions to the channel take every message (it has no parameters).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter;
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                (address == ADDRESS).then_some(Params)
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                spec()
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = __rt::ChannelSpec::new(NAME, ADDRESS);
            spec.bindings.redis = __rt::Some({
                let mut v: __rt::bindings::RedisChannel = ::std::default::Default::default();
                v.stream = true;
                v
            });
            spec
        }
    }
}
/// The operations of *Street lights on Redis*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application sends on channel `measured` (operation `reportMeasurement`).
    #[derive(Clone, Copy, Debug)]
    pub struct ReportMeasurement;
    impl ReportMeasurement {
        /// The operation's name in the document.
        pub const NAME: &'static str = "reportMeasurement";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::measured::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::measured::Params,
                messages::Measurement,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::measured::Params,
            message: &messages::Measurement,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application receives on channel `measured` (operation `receiveMeasurement`).
    #[derive(Clone, Copy, Debug)]
    pub struct ReceiveMeasurement;
    impl ReceiveMeasurement {
        /// The operation's name in the document.
        pub const NAME: &'static str = "receiveMeasurement";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::measured::spec()
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on. Messages are acknowledged once decoded;
        /// through `asyncapi::ack::ManualAck(&connection)` each carries its
        /// acknowledgement for you to settle.
        pub async fn subscribe<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::measured::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::measured::Params,
                messages::Measurement,
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
            filter: &channels::measured::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::measured::Params,
                messages::Measurement,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `commands` (operation `queueCommand`).
    #[derive(Clone, Copy, Debug)]
    pub struct QueueCommand;
    impl QueueCommand {
        /// The operation's name in the document.
        pub const NAME: &'static str = "queueCommand";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::commands::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::commands::Params,
                messages::Command,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::commands::Params,
            message: &messages::Command,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application receives on channel `commands` (operation `doCommand`).
    #[derive(Clone, Copy, Debug)]
    pub struct DoCommand;
    impl DoCommand {
        /// The operation's name in the document.
        pub const NAME: &'static str = "doCommand";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::commands::spec();
            spec.bindings.redis_operation = __rt::Some({
                let mut v: __rt::bindings::RedisOperation = ::std::default::Default::default();
                v.group = __rt::Some(__rt::Cow::Borrowed("lamp-workers"));
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
}
/// The servers of *Street lights on Redis*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// `redis://127.0.0.1:6379`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Local;
    impl ::std::default::Default for Local {
        fn default() -> Self {
            Local {}
        }
    }
    /// Server `local` asks for no security.
    pub type LocalSecurity = __rt::security::Anonymous;
    impl Local {
        /// The server's name in the document.
        pub const NAME: &'static str = "local";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "redis";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "127.0.0.1:6379";
        /// The path template.
        pub const PATHNAME: &'static str = "";
        /// The host (and port) with the variables filled in.
        pub fn host(&self) -> __rt::String {
            __rt::transport::fill(Self::HOST, &[])
        }
        /// `protocol://host/pathname`, with the variables filled in.
        pub fn url(&self) -> __rt::String {
            let url = ::std::format!(
                "{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME
            );
            __rt::transport::fill(&url, &[])
        }
        /// Connects to the server with the transport `C` (`MqttConnection`,
        /// `NatsConnection`, ...), the document's server bindings, and credentials of
        /// a kind the server accepts.
        pub async fn connect<C: __rt::transport::Connect>(
            &self,
            security: LocalSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: LocalSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: LocalSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: LocalSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: LocalSecurity) -> __rt::transport::ServerSpec {
            __rt::transport::ServerSpec {
                name: __rt::Cow::Borrowed(Self::NAME),
                url: self.url(),
                protocol: __rt::Cow::Borrowed(Self::PROTOCOL),
                protocol_version: Self::PROTOCOL_VERSION.map(__rt::Cow::Borrowed),
                bindings: ::std::default::Default::default(),
                credentials: __rt::security::Credentials::credentials(&security),
            }
        }
    }
}
