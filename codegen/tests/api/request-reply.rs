/// Types of the schemas of *Request and reply*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code)]
pub mod models {
    #[derive(
        Clone,
        Debug,
        PartialEq,
        ::asyncapi::__private::serde::Serialize,
        ::asyncapi::__private::serde::Deserialize
    )]
    #[serde(crate = "::asyncapi::__private::serde")]
    pub struct JobPayload {
        pub id: ::asyncapi::__private::uuid::Uuid,
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub weight: ::std::option::Option<i64>,
    }
    impl ::asyncapi::__private::Validate for JobPayload {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {
            {
                let p1 = &path.key("weight");
                if let ::std::option::Option::Some(v1) = &self.weight {
                    ::asyncapi::__private::check::number(
                        *v1,
                        &::asyncapi::__private::check::NumberRules {
                            minimum: ::std::option::Option::Some(1f64),
                            ..::asyncapi::__private::check::NumberRules::NONE
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
#[allow(clippy::all, dead_code)]
pub mod messages {
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
    impl ::asyncapi::__private::Message for Job {
        const NAME: &'static str = "job";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(
            &self,
            envelope: &mut impl ::asyncapi::__private::EnvelopeWriter,
        ) -> ::std::result::Result<(), ::asyncapi::__private::CodecError> {
            ::asyncapi::__private::message::write_payload(
                Self::CONTENT_TYPE,
                &self.payload,
                envelope,
            )?;
            ::std::result::Result::Ok(())
        }
        fn decode(
            envelope: &impl ::asyncapi::__private::EnvelopeReader,
        ) -> ::std::result::Result<Self, ::asyncapi::__private::CodecError> {
            ::std::result::Result::Ok(Job {
                payload: ::asyncapi::__private::message::read_payload(
                    Self::CONTENT_TYPE,
                    envelope,
                )?,
            })
        }
    }
    impl ::asyncapi::__private::Validate for Job {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {
            ::asyncapi::__private::Validate::validate_at(
                &self.payload,
                &path.key("payload"),
                out,
            );
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
    impl ::asyncapi::__private::Message for Done {
        const NAME: &'static str = "done";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(
            &self,
            envelope: &mut impl ::asyncapi::__private::EnvelopeWriter,
        ) -> ::std::result::Result<(), ::asyncapi::__private::CodecError> {
            ::asyncapi::__private::message::write_payload(
                Self::CONTENT_TYPE,
                &self.payload,
                envelope,
            )?;
            ::std::result::Result::Ok(())
        }
        fn decode(
            envelope: &impl ::asyncapi::__private::EnvelopeReader,
        ) -> ::std::result::Result<Self, ::asyncapi::__private::CodecError> {
            ::std::result::Result::Ok(Done {
                payload: ::asyncapi::__private::message::read_payload(
                    Self::CONTENT_TYPE,
                    envelope,
                )?,
            })
        }
    }
    impl ::asyncapi::__private::Validate for Done {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {}
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
    impl ::asyncapi::__private::Message for Failed {
        const NAME: &'static str = "failed";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(
            &self,
            envelope: &mut impl ::asyncapi::__private::EnvelopeWriter,
        ) -> ::std::result::Result<(), ::asyncapi::__private::CodecError> {
            ::asyncapi::__private::message::write_payload(
                Self::CONTENT_TYPE,
                &self.payload,
                envelope,
            )?;
            ::std::result::Result::Ok(())
        }
        fn decode(
            envelope: &impl ::asyncapi::__private::EnvelopeReader,
        ) -> ::std::result::Result<Self, ::asyncapi::__private::CodecError> {
            ::std::result::Result::Ok(Failed {
                payload: ::asyncapi::__private::message::read_payload(
                    Self::CONTENT_TYPE,
                    envelope,
                )?,
            })
        }
    }
    impl ::asyncapi::__private::Validate for Failed {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {}
    }
}
/// The channels of *Request and reply*.
#[allow(clippy::all, dead_code)]
pub mod channels {
    /// Address: `jobs.{queue}`.
    pub mod jobs {
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
            pub queue: ::std::option::Option<Queue>,
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
                    Queue::Fast => "fast",
                    Queue::Slow => "slow",
                }
            }
        }
        impl ::std::fmt::Display for Queue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for Queue {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    "fast" => ::std::result::Result::Ok(Queue::Fast),
                    "slow" => ::std::result::Result::Ok(Queue::Slow),
                    other => {
                        ::std::result::Result::Err(
                            ::std::format!(
                                "`{}` is not one of {}", other, "`fast`, `slow`"
                            ),
                        )
                    }
                }
            }
        }
        impl ::std::default::Default for Queue {
            fn default() -> Self {
                Queue::Fast
            }
        }
        impl ::asyncapi::__private::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn address(
                &self,
            ) -> ::std::result::Result<
                ::std::string::String,
                ::asyncapi::__private::AddressError,
            > {
                TEMPLATE.build(&[("queue", self.queue.as_str())])
            }
            fn from_address(address: &str) -> ::std::option::Option<Self> {
                let values = TEMPLATE.extract(address)?;
                ::std::option::Option::Some(Params {
                    queue: ::asyncapi::__private::address::param(&values, "queue")?,
                })
            }
            fn values(
                &self,
            ) -> ::std::vec::Vec<
                (::std::borrow::Cow<'static, str>, ::std::string::String),
            > {
                ::std::vec![
                    (::std::borrow::Cow::Borrowed("queue"),
                    ::std::borrow::ToOwned::to_owned(self.queue.as_str()))
                ]
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> ::asyncapi::__private::ChannelSpec {
                let mut spec = spec();
                if let ::std::option::Option::Some(v) = &self.queue {
                    spec = spec
                        .with_param(
                            "queue",
                            ::std::borrow::ToOwned::to_owned(v.as_str()),
                        );
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            ::asyncapi::__private::ChannelSpec::new(NAME, ADDRESS)
        }
        /// The address template, parsed once.
        static TEMPLATE: ::asyncapi::__private::LazyTemplate = ::asyncapi::__private::LazyTemplate::new(
            ADDRESS,
        );
    }
    /// Address: `results`.
    pub mod results {
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
        impl ::asyncapi::__private::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn address(
                &self,
            ) -> ::std::result::Result<
                ::std::string::String,
                ::asyncapi::__private::AddressError,
            > {
                ::std::result::Result::Ok(::std::borrow::ToOwned::to_owned(ADDRESS))
            }
            fn from_address(address: &str) -> ::std::option::Option<Self> {
                let _ = address;
                ::std::option::Option::Some(Params)
            }
            fn values(
                &self,
            ) -> ::std::vec::Vec<
                (::std::borrow::Cow<'static, str>, ::std::string::String),
            > {
                ::std::vec::Vec::new()
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> ::asyncapi::__private::ChannelSpec {
                spec()
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            ::asyncapi::__private::ChannelSpec::new(NAME, ADDRESS)
        }
    }
}
/// The operations of *Request and reply*.
#[allow(clippy::all, dead_code)]
pub mod operations {
    /// The application sends on channel `jobs` (operation `submit`).
    #[derive(Clone, Copy, Debug)]
    pub struct Submit;
    impl Submit {
        /// The operation's name in the document.
        pub const NAME: &'static str = "submit";
        /// The operation's channel as a transport opens it, with the channel's and the
        /// operation's bindings (and no parameter fixed).
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            super::channels::jobs::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: ::asyncapi::__private::Producer>(
            producer: &P,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Sender<
                P::Publisher,
                super::channels::jobs::Params,
                super::messages::Job,
            >,
            ::asyncapi::__private::Error,
        > {
            ::asyncapi::__private::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: ::asyncapi::__private::Producer>(
            producer: &P,
            params: &super::channels::jobs::Params,
            message: &super::messages::Job,
        ) -> ::std::result::Result<(), ::asyncapi::__private::Error> {
            Self::open(producer).await?.send(params, message).await
        }
        /// Sends a request and waits, at most `timeout`, for its reply (matched by
        /// correlation id).
        pub async fn request<C>(
            connection: &C,
            params: &super::channels::jobs::Params,
            message: &super::messages::Job,
            timeout: ::std::time::Duration,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Received<
                ::asyncapi::__private::operation::AnyAddress,
                SubmitReply,
            >,
            ::asyncapi::__private::Error,
        >
        where
            C: ::asyncapi::__private::Producer + ::asyncapi::__private::Consumer,
        {
            ::asyncapi::__private::operation::request(
                    connection,
                    &Self::spec(),
                    params,
                    message,
                    ::asyncapi::__private::ChannelSpec::new(
                        super::channels::results::NAME,
                        ::asyncapi::__private::operation::unique_id(),
                    ),
                    ::std::option::Option::None,
                    timeout,
                )
                .await
        }
    }
    /// The messages replying to `submit`: exactly one of them, told apart by decoding and validating each.
    #[derive(Clone, Debug, PartialEq)]
    pub enum SubmitReply {
        /// `done`
        Done(super::messages::Done),
        /// `failed`
        Failed(super::messages::Failed),
    }
    impl ::asyncapi::__private::operation::Outgoing for SubmitReply {
        fn encode_into(
            &self,
            channel: &'static str,
            envelope: &mut impl ::asyncapi::__private::EnvelopeWriter,
        ) -> ::std::result::Result<(), ::asyncapi::__private::Error> {
            match self {
                SubmitReply::Done(m) => {
                    ::asyncapi::__private::operation::Outgoing::encode_into(
                        m,
                        channel,
                        envelope,
                    )
                }
                SubmitReply::Failed(m) => {
                    ::asyncapi::__private::operation::Outgoing::encode_into(
                        m,
                        channel,
                        envelope,
                    )
                }
            }
        }
        fn correlation_id(&self) -> ::std::option::Option<::std::string::String> {
            match self {
                SubmitReply::Done(m) => {
                    ::asyncapi::__private::operation::Outgoing::correlation_id(m)
                }
                SubmitReply::Failed(m) => {
                    ::asyncapi::__private::operation::Outgoing::correlation_id(m)
                }
            }
        }
    }
    impl ::asyncapi::__private::operation::Incoming for SubmitReply {
        fn decode_from(
            channel: &'static str,
            envelope: &impl ::asyncapi::__private::EnvelopeReader,
        ) -> ::std::result::Result<Self, ::asyncapi::__private::Error> {
            ::asyncapi::__private::operation::exactly_one(
                channel,
                ::asyncapi::__private::EnvelopeReader::address(envelope),
                ::std::vec![
                    ("done", < super::messages::Done as
                    ::asyncapi::__private::operation::Incoming > ::decode_from(channel,
                    envelope).map(SubmitReply::Done)), ("failed", <
                    super::messages::Failed as ::asyncapi::__private::operation::Incoming
                    > ::decode_from(channel, envelope).map(SubmitReply::Failed)),
                ],
            )
        }
    }
    impl ::std::convert::From<super::messages::Done> for SubmitReply {
        fn from(m: super::messages::Done) -> Self {
            SubmitReply::Done(m)
        }
    }
    impl ::std::convert::From<super::messages::Failed> for SubmitReply {
        fn from(m: super::messages::Failed) -> Self {
            SubmitReply::Failed(m)
        }
    }
    /// The application receives on channel `jobs` (operation `work`).
    #[derive(Clone, Copy, Debug)]
    pub struct Work;
    impl Work {
        /// The operation's name in the document.
        pub const NAME: &'static str = "work";
        /// The operation's channel as a transport opens it, with the channel's and the
        /// operation's bindings (and no parameter fixed).
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            let mut spec = super::channels::jobs::spec();
            spec.bindings.nats = ::std::option::Option::Some(::asyncapi::__private::bindings::NatsOperation {
                queue: ::std::option::Option::Some(
                    ::std::borrow::Cow::Borrowed("workers"),
                ),
            });
            spec.queue_group = ::std::option::Option::Some(
                ::std::borrow::ToOwned::to_owned("workers"),
            );
            spec
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on.
        pub async fn subscribe<C: ::asyncapi::__private::Consumer>(
            consumer: &C,
            filter: &super::channels::jobs::Filter,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Receiver<
                C::Subscriber,
                super::channels::jobs::Params,
                super::messages::Job,
            >,
            ::asyncapi::__private::Error,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            ::asyncapi::__private::operation::Receiver::open(consumer, &spec).await
        }
        /// Sends the reply to a received request: to its `reply_to` (or the reply
        /// channel's address), with its correlation id.
        pub async fn reply<P: ::asyncapi::__private::Producer>(
            producer: &P,
            request: &::asyncapi::__private::operation::Received<
                super::channels::jobs::Params,
                super::messages::Job,
            >,
            message: &WorkReply,
        ) -> ::std::result::Result<(), ::asyncapi::__private::Error> {
            ::asyncapi::__private::operation::reply::<
                P,
                super::channels::results::Params,
                WorkReply,
                super::channels::jobs::Params,
                super::messages::Job,
            >(
                    producer,
                    &super::channels::results::spec(),
                    request,
                    ::std::option::Option::None,
                    message,
                )
                .await
        }
    }
    /// The messages replying to `work`: the same as [`SubmitReply`].
    pub type WorkReply = SubmitReply;
}
/// The servers of *Request and reply*.
#[allow(clippy::all, dead_code)]
pub mod servers {
    /// `nats://localhost:{port}`
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Local {
        pub port: ::std::string::String,
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
        User(::asyncapi::__private::security::UserPassword),
    }
    impl ::asyncapi::__private::security::Credentials for LocalSecurity {
        fn credentials(
            &self,
        ) -> ::std::vec::Vec<::asyncapi::__private::security::Credential> {
            match self {
                LocalSecurity::User(c0) => {
                    ::std::vec![
                        { let v = c0;
                        ::asyncapi::__private::security::Credential::UserPassword(::std::clone::Clone::clone(v))
                        }
                    ]
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
        pub const PROTOCOL_VERSION: ::std::option::Option<&'static str> = ::std::option::Option::None;
        /// The host template.
        pub const HOST: &'static str = "localhost:{port}";
        /// The path template.
        pub const PATHNAME: &'static str = "";
        /// The host (and port) with the variables filled in.
        pub fn host(&self) -> ::std::string::String {
            #[allow(unused_mut)]
            let mut out = ::std::borrow::ToOwned::to_owned(Self::HOST);
            out = out.replace("{port}", self.port.as_str());
            out
        }
        /// `protocol://host/pathname`, with the variables filled in.
        pub fn url(&self) -> ::std::string::String {
            #[allow(unused_mut)]
            let mut out = ::std::format!(
                "{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME
            );
            out = out.replace("{port}", self.port.as_str());
            out
        }
        /// Connects to the server with the transport `C` (`MqttConnection`,
        /// `NatsConnection`, ...), the document's server bindings, and credentials of
        /// a kind the server accepts.
        pub async fn connect<C: ::asyncapi::__private::transport::Connect>(
            &self,
            security: LocalSecurity,
        ) -> ::std::result::Result<C, ::asyncapi::__private::transport::TransportError> {
            C::connect_to(&self.spec(security)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), bind the transport with
        /// options made from [`Self::spec`].
        pub async fn bind<S: ::asyncapi::__private::transport::Bind>(
            &self,
            security: LocalSecurity,
        ) -> ::std::result::Result<S, ::asyncapi::__private::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(
            &self,
            security: LocalSecurity,
        ) -> ::asyncapi::__private::transport::ServerSpec {
            ::asyncapi::__private::transport::ServerSpec {
                name: ::std::borrow::Cow::Borrowed(Self::NAME),
                url: self.url(),
                protocol: ::std::borrow::Cow::Borrowed(Self::PROTOCOL),
                protocol_version: Self::PROTOCOL_VERSION
                    .map(::std::borrow::Cow::Borrowed),
                bindings: ::asyncapi::__private::bindings::ServerBindings {
                    mqtt: ::std::option::Option::None,
                },
                credentials: ::asyncapi::__private::security::Credentials::credentials(
                    &security,
                ),
            }
        }
    }
}
