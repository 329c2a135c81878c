//! Stage 5: tokens from the planned types. The only stage that knows about `quote`.
//!
//! Generated code reaches serde and every other crate through the facade's `__private` module
//! (`::asyncapi::__private` unless [`EmitOptions::crate_path`] says otherwise), so a crate whose
//! only dependency is the facade can compile it.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::types::{Additional, Docs, Field, Presence, RustType, TypeDef, TypeKind, TypeSpace};

/// How code is emitted.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// The path of the facade crate in the generated code (`::asyncapi`).
    pub crate_path: String,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            crate_path: "::asyncapi".to_owned(),
        }
    }
}

/// Emits every type of `space` as items.
pub fn emit_types(space: &TypeSpace, options: &EmitOptions) -> TokenStream {
    let e = Emitter::new(space, options);
    let items = space.defs.iter().map(|def| e.def(def));
    quote! { #(#items)* }
}

/// The tokens of one type expression (for code that uses the generated types, such as tests and
/// later stages).
pub fn type_tokens(space: &TypeSpace, ty: &RustType, options: &EmitOptions) -> TokenStream {
    Emitter::new(space, options).ty(ty)
}

/// Formats tokens as a Rust file (prettyplease); tokens that do not parse are returned as they are.
pub fn format_file(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

struct Emitter<'a> {
    space: &'a TypeSpace,
    /// The facade's path as tokens, for type paths.
    krate: TokenStream,
    /// `"<facade>::__private::serde"`, for `#[serde(crate = ...)]`.
    serde_crate: Literal,
    /// `"<facade>::__private::double_option"`, for `#[serde(with = ...)]`.
    double_option: Literal,
}

impl<'a> Emitter<'a> {
    fn new(space: &'a TypeSpace, options: &EmitOptions) -> Self {
        let path = &options.crate_path;
        Emitter {
            space,
            krate: path.parse().unwrap_or_else(|_| quote!(::asyncapi)),
            serde_crate: Literal::string(&format!("{path}::__private::serde")),
            double_option: Literal::string(&format!("{path}::__private::double_option")),
        }
    }

    fn private(&self) -> TokenStream {
        let krate = &self.krate;
        quote!(#krate::__private)
    }

    fn ident(name: &str) -> Ident {
        match name.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()),
            None => Ident::new(name, Span::call_site()),
        }
    }

    fn ty(&self, ty: &RustType) -> TokenStream {
        let p = self.private();
        match ty {
            RustType::Any => quote!(#p::serde_json::Value),
            RustType::Bool => quote!(bool),
            RustType::I32 => quote!(i32),
            RustType::I64 => quote!(i64),
            RustType::U32 => quote!(u32),
            RustType::U64 => quote!(u64),
            RustType::F32 => quote!(f32),
            RustType::F64 => quote!(f64),
            RustType::String => quote!(::std::string::String),
            RustType::Option(inner) => {
                let inner = self.ty(inner);
                quote!(::std::option::Option<#inner>)
            }
            RustType::Box(inner) => {
                let inner = self.ty(inner);
                quote!(::std::boxed::Box<#inner>)
            }
            RustType::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            RustType::Map(inner) => {
                let inner = self.ty(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            RustType::Tuple(items) => {
                let items = items.iter().map(|i| self.ty(i));
                quote!((#(#items,)*))
            }
            RustType::Named(id) => {
                let name = format_ident!("{}", self.space[*id].name);
                quote!(#name)
            }
            RustType::External(path) => path
                .parse()
                .unwrap_or_else(|_| quote!(#p::serde_json::Value)),
        }
    }

    fn docs(docs: &Docs) -> TokenStream {
        let mut lines: Vec<String> = Vec::new();
        if let Some(title) = &docs.title {
            lines.push(title.clone());
        }
        if let Some(description) = &docs.description {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(description.lines().map(str::to_owned));
        }
        for note in &docs.notes {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(note.clone());
        }
        let attrs = lines.iter().map(|l| {
            let text = format!(" {l}");
            quote!(#[doc = #text])
        });
        let deprecated = docs.deprecated.then(|| quote!(#[deprecated]));
        quote! { #(#attrs)* #deprecated }
    }

    fn def(&self, def: &TypeDef) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let docs = Self::docs(&def.docs);
        let p = self.private();
        let serde_crate = &self.serde_crate;
        match &def.kind {
            TypeKind::Alias(ty) => {
                let ty = self.ty(ty);
                quote! { #docs pub type #name = #ty; }
            }
            TypeKind::Enum { variants } => {
                let variants = variants.iter().map(|v| {
                    let ident = Self::ident(&v.name);
                    let value = &v.value;
                    let doc = format!(" `{value}`");
                    quote! { #[doc = #doc] #[serde(rename = #value)] #ident }
                });
                quote! {
                    #docs
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, #p::serde::Serialize, #p::serde::Deserialize)]
                    #[serde(crate = #serde_crate)]
                    pub enum #name { #(#variants,)* }
                }
            }
            TypeKind::Struct { fields, additional } => {
                let fields_tokens = fields.iter().map(|f| self.field(f));
                let deny = matches!(additional, Additional::Deny)
                    .then(|| quote!(#[serde(deny_unknown_fields)]));
                let extra = match additional {
                    Additional::Map(ty) => {
                        let ty = self.ty(ty);
                        Some(quote! {
                            /// Properties the schema does not name (`additionalProperties`).
                            #[serde(flatten)]
                            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
                        })
                    }
                    _ => None,
                };
                quote! {
                    #docs
                    #[derive(Clone, Debug, PartialEq, #p::serde::Serialize, #p::serde::Deserialize)]
                    #[serde(crate = #serde_crate)]
                    #deny
                    pub struct #name {
                        #(#fields_tokens)*
                        #extra
                    }
                }
            }
            TypeKind::Union { variants, tag } => {
                let variant_tokens: Vec<TokenStream> = variants
                    .iter()
                    .map(|v| {
                        let ident = Self::ident(&v.name);
                        let ty = self.ty(&v.ty);
                        let doc = match &v.tag_value {
                            Some(t) => format!(" Selected by `{t}`."),
                            None => String::new(),
                        };
                        let doc = (!doc.is_empty()).then(|| quote!(#[doc = #doc]));
                        quote! { #doc #ident(#ty) }
                    })
                    .collect();
                match tag {
                    None => quote! {
                        #docs
                        #[derive(Clone, Debug, PartialEq, #p::serde::Serialize, #p::serde::Deserialize)]
                        #[serde(crate = #serde_crate, untagged)]
                        pub enum #name { #(#variant_tokens,)* }
                    },
                    Some(tag) => {
                        let arms = variants.iter().filter_map(|v| {
                            let value = v.tag_value.as_ref()?;
                            let ident = Self::ident(&v.name);
                            let ty = self.ty(&v.ty);
                            Some(quote! {
                                ::std::option::Option::Some(#value) => <#ty as #p::serde::Deserialize>::deserialize(value)
                                    .map(#name::#ident)
                                    .map_err(<D::Error as #p::serde::de::Error>::custom),
                            })
                        });
                        let known: Vec<&String> = variants
                            .iter()
                            .filter_map(|v| v.tag_value.as_ref())
                            .collect();
                        let expected = known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let unknown = format!("unknown `{tag}` {{:?}}, expected one of {expected}");
                        quote! {
                            #docs
                            #[derive(Clone, Debug, PartialEq, #p::serde::Serialize)]
                            #[serde(crate = #serde_crate, untagged)]
                            pub enum #name { #(#variant_tokens,)* }

                            impl<'de> #p::serde::Deserialize<'de> for #name {
                                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                                where
                                    D: #p::serde::Deserializer<'de>,
                                {
                                    let value = <#p::serde_json::Value as #p::serde::Deserialize>::deserialize(deserializer)?;
                                    let tag = value.get(#tag).and_then(#p::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                                    match tag.as_deref() {
                                        #(#arms)*
                                        other => ::std::result::Result::Err(<D::Error as #p::serde::de::Error>::custom(
                                            ::std::format!(#unknown, other),
                                        )),
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn field(&self, f: &Field) -> TokenStream {
        let ident = Self::ident(&f.name);
        let wire = &f.wire;
        let ty = self.ty(&f.full_type());
        let mut docs = f.docs.clone();
        if let Some(default) = &f.default {
            docs.notes.push(format!("Default: `{default}`."));
        }
        let docs = Self::docs(&docs);
        let rename = (f.name.trim_start_matches("r#") != wire.as_str())
            .then(|| quote!(#[serde(rename = #wire)]));
        let presence = match f.presence {
            Presence::Required | Presence::RequiredNullable => None,
            Presence::Optional => Some(
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]),
            ),
            Presence::OptionalNullable => {
                let with = &self.double_option;
                Some(
                    quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none", with = #with)]),
                )
            }
        };
        quote! {
            #docs
            #rename
            #presence
            pub #ident: #ty,
        }
    }
}
