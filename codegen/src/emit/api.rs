//! The typed API of a whole document: `models`, `messages`, `channels`, `operations` and
//! `servers` modules, written against the runtime's transport contract. This is what the
//! `include_spec!` macro expands to and what `asyncapi generate` prints.
//!
//! - **models**: the types of every schema ([`super::emit_types`]).
//! - **messages**: a struct per message (payload, headers), implementing `Message` and
//!   `Validate` (the runtime's blanket impls make it `Outgoing` and `Incoming`); content type,
//!   correlation id.
//! - **channels**: a module per channel with its address template, typed `Params` (enums where
//!   the document lists values), a `Filter` for subscriptions, and `spec()`.
//! - **operations**: a type per operation with `open`/`send` (send) or `subscribe` (receive),
//!   `request`/`reply` where the document declares a reply; an enum when an operation has
//!   several messages, decoded by exact dispatch.
//! - **servers**: a struct per server with typed variables, defaults, `host()` and `url()`.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{EmitOptions, Emitter, Perspective, bindings, emit_types, security};
use crate::model::{Action, ChannelId, Document, MessageId, OperationId, SchemaPayload};
use crate::types::names::{Namer, field_name, type_name};
use crate::types::{RustType, TypeKind, TypeSpace};

/// Emits the whole API of a document (see the module documentation).
pub fn emit_api(doc: &Document, space: &TypeSpace, options: &EmitOptions) -> TokenStream {
    let api = Api::new(doc, space, options);
    let models = emit_types(space, options);
    let messages = api.messages();
    let channels = api.channels();
    let operations = api.operations();
    let servers = api.servers();
    let title = format!(" Types of the schemas of {}.", doc_title(doc));
    quote! {
        #[doc = #title]
        #[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code, unused_imports)]
        pub mod models {
            #models
        }
        #messages
        #channels
        #operations
        #servers
    }
}

fn doc_title(doc: &Document) -> String {
    if doc.info.title.is_empty() {
        "the document".to_owned()
    } else {
        format!("*{}*", doc.info.title)
    }
}

/// Doc attributes from a summary and a description, then `more` paragraphs (a blank line
/// between paragraphs, none before the first).
fn docs_then(summary: Option<&str>, description: Option<&str>, more: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    let parts = [summary, description]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .chain(more.iter().cloned());
    for part in parts {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(part.lines().map(|l| format!(" {l}")));
    }
    quote! { #(#[doc = #lines])* }
}

struct Api<'a> {
    doc: &'a Document,
    space: &'a TypeSpace,
    options: &'a EmitOptions,
    /// `__rt`, the alias of `<facade>::__private` in every generated module.
    p: TokenStream,
    /// The `use` that makes `__rt` that alias.
    private_use: TokenStream,
    message_names: Vec<(MessageId, String)>,
    channel_modules: Vec<(ChannelId, String)>,
    /// The enums emitted so far for sets of several messages: a set that comes again (the
    /// same replies of two operations) is an alias of the first enum, not a copy of it.
    message_sets: std::cell::RefCell<Vec<(Vec<MessageId>, proc_macro2::Ident)>>,
}

impl<'a> Api<'a> {
    fn new(doc: &'a Document, space: &'a TypeSpace, options: &'a EmitOptions) -> Self {
        let emitter = Emitter::new(space, options);
        let p = emitter.private();
        let private_use = emitter.private_use();
        let mut namer = Namer::new();
        let message_names = doc
            .messages()
            .map(|(id, m)| {
                let base = m.name.as_deref().unwrap_or(&m.key);
                (id, namer.unique(&type_name(base, "Message")))
            })
            .collect();
        let mut namer = Namer::new();
        let channel_modules = doc
            .all_channels()
            .map(|(id, c)| (id, namer.unique(&field_name(&c.key, "channel"))))
            .collect();
        Api {
            doc,
            space,
            options,
            p,
            private_use,
            message_names,
            channel_modules,
            message_sets: std::cell::RefCell::default(),
        }
    }

