//! The `messages` module: a struct per message, its `Message` and `Validate` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Api, doc_title, docs_then};
use crate::emit::bindings;
use crate::model::{MessageId, SchemaPayload};

impl Api<'_> {
    pub(super) fn messages(&self) -> TokenStream {
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
                const CORRELATION_ID: __rt::Option<&'static str> = __rt::Some(#location);

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
        // `new(payload)` where nothing else is needed: no headers, or headers that may all be
        // absent (then at their `Default`: absent, or at their schema's `default`).
        let headers_default = headers_ty.is_some_and(|ty| self.space.has_default(ty));
        let constructor = (payload_field.is_some() && (headers_field.is_none() || headers_default))
            .then(|| {
                let t = match payload_ty {
                    Some(ty) => e.ty(ty),
                    None => quote!(#p::bytes::Bytes),
                };
                let (headers, doc) = if headers_field.is_some() {
                    (
                        quote!(headers: ::std::default::Default::default(),),
                        " A message with this payload and its headers' `Default` (every header absent, or at its schema's `default`).",
                    )
                } else {
                    (TokenStream::new(), " A message with this payload.")
                };
                quote! {
                    impl #name {
                        #[doc = #doc]
                        pub fn new(payload: #t) -> Self {
                            #name { payload, #headers }
                        }
                    }
                }
            });
        let message_bindings = bindings::message(p, self.doc, &m.bindings).map(|b| {
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
        let message_impl = crate::emit::message_impl(
            p,
            TokenStream::new(),
            quote!(#name),
            TokenStream::new(),
            &wire_name,
            &content_type,
            encode_body,
            quote! { __rt::Ok(#name { #payload_decode #headers_decode }) },
            quote! { #correlation #message_bindings },
        );
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            pub struct #name {
                #payload_field
                #headers_field
            }

            #constructor

            #message_impl

            #validate

        }
    }
}
