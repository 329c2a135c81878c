//! The typed document model: one shape for AsyncAPI 2.0–2.6, 3.0 and 3.1.
//!
//! Every document, whatever its version, is read into the AsyncAPI 3 shape: servers with host and
//! pathname, channels with addresses and messages, operations with an action (`send`/`receive`)
//! that point at a channel. Objects that can be shared through `$ref` (servers, channels,
//! operations, messages, schemas, security schemes) live once in the [`Document`] and are named
//! by ids; a `$ref` to the same target always yields the same id, so a recursive schema is simply
//! a schema whose properties name its own id.

pub mod bindings;
pub mod schema;
pub mod security;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::diag::Location;
use crate::pointer::JsonPointer;
use crate::source::Span;

pub use bindings::{
    ChannelBindings, MessageBindings, OperationBindings, RawBinding, ServerBindings,
};
pub use schema::{Discriminator, JsonType, Schema, SchemaFormat, SchemaFormatKind, SchemaPayload};
pub use security::{
    OAuthFlow, OAuthFlows, SecurityRequirement, SecurityScheme, SecuritySchemeKind,
};

/// Specification extensions (`x-*` fields) of an object, as plain JSON.
pub type Extensions = IndexMap<String, serde_json::Value>;

/// Where an object is defined: file, JSON pointer and text range.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    /// The pointer of the object inside its file.
    pub pointer: JsonPointer,
    /// The text range (its `file` names the file).
    pub span: Span,
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $field:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct $name(pub(crate) u32);

            impl $name {
                /// The position of the object in its table (stable for one load).
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }

            impl std::ops::Index<$name> for Document {
                type Output = $ty;
                fn index(&self, id: $name) -> &$ty {
                    &self.$field[id.0 as usize]
                }
            }
        )*
    };
}

ids! {
    /// Names a [`Server`] of a [`Document`].
    ServerId => server_table: Server;
    /// Names a [`Channel`] of a [`Document`].
    ChannelId => channel_table: Channel;
    /// Names an [`Operation`] of a [`Document`].
    OperationId => operation_table: Operation;
    /// Names a [`Message`] of a [`Document`].
    MessageId => message_table: Message;
    /// Names a [`Schema`] of a [`Document`].
    SchemaId => schema_table: Schema;
    /// Names a [`SecurityScheme`] of a [`Document`].
    SecuritySchemeId => security_table: SecurityScheme;
}

/// Which specification version the document was written against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    /// 2.0.0
    V2_0,
    /// 2.1.0
    V2_1,
    /// 2.2.0
    V2_2,
    /// 2.3.0
    V2_3,
    /// 2.4.0
    V2_4,
    /// 2.5.0
    V2_5,
    /// 2.6.0
    V2_6,
    /// 3.0.0
    V3_0,
    /// 3.1.0
    V3_1,
}

impl SpecVersion {
    /// Parses the `asyncapi` field (`"2.6.0"`, `"3.0.0"`, ...). Patch versions and pre-release
    /// suffixes of a known minor version are accepted.
    pub fn parse(text: &str) -> Option<SpecVersion> {
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let major = parts.next()?;
        let minor = parts.next()?;
        let _patch = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        Some(match (major, minor) {
            ("2", "0") => SpecVersion::V2_0,
            ("2", "1") => SpecVersion::V2_1,
            ("2", "2") => SpecVersion::V2_2,
            ("2", "3") => SpecVersion::V2_3,
            ("2", "4") => SpecVersion::V2_4,
            ("2", "5") => SpecVersion::V2_5,
            ("2", "6") => SpecVersion::V2_6,
            ("3", "0") => SpecVersion::V3_0,
            ("3", "1") => SpecVersion::V3_1,
            _ => return None,
        })
    }

    /// Whether this is a 2.x version (read through normalisation into the 3 shape).
    pub fn is_v2(self) -> bool {
        self < SpecVersion::V3_0
    }
}

/// A whole AsyncAPI document, resolved and normalised.
#[derive(Clone, Debug)]
pub struct Document {
    /// The `asyncapi` field as written.
    pub asyncapi: String,
    /// The version it names.
    pub version: SpecVersion,
    /// The `id` field.
    pub id: Option<String>,
    /// The `info` object.
    pub info: Info,
    /// The `defaultContentType` field.
    pub default_content_type: Option<String>,
    /// Servers by key.
    pub servers: IndexMap<String, ServerId>,
    /// Channels by key (for 2.x documents, the key is the channel address).
    pub channels: IndexMap<String, ChannelId>,
    /// Operations by key. For 2.x documents, the `operationId`; for an operation without one,
    /// what the application does and the end of its channel's address (`receiveLightingMeasured`
    /// for `publish` on `.../event/{streetlightId}/lighting/measured`), extended to the left
    /// until no other operation has that name.
    pub operations: IndexMap<String, OperationId>,
    /// Reusable objects.
    pub components: Components,
    /// `x-*` fields of the root.
    pub extensions: Extensions,
    pub(crate) server_table: Vec<Server>,
    pub(crate) channel_table: Vec<Channel>,
    pub(crate) operation_table: Vec<Operation>,
    pub(crate) message_table: Vec<Message>,
    pub(crate) schema_table: Vec<Schema>,
    pub(crate) security_table: Vec<SecurityScheme>,
    pub(crate) files: Vec<PathBuf>,
}

