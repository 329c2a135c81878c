//! The `<Server>Security` enum of a generated server: one variant per security requirement, so
//! that the compiler checks the credentials a client brings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::security::ApiKeyLocation;
use crate::model::{Document, SecuritySchemeKind, Server};
use crate::types::names::{Namer, type_name};

/// The credential type a scheme asks for, and the expression turning the value `v` into
/// `Credential`s.
fn scheme_tokens(p: &TokenStream, kind: &SecuritySchemeKind) -> (TokenStream, TokenStream) {
    let s = quote!(#p::security);
    let location = |l: &ApiKeyLocation, name: Option<&str>| {
        let name = name.unwrap_or_default();
        match l {
            ApiKeyLocation::User => quote!(#s::KeyLocation::User),
            ApiKeyLocation::Password => quote!(#s::KeyLocation::Password),
            ApiKeyLocation::Header => {
                quote!(#s::KeyLocation::Header(::std::borrow::ToOwned::to_owned(#name)))
            }
            ApiKeyLocation::Query => {
                quote!(#s::KeyLocation::Query(::std::borrow::ToOwned::to_owned(#name)))
            }
            ApiKeyLocation::Cookie => {
                quote!(#s::KeyLocation::Cookie(::std::borrow::ToOwned::to_owned(#name)))
            }
        }
    };
    let sasl = |m: TokenStream| {
        (
            quote!(#s::SaslCredentials),
            quote!(#s::Credential::Sasl { mechanism: #m, credentials: v.clone() }),
        )
    };
    match kind {
        SecuritySchemeKind::UserPassword => (
            quote!(#s::UserPassword),
            quote!(#s::Credential::UserPassword(v.clone())),
        ),
        SecuritySchemeKind::ApiKey { location: l } => {
            let loc = location(l, None);
            (
                quote!(#s::ApiKey),
                quote!(#s::Credential::ApiKey { key: v.clone(), location: #loc }),
            )
        }
        SecuritySchemeKind::HttpApiKey { name, location: l } => {
            let loc = location(l, Some(name));
            (
                quote!(#s::ApiKey),
                quote!(#s::Credential::ApiKey { key: v.clone(), location: #loc }),
            )
        }
        SecuritySchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            (quote!(#s::UserPassword), quote!(#s::Credential::basic(v)))
        }
        SecuritySchemeKind::Http { scheme, .. } => {
            let scheme = if scheme.eq_ignore_ascii_case("bearer") {
                "Bearer".to_owned()
            } else {
                scheme.clone()
            };
            (quote!(#s::Token), quote!(#s::Credential::token(#scheme, v)))
        }
        SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => (
            quote!(#s::Token),
            quote!(#s::Credential::token("Bearer", v)),
        ),
        SecuritySchemeKind::X509 => (
            quote!(#s::ClientCertificate),
            quote!(#s::Credential::ClientCertificate(v.clone())),
        ),
        SecuritySchemeKind::SymmetricEncryption | SecuritySchemeKind::AsymmetricEncryption => (
            quote!(#s::EncryptionKey),
            quote!(#s::Credential::EncryptionKey(v.clone())),
        ),
        SecuritySchemeKind::Plain => sasl(quote!(#s::SaslMechanism::Plain)),
        SecuritySchemeKind::ScramSha256 => sasl(quote!(#s::SaslMechanism::ScramSha256)),
        SecuritySchemeKind::ScramSha512 => sasl(quote!(#s::SaslMechanism::ScramSha512)),
        SecuritySchemeKind::Gssapi => (
            quote!(#s::Kerberos),
            quote!(#s::Credential::Kerberos(v.clone())),
        ),
    }
}

/// The security type of a server named `server` (a Rust type name): an enum when the document
/// lists requirements, `Anonymous` otherwise.
pub(super) fn server_security(
    p: &TokenStream,
    doc: &Document,
    server: &Server,
    name: &str,
) -> TokenStream {
    let ident = format_ident!("{}Security", name);
    if server.security.is_empty() {
        let d = format!(" Server `{}` asks for no security.", server.key);
        return quote! {
            #[doc = #d]
            pub type #ident = #p::security::Anonymous;
        };
    }
    let mut namer = Namer::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for req in &server.security {
        let schemes: Vec<_> = req
            .schemes
            .iter()
            .map(|s| (&doc[s.scheme], &s.scopes))
            .collect();
        let label = if schemes.is_empty() {
            "Anonymous".to_owned()
        } else {
            schemes
                .iter()
                .map(|(s, _)| type_name(&s.key, "Scheme"))
                .collect::<Vec<_>>()
                .join("And")
        };
        let v = format_ident!("{}", namer.unique(&label));
        let mut lines = Vec::new();
        for (s, scopes) in &schemes {
            let mut line = format!(" `{}`", s.key);
            if let Some(d) = &s.description {
                line.push_str(&format!(": {}", d.lines().next().unwrap_or_default()));
            }
            if !scopes.is_empty() {
                line.push_str(&format!(" (scopes: {})", scopes.join(", ")));
            }
            lines.push(line);
        }
        if schemes.is_empty() {
            lines.push(" No credentials.".to_owned());
        }
        let (types, convert): (Vec<TokenStream>, Vec<TokenStream>) = schemes
            .iter()
            .map(|(s, _)| scheme_tokens(p, &s.kind))
            .unzip();
        let bindings: Vec<proc_macro2::Ident> =
            (0..types.len()).map(|i| format_ident!("c{}", i)).collect();
        if types.is_empty() {
            variants.push(quote! { #(#[doc = #lines])* #v });
            arms.push(quote! { #ident::#v => __rt::Vec::new(), });
        } else {
            variants.push(quote! { #(#[doc = #lines])* #v(#(#types),*) });
            // One credential (the common case) binds `v`, the name the conversions use.
            arms.push(match convert.as_slice() {
                [one] => quote! { #ident::#v(v) => __rt::Vec::from([#one]), },
                _ => quote! {
                    #ident::#v(#(#bindings),*) => __rt::Vec::from([#({ let v = #bindings; #convert }),*]),
                },
            });
        }
    }
    let d = format!(
        " The credentials server `{}` accepts: one variant per security requirement of the document.",
        server.key
    );
    quote! {
        #[doc = #d]
        #[derive(Clone, Debug)]
        pub enum #ident { #(#variants,)* }

        impl #p::security::Credentials for #ident {
            fn credentials(&self) -> __rt::Vec<#p::security::Credential> {
                match self { #(#arms)* }
            }
        }
    }
}
