//! Checks over the whole typed document that the generator relies on: parameters and variables
//! declared, names that stay distinct as Rust identifiers, protocols with a transport, binding
//! values in range.

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexMap;

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::emit::api::names::{self, rust_name};
use crate::model::*;
use crate::node::{Map, Node};
use crate::workspace::Workspace;

mod extensions;

/// Protocols with a transport of their own in the runtime (or planned in the design).
pub const TRANSPORT_PROTOCOLS: &[&str] = &[
    "amqp",
    "amqps",
    "kafka",
    "kafka-secure",
    "mqtt",
    "mqtts",
    "secure-mqtt",
    "mqtt5",
    "nats",
    "redis",
    "http",
    "https",
    "ws",
    "wss",
    "tcp",
    "udp",
    "ip",
];

pub(crate) fn check(doc: &Document, ws: &Workspace, diags: &mut Diagnostics) {
    let mut c = Checker { doc, ws, diags };
    c.parameters();
    c.server_variables();
    c.protocols();
    c.collisions();
    c.rust_names();
    c.binding_values();
    c.redis_extensions();
    c.jetstream();
    c.groups();
    c.amqp_vhosts();
    c.patterns();
}

struct Checker<'a> {
    doc: &'a Document,
    ws: &'a Workspace,
    diags: &'a mut Diagnostics,
}

/// The `{names}` in an address or URL template, or the position of the first unbalanced brace.
pub(crate) fn template_names(template: &str) -> Result<Vec<String>, usize> {
    let mut names = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in template.char_indices() {
        match c {
            '{' if open.is_none() => open = Some(i),
            '{' => return Err(i),
            '}' => match open.take() {
                Some(start) => names.push(template[start + 1..i].to_owned()),
                None => return Err(i),
            },
            _ => {}
        }
    }
    match open {
        Some(i) => Err(i),
        None => Ok(names),
    }
}

