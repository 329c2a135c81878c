/// Types of the schemas of *Costing*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct CostingRequestPayload {
        pub product_id: ::std::string::String,
        pub quantity: i64,
    }
    __rt::object! {
        CostingRequestPayload { required product_id = "productId", required quantity =
        "quantity" }
    }
    impl __rt::Validate for CostingRequestPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("quantity");
                __rt::check::number(
                    self.quantity,
                    &__rt::check::NumberRules {
                        minimum: __rt::Some(1f64),
                        ..__rt::check::NumberRules::NONE
                    },
                    p1,
                    out,
                );
            }
        }
    }
    #[derive(Clone, Debug, PartialEq)]
    pub struct CostingAnswerPayload {
        pub product_id: ::std::string::String,
        pub cost: f64,
    }
    __rt::object! {
        CostingAnswerPayload { required product_id = "productId", required cost = "cost"
        }
    }
    impl __rt::Validate for CostingAnswerPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
}
/// The messages of *Costing*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CostingRequest {
        /// The payload.
        pub payload: super::models::CostingRequestPayload,
    }
    impl CostingRequest {
        /// A message with this payload.
        pub fn new(payload: super::models::CostingRequestPayload) -> Self {
            CostingRequest { payload }
        }
    }
    impl __rt::Message for CostingRequest {
        const NAME: &'static str = "CostingRequest";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(CostingRequest {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
        fn bindings() -> __rt::bindings::MessageBindings {
            {
                let mut v: __rt::bindings::MessageBindings = ::std::default::Default::default();
                v.kafka = __rt::Some({
                    let mut v: __rt::bindings::KafkaMessage = ::std::default::Default::default();
                    v.key = __rt::Some(__rt::Cow::Borrowed("costing"));
                    v.schema_id_location = __rt::Some(__rt::Cow::Borrowed("payload"));
                    v.schema_id_payload_encoding = __rt::Some(
                        __rt::Cow::Borrowed("confluent"),
                    );
                    v.schema_lookup_strategy = __rt::Some(
                        __rt::Cow::Borrowed("RecordNameStrategy"),
                    );
                    v
                });
                v
            }
        }
    }
    impl __rt::Validate for CostingRequest {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CostingAnswer {
        /// The payload.
        pub payload: super::models::CostingAnswerPayload,
    }
    impl CostingAnswer {
        /// A message with this payload.
        pub fn new(payload: super::models::CostingAnswerPayload) -> Self {
            CostingAnswer { payload }
        }
    }
    impl __rt::Message for CostingAnswer {
        const NAME: &'static str = "CostingAnswer";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(CostingAnswer {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
        fn bindings() -> __rt::bindings::MessageBindings {
            {
                let mut v: __rt::bindings::MessageBindings = ::std::default::Default::default();
                v.http = __rt::Some({
                    let mut v: __rt::bindings::HttpMessage = ::std::default::Default::default();
                    v.headers = ::std::vec![
                        (__rt::Cow::Borrowed("X-Tenant"), __rt::Cow::Borrowed("adeo"))
                    ];
                    v.status_code = __rt::Some(201u16);
                    v
                });
                v
            }
        }
    }
    impl __rt::Validate for CostingAnswer {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
}
/// The channels of *Costing*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `adeo-{env}-case-study-COSTING-REQUEST-{version}`.
    pub mod costing_request {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "costingRequest";
        /// The address template.
        pub const ADDRESS: &str = "adeo-{env}-case-study-COSTING-REQUEST-{version}";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            pub env: Env,
            pub version: __rt::String,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `env`; `None` for any.
            pub env: __rt::Option<Env>,
            /// Only this `version`; `None` for any.
            pub version: __rt::Option<__rt::String>,
        }
        /// The values of the `env` parameter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Env {
            /// `dev`
            Dev,
            /// `sit`
            Sit,
            /// `uat`
            Uat,
            /// `prod`
            Prod,
        }
        impl Env {
            /// The value as it stands in the address.
            pub fn as_str(self) -> &'static str {
                match self {
                    Self::Dev => "dev",
                    Self::Sit => "sit",
                    Self::Uat => "uat",
                    Self::Prod => "prod",
                }
            }
        }
        impl ::std::fmt::Display for Env {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for Env {
            type Err = __rt::String;
            fn from_str(s: &str) -> __rt::Result<Self, Self::Err> {
                match s {
                    "dev" => __rt::Ok(Self::Dev),
                    "sit" => __rt::Ok(Self::Sit),
                    "uat" => __rt::Ok(Self::Uat),
                    "prod" => __rt::Ok(Self::Prod),
                    _ => {
                        __rt::Err(
                            __rt::address::not_one_of(s, &["dev", "sit", "uat", "prod"]),
                        )
                    }
                }
            }
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    env: __rt::address::param(values.as_slice(), "env")?,
                    version: __rt::address::param(values.as_slice(), "version")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE
                    .build(
                        &[("env", self.env.as_str()), ("version", self.version.as_str())],
                    )
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([
                    ("env".into(), self.env.as_str().into()),
                    ("version".into(), self.version.as_str().into()),
                ])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.env {
                    spec = spec.with_param("env", v.as_str());
                }
                if let __rt::Some(v) = &self.version {
                    spec = spec.with_param("version", v.as_str());
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = __rt::ChannelSpec::new(NAME, ADDRESS)
                .with_param_values("env", ["dev", "sit", "uat", "prod"]);
            spec.bindings.kafka = __rt::Some({
                let mut v: __rt::bindings::KafkaChannel = ::std::default::Default::default();
                v.topic = __rt::Some(
                    __rt::Cow::Borrowed("adeo-prod-case-study-COSTING-REQUEST-v1"),
                );
                v.partitions = __rt::Some(3u32);
                v.replicas = __rt::Some(3u32);
                v.topic_configuration = __rt::Some({
                    let mut v: __rt::bindings::KafkaTopicConfiguration = ::std::default::Default::default();
                    v.cleanup_policy = ::std::vec![__rt::Cow::Borrowed("delete")];
                    v.retention_ms = __rt::Some(604800000i64);
                    v.confluent_value_schema_validation = __rt::Some(true);
                    v
                });
                v
            });
            spec
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
    /// Address: `/costing/answers`.
    pub mod costing_answer {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "costingAnswer";
        /// The address template.
        pub const ADDRESS: &str = "/costing/answers";
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
            __rt::ChannelSpec::new(NAME, ADDRESS)
        }
    }
}
/// The operations of *Costing*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application sends on channel `costingRequest` (operation `requestCosting`).
    #[derive(Clone, Copy, Debug)]
    pub struct RequestCosting;
    impl RequestCosting {
        /// The operation's name in the document.
        pub const NAME: &'static str = "requestCosting";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::costing_request::spec();
            spec.bindings.kafka_operation = __rt::Some({
                let mut v: __rt::bindings::KafkaOperation = ::std::default::Default::default();
                v.client_id = __rt::Some(__rt::Cow::Borrowed("costing-front"));
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
                channels::costing_request::Params,
                messages::CostingRequest,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::costing_request::Params,
            message: &messages::CostingRequest,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application receives on channel `costingRequest` (operation `onCostingRequest`).
    #[derive(Clone, Copy, Debug)]
    pub struct OnCostingRequest;
    impl OnCostingRequest {
        /// The operation's name in the document.
        pub const NAME: &'static str = "onCostingRequest";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::costing_request::spec();
            spec.bindings.kafka_operation = __rt::Some({
                let mut v: __rt::bindings::KafkaOperation = ::std::default::Default::default();
                v.group_id = __rt::Some(__rt::Cow::Borrowed("svc-costing"));
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
            filter: &channels::costing_request::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::costing_request::Params,
                messages::CostingRequest,
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
            filter: &channels::costing_request::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::costing_request::Params,
                messages::CostingRequest,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `costingAnswer` (operation `answerCosting`).
    #[derive(Clone, Copy, Debug)]
    pub struct AnswerCosting;
    impl AnswerCosting {
        /// The operation's name in the document.
        pub const NAME: &'static str = "answerCosting";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::costing_answer::spec();
            spec.bindings.http = __rt::Some({
                let mut v: __rt::bindings::HttpOperation = ::std::default::Default::default();
                v.method = __rt::Some(__rt::Cow::Borrowed("POST"));
                v.query = ::std::vec![
                    (__rt::Cow::Borrowed("api-version"), __rt::Cow::Borrowed("2"))
                ];
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
                channels::costing_answer::Params,
                messages::CostingAnswer,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::costing_answer::Params,
            message: &messages::CostingAnswer,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Costing*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// Kafka PROD cluster.
    ///
    /// `kafka-secure://prod.url:9092`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Prod;
    impl ::std::default::Default for Prod {
        fn default() -> Self {
            Prod {}
        }
    }
    /// Server `prod` asks for no security.
    pub type ProdSecurity = __rt::security::Anonymous;
    impl Prod {
        /// The server's name in the document.
        pub const NAME: &'static str = "prod";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "kafka-secure";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "prod.url:9092";
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
            security: ProdSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: ProdSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: ProdSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: ProdSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: ProdSecurity) -> __rt::transport::ServerSpec {
            __rt::transport::ServerSpec {
                name: __rt::Cow::Borrowed(Self::NAME),
                url: self.url(),
                protocol: __rt::Cow::Borrowed(Self::PROTOCOL),
                protocol_version: Self::PROTOCOL_VERSION.map(__rt::Cow::Borrowed),
                bindings: {
                    let mut v: __rt::bindings::ServerBindings = ::std::default::Default::default();
                    v.kafka = __rt::Some({
                        let mut v: __rt::bindings::KafkaServer = ::std::default::Default::default();
                        v.schema_registry_url = __rt::Some(
                            __rt::Cow::Borrowed("https://schema-registry.prod.url/"),
                        );
                        v.schema_registry_vendor = __rt::Some(
                            __rt::Cow::Borrowed("confluent"),
                        );
                        v
                    });
                    v
                },
                credentials: __rt::security::Credentials::credentials(&security),
            }
        }
    }
    /// Where the costing service sends its answers.
    ///
    /// `https://callbacks.url`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Callbacks;
    impl ::std::default::Default for Callbacks {
        fn default() -> Self {
            Callbacks {}
        }
    }
    /// Server `callbacks` asks for no security.
    pub type CallbacksSecurity = __rt::security::Anonymous;
    impl Callbacks {
        /// The server's name in the document.
        pub const NAME: &'static str = "callbacks";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "https";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "callbacks.url";
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
            security: CallbacksSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: CallbacksSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: CallbacksSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: CallbacksSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: CallbacksSecurity) -> __rt::transport::ServerSpec {
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
