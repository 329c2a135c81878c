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

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod channels;
mod messages;
pub(crate) mod names;
mod operations;
mod servers;

use super::{EmitOptions, Emitter, emit_types};
use crate::model::{ChannelId, Document, MessageId};
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
        let message_names = names::message_names(doc);
        let channel_modules = names::channel_modules(doc);
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
