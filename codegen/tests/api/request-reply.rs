/// Types of the schemas of *Request and reply*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct JobPayload {
        pub id: __rt::uuid::Uuid,
        pub weight: ::std::option::Option<i64>,
    }
    __rt::object! {
        JobPayload { required id = "id", optional weight = "weight" }
    }
    impl __rt::Validate for JobPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("weight");
                if let __rt::Some(v1) = &self.weight {
                    __rt::check::number(
                        *v1,
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
    }
}
/// The messages of *Request and reply*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Job {
        /// The payload.
        pub payload: super::models::JobPayload,
    }
    impl Job {
        /// A message with this payload.
        pub fn new(payload: super::models::JobPayload) -> Self {
            Job { payload }
        }
    }
    impl __rt::Message for Job {
        const NAME: &'static str = "job";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Job {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Job {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Done {
        /// The payload.
        pub payload: bool,
    }
    impl Done {
        /// A message with this payload.
        pub fn new(payload: bool) -> Self {
            Done { payload }
        }
    }
    impl __rt::Message for Done {
        const NAME: &'static str = "done";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Done {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Done {
        fn validate_at(&self, _: &__rt::Path<'_>, _: &mut __rt::Violations) {}
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Failed {
        /// The payload.
        pub payload: ::std::string::String,
    }
    impl Failed {
        /// A message with this payload.
        pub fn new(payload: ::std::string::String) -> Self {
            Failed { payload }
        }
    }
    impl __rt::Message for Failed {
        const NAME: &'static str = "failed";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Failed {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Failed {
        fn validate_at(&self, _: &__rt::Path<'_>, _: &mut __rt::Violations) {}
    }
}
/// The channels of *Request and reply*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `jobs.{queue}`.
    pub mod jobs {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "jobs";
        /// The address template.
        pub const ADDRESS: &str = "jobs.{queue}";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            pub queue: Queue,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `queue`; `None` for any.
            pub queue: __rt::Option<Queue>,
        }
        /// The values of the `queue` parameter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Queue {
            /// `fast`
            Fast,
            /// `slow`
            Slow,
        }
        impl Queue {
            /// The value as it stands in the address.
            pub fn as_str(self) -> &'static str {
                match self {
                    Self::Fast => "fast",
                    Self::Slow => "slow",
                }
            }
        }
        impl ::std::fmt::Display for Queue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for Queue {
            type Err = __rt::String;
            fn from_str(s: &str) -> __rt::Result<Self, Self::Err> {
                match s {
                    "fast" => __rt::Ok(Self::Fast),
                    "slow" => __rt::Ok(Self::Slow),
                    _ => __rt::Err(__rt::address::not_one_of(s, &["fast", "slow"])),
                }
            }
        }
        impl ::std::default::Default for Queue {
            fn default() -> Self {
                Self::Fast
            }
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    queue: __rt::address::param(values.as_slice(), "queue")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("queue", self.queue.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([("queue".into(), self.queue.as_str().into())])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.queue {
                    spec = spec.with_param("queue", v.as_str());
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            __rt::ChannelSpec::new(NAME, ADDRESS)
                .with_param_values("queue", ["fast", "slow"])
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
    /// Address: `results`.
    pub mod results {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "results";
        /// The address template.
        pub const ADDRESS: &str = "results";
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
                let _ = address;
                __rt::Some(Params)
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
/// The operations of *Request and reply*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application sends on channel `jobs` (operation `submit`).
    #[derive(Clone, Copy, Debug)]
    pub struct Submit;
    impl Submit {
        /// The operation's name in the document.
        pub const NAME: &'static str = "submit";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::jobs::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<P::Publisher, channels::jobs::Params, messages::Job>,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::jobs::Params,
            message: &messages::Job,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
        /// Sends a request and waits, at most `timeout`, for its reply (matched by
        /// correlation id).
        pub async fn request<C>(
            connection: &C,
            params: &channels::jobs::Params,
            message: &messages::Job,
            timeout: ::std::time::Duration,
        ) -> __rt::message::Result<
            __rt::operation::Received<__rt::operation::AnyAddress, SubmitReply>,
        >
        where
            C: __rt::Producer + __rt::Consumer,
        {
            __rt::operation::request(
                    connection,
                    &Self::spec(),
                    params,
                    message,
                    __rt::operation::inbox(channels::results::NAME),
                    __rt::None,
                    timeout,
                )
                .await
        }
    }
    /// The messages replying to `submit`: one of them, told apart by the name the envelope gives (the protocol's message type, else the `asyncapi-message` header), else a discriminator, else by decoding and validating each and taking the best fit (see `asyncapi::operation::dispatch`).
    #[derive(Clone, Debug, PartialEq)]
    pub enum SubmitReply {
        /// `done`
        Done(messages::Done),
        /// `failed`
        Failed(messages::Failed),
    }
    impl __rt::operation::Outgoing for SubmitReply {
        fn encode_into(
            &self,
            channel: &'static str,
            envelope: &mut impl __rt::EnvelopeWriter,
        ) -> __rt::message::Result<()> {
            let name = match self {
                Self::Done(m) => {
                    m.encode_into(channel, envelope)?;
                    "done"
                }
                Self::Failed(m) => {
                    m.encode_into(channel, envelope)?;
                    "failed"
                }
            };
            __rt::operation::name_message(envelope, name);
            __rt::Ok(())
        }
    }
    impl __rt::operation::Correlated for SubmitReply {}
    impl __rt::operation::Incoming for SubmitReply {
        fn decode_from(
            channel: &'static str,
            envelope: &impl __rt::EnvelopeReader,
        ) -> __rt::message::Result<Self> {
            __rt::operation::dispatch(
                channel,
                envelope,
                &[
                    __rt::operation::Candidate {
                        name: "done",
                        message_type: __rt::None,
                        discriminator: __rt::None,
                        properties: __rt::None,
                        decode: |c, e| {
                            __rt::operation::Incoming::decode_from(c, e).map(Self::Done)
                        },
                    },
                    __rt::operation::Candidate {
                        name: "failed",
                        message_type: __rt::None,
                        discriminator: __rt::None,
                        properties: __rt::None,
                        decode: |c, e| {
                            __rt::operation::Incoming::decode_from(c, e)
                                .map(Self::Failed)
                        },
                    },
                ],
            )
        }
    }
    impl ::std::convert::From<messages::Done> for SubmitReply {
        fn from(m: messages::Done) -> Self {
            Self::Done(m)
        }
    }
    impl ::std::convert::From<messages::Failed> for SubmitReply {
        fn from(m: messages::Failed) -> Self {
            Self::Failed(m)
        }
    }
    /// The application receives on channel `jobs` (operation `work`).
    #[derive(Clone, Copy, Debug)]
    pub struct Work;
    impl Work {
        /// The operation's name in the document.
        pub const NAME: &'static str = "work";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::jobs::spec();
            spec.bindings.nats = __rt::Some({
                let mut v: __rt::bindings::NatsOperation = ::std::default::Default::default();
                v.queue = __rt::Some(__rt::Cow::Borrowed("workers"));
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
            filter: &channels::jobs::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::jobs::Params,
                messages::Job,
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
            filter: &channels::jobs::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::jobs::Params,
                messages::Job,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
        /// Sends the reply to a received request: to its reply address (or the reply
        /// channel's address), with its correlation id.
        pub async fn reply<P: __rt::Producer>(
            producer: &P,
            request: &__rt::operation::Received<channels::jobs::Params, messages::Job>,
            message: &WorkReply,
        ) -> __rt::message::Result<()> {
            __rt::operation::reply::<
                P,
                channels::results::Params,
                WorkReply,
                channels::jobs::Params,
                messages::Job,
            >(producer, &channels::results::spec(), request, __rt::None, message)
                .await
        }
    }
    /// The messages replying to `work`: the same as [`SubmitReply`].
    pub type WorkReply = SubmitReply;
}
/// The servers of *Request and reply*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// `nats://localhost:{port}`
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Local {
        pub port: __rt::String,
    }
    impl ::std::default::Default for Local {
        fn default() -> Self {
            Local {
                port: ::std::borrow::ToOwned::to_owned("4222"),
            }
        }
    }
    /// The credentials server `local` accepts: one variant per security requirement of the document.
    #[derive(Clone, Debug)]
    pub enum LocalSecurity {
        /// `user`: NATS user and password.
        User(__rt::security::UserPassword),
    }
    impl __rt::security::Credentials for LocalSecurity {
        fn credentials(&self) -> __rt::Vec<__rt::security::Credential> {
            match self {
                LocalSecurity::User(v) => {
                    __rt::Vec::from([
                        __rt::security::Credential::UserPassword(v.clone()),
                    ])
                }
            }
        }
    }
    impl Local {
        /// The server's name in the document.
        pub const NAME: &'static str = "local";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "nats";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "localhost:{port}";
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
