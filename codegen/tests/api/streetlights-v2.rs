/// Types of the schemas of *Streetlights*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct LightMeasuredPayload {
        /// Light intensity measured in lumens.
        pub lumens: ::std::option::Option<i64>,
        pub sent_at: ::std::option::Option<
            __rt::chrono::DateTime<__rt::chrono::FixedOffset>,
        >,
    }
    __rt::object! {
        LightMeasuredPayload { optional lumens = "lumens", optional sent_at = "sentAt" }
    }
    impl __rt::Validate for LightMeasuredPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("lumens");
                if let __rt::Some(v1) = &self.lumens {
                    __rt::check::number(
                        *v1,
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
    }
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct TurnOnOffPayload {
        pub command: ::std::option::Option<TurnOnOffPayloadCommand>,
        pub sent_at: ::std::option::Option<
            __rt::chrono::DateTime<__rt::chrono::FixedOffset>,
        >,
    }
    __rt::object! {
        TurnOnOffPayload { optional command = "command", optional sent_at = "sentAt" }
    }
    impl __rt::Validate for TurnOnOffPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("command");
                if let __rt::Some(v1) = &self.command {
                    __rt::Validate::validate_at(v1, p1, out);
                }
            }
        }
    }
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum TurnOnOffPayloadCommand {
        /// `on`
        On,
        /// `off`
        Off,
    }
    __rt::string_enum! {
        TurnOnOffPayloadCommand { On = "on", Off = "off" }
    }
    impl __rt::Validate for TurnOnOffPayloadCommand {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct SendDimMessagePayload {
        /// How bright the light is to be, in percent.
        pub percentage: ::std::option::Option<i64>,
    }
    __rt::object! {
        SendDimMessagePayload { optional percentage = "percentage" }
    }
    impl __rt::Validate for SendDimMessagePayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("percentage");
                if let __rt::Some(v1) = &self.percentage {
                    __rt::check::number(
                        *v1,
                        &__rt::check::NumberRules {
                            minimum: __rt::Some(0f64),
                            maximum: __rt::Some(100f64),
                            ..__rt::check::NumberRules::NONE
                        },
                        p1,
                        out,
                    );
                }
            }
        }
    }
}
/// The messages of *Streetlights*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Light measured
    ///
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LightMeasured {
        /// The payload.
        pub payload: super::models::LightMeasuredPayload,
    }
    impl LightMeasured {
        /// A message with this payload.
        pub fn new(payload: super::models::LightMeasuredPayload) -> Self {
            LightMeasured { payload }
        }
    }
    impl __rt::Message for LightMeasured {
        const NAME: &'static str = "lightMeasured";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(LightMeasured {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for LightMeasured {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Turn a street light on or off.
    ///
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Switch {
        /// The payload.
        pub payload: super::models::TurnOnOffPayload,
    }
    impl Switch {
        /// A message with this payload.
        pub fn new(payload: super::models::TurnOnOffPayload) -> Self {
            Switch { payload }
        }
    }
    impl __rt::Message for Switch {
        const NAME: &'static str = "turnOnOff";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Switch {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Switch {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SendDimMessage {
        /// The payload.
        pub payload: super::models::SendDimMessagePayload,
    }
    impl SendDimMessage {
        /// A message with this payload.
        pub fn new(payload: super::models::SendDimMessagePayload) -> Self {
            SendDimMessage { payload }
        }
    }
    impl __rt::Message for SendDimMessage {
        const NAME: &'static str = "sendDimMessage";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(SendDimMessage {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for SendDimMessage {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
}
/// The channels of *Streetlights*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// What a street light measures.
    ///
    /// Address: `smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured`.
    pub mod smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured";
        /// The address template.
        pub const ADDRESS: &str = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// The id of the street light.
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
    /// Address: `smartylighting/streetlights/1/0/action/{streetlightId}/turn/on`.
    pub mod smartylighting_streetlights_1_0_action_streetlight_id_turn_on {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on";
        /// The address template.
        pub const ADDRESS: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/on";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// The id of the street light.
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
    /// Address: `smartylighting/streetlights/1/0/action/{streetlightId}/turn/off`.
    pub mod lights_off {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/off";
        /// The address template.
        pub const ADDRESS: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/turn/off";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// The id of the street light.
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
    /// Address: `smartylighting/streetlights/1/0/action/{streetlightId}/dim`.
    pub mod smartylighting_streetlights_1_0_action_streetlight_id_dim {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/dim";
        /// The address template.
        pub const ADDRESS: &str = "smartylighting/streetlights/1/0/action/{streetlightId}/dim";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// The id of the street light.
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
}
/// The operations of *Streetlights*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// A street light tells how much light it measures.
    ///
    /// The application receives on channel `smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured` (operation `receiveLightingMeasured`).
    #[derive(Clone, Copy, Debug)]
    pub struct ReceiveLightingMeasured;
    impl ReceiveLightingMeasured {
        /// The operation's name in the document.
        pub const NAME: &'static str = "receiveLightingMeasured";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured::spec()
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on. Messages are acknowledged once decoded;
        /// through `asyncapi::ack::ManualAck(&connection)` each carries its
        /// acknowledgement for you to settle.
        pub async fn subscribe<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured::Params,
                messages::LightMeasured,
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
            filter: &channels::smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::smartylighting_streetlights_1_0_event_streetlight_id_lighting_measured::Params,
                messages::LightMeasured,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `smartylighting/streetlights/1/0/action/{streetlightId}/turn/on` (operation `sendTurnOn`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendTurnOn;
    impl SendTurnOn {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendTurnOn";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::smartylighting_streetlights_1_0_action_streetlight_id_turn_on::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::smartylighting_streetlights_1_0_action_streetlight_id_turn_on::Params,
                messages::Switch,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::smartylighting_streetlights_1_0_action_streetlight_id_turn_on::Params,
            message: &messages::Switch,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application sends on channel `smartylighting/streetlights/1/0/action/{streetlightId}/turn/off` (operation `sendTurnOff`).
    #[derive(Clone, Copy, Debug)]
    pub struct SwitchOff;
    impl SwitchOff {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendTurnOff";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::lights_off::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::lights_off::Params,
                messages::Switch,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::lights_off::Params,
            message: &messages::Switch,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application sends on channel `smartylighting/streetlights/1/0/action/{streetlightId}/dim` (operation `sendDim`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendDim;
    impl SendDim {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendDim";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::smartylighting_streetlights_1_0_action_streetlight_id_dim::spec();
            spec.bindings.mqtt = __rt::Some({
                let mut v: __rt::bindings::MqttOperation = ::std::default::Default::default();
                v.qos = __rt::Some(1u8);
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
                channels::smartylighting_streetlights_1_0_action_streetlight_id_dim::Params,
                messages::SendDimMessage,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::smartylighting_streetlights_1_0_action_streetlight_id_dim::Params,
            message: &messages::SendDimMessage,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Streetlights*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// The city's broker.
    ///
    /// `mqtt://broker.example.com:{port}`
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Production {
        /// 1883 in the clear, 8883 over TLS.
        pub port: ProductionPort,
    }
    impl ::std::default::Default for Production {
        fn default() -> Self {
            Production {
                port: ProductionPort::N1883,
            }
        }
    }
    /// The values of server variable `port`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ProductionPort {
        /// `1883`
        N1883,
        /// `8883`
        N8883,
    }
    impl ProductionPort {
        /// The value as it stands in the URL.
        pub fn as_str(self) -> &'static str {
            match self {
                Self::N1883 => "1883",
                Self::N8883 => "8883",
            }
        }
    }
    /// Server `production` asks for no security.
    pub type ProductionSecurity = __rt::security::Anonymous;
    impl Production {
        /// The server's name in the document.
        pub const NAME: &'static str = "production";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "mqtt";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "broker.example.com:{port}";
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
            security: ProductionSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: ProductionSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: ProductionSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: ProductionSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: ProductionSecurity) -> __rt::transport::ServerSpec {
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
