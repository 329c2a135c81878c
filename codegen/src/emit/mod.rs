//! Stage 5: tokens from the planned types (and, in [`api`], from the whole document). The only
//! stage that knows about `quote`.
//!
//! Generated code reaches serde and every other crate through the facade's `__private` module
//! (`::asyncapi::__private` unless [`EmitOptions::crate_path`] says otherwise), so a crate whose
//! only dependency is the facade can compile it.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

pub mod api;
mod bindings;
mod security;
mod value;

use crate::model::SchemaId;
use crate::types::rules::Rules;
use crate::types::{Additional, Docs, Field, Presence, RustType, TypeDef, TypeKind, TypeSpace};

/// How code is emitted.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// The path of the facade crate in the generated code (`::asyncapi`).
    pub crate_path: String,
    /// Whose side the operations are written from.
    pub perspective: Perspective,
    /// Only these operations, by key ([`crate::model::Document::operations`]; not by
    /// `x-rust-name`); `None` for all.
    pub operations: Option<Vec<String>>,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            crate_path: "::asyncapi".to_owned(),
            perspective: Perspective::Application,
            operations: None,
        }
    }
}

/// Whose side the generated operations are written from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Perspective {
    /// The application the document describes: its `send` operations send.
    #[default]
    Application,
    /// Its counterpart: the document's `send` operations become receivers and its `receive`
    /// operations senders (a test client, or the other side of a request/reply).
    Client,
}

/// Emits every type of `space` as items.
pub fn emit_types(space: &TypeSpace, options: &EmitOptions) -> TokenStream {
    let e = Emitter::new(space, options);
    let items = space.defs.iter().map(|def| {
        let item = e.def(def);
        let validate = e.validate_impl(def);
        quote! { #item #validate }
    });
    let private = e.private_use();
    quote! { #private #(#items)* }
}

/// The tokens of one type expression (for code that uses the generated types, such as tests and
/// later stages), with runtime paths written in full.
pub fn type_tokens(space: &TypeSpace, ty: &RustType, options: &EmitOptions) -> TokenStream {
    let mut emitter = Emitter::new(space, options);
    emitter.absolute = true;
    emitter.ty(ty)
}

/// The `Message` impl of a message type, for the messages of a document and for
/// `#[derive(Message)]` alike: `encode` writes into `to`, `decode` reads `from`, and `more` adds
/// methods (correlation id, bindings). `generics`, `self_ty` and `where_clause` make the impl's
/// header (`impl<T> ... for Wrapper<T> where ...`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn message_impl(
    p: &TokenStream,
    generics: TokenStream,
    self_ty: TokenStream,
    where_clause: TokenStream,
    name: &str,
    content_type: &str,
    encode: TokenStream,
    decode: TokenStream,
    more: TokenStream,
) -> TokenStream {
    quote! {
        impl #generics #p::Message for #self_ty #where_clause {
            const NAME: &'static str = #name;
            const CONTENT_TYPE: &'static str = #content_type;

            fn encode(&self, to: &mut impl #p::EnvelopeWriter) -> #p::codec::Result<()> {
                #encode
            }

            fn decode(from: &impl #p::EnvelopeReader) -> #p::codec::Result<Self> {
                #decode
            }

            #more
        }
    }
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
    /// The path to the models from where the tokens go (`super::models::`), empty inside.
    prefix: TokenStream,
    /// Whether runtime paths are written in full (`<facade>::__private::...`), for tokens placed
    /// outside the generated modules and their `__rt` alias.
    absolute: bool,
}

impl<'a> Emitter<'a> {
    fn new(space: &'a TypeSpace, options: &EmitOptions) -> Self {
        let path = &options.crate_path;
        Emitter {
            space,
            krate: path.parse().unwrap_or_else(|_| quote!(::asyncapi)),
            serde_crate: Literal::string(&format!("{path}::__private::serde")),
            prefix: TokenStream::new(),
            absolute: false,
        }
    }

    /// The same emitter, for tokens placed where the models are reached through `prefix`.
    fn with_prefix(mut self, prefix: TokenStream) -> Self {
        self.prefix = prefix;
        self
    }

