//! The `operations` module: a type per operation with its typed send, receive, request and
//! reply methods, and the enums of several messages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Api, doc_title, docs_then};
use crate::emit::{Perspective, bindings};
use crate::model::{Action, MessageId, OperationId, SchemaPayload};
use crate::types::{Additional, RustType, TypeKind};

/// What tells one message of several apart (see `Api::candidate_facts`).
struct CandidateFacts {
    /// The protocol's message type the document gives it.
    message_type: Option<String>,
    /// The payload property and value that name it.
    discriminator: Option<(String, String)>,
    /// The top-level properties its payload declares; `None` when it takes any.
    properties: Option<Vec<String>>,
}

impl Api<'_> {
    pub(super) fn operations(&self) -> TokenStream {
        let private_use = &self.private_use;
        let names = super::names::operation_names(self.doc, self.options.operations.as_deref());
        let items = names.iter().map(|(id, name)| self.operation(*id, name));
        let title = format!(" The operations of {}.", doc_title(self.doc));
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_imports)]
            pub mod operations {
                #private_use
                // The traits whose methods the message-set enums call.
                use __rt::{EnvelopeReader as _, operation::Outgoing as _};
                // Operation and message-set types are UpperCamelCase: these names are free.
                use super::{channels, messages};
                #(#items)*
            }
        }
    }

    /// The message type of a list of messages: the message itself, or an enum named `name`
    /// (whose tokens are pushed to `items`).
    fn message_type(
        &self,
        messages: &[MessageId],
        name: &str,
        what: &str,
        items: &mut Vec<TokenStream>,
    ) -> TokenStream {
        let p = &self.p;
        match messages {
            // The document declares no message: whatever arrives, as bytes.
            [] => quote!(#p::message::AnyMessage),
            [one] => {
                let m = self.message_name(*one);
                quote!(messages::#m)
            }
            several => {
                let ename = format_ident!("{}", name);
                let known = self
                    .message_sets
                    .borrow()
                    .iter()
                    .find(|(set, _)| set.as_slice() == several)
                    .map(|(_, first)| first.clone());
                if let Some(first) = known {
                    let adoc = format!(" The messages {what}: the same as [`{first}`].");
                    items.push(quote! {
                        #[doc = #adoc]
                        pub type #ename = #first;
                    });
                    return quote!(#ename);
                }
                self.message_sets
                    .borrow_mut()
                    .push((several.to_vec(), ename.clone()));
                let variants: Vec<proc_macro2::Ident> =
                    several.iter().map(|m| self.message_name(*m)).collect();
                let wire: Vec<String> = several
                    .iter()
                    .map(|m| {
                        let m = &self.doc[*m];
                        m.name.clone().unwrap_or_else(|| m.key.clone())
                    })
                    .collect();
                let edoc = format!(
                    " The messages {what}: one of them, told apart by the name the envelope gives (the protocol's message type, else the `asyncapi-message` header), else a discriminator, else by decoding and validating each and taking the best fit (see `asyncapi::operation::dispatch`)."
                );
                let candidates = several.iter().zip(&wire).zip(&variants).map(|((m, w), v)| {
                    let CandidateFacts {
                        message_type,
                        discriminator,
                        properties,
                    } = self.candidate_facts(*m, several);
                    let message_type = match message_type {
                        Some(t) => quote!(__rt::Some(#t)),
                        None => quote!(__rt::None),
                    };
                    let discriminator = match discriminator {
                        Some((p, v)) => quote!(__rt::Some((#p, #v))),
                        None => quote!(__rt::None),
                    };
                    let properties = match properties {
                        Some(names) => quote!(__rt::Some(&[#(#names),*])),
                        None => quote!(__rt::None),
                    };
                    quote! {
                        #p::operation::Candidate {
                            name: #w,
                            message_type: #message_type,
                            discriminator: #discriminator,
                            properties: #properties,
                            decode: |c, e| #p::operation::Incoming::decode_from(c, e).map(Self::#v),
                        }
                    }
                });
                let vdocs = wire.iter().map(|w| format!(" `{w}`"));
                let correlated = several
                    .iter()
                    .any(|m| self.doc[*m].correlation_id.is_some())
                    .then(|| {
                        quote! {
                            fn correlation_id(&self) -> __rt::Option<__rt::String> {
                                match self { #(Self::#variants(m) => #p::operation::Correlated::correlation_id(m),)* }
                            }

                            fn correlation_location(&self) -> __rt::Option<&'static str> {
                                match self { #(Self::#variants(m) => #p::operation::Correlated::correlation_location(m),)* }
                            }
                        }
                    });
                items.push(quote! {
                    #[doc = #edoc]
                    #[derive(Clone, Debug, PartialEq)]
                    pub enum #ename { #(#[doc = #vdocs] #variants(messages::#variants),)* }

                    impl #p::operation::Outgoing for #ename {
                        fn encode_into(&self, channel: &'static str, envelope: &mut impl #p::EnvelopeWriter) -> #p::message::Result<()> {
                            let name = match self {
                                #(Self::#variants(m) => { m.encode_into(channel, envelope)?; #wire })*
                            };
                            #p::operation::name_message(envelope, name);
                            __rt::Ok(())
                        }
                    }

                    impl #p::operation::Correlated for #ename { #correlated }

                    impl #p::operation::Incoming for #ename {
                        fn decode_from(channel: &'static str, envelope: &impl #p::EnvelopeReader) -> #p::message::Result<Self> {
                            #p::operation::dispatch(channel, envelope, &[#(#candidates,)*])
                        }
                    }

                    #(
                        impl ::std::convert::From<messages::#variants> for #ename {
                            fn from(m: messages::#variants) -> Self { Self::#variants(m) }
                        }
                    )*
                });
                quote!(#ename)
            }
        }
    }

    /// What tells message `id` apart among `set`: the protocol's message type the document
    /// gives it (AMQP `messageType`), the payload property and value that name it (the payload
    /// schema's `discriminator`, or a `const` string property every message of the set has),
    /// and the top-level properties its payload declares (`None` when it takes any).
    fn candidate_facts(&self, id: MessageId, set: &[MessageId]) -> CandidateFacts {
        let m = &self.doc[id];
        let message_type = m
            .bindings
            .amqp
            .as_ref()
            .and_then(|a| a.message_type.clone());
        let wire = m.name.clone().unwrap_or_else(|| m.key.clone());
        let schema_of = |id: MessageId| match &self.doc[id].payload {
            Some(SchemaPayload::Schema { schema, .. }) => Some(*schema),
            Some(SchemaPayload::Avro { types, .. }) => Some(*types),
            _ => None,
        };
        let const_of = |schema: crate::model::SchemaId, property: &str| {
            let s = &self.doc[self.doc[schema].properties.get(property).copied()?];
            let single = s
                .enum_values
                .as_ref()
                .filter(|v| v.len() == 1)
                .map(|v| &v[0]);
            s.const_value
                .as_ref()
                .or(single)?
                .as_str()
                .map(str::to_owned)
        };
        let properties = match self.space.payloads.get(&id) {
            Some(RustType::Named(t)) => match &self.space[*t].kind {
                TypeKind::Struct {
                    fields,
                    additional: Additional::Ignore | Additional::Deny,
                } => Some(fields.iter().map(|f| f.wire.clone()).collect()),
                _ => None,
            },
            _ => None,
        };
        let discriminator = schema_of(id).and_then(|schema| {
            if let Some(d) = &self.doc[schema].discriminator {
                let value = const_of(schema, &d.property_name).unwrap_or(wire.clone());
                return Some((d.property_name.clone(), value));
            }
            // A `const` string property that every message of the set has, with its own value.
            let own = &self.doc[schema].properties;
            own.keys().find_map(|property| {
                let value = const_of(schema, property)?;
                let everywhere = set.iter().all(|other| {
                    schema_of(*other).is_some_and(|s| const_of(s, property).is_some())
                });
                everywhere.then(|| (property.clone(), value))
            })
        });
        CandidateFacts {
            message_type,
            discriminator,
            properties,
        }
    }

    fn operation(&self, id: OperationId, name: &str) -> TokenStream {
        let p = &self.p;
        let op = &self.doc[id];
        let ident = format_ident!("{}", name);
        let key = &op.key;
        let module = self.channel_module(op.channel);
        let channel_path = quote!(channels::#module);
        let has_ws = self.space.ws_query.contains_key(&op.channel)
            || self.space.ws_headers.contains_key(&op.channel);
        let filter_into_spec = if has_ws {
            quote! {
                #p::operation::check_binding(#channel_path::NAME, "ws", &filter.ws)?;
                let filtered = filter.spec();
                spec.params = filtered.params;
                spec.bindings.ws = filtered.bindings.ws;
            }
        } else {
            quote! { spec.params = filter.spec().params; }
        };
        let mut items = Vec::new();
        let messages: Vec<MessageId> = if op.messages.is_empty() {
            self.doc[op.channel].messages.values().copied().collect()
        } else {
            op.messages.clone()
        };
        let msg = self.message_type(
            &messages,
            &format!("{name}Message"),
            &format!("of `{key}`"),
            &mut items,
        );
        let action = match (op.action, self.options.perspective) {
            (a, Perspective::Application) => a,
            (Action::Send, Perspective::Client) => Action::Receive,
            (Action::Receive, Perspective::Client) => Action::Send,
        };
        let op_bindings = bindings::operation(p, self.doc, &op.bindings, &op.extensions);
        let reply = op.reply.as_ref().map(|r| {
            let reply_messages: Vec<MessageId> = if r.messages.is_empty() {
                r.channel
                    .map(|c| self.doc[c].messages.values().copied().collect())
                    .unwrap_or_default()
            } else {
                r.messages.clone()
            };
            let reply_ty = self.message_type(
                &reply_messages,
                &format!("{name}Reply"),
                &format!("replying to `{key}`"),
                &mut items,
            );
            (r, reply_ty)
        });
        let methods = match action {
            Action::Send => {
                let request = reply.as_ref().map(|(r, reply_ty)| {
                    let (reply_params, reply_spec) = match r.channel {
                        Some(c) => {
                            let m = self.channel_module(c);
                            // A reply channel with a fixed address of its own is subscribed to;
                            // any other reply (the request's channel again, a templated or an
                            // unknown address) comes back on a fresh inbox.
                            let static_address = self.doc[c]
                                .address
                                .clone()
                                .filter(|_| self.doc[c].parameters.is_empty() && c != op.channel);
                            match static_address {
                                Some(_) => (
                                    quote!(channels::#m::Params),
                                    quote!(channels::#m::spec()),
                                ),
                                None => (
                                    quote!(#p::operation::AnyAddress),
                                    quote!(#p::operation::inbox(channels::#m::NAME)),
                                ),
                            }
                        }
                        None => (
                            quote!(#p::operation::AnyAddress),
                            quote!(#p::operation::inbox(#key)),
                        ),
                    };
                    let location = r
                        .address
                        .as_ref()
                        .map(|a| {
                            let l = &a.location;
                            quote!(__rt::Some(#l))
                        })
                        .unwrap_or_else(|| quote!(__rt::None));
                    quote! {
                        /// Sends a request and waits, at most `timeout`, for its reply (matched by
                        /// correlation id).
                        pub async fn request<C>(
                            connection: &C,
                            params: &#channel_path::Params,
                            message: &#msg,
                            timeout: ::std::time::Duration,
                        ) -> #p::message::Result<#p::operation::Received<#reply_params, #reply_ty>>
                        where
                            C: #p::Producer + #p::Consumer,
                        {
                            #p::operation::request(connection, &Self::spec(), params, message, #reply_spec, #location, timeout).await
                        }
                    }
                });
                let open_with = has_ws.then(|| {
                    quote! {
                        /// Opens the channel for sending, with what the WebSocket upgrade request
                        /// adds to the document's fixed query parameters and headers (checked
                        /// against the binding's schemas first).
                        pub async fn open_with<P: #p::Producer>(
                            producer: &P,
                            upgrade: &#channel_path::WsUpgrade,
                        ) -> #p::message::Result<#p::operation::Sender<P::Publisher, #channel_path::Params, #msg>> {
                            #p::operation::check_binding(#channel_path::NAME, "ws", upgrade)?;
                            #p::operation::Sender::open(producer, &upgrade.apply(Self::spec())).await
                        }
                    }
                });
                quote! {
                    /// Opens the channel for sending.
                    pub async fn open<P: #p::Producer>(
                        producer: &P,
                    ) -> #p::message::Result<#p::operation::Sender<P::Publisher, #channel_path::Params, #msg>> {
                        #p::operation::Sender::open(producer, &Self::spec()).await
                    }

                    #open_with

                    /// Opens the channel, sends one message, and returns (for many messages, keep the
                    /// sender from [`Self::open`]).
                    pub async fn send<P: #p::Producer>(
                        producer: &P,
                        params: &#channel_path::Params,
                        message: &#msg,
                    ) -> #p::message::Result<()> {
                        Self::open(producer).await?.send(params, message).await
                    }

                    #request
                }
            }
            Action::Receive => {
                let reply_location =
                    reply
                        .as_ref()
                        .and_then(|(r, _)| r.address.as_ref())
                        .map(|a| {
                            let l = &a.location;
                            quote!(.map(|r| r.with_reply_location(#l)))
                        });
                let reply_fn = reply.as_ref().map(|(r, reply_ty)| {
                    let (spec, default_address) = match r.channel {
                        Some(c) => {
                            let m = self.channel_module(c);
                            let addr = self.doc[c]
                                .address
                                .clone()
                                .filter(|_| self.doc[c].parameters.is_empty() && c != op.channel)
                                .map(|a| quote!(__rt::Some(#a)))
                                .unwrap_or_else(|| quote!(__rt::None));
                            (quote!(channels::#m::spec()), addr)
                        }
                        None => (
                            quote!(#p::ChannelSpec::new(#key, #key)),
                            quote!(__rt::None),
                        ),
                    };
                    let reply_channel = match r.channel {
                        Some(c) => {
                            let m = self.channel_module(c);
                            quote!(channels::#m::Params)
                        }
                        None => quote!(#p::operation::AnyAddress),
                    };
                    quote! {
                        /// Sends the reply to a received request: to its reply address (or the reply
                        /// channel's address), with its correlation id.
                        pub async fn reply<P: #p::Producer>(
                            producer: &P,
                            request: &#p::operation::Received<#channel_path::Params, #msg>,
                            message: &#reply_ty,
                        ) -> #p::message::Result<()> {
                            #p::operation::reply::<P, #reply_channel, #reply_ty, #channel_path::Params, #msg>(producer, &#spec, request, #default_address, message).await
                        }
                    }
                });
                quote! {
                    /// Subscribes to the channel: a stream of the received messages, each with the
                    /// parameters of its address. A message that cannot be decoded is an error for
                    /// that message; the stream goes on. Messages are acknowledged once decoded;
                    /// through `asyncapi::ack::ManualAck(&connection)` each carries its
                    /// acknowledgement for you to settle.
                    pub async fn subscribe<C: #p::Consumer>(
                        consumer: &C,
                        filter: &#channel_path::Filter,
                    ) -> #p::message::Result<#p::operation::Receiver<C::Subscriber, #channel_path::Params, #msg>> {
                        let mut spec = Self::spec();
                        #filter_into_spec
                        #p::operation::Receiver::open(consumer, &spec).await #reply_location
                    }

                    /// Subscribes as [`Self::subscribe`] does, as a member of the consumer group
                    /// `group` (in place of any the document names): the members of one group
                    /// share the channel's messages, each going to one of them. A transport
                    /// without groups refuses the subscription.
                    pub async fn subscribe_in_group<C: #p::Consumer>(
                        consumer: &C,
                        filter: &#channel_path::Filter,
                        group: &str,
                    ) -> #p::message::Result<#p::operation::Receiver<C::Subscriber, #channel_path::Params, #msg>> {
                        let mut spec = Self::spec();
                        #filter_into_spec
                        spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(group));
                        #p::operation::Receiver::open(consumer, &spec).await #reply_location
                    }

                    #reply_fn
                }
            }
        };
        let verb = match action {
            Action::Send => "sends",
            Action::Receive => "receives",
        };
        let channel_key = &self.doc[op.channel].key;
        let docs = docs_then(
            op.title.as_deref().or(op.summary.as_deref()),
            op.description.as_deref(),
            &[format!(
                "The application {verb} on channel `{channel_key}` (operation `{key}`)."
            )],
        );
        let spec_body = if op_bindings.is_empty() {
            quote! { #channel_path::spec() }
        } else {
            quote! {
                let mut spec = #channel_path::spec();
                #op_bindings
                spec
            }
        };
        quote! {
            #docs
            #[derive(Clone, Copy, Debug)]
            pub struct #ident;

            impl #ident {
                /// The operation's name in the document.
                pub const NAME: &'static str = #key;

                /// The channel as a transport opens it, with the channel's and operation's bindings.
                pub fn spec() -> #p::ChannelSpec {
                    #spec_body
                }

                #methods
            }

            #(#items)*
        }
    }
}