    fn emitter(&self, prefix: TokenStream) -> Emitter<'a> {
        Emitter::new(self.space, self.options).with_prefix(prefix)
    }

    fn message_name(&self, id: MessageId) -> proc_macro2::Ident {
        let name = self
            .message_names
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or("Message");
        format_ident!("{}", name)
    }

    fn channel_module(&self, id: ChannelId) -> proc_macro2::Ident {
        let name = self
            .channel_modules
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or("channel");
        Emitter::ident(name)
    }

    fn content_type(&self, id: MessageId) -> String {
        self.doc[id]
            .content_type
            .clone()
            .or_else(|| self.doc.default_content_type.clone())
            .unwrap_or_else(|| "application/json".to_owned())
    }

    /// The headers of a headers struct whose values are JSON rather than text (numbers,
    /// booleans, structures); `None` when the headers type is not a struct the generator made.
    fn json_headers(&self, ty: &RustType) -> Option<Vec<String>> {
        let RustType::Named(t) = ty else {
            return None;
        };
        let TypeKind::Struct { fields, .. } = &self.space[*t].kind else {
            return None;
        };
        Some(
            fields
                .iter()
                .filter(|f| !is_text(self.space, &f.ty))
                .map(|f| f.wire.clone())
                .collect(),
        )
    }

    // ---- messages -------------------------------------------------------------------------

    fn messages(&self) -> TokenStream {
        let private_use = &self.private_use;
        let items = self.doc.messages().map(|(id, _)| self.message(id));
        let title = format!(" The messages of {}.", doc_title(self.doc));
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_imports)]
            pub mod messages {
                #private_use
                #(#items)*
            }
        }
    }

    fn message(&self, id: MessageId) -> TokenStream {
        let p = &self.p;
        let m = &self.doc[id];
        let name = self.message_name(id);
        let e = self.emitter(quote!(super::models::));
        let wire_name = m.name.clone().unwrap_or_else(|| m.key.clone());
        let content_type = self.content_type(id);

        // Payload: typed (JSON Schema or Avro), raw bytes (other formats), or none.
        let payload_ty = self.space.payloads.get(&id);
        let raw = matches!(m.payload, Some(SchemaPayload::Other { .. }));
        let (payload_field, payload_encode, payload_decode, payload_validate) = match (
            payload_ty, raw,
        ) {
            (Some(ty), _) => {
                let t = e.ty(ty);
                let validate = self.space.implements_validate(ty).then(|| {
                    quote! { #p::Validate::validate_at(&self.payload, &path.key("payload"), out); }
                });
                (
                    Some(quote! { /// The payload.
                    pub payload: #t, }),
                    quote! { #p::message::write_payload(Self::CONTENT_TYPE, &self.payload, to)?; },
                    quote! { payload: #p::message::read_payload(Self::CONTENT_TYPE, from)?, },
                    validate,
                )
            }
            (None, true) => (
                Some(
                    quote! { /// The payload, as bytes (its schema format is not read by the generator).
                    pub payload: #p::bytes::Bytes, },
                ),
                quote! {
                    to.set_payload(::std::clone::Clone::clone(&self.payload));
                    to.set_content_type(__rt::Some(Self::CONTENT_TYPE));
                },
                quote! { payload: ::std::clone::Clone::clone(from.payload()), },
                None,
            ),
            (None, false) => (
                None,
                quote! { to.set_content_type(__rt::Some(Self::CONTENT_TYPE)); },
                quote! {},
                None,
            ),
        };
        let headers_ty = self.space.headers.get(&id);
        let (headers_field, headers_encode, headers_decode, headers_validate) = match headers_ty {
            Some(ty) => {
                let t = e.ty(ty);
                let validate = self.space.implements_validate(ty).then(|| {
                    quote! { #p::Validate::validate_at(&self.headers, &path.key("headers"), out); }
                });
                (
                    Some(quote! { /// The headers.
                    pub headers: #t, }),
                    Some(quote! { #p::message::write_headers(&self.headers, to.headers_mut())?; }),
                    Some(match self.json_headers(ty) {
                        Some(names) => {
                            quote! { headers: #p::message::read_headers_with(from.headers(), &[#(#names),*])?, }
                        }
                        None => quote! { headers: #p::message::read_headers(from.headers())?, },
                    }),
                    validate,
                )
            }
            None => (None, None, None, None),
        };
        let correlation = m.correlation_id.as_ref().map(|c| {
            let location = &c.location;
            let headers = if headers_ty.is_some() {
                quote!(__rt::Some(&self.headers))
            } else {
                quote!(__rt::Option::<&()>::None)
            };
            let payload = if payload_ty.is_some() {
                quote!(__rt::Some(&self.payload))
            } else {
                quote!(__rt::Option::<&()>::None)
            };
            quote! {
                fn correlation_id(&self) -> __rt::Option<__rt::String> {
                    #p::operation::correlation_id_at(#location, #headers, #payload)
                }
            }
        });
        let mut more = vec![format!("Content type: `{content_type}`.")];
        if let Some(c) = &m.correlation_id {
            more.push(format!("Its correlation id is at `{}`.", c.location));
        }
        let docs = docs_then(
            m.title.as_deref().or(m.summary.as_deref()),
            m.description.as_deref(),
            &more,
        );
        let constructor = (payload_field.is_some() && headers_field.is_none()).then(|| {
            let t = match payload_ty {
                Some(ty) => e.ty(ty),
                None => quote!(#p::bytes::Bytes),
            };
            quote! {
                impl #name {
                    /// A message with this payload.
                    pub fn new(payload: #t) -> Self {
                        #name { payload }
                    }
                }
            }
        });
        let message_bindings = bindings::message(p, &m.bindings).map(|b| {
            quote! {
                fn bindings() -> #p::bindings::MessageBindings {
                    #b
                }
            }
        });
        // A typed payload alone is written by one call whose result is the method's.
        let encode_body = if payload_ty.is_some() && headers_encode.is_none() {
            quote! { #p::message::write_payload(Self::CONTENT_TYPE, &self.payload, to) }
        } else {
            quote! {
                #payload_encode
                #headers_encode
                __rt::Ok(())
            }
        };
        let validate = if payload_validate.is_none() && headers_validate.is_none() {
            quote! {
                impl #p::Validate for #name {
                    fn validate_at(&self, _: &#p::Path<'_>, _: &mut #p::Violations) {}
                }
            }
        } else {
            quote! {
                impl #p::Validate for #name {
                    fn validate_at(&self, path: &#p::Path<'_>, out: &mut #p::Violations) {
                        #payload_validate
                        #headers_validate
                    }
                }
            }
        };
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            pub struct #name {
                #payload_field
                #headers_field
            }

            #constructor

            impl #p::Message for #name {
                const NAME: &'static str = #wire_name;
                const CONTENT_TYPE: &'static str = #content_type;

                fn encode(&self, to: &mut impl #p::EnvelopeWriter) -> #p::codec::Result<()> {
                    #encode_body
                }

                fn decode(from: &impl #p::EnvelopeReader) -> #p::codec::Result<Self> {
                    __rt::Ok(#name { #payload_decode #headers_decode })
                }

                #correlation
                #message_bindings
            }

            #validate

        }
    }

    // ---- channels -------------------------------------------------------------------------

    fn channels(&self) -> TokenStream {
        let items = self.doc.all_channels().map(|(id, _)| self.channel(id));
        let title = format!(" The channels of {}.", doc_title(self.doc));
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_imports)]
            pub mod channels {
                #(#items)*
            }
        }
    }

    fn channel(&self, id: ChannelId) -> TokenStream {
        let private_use = &self.private_use;
        let p = &self.p;
        let c = &self.doc[id];
        let module = self.channel_module(id);
        let key = &c.key;
        let address = c.address.clone().unwrap_or_else(|| c.key.clone());
        let channel_bindings = bindings::channel(p, self.doc, &c.bindings);
        let docs = docs_then(
            c.title.as_deref().or(c.summary.as_deref()),
            c.description.as_deref(),
            &[format!("Address: `{address}`.")],
        );
        let mut namer = Namer::new();
        let mut fields = Vec::new();
        let mut enums = Vec::new();
        let mut type_namer = Namer::new();
        type_namer.unique("Params");
        type_namer.unique("Filter");
        for (name, param) in &c.parameters {
            let field = Emitter::ident(&namer.unique(&field_name(name, "param")));
            let pdocs = docs_then(None, param.description.as_deref(), &[]);
            let ty = if param.enum_values.is_empty() {
                quote!(__rt::String)
            } else {
                let ename = format_ident!("{}", type_namer.unique(&type_name(name, "Param")));
                let mut vnamer = Namer::new();
                let variants: Vec<proc_macro2::Ident> = param
                    .enum_values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        format_ident!(
                            "{}",
                            vnamer.unique(&type_name(v, &format!("Value{}", i + 1)))
                        )
                    })
                    .collect();
                let values = &param.enum_values;
                let default = param.default.as_ref().and_then(|d| {
                    let i = values.iter().position(|v| v == d)?;
                    let v = &variants[i];
                    Some(quote! {
                        impl ::std::default::Default for #ename {
                            fn default() -> Self { Self::#v }
                        }
                    })
                });
                let edoc = format!(" The values of the `{name}` parameter.");
                let vdocs = values.iter().map(|v| format!(" `{v}`"));
                enums.push(quote! {
                    #[doc = #edoc]
                    #pdocs
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    pub enum #ename { #(#[doc = #vdocs] #variants,)* }

                    impl #ename {
                        /// The value as it stands in the address.
                        pub fn as_str(self) -> &'static str {
                            match self { #(Self::#variants => #values,)* }
                        }
                    }

                    impl ::std::fmt::Display for #ename {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(self.as_str())
                        }
                    }

                    impl ::std::str::FromStr for #ename {
                        type Err = __rt::String;
                        fn from_str(s: &str) -> __rt::Result<Self, Self::Err> {
                            match s {
                                #(#values => __rt::Ok(Self::#variants),)*
                                _ => __rt::Err(#p::address::not_one_of(s, &[#(#values),*])),
                            }
                        }
                    }

                    #default
                });
                quote!(#ename)
            };
            fields.push((name.clone(), field, ty, pdocs));
        }
        let param_fields = fields.iter().map(|(_, f, t, d)| quote! { #d pub #f: #t, });
        let mut filter_fields: Vec<TokenStream> = fields
            .iter()
            .map(|(name, f, t, _)| {
                let d = format!(" Only this `{name}`; `None` for any.");
                quote! { #[doc = #d] pub #f: __rt::Option<#t>, }
            })
            .collect();
        // WebSocket: the upgrade request's query and headers, typed from the binding's schemas,
        // gathered in one `WsUpgrade` that subscriptions (in their `Filter`) and senders take.
        let models = self.emitter(quote!(super::super::models::));
        let mut ws_items = TokenStream::new();
        let mut ws_fields = TokenStream::new();
        let mut ws_apply = TokenStream::new();
        let mut ws_validate = TokenStream::new();
        for (types, alias, field, what, with) in [
            (
                &self.space.ws_query,
                "WsQuery",
                "query",
                "query parameters",
                "add_query",
            ),
            (
                &self.space.ws_headers,
                "WsHeaders",
                "headers",
                "headers",
                "add_headers",
            ),
        ] {
            let Some(ty) = types.get(&id) else { continue };
            let (t, alias, key, field, with) = (
                models.ty(ty),
                format_ident!("{alias}"),
                field,
                format_ident!("{field}"),
                format_ident!("{with}"),
            );
            let alias_doc = format!(
                " The {what} of the WebSocket upgrade request (the channel's `ws` binding)."
            );
            let field_doc = format!(
                " The {what} to add (a name given here replaces the document's fixed value)."
            );
            ws_items.extend(quote! { #[doc = #alias_doc] pub type #alias = #t; });
            ws_fields.extend(quote! { #[doc = #field_doc] pub #field: __rt::Option<#alias>, });
            ws_apply.extend(quote! {
                if let __rt::Some(v) = &self.#field {
                    ws.#with(v);
                }
            });
            ws_validate.extend(quote! {
                #p::Validate::validate_at(&self.#field, &path.key(#key), out);
            });
        }
        let has_ws = !ws_apply.is_empty();
        let ws_values = if has_ws {
            filter_fields.push(quote! {
                /// What the subscription's WebSocket upgrade request adds (checked by
                /// `subscribe` against the binding's schemas).
                pub ws: WsUpgrade,
            });
            ws_items.extend(quote! {
                /// What a WebSocket upgrade request for this channel adds to the document's
                /// fixed query parameters and headers (the channel's `ws` binding). Generated
                /// `subscribe` (through `Filter::ws`) and `open_with` check it against the
                /// binding's schemas before the upgrade.
                #[derive(Clone, Debug, Default, PartialEq)]
                pub struct WsUpgrade { #ws_fields }

                impl WsUpgrade {
                    /// `spec` with these values in its `ws` binding, unchecked (`validate()`
                    /// checks them).
                    pub fn apply(&self, mut spec: #p::ChannelSpec) -> #p::ChannelSpec {
                        let ws = spec.bindings.ws.get_or_insert_with(::std::default::Default::default);
                        #ws_apply
                        spec
                    }
                }

                impl #p::Validate for WsUpgrade {
                    fn validate_at(&self, path: &#p::Path<'_>, out: &mut #p::Violations) {
                        #ws_validate
                    }
                }
            });
            quote! { spec = self.ws.apply(spec); }
        } else {
            TokenStream::new()
        };
        // Parameters are `String`s or generated enums, and both have `as_str()` and `FromStr`.
        let pairs: Vec<TokenStream> = fields
            .iter()
            .map(|(name, f, _, _)| quote!((#name.into(), self.#f.as_str().into())))
            .collect();
        let build_pairs = fields
            .iter()
            .map(|(name, f, _, _)| quote!((#name, self.#f.as_str())));
        let parse_fields = fields.iter().map(|(name, f, _, _)| {
            quote! { #f: #p::address::param(&values, #name)?, }
        });
        let filter_values = fields.iter().map(|(name, f, _, _)| {
            quote! {
                if let __rt::Some(v) = &self.#f {
                    spec = spec.with_param(#name, v.as_str());
                }
            }
        });
        let params_def = if fields.is_empty() {
            quote! {
                /// The channel has no parameters.
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
                pub struct Params;
            }
        } else {
            quote! {
                /// The values of the address parameters.
                #[derive(Clone, Debug, PartialEq, Eq, Hash)]
                pub struct Params { #(#param_fields)* }
            }
        };
        let filter_def = if has_ws {
            // Generated query and headers types need not be `Eq` or `Hash`.
            quote! {
                /// Which parameter values a subscription takes (`Filter::default()`: all), and
                /// what its WebSocket upgrade request adds.
                #[derive(Clone, Debug, Default, PartialEq)]
                pub struct Filter { #(#filter_fields)* }

                #ws_items
            }
        } else if fields.is_empty() {
            quote! {
                /// Subscriptions to the channel take every message (it has no parameters).
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
                pub struct Filter;
            }
        } else {
            quote! {
                /// Which parameter values a subscription takes (`Filter::default()`: all).
                #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
                pub struct Filter { #(#filter_fields)* }
            }
        };
        let params_struct = quote! { #params_def #filter_def };
        let from_address = if c.address.is_none() {
            // A channel whose address is not known until run time (a reply inbox, say).
            quote! { let _ = address; __rt::Some(Params) }
        } else if fields.is_empty() {
            quote! { (address == ADDRESS).then_some(Params) }
        } else {
            quote! {
                let values = TEMPLATE.extract(address)?;
                __rt::Some(Params { #(#parse_fields)* })
            }
        };
        // A channel without parameters keeps the trait's defaults (its address, no values).
        let address_and_values = if fields.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                fn address(&self) -> __rt::Result<__rt::String, #p::AddressError> {
                    TEMPLATE.build(&[#(#build_pairs),*])
                }

                fn values(&self) -> __rt::Vec<(__rt::Cow<'static, str>, __rt::String)> {
                    __rt::Vec::from([#(#pairs),*])
                }
            }
        };
        let spec_body = if channel_bindings.is_empty() {
            quote! { #p::ChannelSpec::new(NAME, ADDRESS) }
        } else {
            quote! {
                let mut spec = #p::ChannelSpec::new(NAME, ADDRESS);
                #channel_bindings
                spec
            }
        };
        // Only a channel with parameters parses its template (once, on first use).
        let template = if fields.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                /// The address template, parsed once.
                static TEMPLATE: #p::LazyTemplate = #p::LazyTemplate::new(ADDRESS);
            }
        };
        let filter_spec = if fields.is_empty() && !has_ws {
            quote! { spec() }
        } else {
            quote! {
                let mut spec = spec();
                #(#filter_values)*
                #ws_values
                spec
            }
        };
        quote! {
            #docs
            pub mod #module {
                #private_use
                /// The channel's name in the document.
                pub const NAME: &str = #key;
                /// The address template.
                pub const ADDRESS: &str = #address;

                #params_struct
                #(#enums)*

                impl #p::operation::ChannelParams for Params {
                    const CHANNEL: &'static str = NAME;
                    const ADDRESS: &'static str = ADDRESS;

                    fn from_address(address: &str) -> __rt::Option<Self> {
                        #from_address
                    }

                    #address_and_values
                }

                impl Filter {
                    /// The channel as a transport opens it, with this filter's parameters fixed.
                    pub fn spec(&self) -> #p::ChannelSpec {
                        #filter_spec
                    }
                }

                /// The channel as a transport opens it (no parameter fixed), with its bindings.
                pub fn spec() -> #p::ChannelSpec {
                    #spec_body
                }

                #template
            }
        }
    }

    // ---- operations -----------------------------------------------------------------------

    fn operations(&self) -> TokenStream {
        let private_use = &self.private_use;
        let mut namer = Namer::new();
        let items = self
            .doc
            .operations
            .iter()
            .filter(|(key, _)| {
                self.options
                    .operations
                    .as_ref()
                    .is_none_or(|only| only.iter().any(|o| o == *key))
            })
            .map(|(key, &id)| {
                let name = namer.unique(&type_name(key, "Operation"));
                namer.unique(&format!("{name}Message"));
                namer.unique(&format!("{name}Reply"));
                self.operation(id, &name)
            });
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
            [] => quote!(#p::serde_json::Value),
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
                    " The messages {what}: exactly one of them, told apart by decoding and validating each."
                );
                let vdocs = wire.iter().map(|w| format!(" `{w}`"));
                items.push(quote! {
                    #[doc = #edoc]
                    #[derive(Clone, Debug, PartialEq)]
                    pub enum #ename { #(#[doc = #vdocs] #variants(messages::#variants),)* }

                    impl #p::operation::Outgoing for #ename {
                        fn encode_into(&self, channel: &'static str, envelope: &mut impl #p::EnvelopeWriter) -> #p::message::Result<()> {
                            match self { #(Self::#variants(m) => m.encode_into(channel, envelope),)* }
                        }

                        fn correlation_id(&self) -> __rt::Option<__rt::String> {
                            match self { #(Self::#variants(m) => m.correlation_id(),)* }
                        }
                    }

                    impl #p::operation::Incoming for #ename {
                        fn decode_from(channel: &'static str, envelope: &impl #p::EnvelopeReader) -> #p::message::Result<Self> {
                            #p::operation::exactly_one(channel, envelope.address(), [
                                #((#wire, #p::operation::Incoming::decode_from(channel, envelope).map(Self::#variants)),)*
                            ])
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
        let op_bindings = bindings::operation(p, &op.bindings);
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
                    let header = r
                        .address
                        .as_ref()
                        .and_then(|a| a.location.strip_prefix("$message.header#/"))
                        .map(|h| quote!(__rt::Some(#h)))
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
                            #p::operation::request(connection, &Self::spec(), params, message, #reply_spec, #header, timeout).await
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
                        /// Sends the reply to a received request: to its `reply_to` (or the reply
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
                    /// that message; the stream goes on.
                    pub async fn subscribe<C: #p::Consumer>(
                        consumer: &C,
                        filter: &#channel_path::Filter,
                    ) -> #p::message::Result<#p::operation::Receiver<C::Subscriber, #channel_path::Params, #msg>> {
                        let mut spec = Self::spec();
                        #filter_into_spec
                        #p::operation::Receiver::open(consumer, &spec).await
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

    // ---- servers --------------------------------------------------------------------------

    fn servers(&self) -> TokenStream {
        let private_use = &self.private_use;
        let mut namer = Namer::new();
        let items = self.doc.servers.iter().map(|(key, &id)| {
            let s = &self.doc[id];
            let name_text = namer.unique(&type_name(key, "Server"));
            namer.unique(&format!("{name_text}Security"));
            let name = format_ident!("{}", name_text);
            let security = security::server_security(&self.p, self.doc, s, &name_text);
            let security_ident = format_ident!("{}Security", name_text);
            let p = &self.p;
            let server_bindings = bindings::server(&self.p, &s.bindings);
            let protocol = &s.protocol;
            let version = match &s.protocol_version {
                Some(v) => quote!(__rt::Some(#v)),
                None => quote!(__rt::None),
            };
            let host = &s.host;
            let pathname = s.pathname.clone().unwrap_or_default();
            let mut fnamer = Namer::new();
            let mut tnamer = Namer::new();
            tnamer.unique(&name.to_string());
            let mut fields = Vec::new();
            let mut enums = Vec::new();
            let mut defaults = Vec::new();
            let mut all_default = true;
            for (vname, var) in &s.variables {
                let field = Emitter::ident(&fnamer.unique(&field_name(vname, "variable")));
                let vdocs = docs_then(None, var.description.as_deref(), &[]);
                let ty = if var.enum_values.is_empty() {
                    match &var.default {
                        Some(d) => defaults.push(quote!(#field: ::std::borrow::ToOwned::to_owned(#d))),
                        None => all_default = false,
                    }
                    quote!(__rt::String)
                } else {
                    let ename = format_ident!("{}", tnamer.unique(&format!("{name}{}", vname.to_upper_camel_case())));
                    let mut vn = Namer::new();
                    let variants: Vec<proc_macro2::Ident> = var
                        .enum_values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format_ident!("{}", vn.unique(&type_name(v, &format!("Value{}", i + 1)))))
                        .collect();
                    let values = &var.enum_values;
                    match var.default.as_ref().and_then(|d| values.iter().position(|v| v == d)) {
                        Some(i) => {
                            let v = &variants[i];
                            defaults.push(quote!(#field: #ename::#v));
                        }
                        None => all_default = false,
                    }
                    let edoc = format!(" The values of server variable `{vname}`.");
                    let vdocs = values.iter().map(|v| format!(" `{v}`"));
                    enums.push(quote! {
                        #[doc = #edoc]
                        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
                        pub enum #ename { #(#[doc = #vdocs] #variants,)* }

                        impl #ename {
                            /// The value as it stands in the URL.
                            pub fn as_str(self) -> &'static str {
                                match self { #(Self::#variants => #values,)* }
                            }
                        }
                    });
                    quote!(#ename)
                };
                fields.push((vname.clone(), field, ty, vdocs));
            }
            let field_tokens = fields.iter().map(|(_, f, t, d)| quote! { #d pub #f: #t, });
            // Variables are `String`s or generated enums; both have `as_str()`.
            let values: Vec<TokenStream> = fields
                .iter()
                .map(|(vname, f, _, _)| quote!((#vname, self.#f.as_str())))
                .collect();
            let default_impl = all_default.then(|| {
                quote! {
                    impl ::std::default::Default for #name {
                        fn default() -> Self { #name { #(#defaults,)* } }
                    }
                }
            });
            let struct_def = if fields.is_empty() {
                quote! { #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)] pub struct #name; }
            } else {
                quote! { #[derive(Clone, Debug, PartialEq, Eq, Hash)] pub struct #name { #(#field_tokens)* } }
            };
            let docs = docs_then(
                s.title.as_deref().or(s.summary.as_deref()),
                s.description.as_deref(),
                &[format!("`{protocol}://{host}{pathname}`")],
            );
            quote! {
                #docs
                #struct_def
                #default_impl
                #(#enums)*
                #security

                impl #name {
                    /// The server's name in the document.
                    pub const NAME: &'static str = #key;
                    /// The protocol (`servers.*.protocol`).
                    pub const PROTOCOL: &'static str = #protocol;
                    /// The protocol version, when the document gives one.
                    pub const PROTOCOL_VERSION: __rt::Option<&'static str> = #version;
                    /// The host template.
                    pub const HOST: &'static str = #host;
                    /// The path template.
                    pub const PATHNAME: &'static str = #pathname;

                    /// The host (and port) with the variables filled in.
                    pub fn host(&self) -> __rt::String {
                        #p::transport::fill(Self::HOST, &[#(#values),*])
                    }

                    /// `protocol://host/pathname`, with the variables filled in.
                    pub fn url(&self) -> __rt::String {
                        let url = ::std::format!("{}://{}{}", Self::PROTOCOL, Self::HOST, Self::PATHNAME);
                        #p::transport::fill(&url, &[#(#values),*])
                    }

                    /// Connects to the server with the transport `C` (`MqttConnection`,
                    /// `NatsConnection`, ...), the document's server bindings, and credentials of
                    /// a kind the server accepts.
                    pub async fn connect<C: #p::transport::Connect>(
                        &self,
                        security: #security_ident,
                    ) -> __rt::Result<C, #p::transport::TransportError> {
                        C::connect_to(&self.spec(security)).await
                    }

                    /// Binds the server side with the transport `S` (`WsServer`, ...): listens
                    /// where the server's URL says and requires these credentials of every
                    /// client. To listen elsewhere (a test's free port), bind the transport with
                    /// options made from [`Self::spec`].
                    pub async fn bind<S: #p::transport::Bind>(
                        &self,
                        security: #security_ident,
                    ) -> __rt::Result<S, #p::transport::TransportError> {
                        S::bind_to(&self.spec(security)).await
                    }

                    /// The server as a transport connects to it: URL, protocol, the document's
                    /// server bindings, and the credentials (of a kind the server accepts).
                    pub fn spec(&self, security: #security_ident) -> #p::transport::ServerSpec {
                        #p::transport::ServerSpec {
                            name: __rt::Cow::Borrowed(Self::NAME),
                            url: self.url(),
                            protocol: __rt::Cow::Borrowed(Self::PROTOCOL),
                            protocol_version: Self::PROTOCOL_VERSION.map(__rt::Cow::Borrowed),
                            bindings: #server_bindings,
                            credentials: #p::security::Credentials::credentials(&security),
                        }
                    }
                }
            }
        });
        let title = format!(" The servers of {}.", doc_title(self.doc));
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_imports)]
            pub mod servers {
                #private_use
                #(#items)*
            }
        }
    }
}

/// Whether values of `ty` are written as JSON strings (so a header holds them as plain text).
fn is_text(space: &TypeSpace, ty: &RustType) -> bool {
    match ty {
        RustType::String
        | RustType::DateTime
        | RustType::Date
        | RustType::Uuid
        | RustType::Ipv4
        | RustType::Ipv6
        | RustType::Base64
        | RustType::Decimal => true,
        RustType::Option(inner) | RustType::Box(inner) => is_text(space, inner),
        RustType::Named(t) => match &space[*t].kind {
            TypeKind::Enum { .. } => true,
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => is_text(space, inner),
            _ => false,
        },
        _ => false,
    }
}
