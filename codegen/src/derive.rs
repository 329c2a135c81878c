//! The expansion of `#[derive(Message)]`: a hand-written struct made a message, checked at
//! compile time against a message of a document when it names one. The proc-macro crate only
//! parses the input and resolves the document's path; the `Message` impl is the one generated
//! messages have (`emit::message_impl`).

use std::path::PathBuf;

use crate::conform::{FieldInfo, Shape, check_fields, find_message};
use crate::expand::{Errors, render, tracking};
use crate::{LoadOptions, load};
use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

#[derive(Default)]
struct Options {
    name: Option<String>,
    content_type: Option<String>,
    spec: Option<LitStr>,
    message: Option<String>,
    relative_to_file: bool,
    crate_path: Option<String>,
}

fn options(input: &DeriveInput) -> syn::Result<Options> {
    let mut o = Options::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("asyncapi")) {
        attr.parse_nested_meta(|meta| {
            let value = || -> syn::Result<LitStr> { meta.value()?.parse() };
            if meta.path.is_ident("name") {
                o.name = Some(value()?.value());
            } else if meta.path.is_ident("content_type") {
                o.content_type = Some(value()?.value());
            } else if meta.path.is_ident("spec") {
                o.spec = Some(value()?);
            } else if meta.path.is_ident("message") {
                o.message = Some(value()?.value());
            } else if meta.path.is_ident("crate_path") {
                o.crate_path = Some(value()?.value());
            } else if meta.path.is_ident("relative_to") {
                let v = value()?;
                o.relative_to_file = match v.value().as_str() {
                    "file" => true,
                    "manifest" => false,
                    _ => return Err(syn::Error::new(v.span(), "`relative_to` is \"manifest\" or \"file\"")),
                };
            } else {
                return Err(meta.error(
                    "unknown option; the options are name, content_type, spec, message, relative_to and crate_path",
                ));
            }
            Ok(())
        })?;
    }
    if o.spec.is_some() != o.message.is_some() {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`spec` and `message` go together: the document, and the message to check the struct against",
        ));
    }
    Ok(o)
}

/// `#[serde(rename_all = "...")]` of the container.
fn rename_all(input: &DeriveInput) -> Option<String> {
    serde_value(&input.attrs, "rename_all")
}

fn serde_value(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    let mut out = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if let Ok(v) = meta.value().and_then(|v| v.parse::<LitStr>()) {
                    out = Some(v.value());
                }
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    out
}

fn apply_rename_all(name: &str, rule: Option<&str>) -> String {
    match rule {
        Some("camelCase") => name.to_lower_camel_case(),
        Some("PascalCase") => name.to_upper_camel_case(),
        Some("snake_case") => name.to_snake_case(),
        Some("SCREAMING_SNAKE_CASE") => name.to_shouty_snake_case(),
        Some("kebab-case") => name.to_kebab_case(),
        Some("lowercase") => name.to_lowercase(),
        Some("UPPERCASE") => name.to_uppercase(),
        _ => name.to_owned(),
    }
}

fn shape(ty: &Type) -> Shape {
    match ty {
        Type::Reference(r) => shape(&r.elem),
        Type::Slice(s) => Shape::Array(Box::new(shape(&s.elem))),
        Type::Array(a) => Shape::Array(Box::new(shape(&a.elem))),
        Type::Paren(p) => shape(&p.elem),
        Type::Group(g) => shape(&g.elem),
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return Shape::Opaque;
            };
            let first_arg = || match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                }),
                _ => None,
            };
            match last.ident.to_string().as_str() {
                "String" | "str" | "char" | "Uuid" | "DateTime" | "NaiveDate" | "NaiveTime"
                | "Decimal" | "Base64" | "Ipv4Addr" | "Ipv6Addr" | "IpAddr" => Shape::String,
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" => Shape::Integer,
                "f32" | "f64" => Shape::Number,
                "bool" => Shape::Boolean,
                "Option" => {
                    Shape::Option(Box::new(first_arg().map(shape).unwrap_or(Shape::Opaque)))
                }
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" => {
                    Shape::Array(Box::new(first_arg().map(shape).unwrap_or(Shape::Opaque)))
                }
                "HashMap" | "BTreeMap" | "IndexMap" | "Map" => Shape::Map,
                "Box" | "Arc" | "Rc" | "Cow" => first_arg().map(shape).unwrap_or(Shape::Opaque),
                _ => Shape::Opaque,
            }
        }
        _ => Shape::Opaque,
    }
}