impl Checker<'_> {
    /// The node an object was read from, when it is still in a file (merged objects are not).
    fn node(&self, origin: &Origin) -> Option<&Node> {
        self.ws
            .tree(origin.span.file)?
            .pointer(origin.pointer.tokens())
    }

    fn field_location(&self, origin: &Origin, field: &str) -> Location {
        location_at(self.ws, origin, &[field]).unwrap_or_else(|| self.doc.location(origin))
    }

    fn map_field(&self, origin: &Origin, field: &str) -> Option<&Map> {
        self.node(origin)?.get(field)?.as_object()
    }

    fn key_location(&self, origin: &Origin, field: &str, key: &str) -> Location {
        match self.map_field(origin, field).and_then(|m| m.get(key)) {
            Some(member) => self
                .ws
                .location(member.key_span, &origin.pointer.child(field).child(key)),
            None => self.doc.location(origin),
        }
    }

    /// Where the key of an object is written (`'lights/{id}':` for a 2.x channel).
    fn own_key_location(&self, origin: &Origin) -> Location {
        let mut parent = origin.pointer.clone();
        let Some(key) = parent.pop() else {
            return self.doc.location(origin);
        };
        let member = self
            .ws
            .tree(origin.span.file)
            .and_then(|t| t.pointer(parent.tokens()))
            .and_then(Node::as_object)
            .and_then(|m| m.get(&key));
        match member {
            Some(m) => self.ws.location(m.key_span, &origin.pointer),
            None => self.doc.location(origin),
        }
    }

    fn parameters(&mut self) {
        for (_, channel) in self.doc.all_channels() {
            let Some(address) = &channel.address else {
                continue;
            };
            // 2.x channels are keyed by their address; 3.x ones have an `address` field.
            let at = if self.doc.version.is_v2() {
                self.own_key_location(&channel.origin)
            } else {
                self.field_location(&channel.origin, "address")
            };
            let names = match template_names(address) {
                Ok(names) => names,
                Err(_) => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::Parameter,
                            format!("the address `{address}` of channel `{}` has an unbalanced `{{` or `}}`", channel.key),
                        )
                        .at(at),
                    );
                    continue;
                }
            };
            for name in &names {
                if !channel.parameters.contains_key(name) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::Parameter,
                            format!(
                                "the address `{address}` of channel `{}` uses the parameter `{{{name}}}`, which the channel does not declare",
                                channel.key
                            ),
                        )
                        .at(at.clone())
                        .with_help(format!("declare it under the channel's `parameters`: `{name}: {{description: ...}}`")),
                    );
                }
            }
            for name in channel.parameters.keys() {
                if !names.contains(name) {
                    let loc = self.key_location(&channel.origin, "parameters", name);
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Parameter,
                            format!(
                                "channel `{}` declares the parameter `{name}`, but its address `{address}` does not use it",
                                channel.key
                            ),
                        )
                        .at(loc),
                    );
                }
            }
        }
    }

    fn server_variables(&mut self) {
        for (key, id) in &self.doc.servers {
            let server = &self.doc[*id];
            let template = format!(
                "{}{}",
                server.host,
                server.pathname.as_deref().unwrap_or("")
            );
            let field = if server.url.is_some() { "url" } else { "host" };
            let at = self.field_location(&server.origin, field);
            let names = match template_names(&template) {
                Ok(names) => names,
                Err(_) => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::Parameter,
                            format!("the {field} of server `{key}` has an unbalanced `{{` or `}}`"),
                        )
                        .at(at),
                    );
                    continue;
                }
            };
            for name in &names {
                if !server.variables.contains_key(name) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::Parameter,
                            format!("server `{key}` uses the variable `{{{name}}}`, which it does not declare under `variables`"),
                        )
                        .at(at.clone()),
                    );
                }
            }
            for (name, var) in &server.variables {
                let loc = self.key_location(&server.origin, "variables", name);
                if !names.contains(name) {
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Parameter,
                            format!(
                                "server `{key}` declares the variable `{name}`, but does not use it"
                            ),
                        )
                        .at(loc.clone()),
                    );
                }
                if let Some(default) = &var.default
                    && !var.enum_values.is_empty()
                    && !var.enum_values.contains(default)
                {
                    self.diags.push(
                            Diagnostic::error(
                                Code::InvalidValue,
                                format!(
                                    "the default `{default}` of variable `{name}` of server `{key}` is not one of its `enum` values"
                                ),
                            )
                            .at(loc),
                        );
                }
            }
        }
    }

    /// Patterns the generated `validate()` cannot check: JSON Schema patterns are ECMA-262
    /// regular expressions, and the runtime's engine has no look-around or back-references.
    fn patterns(&mut self) {
        for (_, schema) in self.doc.schemas() {
            let Some(pattern) = &schema.pattern else {
                continue;
            };
            if let Some(why) = crate::types::rules::pattern_error(pattern) {
                let at = self.field_location(&schema.origin, "pattern");
                self.diags.push(
                    Diagnostic::warning(
                        Code::Pattern,
                        format!("`validate()` will not check the pattern `{pattern}`: {why}"),
                    )
                    .at(at)
                    .with_help("write it without look-around or back-references (the runtime matches patterns with regex-lite), or check the value in your own code"),
                );
            }
        }
    }

    fn protocols(&mut self) {
        for (key, id) in &self.doc.servers {
            let server = &self.doc[*id];
            if server.protocol.is_empty() || TRANSPORT_PROTOCOLS.contains(&server.protocol.as_str())
            {
                continue;
            }
            let at = self.field_location(&server.origin, "protocol");
            self.diags.push(
                Diagnostic::note(
                    Code::UnknownProtocol,
                    format!(
                        "server `{key}` uses protocol `{}`, which has no built-in transport: models, messages and channels are generated, and a transport can be plugged in through the runtime traits",
                        server.protocol
                    ),
                )
                .at(at),
            );
        }
    }

    fn collisions(&mut self) {
        let doc = self.doc;
        let root = Origin {
            pointer: crate::pointer::JsonPointer::root(),
            span: self.ws.root().node.span,
        };
        let components = Origin {
            pointer: crate::pointer::JsonPointer::root().child("components"),
            span: root.span,
        };
        self.namespace(
            "schema",
            &components,
            "schemas",
            doc.components.schemas.keys(),
            Case::Type,
        );
        // Objects with an `x-rust-name` are named by it (`rust_names` checks those).
        let renamed = |e: &Extensions| rust_name(e).is_some();
        self.namespace(
            "message",
            &components,
            "messages",
            doc.components
                .messages
                .iter()
                .filter(|(_, id)| !renamed(&doc[**id].extensions))
                .map(|(k, _)| k),
            Case::Type,
        );
        self.namespace(
            "channel",
            &root,
            "channels",
            doc.channels
                .iter()
                .filter(|(_, id)| !renamed(&doc[**id].extensions))
                .map(|(k, _)| k),
            Case::Value,
        );
        self.namespace(
            "operation",
            &root,
            "operations",
            doc.operations
                .iter()
                .filter(|(_, id)| !renamed(&doc[**id].extensions))
                .map(|(k, _)| k),
            Case::Value,
        );
        self.namespace("server", &root, "servers", doc.servers.keys(), Case::Value);
        for (_, channel) in doc.all_channels() {
            self.namespace(
                "parameter",
                &channel.origin,
                "parameters",
                channel.parameters.keys(),
                Case::Value,
            );
            self.namespace(
                "message",
                &channel.origin,
                "messages",
                channel
                    .messages
                    .iter()
                    .filter(|(_, id)| !renamed(&doc[**id].extensions))
                    .map(|(k, _)| k),
                Case::Type,
            );
        }
        for &id in doc.servers.values() {
            let server = &doc[id];
            self.namespace(
                "variable",
                &server.origin,
                "variables",
                server.variables.keys(),
                Case::Value,
            );
        }
        for (_, schema) in doc.schemas() {
            self.namespace(
                "property",
                &schema.origin,
                "properties",
                schema.properties.keys(),
                Case::Value,
            );
        }
    }

    fn namespace<'k>(
        &mut self,
        what: &str,
        owner: &Origin,
        field: &str,
        names: impl Iterator<Item = &'k String>,
        case: Case,
    ) {
        let mut seen: IndexMap<String, &String> = IndexMap::new();
        for name in names {
            let ident = match case {
                Case::Type => name.to_upper_camel_case(),
                Case::Value => name.to_snake_case(),
            };
            if ident.is_empty() {
                continue;
            }
            match seen.get(&ident) {
                Some(first) => {
                    let here = self.key_location(owner, field, name);
                    let there = self.key_location(owner, field, first);
                    self.diags.push(
                        Diagnostic::warning(
                            Code::NameCollision,
                            format!(
                                "the {what} names `{first}` and `{name}` both become the Rust identifier `{ident}`; the generator keeps `{ident}` for the first and adds a number to the second"
                            ),
                        )
                        .at(here)
                        .with_related(format!("`{first}` is here"), there)
                        .with_help("rename one of them, or give one an `x-rust-name`"),
                    );
                }
                None => {
                    seen.insert(ident, name);
                }
            }
        }
    }

    /// The generated names of operations, channels and messages where an `x-rust-name` takes
    /// part: one that is not a string, and two objects that would have the same name (the
    /// generator adds a number to the second).
    fn rust_names(&mut self) {
        let doc = self.doc;
        let operations = names::wanted_operations(doc, None);
        let operation_names = names::operation_names(doc, None);
        let channels = names::wanted_channels(doc);
        let channel_names = names::channel_modules(doc);
        let messages = names::wanted_messages(doc);
        let message_names = names::message_names(doc);
        let operations = named(&operations, &operation_names, "type", |id| {
            let o = &doc[id];
            (format!("operation `{}`", o.key), &o.origin, &o.extensions)
        });
        let channels = named(&channels, &channel_names, "module", |id| {
            let c = &doc[id];
            (format!("channel `{}`", c.key), &c.origin, &c.extensions)
        });
        let messages = named(&messages, &message_names, "type", |id| {
            let m = &doc[id];
            (format!("message `{}`", m.key), &m.origin, &m.extensions)
        });
        for (module, items) in [
            ("operations", &operations),
            ("channels", &channels),
            ("messages", &messages),
        ] {
            let holders: std::collections::HashMap<&str, &Named> =
                items.iter().map(|n| (n.got.as_str(), n)).collect();
            for item in items {
                if let Some(value) = item.extensions.get("x-rust-name")
                    && !value.is_string()
                {
                    let at = self.field_location(item.origin, "x-rust-name");
                    self.diags.push(
                        Diagnostic::warning(
                            Code::InvalidValue,
                            format!(
                                "the `x-rust-name` of {} must be a string, but this is {value}; it is ignored",
                                item.label
                            ),
                        )
                        .at(at),
                    );
                }
                if item.got == item.wanted {
                    continue;
                }
                let Some(holder) = holders.get(item.wanted.as_str()) else {
                    continue;
                };
                if !item.own && !holder.own {
                    continue;
                }
                let at = if item.own {
                    self.field_location(item.origin, "x-rust-name")
                } else {
                    self.own_key_location(item.origin)
                };
                let there = if holder.own {
                    self.field_location(holder.origin, "x-rust-name")
                } else {
                    self.own_key_location(holder.origin)
                };
                let how = if item.own {
                    "asks with `x-rust-name` for"
                } else {
                    "becomes"
                };
                let (wanted, got, kind) = (item.wanted, item.got, item.kind);
                self.diags.push(
                    Diagnostic::warning(
                        Code::NameCollision,
                        format!(
                            "{} {how} the Rust {kind} `{module}::{wanted}`, which {} has; the generator calls it `{got}`",
                            item.label, holder.label
                        ),
                    )
                    .at(at)
                    .with_related(format!("{} is here", holder.label), there)
                    .with_help("give one of them another `x-rust-name`"),
                );
            }
        }
    }

    fn binding_values(&mut self) {
        let doc = self.doc;
        for op in &doc.operation_table {
            if let Some(mqtt) = &op.bindings.mqtt
                && let Some(qos) = mqtt.qos
                && qos > 2
            {
                let at = self.binding_field_location(&op.origin, "mqtt", "qos");
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!("MQTT `qos` must be 0, 1 or 2, not {qos}"),
                    )
                    .at(at),
                );
            }
            if let Some(amqp) = &op.bindings.amqp
                && let Some(mode) = amqp.delivery_mode
                && mode != 1
                && mode != 2
            {
                let at = self.binding_field_location(&op.origin, "amqp", "deliveryMode");
                self.diags.push(
                            Diagnostic::error(
                                Code::Binding,
                                format!("AMQP `deliveryMode` must be 1 (transient) or 2 (persistent), not {mode}"),
                            )
                            .at(at),
                        );
            }
            if let Some(nats) = &op.bindings.nats
                && let Some(queue) = &nats.queue
                && queue.len() > 255
            {
                let at = self.binding_field_location(&op.origin, "nats", "queue");
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        "a NATS queue group name has at most 255 characters",
                    )
                    .at(at),
                );
            }
        }
        for (_, message) in doc.messages() {
            if let Some(mqtt) = &message.bindings.mqtt
                && let Some(pfi) = mqtt.payload_format_indicator
                && pfi > 1
            {
                let at =
                    self.binding_field_location(&message.origin, "mqtt", "payloadFormatIndicator");
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!("MQTT `payloadFormatIndicator` must be 0 or 1, not {pfi}"),
                    )
                    .at(at),
                );
            }
        }
    }

    /// AMQP channel bindings that name a virtual host other than the one a server of the channel
    /// connects to (its URL's path): the transport refuses such a channel on that server.
    fn amqp_vhosts(&mut self) {
        let doc = self.doc;
        for channel in &doc.channel_table {
            let Some(amqp) = &channel.bindings.amqp else {
                continue;
            };
            let named = [
                (
                    "exchange",
                    amqp.exchange.as_ref().and_then(|e| e.vhost.as_ref()),
                ),
                ("queue", amqp.queue.as_ref().and_then(|q| q.vhost.as_ref())),
            ];
            let servers: Vec<&crate::model::Server> = if channel.servers.is_empty() {
                doc.servers.values().map(|s| &doc[*s]).collect()
            } else {
                channel.servers.iter().map(|s| &doc[*s]).collect()
            };
            for (part, vhost) in named {
                let Some(vhost) = vhost else {
                    continue;
                };
                for server in &servers {
                    if !matches!(server.protocol.as_str(), "amqp" | "amqps") {
                        continue;
                    }
                    let path = server.pathname.as_deref().unwrap_or("");
                    // A `{variable}` in the path: the virtual host is only known at run time.
                    if path.contains('{') {
                        continue;
                    }
                    let connects_to = amqp_vhost(path);
                    if connects_to == *vhost {
                        continue;
                    }
                    let (field, path_text) = match (&server.url, path) {
                        (Some(url), "") => {
                            ("url", format!("its URL `{url}` names none: the default"))
                        }
                        (Some(url), _) => ("url", format!("the path of its URL `{url}`")),
                        (None, "") => ("host", "it has no `pathname`: the default".to_owned()),
                        (None, p) => ("pathname", format!("its `pathname` `{p}`")),
                    };
                    let at = self.binding_path_location(&channel.origin, "amqp", &[part, "vhost"]);
                    let there = self.field_location(&server.origin, field);
                    let (connects, help) = if connects_to.is_empty() {
                        (
                            format!(
                                "the empty virtual host ({path_text}; a path of only `/` names it)"
                            ),
                            if vhost == "/" {
                                "make them the same: no path on the server (or `/%2f`) for the virtual host `/`, or leave `vhost` out of the binding (the server's virtual host is used)".to_owned()
                            } else {
                                format!(
                                    "make them the same: the path `/{vhost}` on the server, or leave `vhost` out of the binding (the server's virtual host is used)"
                                )
                            },
                        )
                    } else {
                        (
                            format!("the virtual host `{connects_to}` ({path_text})"),
                            format!(
                                "make them the same: `vhost: {connects_to}` in the binding, or leave `vhost` out (the server's virtual host is used)"
                            ),
                        )
                    };
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Binding,
                            format!(
                                "the {part} of channel `{}` is in the AMQP virtual host `{vhost}`, but server `{}` connects to {connects}; the AMQP transport refuses the channel on that server",
                                channel.key, server.key
                            ),
                        )
                        .at(at)
                        .with_related(format!("the virtual host of server `{}`", server.key), there)
                        .with_help(help),
                    );
                }
            }
        }
    }

    /// Where a field nested in a binding is written (`bindings.amqp.exchange.vhost`), else the
    /// object's own location.
    fn binding_path_location(&self, origin: &Origin, protocol: &str, path: &[&str]) -> Location {
        let mut pointer = origin.pointer.child("bindings").child(protocol);
        let mut node = self
            .node(origin)
            .and_then(|n| n.get("bindings"))
            .and_then(|n| n.get(protocol));
        for field in path {
            node = node.and_then(|n| n.get(field));
            pointer = pointer.child(*field);
        }
        match node {
            Some(n) => self.ws.location(n.span, &pointer),
            None => self.doc.location(origin),
        }
    }

    fn binding_field_location(&self, origin: &Origin, protocol: &str, field: &str) -> Location {
        location_at(self.ws, origin, &["bindings", protocol, field])
            .unwrap_or_else(|| self.doc.location(origin))
    }
}

