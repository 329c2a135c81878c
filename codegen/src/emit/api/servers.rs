//! The `servers` module: a struct per server with typed variables, security and `connect`/`bind`.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Api, doc_title, docs_then};
use crate::emit::{Emitter, bindings, security};
use crate::types::names::{Namer, field_name, type_name};

impl Api<'_> {
    pub(super) fn servers(&self) -> TokenStream {
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
                        #p::transport::connect_named(&self.spec(security)).await
                    }

                    /// Connects to the server at `url` instead of where the document says (a
                    /// broker on a laptop, a staging one: `amqp://127.0.0.1:5672/`), with
                    /// everything else the document's: protocol, server bindings, credentials.
                    pub async fn connect_at<C: #p::transport::Connect>(
                        &self,
                        url: &str,
                        security: #security_ident,
                    ) -> __rt::Result<C, #p::transport::TransportError> {
                        #p::transport::connect_named(&self.spec(security).at(url)).await
                    }

                    /// Binds the server side with the transport `S` (`WsServer`, ...): listens
                    /// where the server's URL says and requires these credentials of every
                    /// client. To listen elsewhere (a test's free port), [`Self::bind_at`].
                    pub async fn bind<S: #p::transport::Bind>(
                        &self,
                        security: #security_ident,
                    ) -> __rt::Result<S, #p::transport::TransportError> {
                        S::bind_to(&self.spec(security)).await
                    }

                    /// Binds the server side at `url` instead of where the document says, with
                    /// everything else the document's.
                    pub async fn bind_at<S: #p::transport::Bind>(
                        &self,
                        url: &str,
                        security: #security_ident,
                    ) -> __rt::Result<S, #p::transport::TransportError> {
                        S::bind_to(&self.spec(security).at(url)).await
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