impl Document {
    /// Every schema of the document, with its id (components, payloads, headers, inline schemas
    /// and schemas in other files alike).
    pub fn schemas(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.schema_table
            .iter()
            .enumerate()
            .map(|(i, s)| (SchemaId(i as u32), s))
    }

    /// Every message of the document, with its id.
    pub fn messages(&self) -> impl Iterator<Item = (MessageId, &Message)> {
        self.message_table
            .iter()
            .enumerate()
            .map(|(i, m)| (MessageId(i as u32), m))
    }

    /// Every channel of the document, with its id (also channels only defined in components).
    pub fn all_channels(&self) -> impl Iterator<Item = (ChannelId, &Channel)> {
        self.channel_table
            .iter()
            .enumerate()
            .map(|(i, c)| (ChannelId(i as u32), c))
    }

    /// Every security scheme of the document, with its id.
    pub fn security_schemes(&self) -> impl Iterator<Item = (SecuritySchemeId, &SecurityScheme)> {
        self.security_table
            .iter()
            .enumerate()
            .map(|(i, s)| (SecuritySchemeId(i as u32), s))
    }

    /// The files the document was read from (the root first).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The file, line, column and pointer of an object's origin.
    pub fn location(&self, origin: &Origin) -> Location {
        Location {
            file: self
                .files
                .get(origin.span.file.index())
                .cloned()
                .unwrap_or_default(),
            line: origin.span.start.line,
            column: origin.span.start.column,
            pointer: origin.pointer.to_string(),
        }
    }

    /// The path of the root document.
    pub fn root_path(&self) -> &Path {
        self.files
            .first()
            .map(PathBuf::as_path)
            .unwrap_or(Path::new(""))
    }
}

/// The `info` object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Info {
    /// The API's title.
    pub title: String,
    /// The API's version.
    pub version: String,
    /// A description (CommonMark).
    pub description: Option<String>,
    /// Terms of service URL.
    pub terms_of_service: Option<String>,
    /// Contact details.
    pub contact: Option<Contact>,
    /// Licence.
    pub license: Option<License>,
    /// Tags (3.0 moved the root `tags` here; 2.x root tags land here too).
    pub tags: Vec<Tag>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
    /// `x-*` fields.
    pub extensions: Extensions,
}

/// Contact details of the API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    /// Person or organisation.
    pub name: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

/// Licence of the API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct License {
    /// Licence name.
    pub name: String,
    /// URL of the licence.
    pub url: Option<String>,
}

/// A tag.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tag {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
}

/// A link to external documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExternalDocs {
    /// URL.
    pub url: String,
    /// Description.
    pub description: Option<String>,
}

/// A server: where messages go, and how to reach it.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// The key under `servers` (or `components.servers`).
    pub key: String,
    /// Host, possibly with a port and `{variables}` (`broker.example.com:{port}`).
    pub host: String,
    /// The protocol key (`mqtt`, `kafka`, `amqp`, ...), lower-cased.
    pub protocol: String,
    /// The protocol version (`protocolVersion`).
    pub protocol_version: Option<String>,
    /// The path after the host, possibly with `{variables}`.
    pub pathname: Option<String>,
    /// For 2.x documents, the `url` field as written.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Variables used in host and pathname.
    pub variables: IndexMap<String, ServerVariable>,
    /// Alternative security requirements: any one of them is enough.
    pub security: Vec<SecurityRequirement>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
    /// Protocol-specific server bindings.
    pub bindings: ServerBindings,
    /// `x-*` fields.
    pub extensions: Extensions,
    /// Where it is defined.
    pub origin: Origin,
}

/// A variable in a server's host or pathname.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerVariable {
    /// The allowed values, when restricted.
    pub enum_values: Vec<String>,
    /// The default value.
    pub default: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Example values.
    pub examples: Vec<String>,
}

/// A channel: an address messages travel on.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// The key under `channels` (or `components.channels`).
    pub key: String,
    /// The address with `{parameters}`; `None` when it is unknown or dynamic.
    pub address: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Messages that may travel on the channel, by key.
    pub messages: IndexMap<String, MessageId>,
    /// Parameters used in the address.
    pub parameters: IndexMap<String, Parameter>,
    /// Servers the channel is available on; empty means all of them.
    pub servers: Vec<ServerId>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
    /// Protocol-specific channel bindings.
    pub bindings: ChannelBindings,
    /// `x-*` fields.
    pub extensions: Extensions,
    /// Where it is defined.
    pub origin: Origin,
}