/// Where `path` below an object is written, when the object is still in its file (merged ones
/// are not) and has it: what every located check points at.
pub(crate) fn location_at(ws: &Workspace, origin: &Origin, path: &[&str]) -> Option<Location> {
    let mut node = ws
        .tree(origin.span.file)?
        .pointer(origin.pointer.tokens())?;
    let mut pointer = origin.pointer.clone();
    for field in path {
        node = node.get(field)?;
        pointer = pointer.child(*field);
    }
    Some(ws.location(node.span, &pointer))
}

/// The AMQP virtual host a URL path names, as AMQP URIs define it (and the AMQP transport reads
/// it): no path is the default virtual host `/`; otherwise the path without its first `/`,
/// percent-decoded (`/orders` is `orders`, `/%2f` is `/`, `/` alone the empty name).
fn amqp_vhost(path: &str) -> String {
    match path.strip_prefix('/') {
        None if path.is_empty() => "/".to_owned(),
        rest => percent_encoding::percent_decode_str(rest.unwrap_or(path))
            .decode_utf8_lossy()
            .into_owned(),
    }
}

/// An object of a generated namespace, with the name it asks for and the one it gets.
/// The names of one namespace's objects, for the collision warnings: what each asked for
/// (`wanted`) and got (`got`), with what `of` says of it (its label, origin and extensions).
fn named<'a, Id: Copy>(
    wanted: &'a [names::Wanted<Id>],
    got: &'a [(Id, String)],
    kind: &'static str,
    of: impl Fn(Id) -> (String, &'a Origin, &'a Extensions),
) -> Vec<Named<'a>> {
    wanted
        .iter()
        .zip(got)
        .map(|(w, (id, got))| {
            let (label, origin, extensions) = of(*id);
            Named {
                label,
                origin,
                extensions,
                wanted: &w.name,
                own: w.own,
                got,
                kind,
            }
        })
        .collect()
}

struct Named<'a> {
    label: String,
    origin: &'a Origin,
    extensions: &'a Extensions,
    wanted: &'a String,
    own: bool,
    got: &'a String,
    kind: &'static str,
}

#[derive(Clone, Copy)]
enum Case {
    Type,
    Value,
}

#[cfg(test)]
mod tests {
    use super::template_names;

    #[test]
    fn amqp_virtual_hosts_of_url_paths() {
        assert_eq!(super::amqp_vhost(""), "/");
        assert_eq!(super::amqp_vhost("/orders"), "orders");
        assert_eq!(super::amqp_vhost("/%2f"), "/");
        assert_eq!(super::amqp_vhost("/"), "");
        assert_eq!(super::amqp_vhost("/a%2Fb"), "a/b");
    }

    #[test]
    fn template_names_and_unbalanced_braces() {
        assert_eq!(template_names("a/{b}/c/{d}").unwrap(), ["b", "d"]);
        assert_eq!(template_names("plain").unwrap(), Vec::<String>::new());
        assert_eq!(template_names("a/{b").unwrap_err(), 2);
        assert_eq!(template_names("a}").unwrap_err(), 1);
        assert_eq!(template_names("{{x}}").unwrap_err(), 1);
    }
}
