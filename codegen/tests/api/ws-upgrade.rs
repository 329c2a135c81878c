/// Types of the schemas of *Ticker over WebSocket*.
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
    pub struct TickPayload {
        pub price: f64,
    }
    impl ::asyncapi::__private::Validate for TickPayload {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {}
    }
    #[derive(
        Clone,
        Debug,
        PartialEq,
        ::asyncapi::__private::serde::Serialize,
        ::asyncapi::__private::serde::Deserialize
    )]
    #[serde(crate = "::asyncapi::__private::serde")]
    pub struct TickerWsQuery {
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub format: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub depth: ::std::option::Option<i64>,
    }
    impl ::asyncapi::__private::Validate for TickerWsQuery {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {
            {
                let p1 = &path.key("format");
                if let ::std::option::Option::Some(v1) = &self.format {
                    {
                        static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                            "{\"const\":\"compact\"}",
                        );
                        ::asyncapi::__private::check::schema(v1, &SCHEMA, p1, out);
                    }
                }
            }
            {
                let p1 = &path.key("depth");
                if let ::std::option::Option::Some(v1) = &self.depth {
                    ::asyncapi::__private::check::number(
                        *v1,
                        &::asyncapi::__private::check::NumberRules {
                            minimum: ::std::option::Option::Some(1f64),
                            maximum: ::std::option::Option::Some(50f64),
                            ..::asyncapi::__private::check::NumberRules::NONE
                        },
                        p1,
                        out,
                    );
                }
            }
        }
    }
    #[derive(
        Clone,
        Debug,
        PartialEq,
        ::asyncapi::__private::serde::Serialize,
        ::asyncapi::__private::serde::Deserialize
    )]
    #[serde(crate = "::asyncapi::__private::serde")]
    pub struct TickerWsHeaders {
        #[serde(rename = "X-Api-Version")]
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub x_api_version: ::std::option::Option<::std::string::String>,
    }
    impl ::asyncapi::__private::Validate for TickerWsHeaders {
        #[allow(unused_variables)]
        fn validate_at(
            &self,
            path: &::asyncapi::__private::Path<'_>,
            out: &mut ::asyncapi::__private::Violations,
        ) {
            {
                let p1 = &path.key("X-Api-Version");
                if let ::std::option::Option::Some(v1) = &self.x_api_version {
                    {
                        static SCHEMA: ::asyncapi::__private::LazySchema = ::asyncapi::__private::LazySchema::new(
                            "{\"const\":\"2\"}",
                        );
                        ::asyncapi::__private::check::schema(v1, &SCHEMA, p1, out);
                    }
                }
            }
        }
    }
}
/// The messages of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code)]
pub mod messages {
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
    impl ::asyncapi::__private::Message for Tick {
        const NAME: &'static str = "tick";
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
            ::std::result::Result::Ok(Tick {
                payload: ::asyncapi::__private::message::read_payload(
                    Self::CONTENT_TYPE,
                    envelope,
                )?,
            })
        }
    }
    impl ::asyncapi::__private::Validate for Tick {
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
}
/// The channels of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code)]
pub mod channels {
    /// Address: `/ticker/{pair}`.
    pub mod ticker {
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
            pub pair: ::std::option::Option<Pair>,
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
            pub query: ::std::option::Option<WsQuery>,
            /// The headers to add (a name given here replaces the document's fixed value).
            pub headers: ::std::option::Option<WsHeaders>,
        }
        impl WsUpgrade {
            /// `spec` with these values in its `ws` binding, unchecked (`validate()`
            /// checks them).
            pub fn apply(
                &self,
                mut spec: ::asyncapi::__private::ChannelSpec,
            ) -> ::asyncapi::__private::ChannelSpec {
                let ws = spec
                    .bindings
                    .ws
                    .get_or_insert_with(::std::default::Default::default);
                if let ::std::option::Option::Some(v) = &self.query {
                    ws.add_query(v);
                }
                if let ::std::option::Option::Some(v) = &self.headers {
                    ws.add_headers(v);
                }
                spec
            }
        }
        impl ::asyncapi::__private::Validate for WsUpgrade {
            fn validate_at(
                &self,
                path: &::asyncapi::__private::Path<'_>,
                out: &mut ::asyncapi::__private::Violations,
            ) {
                ::asyncapi::__private::Validate::validate_at(
                    &self.query,
                    &path.key("query"),
                    out,
                );
                ::asyncapi::__private::Validate::validate_at(
                    &self.headers,
                    &path.key("headers"),
                    out,
                );
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
                    Pair::BtcUsd => "btc-usd",
                    Pair::EthUsd => "eth-usd",
                }
            }
        }
        impl ::std::fmt::Display for Pair {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for Pair {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    "btc-usd" => ::std::result::Result::Ok(Pair::BtcUsd),
                    "eth-usd" => ::std::result::Result::Ok(Pair::EthUsd),
                    other => {
                        ::std::result::Result::Err(
                            ::std::format!(
                                "`{}` is not one of {}", other, "`btc-usd`, `eth-usd`"
                            ),
                        )
                    }
                }
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
                TEMPLATE.build(&[("pair", self.pair.as_str())])
            }
            fn from_address(address: &str) -> ::std::option::Option<Self> {
                let values = TEMPLATE.extract(address)?;
                ::std::option::Option::Some(Params {
                    pair: ::asyncapi::__private::address::param(&values, "pair")?,
                })
            }
            fn values(
                &self,
            ) -> ::std::vec::Vec<
                (::std::borrow::Cow<'static, str>, ::std::string::String),
            > {
                ::std::vec![
                    (::std::borrow::Cow::Borrowed("pair"),
                    ::std::borrow::ToOwned::to_owned(self.pair.as_str()))
                ]
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> ::asyncapi::__private::ChannelSpec {
                let mut spec = spec();
                if let ::std::option::Option::Some(v) = &self.pair {
                    spec = spec
                        .with_param(
                            "pair",
                            ::std::borrow::ToOwned::to_owned(v.as_str()),
                        );
                }
                spec = self.ws.apply(spec);
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            let mut spec = ::asyncapi::__private::ChannelSpec::new(NAME, ADDRESS);
            spec.bindings.ws = ::std::option::Option::Some(::asyncapi::__private::bindings::WsChannel {
                method: ::std::option::Option::None,
                query: ::std::vec![
                    (::std::borrow::Cow::Borrowed("format"),
                    ::std::borrow::Cow::Borrowed("compact"))
                ],
                headers: ::std::vec![
                    (::std::borrow::Cow::Borrowed("X-Api-Version"),
                    ::std::borrow::Cow::Borrowed("2"))
                ],
            });
            spec
        }
        /// The address template, parsed once.
        static TEMPLATE: ::asyncapi::__private::LazyTemplate = ::asyncapi::__private::LazyTemplate::new(
            ADDRESS,
        );
    }
}
/// The operations of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code)]
pub mod operations {
    /// The application receives on channel `ticker` (operation `watch`).
    #[derive(Clone, Copy, Debug)]
    pub struct Watch;
    impl Watch {
        /// The operation's name in the document.
        pub const NAME: &'static str = "watch";
        /// The operation's channel as a transport opens it, with the channel's and the
        /// operation's bindings (and no parameter fixed).
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            super::channels::ticker::spec()
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on.
        pub async fn subscribe<C: ::asyncapi::__private::Consumer>(
            consumer: &C,
            filter: &super::channels::ticker::Filter,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Receiver<
                C::Subscriber,
                super::channels::ticker::Params,
                super::messages::Tick,
            >,
            ::asyncapi::__private::Error,
        > {
            let mut spec = Self::spec();
            ::asyncapi::__private::operation::check_binding(
                super::channels::ticker::NAME,
                "ws",
                &filter.ws,
            )?;
            let filtered = filter.spec();
            spec.params = filtered.params;
            spec.bindings.ws = filtered.bindings.ws;
            ::asyncapi::__private::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `ticker` (operation `quote`).
    #[derive(Clone, Copy, Debug)]
    pub struct Quote;
    impl Quote {
        /// The operation's name in the document.
        pub const NAME: &'static str = "quote";
        /// The operation's channel as a transport opens it, with the channel's and the
        /// operation's bindings (and no parameter fixed).
        pub fn spec() -> ::asyncapi::__private::ChannelSpec {
            super::channels::ticker::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: ::asyncapi::__private::Producer>(
            producer: &P,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Sender<
                P::Publisher,
                super::channels::ticker::Params,
                super::messages::Tick,
            >,
            ::asyncapi::__private::Error,
        > {
            ::asyncapi::__private::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel for sending, with what the WebSocket upgrade request
        /// adds to the document's fixed query parameters and headers (checked
        /// against the binding's schemas first).
        pub async fn open_with<P: ::asyncapi::__private::Producer>(
            producer: &P,
            upgrade: &super::channels::ticker::WsUpgrade,
        ) -> ::std::result::Result<
            ::asyncapi::__private::operation::Sender<
                P::Publisher,
                super::channels::ticker::Params,
                super::messages::Tick,
            >,
            ::asyncapi::__private::Error,
        > {
            ::asyncapi::__private::operation::check_binding(
                super::channels::ticker::NAME,
                "ws",
                upgrade,
            )?;
            ::asyncapi::__private::operation::Sender::open(
                    producer,
                    &upgrade.apply(Self::spec()),
                )
                .await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: ::asyncapi::__private::Producer>(
            producer: &P,
            params: &super::channels::ticker::Params,
            message: &super::messages::Tick,
        ) -> ::std::result::Result<(), ::asyncapi::__private::Error> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Ticker over WebSocket*.
#[allow(clippy::all, dead_code)]
pub mod servers {
    /// `wss://feed.example.com/v2`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Feed;
    impl ::std::default::Default for Feed {
        fn default() -> Self {
            Feed {}
        }
    }
    /// Server `feed` asks for no security.
    pub type FeedSecurity = ::asyncapi::__private::security::Anonymous;
    impl Feed {
        /// The server's name in the document.
        pub const NAME: &'static str = "feed";
        /// The protocol (`servers.*.protocol`).
        pub const PROTOCOL: &'static str = "wss";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: ::std::option::Option<&'static str> = ::std::option::Option::None;
        /// The host template.
        pub const HOST: &'static str = "feed.example.com";
        /// The path template.
        pub const PATHNAME: &'static str = "/v2";
        /// The host (and port) with the variables filled in.
        pub fn host(&self) -> ::std::string::String {
            #[allow(unused_mut)]
            let mut out = ::std::borrow::ToOwned::to_owned(Self::HOST);
            out
        }
        /// `protocol://host/pathname`, with the variables filled in.
        pub fn url(&self) -> ::std::string::String {
            #[allow(unused_mut)]
            let mut out = ::std::format!(
                "{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME
            );
            out
        }
        /// Connects to the server with the transport `C` (`MqttConnection`,
        /// `NatsConnection`, ...), the document's server bindings, and credentials of
        /// a kind the server accepts.
        pub async fn connect<C: ::asyncapi::__private::transport::Connect>(
            &self,
            security: FeedSecurity,
        ) -> ::std::result::Result<C, ::asyncapi::__private::transport::TransportError> {
            C::connect_to(&self.spec(security)).await
        }
        /// Binds the server side with the transport `S` (`WsServer`, ...): listens
        /// where the server's URL says and requires these credentials of every
        /// client. To listen elsewhere (a test's free port), bind the transport with
        /// options made from [`Self::spec`].
        pub async fn bind<S: ::asyncapi::__private::transport::Bind>(
            &self,
            security: FeedSecurity,
        ) -> ::std::result::Result<S, ::asyncapi::__private::transport::TransportError> {
            S::bind_to(&self.spec(security)).await
        }
        /// The server as a transport connects to it: URL, protocol, the document's
        /// server bindings, and the credentials (of a kind the server accepts).
        pub fn spec(
            &self,
            security: FeedSecurity,
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
