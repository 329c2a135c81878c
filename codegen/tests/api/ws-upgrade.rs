/// Types of the schemas of *Ticker over WebSocket*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct TickPayload {
        pub price: f64,
    }
    __rt::object! {
        TickPayload { required price = "price" }
    }
    impl __rt::Validate for TickPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct TickerWsQuery {
        pub format: ::std::option::Option<::std::string::String>,
        pub depth: ::std::option::Option<i64>,
    }
    __rt::object! {
        TickerWsQuery { optional format = "format", optional depth = "depth" }
    }
    impl __rt::Validate for TickerWsQuery {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("format");
                if let __rt::Some(v1) = &self.format {
                    {
                        static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                            "{\"const\":\"compact\"}",
                        );
                        __rt::check::schema(v1, &SCHEMA, p1, out);
                    }
                }
            }
            {
                let p1 = &path.key("depth");
                if let __rt::Some(v1) = &self.depth {
                    __rt::check::number(
                        *v1,
                        &__rt::check::NumberRules {
                            minimum: __rt::Some(1f64),
                            maximum: __rt::Some(50f64),
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
    pub struct TickerWsHeaders {
        pub x_api_version: ::std::option::Option<::std::string::String>,
    }
    __rt::object! {
        TickerWsHeaders { optional x_api_version = "X-Api-Version" }
    }
    impl __rt::Validate for TickerWsHeaders {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("X-Api-Version");
                if let __rt::Some(v1) = &self.x_api_version {
                    {
                        static SCHEMA: __rt::LazySchema = __rt::LazySchema::new(
                            "{\"const\":\"2\"}",
                        );
                        __rt::check::schema(v1, &SCHEMA, p1, out);
                    }
                }
            }
        }
    }
}
/// The messages of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Tick {
        /// The payload.
        pub payload: super::models::TickPayload,
    }
    impl Tick {
        /// A message with this payload.
        pub fn new(payload: super::models::TickPayload) -> Self {
            Tick { payload }
        }
    }
    impl __rt::Message for Tick {
        const NAME: &'static str = "tick";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Tick {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Tick {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
}
/// The channels of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `/ticker/{pair}`.
    pub mod ticker {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "ticker";
        /// The address template.
        pub const ADDRESS: &str = "/ticker/{pair}";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            pub pair: Pair,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all), and
        /// what its WebSocket upgrade request adds.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Filter {
            /// Only this `pair`; `None` for any.
            pub pair: __rt::Option<Pair>,
            /// What the subscription's WebSocket upgrade request adds (checked by
            /// `subscribe` against the binding's schemas).
            pub ws: WsUpgrade,
        }
        /// The query parameters of the WebSocket upgrade request (the channel's `ws` binding).
        pub type WsQuery = super::super::models::TickerWsQuery;
        /// The headers of the WebSocket upgrade request (the channel's `ws` binding).
        pub type WsHeaders = super::super::models::TickerWsHeaders;
        /// What a WebSocket upgrade request for this channel adds to the document's
        /// fixed query parameters and headers (the channel's `ws` binding). Generated
        /// `subscribe` (through `Filter::ws`) and `open_with` check it against the
        /// binding's schemas before the upgrade.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct WsUpgrade {
            /// The query parameters to add (a name given here replaces the document's fixed value).
            pub query: __rt::Option<WsQuery>,
            /// The headers to add (a name given here replaces the document's fixed value).
            pub headers: __rt::Option<WsHeaders>,
        }
        impl WsUpgrade {
            /// `spec` with these values in its `ws` binding, unchecked (`validate()`
            /// checks them).
            pub fn apply(&self, mut spec: __rt::ChannelSpec) -> __rt::ChannelSpec {
                let ws = spec
                    .bindings
                    .ws
                    .get_or_insert_with(::std::default::Default::default);
                if let __rt::Some(v) = &self.query {
                    ws.add_query(v);
                }
                if let __rt::Some(v) = &self.headers {
                    ws.add_headers(v);
                }
                spec
            }
        }
        impl __rt::Validate for WsUpgrade {
            fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
                __rt::Validate::validate_at(&self.query, &path.key("query"), out);
                __rt::Validate::validate_at(&self.headers, &path.key("headers"), out);
            }
        }
        /// The values of the `pair` parameter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Pair {
            /// `btc-usd`
            BtcUsd,
            /// `eth-usd`
            EthUsd,
        }
        impl Pair {
            /// The value as it stands in the address.
            pub fn as_str(self) -> &'static str {
                match self {
                    Self::BtcUsd => "btc-usd",
                    Self::EthUsd => "eth-usd",
                }
            }
        }
        impl ::std::fmt::Display for Pair {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for Pair {
            type Err = __rt::String;
            fn from_str(s: &str) -> __rt::Result<Self, Self::Err> {
                match s {
                    "btc-usd" => __rt::Ok(Self::BtcUsd),
                    "eth-usd" => __rt::Ok(Self::EthUsd),
                    _ => __rt::Err(__rt::address::not_one_of(s, &["btc-usd", "eth-usd"])),
                }
            }
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    pair: __rt::address::param(values.as_slice(), "pair")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("pair", self.pair.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([("pair".into(), self.pair.as_str().into())])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.pair {
                    spec = spec.with_param("pair", v.as_str());
                }
                spec = self.ws.apply(spec);
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = __rt::ChannelSpec::new(NAME, ADDRESS)
                .with_param_values("pair", ["btc-usd", "eth-usd"]);
            spec.bindings.ws = __rt::Some({
                let mut v: __rt::bindings::WsChannel = ::std::default::Default::default();
                v.query = ::std::vec![
                    (__rt::Cow::Borrowed("format"), __rt::Cow::Borrowed("compact"))
                ];
                v.headers = ::std::vec![
                    (__rt::Cow::Borrowed("X-Api-Version"), __rt::Cow::Borrowed("2"))
                ];
                v
            });
            spec
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
}
/// The operations of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application receives on channel `ticker` (operation `watch`).
    #[derive(Clone, Copy, Debug)]
    pub struct Watch;
    impl Watch {
        /// The operation's name in the document.
        pub const NAME: &'static str = "watch";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::ticker::spec()
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on. Messages are acknowledged once decoded;
        /// through `asyncapi::ack::ManualAck(&connection)` each carries its
        /// acknowledgement for you to settle.
        pub async fn subscribe<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::ticker::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::ticker::Params,
                messages::Tick,
            >,
        > {
            let mut spec = Self::spec();
            __rt::operation::check_binding(channels::ticker::NAME, "ws", &filter.ws)?;
            let filtered = filter.spec();
            spec.params = filtered.params;
            spec.bindings.ws = filtered.bindings.ws;
            __rt::operation::Receiver::open(consumer, &spec).await
        }
        /// Subscribes as [`Self::subscribe`] does, as a member of the consumer group
        /// `group` (in place of any the document names): the members of one group
        /// share the channel's messages, each going to one of them. A transport
        /// without groups refuses the subscription.
        pub async fn subscribe_in_group<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::ticker::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::ticker::Params,
                messages::Tick,
            >,
        > {
            let mut spec = Self::spec();
            __rt::operation::check_binding(channels::ticker::NAME, "ws", &filter.ws)?;
            let filtered = filter.spec();
            spec.params = filtered.params;
            spec.bindings.ws = filtered.bindings.ws;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `ticker` (operation `quote`).
    #[derive(Clone, Copy, Debug)]
    pub struct Quote;
    impl Quote {
        /// The operation's name in the document.
        pub const NAME: &'static str = "quote";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::ticker::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::ticker::Params,
                messages::Tick,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel for sending, with what the WebSocket upgrade request
        /// adds to the document's fixed query parameters and headers (checked
        /// against the binding's schemas first).
        pub async fn open_with<P: __rt::Producer>(
            producer: &P,
            upgrade: &channels::ticker::WsUpgrade,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::ticker::Params,
                messages::Tick,
            >,
        > {
            __rt::operation::check_binding(channels::ticker::NAME, "ws", upgrade)?;
            __rt::operation::Sender::open(producer, &upgrade.apply(Self::spec())).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::ticker::Params,
            message: &messages::Tick,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// `wss://feed.example.com/v2`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Feed;
    impl ::std::default::Default for Feed {
        fn default() -> Self {
            Feed {}
        }
    }
    /// Server `feed` asks for no security.
    pub type FeedSecurity = __rt::security::Anonymous;
    impl Feed {
        /// The server's name in the document.
        pub const NAME: &'static str = "feed";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "wss";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "feed.example.com";
        /// The path template.
        pub const PATHNAME: &'static str = "/v2";
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
            security: FeedSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security)).await
        }
        /// Connects to the server at `url` instead of where the document says (a
        /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
        /// everything else the document's: protocol, server bindings, credentials.
        pub async fn connect_at<C: __rt::transport::Connect>(
            &self,
            url: &str,
            security: FeedSecurity,
        ) -> __rt::Result<C, __rt::transport::TransportError> {
            __rt::transport::connect_named(&self.spec(security).at(url)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
        pub async fn bind<S: __rt::transport::Bind>(
            &self,
            security: FeedSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// Binds the server side at `url` instead of where the document says, with
        /// everything else the document's.
        pub async fn bind_at<S: __rt::transport::Bind>(
            &self,
            url: &str,
            security: FeedSecurity,
        ) -> __rt::Result<S, __rt::transport::TransportError> {
            S::bind_to(&self.spec(security).at(url)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(&self, security: FeedSecurity) -> __rt::transport::ServerSpec {
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