/// A parameter in a channel address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parameter {
    /// The allowed values, when restricted.
    pub enum_values: Vec<String>,
    /// The default value.
    pub default: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Example values.
    pub examples: Vec<String>,
    /// A runtime expression saying where in a message the value is found.
    pub location: Option<String>,
    /// The parameter's schema (AsyncAPI 2.x parameters have one; enum and default above are
    /// taken from it).
    pub schema: Option<SchemaId>,
}

/// Whether the application sends or receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// The application sends messages to the channel.
    Send,
    /// The application receives messages from the channel.
    Receive,
}

/// An operation: the application sends to or receives from a channel.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The key under `operations` (for 2.x documents, see [`Document::operations`]).
    pub key: String,
    /// Send or receive.
    pub action: Action,
    /// The channel.
    pub channel: ChannelId,
    /// The messages this operation handles (all the channel's messages when the document does not
    /// list them).
    pub messages: Vec<MessageId>,
    /// Title.
    pub title: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Alternative security requirements.
    pub security: Vec<SecurityRequirement>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
    /// Protocol-specific operation bindings (traits merged).
    pub bindings: OperationBindings,
    /// The reply, for request/reply operations.
    pub reply: Option<OperationReply>,
    /// For 2.x documents: which 2.x operation this came from.
    pub v2_kind: Option<V2OperationKind>,
    /// `x-*` fields.
    pub extensions: Extensions,
    /// Where it is defined.
    pub origin: Origin,
}

/// The 2.x operation an [`Operation`] was normalised from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2OperationKind {
    /// `publish`: others publish to the channel; the application receives.
    Publish,
    /// `subscribe`: others subscribe; the application sends.
    Subscribe,
}

/// The reply of a request/reply operation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationReply {
    /// Where to send the reply when it is decided at run time.
    pub address: Option<ReplyAddress>,
    /// The channel the reply travels on.
    pub channel: Option<ChannelId>,
    /// The reply messages.
    pub messages: Vec<MessageId>,
}

/// A run-time reply address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplyAddress {
    /// Runtime expression (`$message.header#/replyTo`).
    pub location: String,
    /// Description.
    pub description: Option<String>,
}

/// A message.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The key it has in its channel (or in `components.messages`).
    pub key: String,
    /// The 2.x `messageId`.
    pub message_id: Option<String>,
    /// Machine-friendly name.
    pub name: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Content type; the document's `defaultContentType` applies when `None`.
    pub content_type: Option<String>,
    /// Headers schema (always an object schema in a valid document).
    pub headers: Option<SchemaPayload>,
    /// Payload schema.
    pub payload: Option<SchemaPayload>,
    /// Where the correlation id is found.
    pub correlation_id: Option<CorrelationId>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// External documentation.
    pub external_docs: Option<ExternalDocs>,
    /// Protocol-specific message bindings (traits merged).
    pub bindings: MessageBindings,
    /// Examples.
    pub examples: Vec<MessageExample>,
    /// `x-*` fields.
    pub extensions: Extensions,
    /// Where it is defined.
    pub origin: Origin,
}

/// Where a message's correlation id is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorrelationId {
    /// Runtime expression (`$message.header#/correlationId`).
    pub location: String,
    /// Description.
    pub description: Option<String>,
}

/// An example of a message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageExample {
    /// Name.
    pub name: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Example headers.
    pub headers: Option<serde_json::Value>,
    /// Example payload.
    pub payload: Option<serde_json::Value>,
    /// Where the example is written.
    pub origin: Origin,
}

/// The `components` object: what can be referenced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Components {
    /// Schemas.
    pub schemas: IndexMap<String, SchemaId>,
    /// Servers.
    pub servers: IndexMap<String, ServerId>,
    /// Channels.
    pub channels: IndexMap<String, ChannelId>,
    /// Operations.
    pub operations: IndexMap<String, OperationId>,
    /// Messages.
    pub messages: IndexMap<String, MessageId>,
    /// Security schemes.
    pub security_schemes: IndexMap<String, SecuritySchemeId>,
    /// Channel parameters.
    pub parameters: IndexMap<String, Parameter>,
    /// Correlation ids.
    pub correlation_ids: IndexMap<String, CorrelationId>,
    /// Replies.
    pub replies: IndexMap<String, OperationReply>,
    /// Reply addresses.
    pub reply_addresses: IndexMap<String, ReplyAddress>,
    /// Server variables.
    pub server_variables: IndexMap<String, ServerVariable>,
    /// Tags.
    pub tags: IndexMap<String, Tag>,
    /// External documentation.
    pub external_docs: IndexMap<String, ExternalDocs>,
    /// Message traits, as written (they are merged into messages that use them).
    pub message_traits: IndexMap<String, serde_json::Value>,
    /// Operation traits, as written (merged into operations that use them).
    pub operation_traits: IndexMap<String, serde_json::Value>,
    /// Server bindings.
    pub server_bindings: IndexMap<String, ServerBindings>,
    /// Channel bindings.
    pub channel_bindings: IndexMap<String, ChannelBindings>,
    /// Operation bindings.
    pub operation_bindings: IndexMap<String, OperationBindings>,
    /// Message bindings.
    pub message_bindings: IndexMap<String, MessageBindings>,
}