fn has_flag(attrs: &[syn::Attribute], flag: &str) -> syn::Result<bool> {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("asyncapi")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
                Ok(())
            } else if meta.path.is_ident("payload") || meta.path.is_ident("headers") {
                Ok(())
            } else {
                Err(meta.error("a field takes `#[asyncapi(payload)]` or `#[asyncapi(headers)]`"))
            }
        })?;
    }
    Ok(found)
}

/// Expands `#[derive(Message)]` on `input`. `document` turns the `spec = "..."` path (and
/// whether it is relative to the invoking file) into the document's path.
pub fn expand(
    input: &DeriveInput,
    document: &dyn Fn(&LitStr, bool) -> syn::Result<PathBuf>,
) -> syn::Result<TokenStream> {
    let o = options(input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(Message)]` is for structs",
        ));
    };
    let ident = &input.ident;
    let krate: TokenStream = o
        .crate_path
        .as_deref()
        .unwrap_or("::asyncapi")
        .parse()
        .map_err(|_| syn::Error::new_spanned(ident, "`crate_path` is not a path"))?;
    let p = quote!(#krate::__private);

    // Fields marked as payload / headers, if any.
    let mut payload_field = None;
    let mut headers_field = None;
    let named: Vec<&syn::Field> = match &data.fields {
        Fields::Named(f) => f.named.iter().collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(_) => {
            return Err(syn::Error::new_spanned(
                ident,
                "`#[derive(Message)]` needs named fields (or none)",
            ));
        }
    };
    for f in &named {
        if has_flag(&f.attrs, "payload")? {
            payload_field = Some(*f);
        }
        if has_flag(&f.attrs, "headers")? {
            headers_field = Some(*f);
        }
    }
    let wrapper = payload_field.is_some() || headers_field.is_some();
    if wrapper {
        for f in &named {
            let is_marked = payload_field.is_some_and(|p| std::ptr::eq(p, *f))
                || headers_field.is_some_and(|h| std::ptr::eq(h, *f));
            if !is_marked {
                return Err(syn::Error::new_spanned(
                    f,
                    "next to `#[asyncapi(payload)]` and `#[asyncapi(headers)]` fields, a message has no other fields",
                ));
            }
        }
    }

    // The compile-time check against the document.
    let mut name = o.name.clone();
    let mut content_type = o.content_type.clone();
    let mut tracked = Vec::new();
    if let (Some(spec), Some(message)) = (&o.spec, &o.message) {
        let path = document(spec, o.relative_to_file)?;
        let loaded = load(&path, &LoadOptions::for_macros());
        tracked = tracking(&loaded.files);
        let mut errors = Errors::default();
        for d in loaded.diagnostics.errors() {
            errors.push(syn::Error::new(spec.span(), render(d)));
        }
        errors.finish()?;
        let Some(doc) = loaded.document else {
            return Err(syn::Error::new(
                spec.span(),
                "the document could not be read",
            ));
        };
        let Some(mid) = find_message(&doc, message) else {
            return Err(syn::Error::new(
                spec.span(),
                format!("the document has no message `{message}`"),
            ));
        };
        let m = &doc[mid];
        name.get_or_insert_with(|| m.name.clone().unwrap_or_else(|| m.key.clone()));
        if content_type.is_none() {
            content_type = m
                .content_type
                .clone()
                .or_else(|| doc.default_content_type.clone());
        }
        let payload_fields: Vec<&syn::Field> = if wrapper { Vec::new() } else { named.clone() };
        let rule = rename_all(input);
        let infos: Vec<FieldInfo> = payload_fields
            .iter()
            .filter_map(|f| {
                let rust = f.ident.as_ref()?.to_string();
                let rust = rust.trim_start_matches("r#").to_owned();
                let wire = serde_value(&f.attrs, "rename")
                    .unwrap_or_else(|| apply_rename_all(&rust, rule.as_deref()));
                Some(FieldInfo {
                    wire,
                    rust,
                    shape: shape(&f.ty),
                })
            })
            .collect();
        if !wrapper {
            let mismatches = check_fields(&doc, mid, &infos);
            let mut errors = Errors::default();
            for mm in mismatches {
                let text = format!(
                    "{} (see {}, #{})",
                    mm.message, mm.location, mm.location.pointer
                );
                let at = mm.field.as_ref().and_then(|f| {
                    payload_fields.iter().find(|pf| {
                        pf.ident
                            .as_ref()
                            .is_some_and(|i| i.to_string().trim_start_matches("r#") == f)
                    })
                });
                errors.push(match at {
                    Some(field) => syn::Error::new_spanned(field, text),
                    None => syn::Error::new_spanned(ident, text),
                });
            }
            errors.finish()?;
        }
    }
    let name = name.unwrap_or_else(|| ident.to_string());
    let content_type = content_type.unwrap_or_else(|| "application/json".to_owned());
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    let (encode, decode) = if wrapper {
        let payload_encode = payload_field.map(|f| {
            let i = &f.ident;
            quote! { #p::message::write_payload(Self::CONTENT_TYPE, &self.#i, to)?; }
        });
        let headers_encode = headers_field.map(|f| {
            let i = &f.ident;
            quote! { #p::message::write_headers(&self.#i, to.headers_mut())?; }
        });
        let payload_decode = payload_field.map(|f| {
            let i = &f.ident;
            quote! { #i: #p::message::read_payload(Self::CONTENT_TYPE, from)?, }
        });
        let headers_decode = headers_field.map(|f| {
            let i = &f.ident;
            quote! { #i: #p::message::read_headers(#p::EnvelopeReader::headers(from))?, }
        });
        (
            quote! { #payload_encode #headers_encode ::std::result::Result::Ok(()) },
            quote! { ::std::result::Result::Ok(#ident { #payload_decode #headers_decode }) },
        )
    } else {
        (
            quote! { #p::message::write_payload(Self::CONTENT_TYPE, self, to) },
            quote! { #p::message::read_payload(Self::CONTENT_TYPE, from) },
        )
    };
    let message_impl = crate::emit::message_impl(
        &p,
        quote!(#impl_generics),
        quote!(#ident #ty_generics),
        quote!(#where_clause),
        &name,
        &content_type,
        encode,
        decode,
        TokenStream::new(),
    );
    Ok(quote! {
        const _: () = {
            #(#tracked)*

            #message_impl

            impl #impl_generics #p::operation::Outgoing for #ident #ty_generics #where_clause {
                fn encode_into(&self, channel: &'static str, envelope: &mut impl #p::EnvelopeWriter) -> ::std::result::Result<(), #p::Error> {
                    <Self as #p::Message>::encode(self, envelope).map_err(|source| #p::Error::Encode {
                        channel,
                        message: <Self as #p::Message>::NAME,
                        source,
                    })
                }
            }

            impl #impl_generics #p::operation::Incoming for #ident #ty_generics #where_clause {
                fn decode_from(channel: &'static str, envelope: &impl #p::EnvelopeReader) -> ::std::result::Result<Self, #p::Error> {
                    <Self as #p::Message>::decode(envelope).map_err(|source| #p::Error::Decode {
                        channel,
                        message: <Self as #p::Message>::NAME,
                        address: ::std::borrow::ToOwned::to_owned(#p::EnvelopeReader::address(envelope)),
                        source,
                    })
                }
            }
        };
    })
}
