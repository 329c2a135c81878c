//! The `channels` module: a module per channel with its address, typed parameters, `Filter`,
//! enums of parameter values and WebSocket upgrade values.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Api, doc_title, docs_then};
use crate::emit::{Emitter, bindings};
use crate::model::ChannelId;
use crate::types::names::{Namer, field_name, type_name};

impl Api<'_> {
    pub(super) fn channels(&self) -> TokenStream {
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
            quote! { #f: #p::address::param(values.as_slice(), #name)?, }
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
                let values = TEMPLATE.captures(address)?;
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
        // The values the document lists for parameters, so that a transport whose wildcards
        // cannot stand for a parameter inside a level listens to each value.
        let listed = c
            .parameters
            .iter()
            .filter(|(_, param)| !param.enum_values.is_empty())
            .map(|(name, param)| {
                let values = &param.enum_values;
                quote! { .with_param_values(#name, [#(#values),*]) }
            });
        let new_spec = quote! { #p::ChannelSpec::new(NAME, ADDRESS) #(#listed)* };
        let spec_body = if channel_bindings.is_empty() {
            new_spec
        } else {
            quote! {
                let mut spec = #new_spec;
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
}