    /// The runtime's items for generated code, through the alias that [`Self::private_use`]
    /// puts at the top of every generated module.
    fn private(&self) -> TokenStream {
        if self.absolute {
            let krate = &self.krate;
            quote!(#krate::__private)
        } else {
            quote!(__rt)
        }
    }

    /// `use <facade>::__private as __rt;`: the one absolute path of a generated module (a name no
    /// document can produce, since generated names never start with `__`). The generated modules
    /// allow `unused_imports`, for modules that happen not to need it.
    fn private_use(&self) -> TokenStream {
        let krate = &self.krate;
        quote! { use #krate::__private as __rt; }
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
            RustType::I8 => quote!(i8),
            RustType::I16 => quote!(i16),
            RustType::I32 => quote!(i32),
            RustType::I64 => quote!(i64),
            RustType::U8 => quote!(u8),
            RustType::U16 => quote!(u16),
            RustType::U32 => quote!(u32),
            RustType::U64 => quote!(u64),
            RustType::F32 => quote!(f32),
            RustType::F64 => quote!(f64),
            RustType::String => quote!(::std::string::String),
            RustType::DateTime => quote!(#p::chrono::DateTime<#p::chrono::FixedOffset>),
            RustType::Date => quote!(#p::chrono::NaiveDate),
            RustType::Uuid => quote!(#p::uuid::Uuid),
            RustType::Ipv4 => quote!(::std::net::Ipv4Addr),
            RustType::Ipv6 => quote!(::std::net::Ipv6Addr),
            RustType::Base64 => quote!(#p::Base64),
            RustType::Decimal => quote!(#p::rust_decimal::Decimal),
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
                let prefix = &self.prefix;
                quote!(#prefix #name)
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
            TypeKind::Newtype(ty) => {
                let ty = self.ty(ty);
                quote! {
                    #docs
                    #[derive(Clone, Debug, PartialEq)]
                    pub struct #name(pub #ty);
                    #p::newtype!(#name(#ty));
                }
            }
            TypeKind::IntEnum { variants } => {
                let idents: Vec<Ident> = variants.iter().map(|v| Self::ident(&v.name)).collect();
                let values: Vec<i64> = variants.iter().map(|v| v.value).collect();
                let docs_v = variants
                    .iter()
                    .map(|v| variant_doc(&format!("`{}`", v.value), v.description.as_deref()));
                let expected = format!(
                    "one of {}",
                    values
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                quote! {
                    #docs
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    pub enum #name { #(#docs_v #idents,)* }

                    impl #name {
                        /// The value on the wire.
                        pub fn value(self) -> i64 {
                            match self { #(#name::#idents => #values,)* }
                        }
                    }

                    impl #p::serde::Serialize for #name {
                        fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> __rt::Result<S::Ok, S::Error> {
                            serializer.serialize_i64(self.value())
                        }
                    }

                    impl<'de> #p::serde::Deserialize<'de> for #name {
                        fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> __rt::Result<Self, D::Error> {
                            let value = <i64 as #p::serde::Deserialize>::deserialize(deserializer)?;
                            match value {
                                #(#values => __rt::Ok(#name::#idents),)*
                                other => __rt::Err(<D::Error as #p::serde::de::Error>::invalid_value(
                                    #p::serde::de::Unexpected::Signed(other),
                                    &#expected,
                                )),
                            }
                        }
                    }
                }
            }
            TypeKind::Enum { variants } => {
                let idents: Vec<Ident> = variants.iter().map(|v| Self::ident(&v.name)).collect();
                let docs_v = variants
                    .iter()
                    .map(|v| variant_doc(&format!("`{}`", v.value), v.description.as_deref()));
                let wire = idents.iter().zip(variants).map(|(ident, v)| {
                    let value = &v.value;
                    quote!(#ident = #value)
                });
                quote! {
                    #docs
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                    pub enum #name { #(#docs_v #idents,)* }
                    #p::string_enum! { #name { #(#wire),* } }
                }
            }
            TypeKind::Struct { fields, additional } => {
                let fields_tokens = fields.iter().map(|f| self.field(f));
                let wire = fields.iter().map(|f| {
                    let ident = Self::ident(&f.name);
                    let value = &f.wire;
                    let presence = match f.presence {
                        Presence::Required | Presence::RequiredNullable => quote!(required),
                        Presence::Optional if f.default.is_some() => quote!(defaulted),
                        Presence::Optional => quote!(optional),
                        Presence::OptionalNullable => quote!(nullable),
                    };
                    quote!(#presence #ident = #value)
                });
                // Optional properties with a `default` read as it when absent.
                let defaults: Vec<(String, String)> = fields
                    .iter()
                    .filter(|f| f.presence == Presence::Optional)
                    .filter_map(|f| Some((f.wire.clone(), f.default.as_ref()?.to_string())))
                    .collect();
                let defaults_const = (!defaults.is_empty()).then(|| {
                    let (names, values): (Vec<_>, Vec<_>) = defaults.iter().cloned().unzip();
                    quote! {
                        impl #name {
                            /// The JSON text of the `default` of each optional property that has
                            /// one, by wire name: what an absent property reads as.
                            pub const DEFAULTS: &'static [(&'static str, &'static str)] = &[#((#names, #values)),*];
                        }
                    }
                });
                // A struct whose fields may all be absent has a `Default`: every property
                // absent, or at its schema's `default`.
                let all_optional = fields
                    .iter()
                    .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
                let (derive_default, default_impl) = match (all_optional, defaults.is_empty()) {
                    (false, _) => (None, None),
                    (true, true) => (Some(quote!(Default,)), None),
                    (true, false) => {
                        let inits = fields.iter().map(|f| {
                            let ident = Self::ident(&f.name);
                            let wire = &f.wire;
                            if f.presence == Presence::Optional && f.default.is_some() {
                                quote!(#ident: #p::serde_impls::default_of(#wire, Self::DEFAULTS))
                            } else {
                                quote!(#ident: __rt::None)
                            }
                        });
                        let rest = matches!(additional, Additional::Map(_)).then(
                            || quote!(additional_properties: ::std::default::Default::default(),),
                        );
                        (
                            None,
                            Some(quote! {
                                impl ::std::default::Default for #name {
                                    /// Every property absent, or at its schema's `default`.
                                    fn default() -> Self {
                                        #name { #(#inits,)* #rest }
                                    }
                                }
                            }),
                        )
                    }
                };
                let (extra, unknown) = match additional {
                    Additional::Map(ty) => {
                        let ty = self.ty(ty);
                        let extra = quote! {
                            /// Properties the schema does not name (`additionalProperties`).
                            pub additional_properties: ::std::collections::BTreeMap<__rt::String, #ty>,
                        };
                        (Some(extra), Some(quote!(rest additional_properties)))
                    }
                    Additional::Deny => (None, Some(quote!(deny_unknown_fields))),
                    _ => (None, None),
                };
                quote! {
                    #docs
                    #[derive(Clone, Debug, #derive_default PartialEq)]
                    pub struct #name {
                        #(#fields_tokens)*
                        #extra
                    }
                    #p::object! { #name { #(#wire),* } #unknown }
                    #defaults_const
                    #default_impl
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
                                __rt::Some(#value) => <#ty as #p::serde::Deserialize>::deserialize(value)
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
                                fn deserialize<D>(deserializer: D) -> __rt::Result<Self, D::Error>
                                where
                                    D: #p::serde::Deserializer<'de>,
                                {
                                    let value = <#p::serde_json::Value as #p::serde::Deserialize>::deserialize(deserializer)?;
                                    let tag = value.get(#tag).and_then(#p::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                                    match tag.as_deref() {
                                        #(#arms)*
                                        other => __rt::Err(<D::Error as #p::serde::de::Error>::custom(
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
        let ty = self.ty(&f.full_type());
        let mut docs = f.docs.clone();
        match &f.default {
            Some(default) if f.presence == Presence::Optional => docs.notes.push(format!(
                "Default: `{default}` (read when the property is absent; `None` is not written)."
            )),
            Some(default) => docs.notes.push(format!("Default: `{default}`.")),
            None => {}
        }
        let docs = Self::docs(&docs);
        quote! {
            #docs
            pub #ident: #ty,
        }
    }
}

/// `validate()`: the `Validate` implementation of each definition, and the checks of each value.
impl Emitter<'_> {
    fn validate_impl(&self, def: &TypeDef) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let p = self.private();
        let path = quote!(path);
        let mut body = Vec::new();
        match &def.kind {
            TypeKind::Alias(_) => return TokenStream::new(),
            TypeKind::Struct { fields, additional } => {
                for f in fields {
                    let ident = Self::ident(&f.name);
                    let check = self.check_value(
                        &quote!(&self.#ident),
                        &f.full_type(),
                        Some(f.schema),
                        &quote!(p1),
                        1,
                    );
                    if !check.is_empty() {
                        let wire = &f.wire;
                        body.push(quote! { { let p1 = &#path.key(#wire); #check } });
                    }
                }
                if let Additional::Map(ty) = additional {
                    let values = self.space.rules[def.schema.index()].values;
                    let check = self.check_value(&quote!(v1), ty, values, &quote!(p1), 2);
                    if !check.is_empty() {
                        body.push(quote! {
                            for (k1, v1) in &self.additional_properties {
                                let p1 = &#path.key(k1);
                                #check
                            }
                        });
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                let checks: Vec<TokenStream> = variants
                    .iter()
                    .map(|v| self.check_value(&quote!(v1), &v.ty, Some(v.schema), &path, 1))
                    .collect();
                if checks.iter().any(|c| !c.is_empty()) {
                    let arms = variants.iter().zip(&checks).map(|(v, check)| {
                        let ident = Self::ident(&v.name);
                        if check.is_empty() {
                            quote!(#name::#ident(_) => {})
                        } else {
                            quote!(#name::#ident(v1) => { #check })
                        }
                    });
                    body.push(quote! { match self { #(#arms)* } });
                }
            }
            TypeKind::Newtype(ty) => {
                body.push(self.check_value(&quote!(&self.0), ty, Some(def.schema), &path, 1));
            }
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
        }
        if let Some(json) = &def.checks {
            body.push(self.schema_check(&quote!(self), json, &path));
        }
        quote! {
            impl #p::Validate for #name {
                #[allow(unused_variables)]
                fn validate_at(&self, path: &#p::Path<'_>, out: &mut #p::Violations) {
                    #(#body)*
                }
            }
        }
    }

    /// Checks of a value: `value` is an expression of type `&T` for the Rust type `ty` of schema
    /// `schema`, sitting at `path` (a variable of type `&Path`). Empty when there is nothing to
    /// check.
    fn check_value(
        &self,
        value: &TokenStream,
        ty: &RustType,
        schema: Option<SchemaId>,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let p = self.private();
        let v = format_ident!("v{depth}");
        let i = format_ident!("i{depth}");
        let pi = format_ident!("p{depth}");
        match ty {
            RustType::Option(inner) => {
                let check = self.check_value(&quote!(#v), inner, schema, path, depth + 1);
                if check.is_empty() {
                    return check;
                }
                quote! { if let __rt::Some(#v) = #value { #check } }
            }
            RustType::Box(inner) => {
                self.check_value(&quote!(&**#value), inner, schema, path, depth + 1)
            }
            RustType::Named(t) => {
                let def = &self.space[*t];
                let own = schema
                    .map(|s| self.chain(s, Some(def.schema)))
                    .unwrap_or_default();
                let mut out = TokenStream::new();
                for s in &own {
                    if let Some(json) = &self.space.rules[s.index()].residual {
                        out.extend(self.schema_check(value, json, path));
                    }
                }
                match &def.kind {
                    TypeKind::Alias(inner) if depth < 32 => {
                        out.extend(self.check_value(
                            value,
                            inner,
                            Some(def.schema),
                            path,
                            depth + 1,
                        ));
                    }
                    TypeKind::Alias(_) => {}
                    _ => out.extend(quote! { #p::Validate::validate_at(#value, #path, out); }),
                }
                out
            }
            RustType::External(_) => TokenStream::new(),
            _ => {
                let Some(schema) = schema else {
                    return TokenStream::new();
                };
                let chain = self.chain(schema, None);
                let mut out = TokenStream::new();
                for s in &chain {
                    let rules = &self.space.rules[s.index()];
                    out.extend(self.typed_rules(value, ty, rules, path));
                    if let Some(json) = &rules.residual {
                        out.extend(self.schema_check(value, json, path));
                    }
                    if *ty == RustType::Any
                        && let Some(json) = self.space.open.get(s)
                    {
                        out.extend(self.schema_check(value, json, path));
                    }
                }
                let place = place(value);
                let first = |f: &dyn Fn(&Rules) -> Option<SchemaId>| {
                    chain.iter().find_map(|s| f(&self.space.rules[s.index()]))
                };
                match ty {
                    RustType::Vec(inner) => {
                        let items = first(&|r| r.items);
                        let check =
                            self.check_value(&quote!(#v), inner, items, &quote!(#pi), depth + 1);
                        if !check.is_empty() {
                            out.extend(quote! {
                                for (#i, #v) in #place.iter().enumerate() {
                                    let #pi = &#path.index(#i);
                                    #check
                                }
                            });
                        }
                    }
                    RustType::Map(inner) => {
                        let values = first(&|r| r.values);
                        let check =
                            self.check_value(&quote!(#v), inner, values, &quote!(#pi), depth + 1);
                        if !check.is_empty() {
                            out.extend(quote! {
                                for (#i, #v) in #place.iter() {
                                    let #pi = &#path.key(#i);
                                    #check
                                }
                            });
                        }
                    }
                    RustType::Tuple(items) => {
                        let prefix = chain
                            .iter()
                            .map(|s| &self.space.rules[s.index()].prefix_items)
                            .find(|p| !p.is_empty())
                            .cloned()
                            .unwrap_or_default();
                        for (n, item) in items.iter().enumerate() {
                            let index = syn::Index::from(n);
                            let check = self.check_value(
                                &quote!(&#place.#index),
                                item,
                                prefix.get(n).copied(),
                                &quote!(#pi),
                                depth + 1,
                            );
                            if !check.is_empty() {
                                out.extend(quote! { { let #pi = &#path.index(#n); #check } });
                            }
                        }
                    }
                    _ => {}
                }
                out
            }
        }
    }

    /// `schema` and the schemas whose rules apply with it (`$ref` with siblings, `allOf` parts of
    /// a schema without properties), depth first, without `stop` and what is only reached
    /// through it.
    fn chain(&self, schema: SchemaId, stop: Option<SchemaId>) -> Vec<SchemaId> {
        let mut out = Vec::new();
        let mut todo = vec![schema];
        while let Some(s) = todo.pop() {
            if Some(s) == stop || out.contains(&s) || out.len() > 64 {
                continue;
            }
            out.push(s);
            todo.extend(self.space.rules[s.index()].also.iter().rev());
        }
        out
    }

    /// The typed checks of one schema's rules on a value of type `ty`.
    fn typed_rules(
        &self,
        value: &TokenStream,
        ty: &RustType,
        rules: &Rules,
        path: &TokenStream,
    ) -> TokenStream {
        let p = self.private();
        let (opt_u64, opt_f64) = (opt::<u64>, opt::<f64>);
        let mut out = TokenStream::new();
        match (ty, &rules.string) {
            (RustType::String, Some(r)) => {
                let min = opt_u64(r.min_length);
                let max = opt_u64(r.max_length);
                let pattern = match &r.pattern {
                    Some(src) => quote! {{
                        static PATTERN: #p::Pattern = #p::Pattern::new(#src);
                        __rt::Some(&PATTERN)
                    }},
                    None => quote!(__rt::None),
                };
                // The runtime checks the formats it knows and treats others as annotations.
                let format = match &r.format {
                    Some(f) => quote!(__rt::Some(#f)),
                    None => quote!(__rt::None),
                };
                let set = set_fields([
                    ("min_length", r.min_length.is_some(), min),
                    ("max_length", r.max_length.is_some(), max),
                    ("pattern", r.pattern.is_some(), pattern),
                    ("format", r.format.is_some(), format),
                ]);
                out.extend(quote! {
                    #p::check::string(#value, &#p::check::StringRules {
                        #set ..#p::check::StringRules::NONE
                    }, #path, out);
                });
            }
            (t, _) if t.is_number() => {
                if let Some(r) = &rules.number {
                    let (min, max) = (opt_f64(r.minimum), opt_f64(r.maximum));
                    let (xmin, xmax) = (opt_f64(r.exclusive_minimum), opt_f64(r.exclusive_maximum));
                    let multiple = opt_f64(r.multiple_of);
                    let number = copied(value);
                    let set = set_fields([
                        ("minimum", r.minimum.is_some(), min),
                        ("maximum", r.maximum.is_some(), max),
                        ("exclusive_minimum", r.exclusive_minimum.is_some(), xmin),
                        ("exclusive_maximum", r.exclusive_maximum.is_some(), xmax),
                        ("multiple_of", r.multiple_of.is_some(), multiple),
                    ]);
                    out.extend(quote! {
                        #p::check::number(#number, &#p::check::NumberRules {
                            #set ..#p::check::NumberRules::NONE
                        }, #path, out);
                    });
                }
            }
            (RustType::Vec(inner), _) => {
                if let Some(r) = &rules.array {
                    let min = opt_u64(r.min_items);
                    let max = opt_u64(r.max_items);
                    let unique = r.unique && !contains_external(inner);
                    let set = set_fields([
                        ("min_items", r.min_items.is_some(), min),
                        ("max_items", r.max_items.is_some(), max),
                        ("unique", unique, quote!(true)),
                    ]);
                    out.extend(quote! {
                        #p::check::array(#value, &#p::check::ArrayRules {
                            #set ..#p::check::ArrayRules::NONE
                        }, #path, out);
                    });
                }
            }
            _ => {}
        }
        out
    }

    /// A check of `value`'s JSON form against a schema given as JSON text.
    fn schema_check(&self, value: &TokenStream, json: &str, path: &TokenStream) -> TokenStream {
        let p = self.private();
        quote! {{
            static SCHEMA: #p::LazySchema = #p::LazySchema::new(#json);
            #p::check::schema(#value, &SCHEMA, #path, out);
        }}
    }
}

/// `name: value,` for each rule a schema sets (the others come from the rules' `NONE`).
fn set_fields<const N: usize>(fields: [(&str, bool, TokenStream); N]) -> TokenStream {
    fields
        .into_iter()
        .filter(|(_, set, _)| *set)
        .map(|(name, _, value)| {
            let name = format_ident!("{name}");
            quote!(#name: #value,)
        })
        .collect()
}

/// `Option` tokens of a value: `__rt::Some(5u64)` or `__rt::None`.
pub(crate) fn opt<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(__rt::Some(#v)),
        None => quote!(__rt::None),
    }
}

/// The doc comment of an enum variant: its value, and what it means when the document says.
fn variant_doc(value: &str, description: Option<&str>) -> TokenStream {
    let mut lines = vec![format!(" {value}")];
    if let Some(d) = description {
        lines.push(String::new());
        lines.extend(d.lines().map(|l| format!(" {l}")));
    }
    quote! { #(#[doc = #lines])* }
}

/// The value behind a reference expression, as a place a method or field can be applied to:
/// `&self.items` gives `self.items`, `v1` stays `v1` (auto-deref), anything else is bracketed.
fn place(value: &TokenStream) -> TokenStream {
    let mut tokens = value.clone().into_iter();
    match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '&' => {
            let rest: TokenStream = tokens.collect();
            let simple = rest.clone().into_iter().all(|t| match t {
                proc_macro2::TokenTree::Punct(p) => p.as_char() == '.',
                _ => true,
            });
            if simple { rest } else { quote!((#value)) }
        }
        Some(_) if value.clone().into_iter().count() == 1 => value.clone(),
        _ => quote!((#value)),
    }
}

/// The value behind a reference expression, copied: `&self.n` gives `self.n`, `v1` gives `*v1`.
fn copied(value: &TokenStream) -> TokenStream {
    let place = place(value);
    if place.to_string() == value.to_string() {
        quote!(*#value)
    } else {
        place
    }
}

/// Whether a type holds a user's `x-rust-type`, which may not implement `PartialEq`.
fn contains_external(ty: &RustType) -> bool {
    match ty {
        RustType::External(_) => true,
        RustType::Option(i) | RustType::Box(i) | RustType::Vec(i) | RustType::Map(i) => {
            contains_external(i)
        }
        RustType::Tuple(items) => items.iter().any(contains_external),
        _ => false,
    }
}
