//! The procedural macros of asyncapi-rs. Use them through the `asyncapi` crate:
//! `asyncapi::include_spec!` and `#[asyncapi::asyncapi]`.
//!
//! This crate is a thin shim: it parses the macros' input and resolves the document's path
//! (relative to the manifest or to the invoking file, which only a proc-macro crate can know),
//! and the generator (`asyncapi-rs-codegen`: [`expand`](asyncapi_rs_codegen::expand) and
//! [`derive`](mod@asyncapi_rs_codegen::derive)) does the rest, every error of the document a compile
//! error at the path literal that names its file, line and column.

use std::path::{Path, PathBuf};

use asyncapi_rs_codegen::emit::{EmitOptions, Perspective};
use asyncapi_rs_codegen::expand::Warnings;
use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

/// Expands an AsyncAPI document into items in the current module: `models`, `messages`,
/// `channels`, `operations` and `servers`.
///
/// ```ignore
/// mod lights {
///     asyncapi::include_spec!("specs/streetlights.yaml");
/// }
/// ```
///
/// The path is relative to the crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`), or to the file that
/// invokes the macro with `relative_to = "file"`. Options, after the path:
///
/// - `relative_to = "manifest" | "file"`;
/// - `perspective = "application" | "client"` (`client` swaps `send` and `receive`);
/// - `operations = "a, b"` (only these operations, by key: the `operationId`, the key under
///   `operations`, or the key made for a 2.x operation without `operationId`);
/// - `crate_path = "::asyncapi"` (where the facade crate is);
/// - `warnings = "warn" | "allow" | "deny"`: the document's warnings (departures from the
///   specification the loader works around) as compiler warnings at the macro call (the
///   default), not at all, or as errors;
/// - `references = "crate" | "anywhere"`: the local files the document's `$ref`s may reach:
///   inside the crate's folder or the document's own folder (the default: a reference that
///   leaves them, `../../etc/passwd` or an absolute path elsewhere, is an error that reads
///   nothing), or any file.
///
/// The crate is rebuilt when the document, or any file it references, changes.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    expand(&args).into()
}

/// Fills a module with the code of an AsyncAPI document (see [`include_spec!`]); items already
/// in the module stay.
///
/// ```ignore
/// #[asyncapi::asyncapi("specs/streetlights.yaml")]
/// mod lights {}
/// ```
#[proc_macro_attribute]
pub fn asyncapi(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(attr as Args);
    let module = syn::parse_macro_input!(item as syn::ItemMod);
    let generated = expand(&args);
    let syn::ItemMod {
        attrs,
        vis,
        unsafety,
        mod_token,
        ident,
        content,
        ..
    } = module;
    let existing = content.map(|(_, items)| items).unwrap_or_default();
    quote! {
        #(#attrs)*
        #vis #unsafety #mod_token #ident {
            #(#existing)*
            #generated
        }
    }
    .into()
}

/// The macro's arguments.
struct Args {
    path: LitStr,
    relative_to_file: bool,
    options: EmitOptions,
    warnings: Warnings,
    /// `references = "anywhere"`: references may reach files outside the crate's folder.
    anywhere: bool,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = if input.peek(LitStr) {
            input.parse()?
        } else {
            let key: Ident = input.parse()?;
            if key != "path" {
                return Err(syn::Error::new(
                    key.span(),
                    "expected the document's path, as a string",
                ));
            }
            input.parse::<Token![=]>()?;
            input.parse()?
        };
        let mut args = Args {
            path,
            relative_to_file: false,
            options: EmitOptions::default(),
            warnings: Warnings::Warn,
            anywhere: false,
        };
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let text = value.value();
            match key.to_string().as_str() {
                "relative_to" => {
                    args.relative_to_file = match text.as_str() {
                        "manifest" => false,
                        "file" => true,
                        _ => {
                            return Err(syn::Error::new(
                                value.span(),
                                "`relative_to` is \"manifest\" or \"file\"",
                            ));
                        }
                    }
                }
                "perspective" => {
                    args.options.perspective = match text.as_str() {
                        "application" => Perspective::Application,
                        "client" => Perspective::Client,
                        _ => {
                            return Err(syn::Error::new(
                                value.span(),
                                "`perspective` is \"application\" or \"client\"",
                            ));
                        }
                    }
                }
                "operations" => {
                    args.options.operations = Some(
                        text.split(',')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    )
                }
                "crate_path" => args.options.crate_path = text,
                "warnings" => {
                    args.warnings = match text.as_str() {
                        "warn" => Warnings::Warn,
                        "allow" => Warnings::Allow,
                        "deny" => Warnings::Deny,
                        _ => {
                            return Err(syn::Error::new(
                                value.span(),
                                "`warnings` is \"warn\", \"allow\" or \"deny\"",
                            ));
                        }
                    }
                }
                "references" => {
                    args.anywhere = match text.as_str() {
                        "crate" => false,
                        "anywhere" => true,
                        _ => {
                            return Err(syn::Error::new(
                                value.span(),
                                "`references` is \"crate\" or \"anywhere\"",
                            ));
                        }
                    }
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`; the options are relative_to, perspective, operations, crate_path, warnings and references"
                        ),
                    ));
                }
            }
        }
        Ok(args)
    }
}

/// The document's path: absolute as written, or relative to the crate's folder
/// (`CARGO_MANIFEST_DIR`) or, with `relative_to_file`, to the invoking file's folder.
fn resolve(path: &LitStr, relative_to_file: bool) -> syn::Result<PathBuf> {
    let written = PathBuf::from(path.value());
    if written.is_absolute() {
        return Ok(written);
    }
    let base = if relative_to_file {
        proc_macro::Span::call_site()
            .local_file()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .ok_or_else(|| syn::Error::new(path.span(), "the invoking file's folder is not known here; use a path relative to the manifest"))?
    } else {
        std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| {
                syn::Error::new(
                    path.span(),
                    "CARGO_MANIFEST_DIR is not set; build with Cargo",
                )
            })?
    };
    Ok(base.join(written))
}

/// Makes a hand-written struct a message the runtime can send and receive.
///
/// The struct is the payload (it must implement serde's `Serialize` and `Deserialize`), or, with
/// fields marked `#[asyncapi(payload)]` and `#[asyncapi(headers)]`, holds the payload and the
/// headers. Container options:
///
/// - `name = "..."`: the message name (default: the struct's name);
/// - `content_type = "..."`: the payload's content type (default `application/json`);
/// - `spec = "doc.yaml", message = "key"`: check, at compile time, that the struct's fields fit
///   the message's payload schema (properties, required and optional, JSON types), every
///   mismatch reported at its field; name and content type then default to the document's.
///   `relative_to = "file"` makes `spec` relative to the invoking file.
///
/// Serde's `rename` and `rename_all` are read, so the check compares wire names.
#[proc_macro_derive(Message, attributes(asyncapi))]
pub fn derive_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    asyncapi_rs_codegen::derive::expand(&input, &resolve)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// What `include_spec!` and `#[asyncapi]` expand to.
fn expand(args: &Args) -> proc_macro2::TokenStream {
    match resolve(&args.path, args.relative_to_file) {
        Ok(path) => {
            let mut load = asyncapi_rs_codegen::LoadOptions::for_macros();
            if args.anywhere {
                load = load.with_local(asyncapi_rs_codegen::LocalPolicy::Anywhere);
            }
            asyncapi_rs_codegen::expand::include(
                &path,
                &args.options,
                &load,
                args.path.span(),
                args.warnings,
            )
        }
        Err(e) => e.to_compile_error(),
    }
}
