/// Types of the schemas of *Orders on RabbitMQ*.
#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
pub mod models {
    use ::asyncapi::__private as __rt;
    #[derive(Clone, Debug, PartialEq)]
    pub struct PlacedPayload {
        pub id: ::std::string::String,
        pub total: f64,
    }
    __rt::object! {
        PlacedPayload { required id = "id", required total = "total" }
    }
    impl __rt::Validate for PlacedPayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            {
                let p1 = &path.key("total");
                __rt::check::number(
                    self.total,
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
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct PlacedHeaders {
        pub trace_id: ::std::option::Option<::std::string::String>,
    }
    __rt::object! {
        PlacedHeaders { optional trace_id = "traceId" }
    }
    impl __rt::Validate for PlacedHeaders {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
    #[derive(Clone, Debug, PartialEq)]
    pub struct InvoicePayload {
        pub order_id: ::std::string::String,
    }
    __rt::object! {
        InvoicePayload { required order_id = "orderId" }
    }
    impl __rt::Validate for InvoicePayload {
        #[allow(unused_variables)]
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
    }
}
/// The messages of *Orders on RabbitMQ*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod messages {
    use ::asyncapi::__private as __rt;
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Placed {
        /// The payload.
        pub payload: super::models::PlacedPayload,
        /// The headers.
        pub headers: super::models::PlacedHeaders,
    }
    impl Placed {
        /// A message with this payload and its headers' `Default` (every header absent, or at its schema's `default`).
        pub fn new(payload: super::models::PlacedPayload) -> Self {
            Placed {
                payload,
                headers: ::std::default::Default::default(),
            }
        }
    }
    impl __rt::Message for Placed {
        const NAME: &'static str = "placed";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)?;
            __rt::message::write_headers(&self.headers, to.headers_mut())?;
            __rt::Ok(())
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Placed {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
                headers: __rt::message::read_headers_with(from.headers(), &[])?,
            })
        }
        fn bindings() -> __rt::bindings::MessageBindings {
            {
                let mut v: __rt::bindings::MessageBindings = ::std::default::Default::default();
                v.amqp = __rt::Some({
                    let mut v: __rt::bindings::AmqpMessage = ::std::default::Default::default();
                    v.content_encoding = __rt::Some(__rt::Cow::Borrowed("identity"));
                    v.message_type = __rt::Some(__rt::Cow::Borrowed("order.placed"));
                    v
                });
                v
            }
        }
    }
    impl __rt::Validate for Placed {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
            __rt::Validate::validate_at(&self.headers, &path.key("headers"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Invoice {
        /// The payload.
        pub payload: super::models::InvoicePayload,
    }
    impl Invoice {
        /// A message with this payload.
        pub fn new(payload: super::models::InvoicePayload) -> Self {
            Invoice { payload }
        }
    }
    impl __rt::Message for Invoice {
        const NAME: &'static str = "invoice";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Invoice {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Invoice {
        fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
            __rt::Validate::validate_at(&self.payload, &path.key("payload"), out);
        }
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Lost {
        /// The payload.
        pub payload: ::std::string::String,
    }
    impl Lost {
        /// A message with this payload.
        pub fn new(payload: ::std::string::String) -> Self {
            Lost { payload }
        }
    }
    impl __rt::Message for Lost {
        const NAME: &'static str = "lost";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Lost {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Lost {
        fn validate_at(&self, _: &__rt::Path<'_>, _: &mut __rt::Violations) {}
    }
    /// Content type: `application/json`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Any {
        /// The payload.
        pub payload: ::std::string::String,
    }
    impl Any {
        /// A message with this payload.
        pub fn new(payload: ::std::string::String) -> Self {
            Any { payload }
        }
    }
    impl __rt::Message for Any {
        const NAME: &'static str = "any";
        const CONTENT_TYPE: &'static str = "application/json";
        fn encode(&self, to: &mut impl __rt::EnvelopeWriter) -> __rt::codec::Result<()> {
            __rt::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)
        }
        fn decode(from: &impl __rt::EnvelopeReader) -> __rt::codec::Result<Self> {
            __rt::Ok(Any {
                payload: __rt::message::read_payload(Self::CONTENT_TYPE, from)?,
            })
        }
    }
    impl __rt::Validate for Any {
        fn validate_at(&self, _: &__rt::Path<'_>, _: &mut __rt::Violations) {}
    }
}
/// The channels of *Orders on RabbitMQ*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod channels {
    /// Address: `orders.{region}.placed`.
    pub mod order_placed {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "orderPlaced";
        /// The address template.
        pub const ADDRESS: &str = "orders.{region}.placed";
        /// The values of the address parameters.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct Params {
            /// Where the order was placed.
            pub region: __rt::String,
        }
        /// Which parameter values a subscription takes (`Filter::default()`: all).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Filter {
            /// Only this `region`; `None` for any.
            pub region: __rt::Option<__rt::String>,
        }
        impl __rt::operation::ChannelParams for Params {
            const CHANNEL: &'static str = NAME;
            const ADDRESS: &'static str = ADDRESS;
            fn from_address(address: &str) -> __rt::Option<Self> {
                let values = TEMPLATE.captures(address)?;
                __rt::Some(Params {
                    region: __rt::address::param(values.as_slice(), "region")?,
                })
            }
            fn address(&self) -> __rt::Result<__rt::String, __rt::AddressError> {
                TEMPLATE.build(&[("region", self.region.as_str())])
            }
            fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                __rt::Vec::from([("region".into(), self.region.as_str().into())])
            }
        }
        impl Filter {
            /// The channel as a transport opens it, with this filter's parameters fixed.
            pub fn spec(&self) -> __rt::ChannelSpec {
                let mut spec = spec();
                if let __rt::Some(v) = &self.region {
                    spec = spec.with_param("region", v.as_str());
                }
                spec
            }
        }
        /// The channel as a transport opens it (no parameter fixed), with its bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = __rt::ChannelSpec::new(NAME, ADDRESS);
            spec.bindings.amqp = __rt::Some({
                let mut v: __rt::bindings::AmqpChannel = ::std::default::Default::default();
                v.is = __rt::Some(__rt::Cow::Borrowed("routingKey"));
                v.exchange = __rt::Some({
                    let mut v: __rt::bindings::AmqpExchange = ::std::default::Default::default();
                    v.name = __rt::Some(__rt::Cow::Borrowed("asyncapi-test.orders"));
                    v.kind = __rt::Some(__rt::Cow::Borrowed("topic"));
                    v.durable = __rt::Some(true);
                    v.auto_delete = __rt::Some(false);
                    v
                });
                v
            });
            spec
        }
        /// The address template, parsed once.
        static TEMPLATE: __rt::LazyTemplate = __rt::LazyTemplate::new(ADDRESS);
    }
    /// Address: `asyncapi-test.invoices`.
    pub mod invoices {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "invoices";
        /// The address template.
        pub const ADDRESS: &str = "asyncapi-test.invoices";
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
            spec.bindings.amqp = __rt::Some({
                let mut v: __rt::bindings::AmqpChannel = ::std::default::Default::default();
                v.is = __rt::Some(__rt::Cow::Borrowed("queue"));
                v.queue = __rt::Some({
                    let mut v: __rt::bindings::AmqpQueue = ::std::default::Default::default();
                    v.name = __rt::Some(__rt::Cow::Borrowed("asyncapi-test.invoices"));
                    v.durable = __rt::Some(true);
                    v.exclusive = __rt::Some(false);
                    v.auto_delete = __rt::Some(false);
                    v
                });
                v
            });
            spec
        }
    }
    /// Address: `nowhere`.
    pub mod nowhere {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "nowhere";
        /// The address template.
        pub const ADDRESS: &str = "nowhere";
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
            spec.bindings.amqp = __rt::Some({
                let mut v: __rt::bindings::AmqpChannel = ::std::default::Default::default();
                v.is = __rt::Some(__rt::Cow::Borrowed("routingKey"));
                v.exchange = __rt::Some({
                    let mut v: __rt::bindings::AmqpExchange = ::std::default::Default::default();
                    v.name = __rt::Some(__rt::Cow::Borrowed("asyncapi-test.nowhere"));
                    v.kind = __rt::Some(__rt::Cow::Borrowed("direct"));
                    v.durable = __rt::Some(false);
                    v.auto_delete = __rt::Some(true);
                    v
                });
                v
            });
            spec
        }
    }
    /// Address: `conflict`.
    pub mod conflict {
        use ::asyncapi::__private as __rt;
        /// The channel's name in the document.
        pub const NAME: &str = "conflict";
        /// The address template.
        pub const ADDRESS: &str = "conflict";
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
            spec.bindings.amqp = __rt::Some({
                let mut v: __rt::bindings::AmqpChannel = ::std::default::Default::default();
                v.is = __rt::Some(__rt::Cow::Borrowed("routingKey"));
                v.exchange = __rt::Some({
                    let mut v: __rt::bindings::AmqpExchange = ::std::default::Default::default();
                    v.name = __rt::Some(__rt::Cow::Borrowed("asyncapi-test.conflict"));
                    v.kind = __rt::Some(__rt::Cow::Borrowed("topic"));
                    v.durable = __rt::Some(true);
                    v
                });
                v
            });
            spec
        }
    }
}
/// The operations of *Orders on RabbitMQ*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod operations {
    use ::asyncapi::__private as __rt;
    use __rt::{EnvelopeReader as _, operation::Outgoing as _};
    use super::{channels, messages};
    /// The application sends on channel `orderPlaced` (operation `placeOrder`).
    #[derive(Clone, Copy, Debug)]
    pub struct PlaceOrder;
    impl PlaceOrder {
        /// The operation's name in the document.
        pub const NAME: &'static str = "placeOrder";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::order_placed::spec();
            spec.bindings.amqp_operation = __rt::Some({
                let mut v: __rt::bindings::AmqpOperation = ::std::default::Default::default();
                v.expiration = __rt::Some(60000u64);
                v.user_id = __rt::Some(__rt::Cow::Borrowed("guest"));
                v.cc = ::std::vec![__rt::Cow::Borrowed("orders.audit.placed")];
                v.priority = __rt::Some(5i64);
                v.delivery_mode = __rt::Some(2u8);
                v.mandatory = __rt::Some(true);
                v.bcc = ::std::vec![__rt::Cow::Borrowed("orders.hidden.placed")];
                v.timestamp = __rt::Some(true);
                v.reply_to = __rt::Some(__rt::Cow::Borrowed("asyncapi-test.invoices"));
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
                channels::order_placed::Params,
                messages::Placed,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::order_placed::Params,
            message: &messages::Placed,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application receives on channel `orderPlaced` (operation `onOrderPlaced`).
    #[derive(Clone, Copy, Debug)]
    pub struct OnOrderPlaced;
    impl OnOrderPlaced {
        /// The operation's name in the document.
        pub const NAME: &'static str = "onOrderPlaced";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::order_placed::spec();
            spec.bindings.amqp_operation = __rt::Some({
                let mut v: __rt::bindings::AmqpOperation = ::std::default::Default::default();
                v.ack = __rt::Some(true);
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
            filter: &channels::order_placed::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::order_placed::Params,
                messages::Placed,
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
            filter: &channels::order_placed::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::order_placed::Params,
                messages::Placed,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `invoices` (operation `sendInvoice`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendInvoice;
    impl SendInvoice {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendInvoice";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::invoices::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::invoices::Params,
                messages::Invoice,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::invoices::Params,
            message: &messages::Invoice,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application receives on channel `invoices` (operation `onInvoice`).
    #[derive(Clone, Copy, Debug)]
    pub struct OnInvoice;
    impl OnInvoice {
        /// The operation's name in the document.
        pub const NAME: &'static str = "onInvoice";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::invoices::spec()
        }
        /// Subscribes to the channel: a stream of the received messages, each with the
        /// parameters of its address. A message that cannot be decoded is an error for
        /// that message; the stream goes on. Messages are acknowledged once decoded;
        /// through `asyncapi::ack::ManualAck(&connection)` each carries its
        /// acknowledgement for you to settle.
        pub async fn subscribe<C: __rt::Consumer>(
            consumer: &C,
            filter: &channels::invoices::Filter,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::invoices::Params,
                messages::Invoice,
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
            filter: &channels::invoices::Filter,
            group: &str,
        ) -> __rt::message::Result<
            __rt::operation::Receiver<
                C::Subscriber,
                channels::invoices::Params,
                messages::Invoice,
            >,
        > {
            let mut spec = Self::spec();
            spec.params = filter.spec().params;
            spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
            __rt::operation::Receiver::open(consumer, &spec).await
        }
    }
    /// The application sends on channel `nowhere` (operation `sendNowhere`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendNowhere;
    impl SendNowhere {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendNowhere";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            let mut spec = channels::nowhere::spec();
            spec.bindings.amqp_operation = __rt::Some({
                let mut v: __rt::bindings::AmqpOperation = ::std::default::Default::default();
                v.mandatory = __rt::Some(true);
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
                channels::nowhere::Params,
                messages::Lost,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::nowhere::Params,
            message: &messages::Lost,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
    /// The application sends on channel `conflict` (operation `sendConflict`).
    #[derive(Clone, Copy, Debug)]
    pub struct SendConflict;
    impl SendConflict {
        /// The operation's name in the document.
        pub const NAME: &'static str = "sendConflict";
        /// The channel as a transport opens it, with the channel's and operation's bindings.
        pub fn spec() -> __rt::ChannelSpec {
            channels::conflict::spec()
        }
        /// Opens the channel for sending.
        pub async fn open<P: __rt::Producer>(
            producer: &P,
        ) -> __rt::message::Result<
            __rt::operation::Sender<
                P::Publisher,
                channels::conflict::Params,
                messages::Any,
            >,
        > {
            __rt::operation::Sender::open(producer, &Self::spec()).await
        }
        /// Opens the channel, sends one message, and returns (for many messages, keep the
        /// sender from [`Self::open`]).
        pub async fn send<P: __rt::Producer>(
            producer: &P,
            params: &channels::conflict::Params,
            message: &messages::Any,
        ) -> __rt::message::Result<()> {
            Self::open(producer).await?.send(params, message).await
        }
    }
}
/// The servers of *Orders on RabbitMQ*.
#[allow(clippy::all, dead_code, unused_imports)]
pub mod servers {
    use ::asyncapi::__private as __rt;
    /// `amqp://127.0.0.1:5672`
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Local;
    impl ::std::default::Default for Local {
        fn default() -> Self {
            Local {}
        }
    }
    /// The credentials server `local` accepts: one variant per security requirement of the document.
    #[derive(Clone, Debug)]
    pub enum LocalSecurity {
        /// `user`
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
        pub const PROTOCOL: &'static str = "amqp";
        /// The protocol version, when the document gives one.
        pub const PROTOCOL_VERSION: __rt::Option<&'static str> = __rt::None;
        /// The host template.
        pub const HOST: &'static str = "127.0.0.1:5672";
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
