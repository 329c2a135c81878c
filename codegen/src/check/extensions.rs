//! Checks of this project's `x-` extensions, where a document could name something no
//! transport would apply or a value a transport would refuse: Redis's `x-stream` and `x-group`,
//! NATS's `x-jetstream`, and an operation's `x-group`.

use crate::diag::{Code, Diagnostic};
use crate::model::*;

use super::Checker;

/// Characters a JetStream stream's name cannot hold (the server refuses them).
const STREAM_NAME_FORBIDDEN: &[char] = &['.', '*', '>', '/', '\\', ' ', '\t', '\r', '\n'];

impl Checker<'_> {
    /// This project's Redis extensions where nothing would apply them: a consumer group on an
    /// operation whose channel is pub/sub, `x-stream` on a channel no Redis server carries.
    pub(super) fn redis_extensions(&mut self) {
        let doc = self.doc;
        let is_stream =
            |c: &Channel| c.bindings.redis.as_ref().and_then(|r| r.stream) == Some(true);
        for op in &doc.operation_table {
            let channel = &doc[op.channel];
            if op
                .bindings
                .redis
                .as_ref()
                .is_some_and(|r| r.group.is_some())
                && !is_stream(channel)
            {
                let at = self.binding_field_location(&op.origin, "redis", "x-group");
                self.diags.push(
                    Diagnostic::warning(
                        Code::Binding,
                        format!(
                            "`x-group` names a consumer group, which only a Redis stream has; the channel `{}` is pub/sub (give it `bindings.redis.x-stream: true`)",
                            channel.key
                        ),
                    )
                    .at(at),
                );
            }
        }
        for channel in &doc.channel_table {
            if channel
                .bindings
                .redis
                .as_ref()
                .and_then(|r| r.stream)
                .is_none()
            {
                continue;
            }
            let servers = self.servers_of(channel);
            if !servers.is_empty() && !servers.iter().any(|s| s.protocol == "redis") {
                let at = self.binding_field_location(&channel.origin, "redis", "x-stream");
                self.diags.push(
                    Diagnostic::warning(
                        Code::Binding,
                        format!(
                            "`x-stream` is for Redis, and no server of the channel `{}` speaks `redis`",
                            channel.key
                        ),
                    )
                    .at(at),
                );
            }
        }
    }

    /// A channel's `bindings.nats.x-jetstream`: its enumerated values, the stream's name, the
    /// `messageId` expression, durations and counts in range, and a server that speaks `nats`.
    pub(super) fn jetstream(&mut self) {
        let doc = self.doc;
        for channel in &doc.channel_table {
            let Some(js) = channel
                .bindings
                .nats
                .as_ref()
                .and_then(|n| n.jetstream.as_ref())
            else {
                continue;
            };
            let origin = &channel.origin;
            let enums: [(&str, Option<&String>, &[&str]); 3] = [
                (
                    "retention",
                    js.retention.as_ref(),
                    &["limits", "interest", "workqueue"],
                ),
                ("storage", js.storage.as_ref(), &["file", "memory"]),
                ("deliver", js.deliver.as_ref(), &["all", "new"]),
            ];
            for (field, value, allowed) in enums {
                if let Some(value) = value
                    && !allowed.contains(&value.as_str())
                {
                    let at = self.binding_path_location(origin, "nats", &["x-jetstream", field]);
                    self.diags.push(
                        Diagnostic::error(
                            Code::Binding,
                            format!(
                                "JetStream `{field}` of channel `{}` is `{value}`; it is one of {}",
                                channel.key,
                                allowed
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .at(at),
                    );
                }
            }
            if let Some(name) = &js.stream
                && (name.is_empty() || name.contains(STREAM_NAME_FORBIDDEN))
            {
                let at = self.binding_path_location(origin, "nats", &["x-jetstream", "stream"]);
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!(
                            "`{name}` cannot name a JetStream stream (channel `{}`): a name is not empty and has no `.`, `*`, `>`, `/`, `\\` or white space",
                            channel.key
                        ),
                    )
                    .at(at),
                );
            }
            for subject in &js.subjects {
                if subject.is_empty() || subject.contains([' ', '\t', '{', '}']) {
                    let at =
                        self.binding_path_location(origin, "nats", &["x-jetstream", "subjects"]);
                    self.diags.push(
                        Diagnostic::error(
                            Code::Binding,
                            format!(
                                "`{subject}` is not a NATS subject a stream can store (channel `{}`): write parameters as `*` or `>`",
                                channel.key
                            ),
                        )
                        .at(at),
                    );
                }
            }
            if let Some(id) = &js.message_id
                && !(id.starts_with("$message.header#/") || id.starts_with("$message.payload#/"))
            {
                let at = self.binding_path_location(origin, "nats", &["x-jetstream", "messageId"]);
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!(
                            "JetStream `messageId` of channel `{}` is `{id}`; it is a runtime expression, `$message.header#/...` or `$message.payload#/...`",
                            channel.key
                        ),
                    )
                    .at(at),
                );
            }
            let count = |n: Option<i64>| matches!(n, Some(n) if n == 0 || n < -1);
            let out_of_range = [
                ("ackWait", js.ack_wait == Some(0), "at least 1 (seconds)"),
                ("replicas", js.replicas == Some(0), "at least 1"),
                (
                    "maxDeliver",
                    count(js.max_deliver),
                    "at least 1, or -1 for no limit",
                ),
                (
                    "maxMsgs",
                    count(js.max_msgs),
                    "at least 1, or -1 for no limit",
                ),
                (
                    "maxBytes",
                    count(js.max_bytes),
                    "at least 1, or -1 for no limit",
                ),
            ];
            for (field, wrong, range) in out_of_range {
                if wrong {
                    let at = self.binding_path_location(origin, "nats", &["x-jetstream", field]);
                    self.diags.push(
                        Diagnostic::error(
                            Code::Binding,
                            format!(
                                "JetStream `{field}` of channel `{}` must be {range}",
                                channel.key
                            ),
                        )
                        .at(at),
                    );
                }
            }
            let servers = self.servers_of(channel);
            if !servers.is_empty() && !servers.iter().any(|s| s.protocol == "nats") {
                let at = self.binding_path_location(origin, "nats", &["x-jetstream"]);
                self.diags.push(
                    Diagnostic::warning(
                        Code::Binding,
                        format!(
                            "`x-jetstream` is for NATS, and no server of the channel `{}` speaks `nats`",
                            channel.key
                        ),
                    )
                    .at(at),
                );
            }
        }
    }

    /// An operation's `x-group`: a group's name as text, one an MQTT shared subscription can
    /// carry where an MQTT server is in reach, and the same as a NATS or Redis binding's group on
    /// the same operation (`x-group` wins for every transport).
    pub(super) fn groups(&mut self) {
        let doc = self.doc;
        for op in &doc.operation_table {
            let Some(value) = op.extensions.get("x-group") else {
                continue;
            };
            let at = super::location_at(self.ws, &op.origin, &["x-group"])
                .unwrap_or_else(|| doc.location(&op.origin));
            let Some(group) = value.as_str().filter(|g| !g.is_empty()) else {
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!(
                            "`x-group` of operation `{}` names a consumer group: a non-empty string, not `{value}`",
                            op.key
                        ),
                    )
                    .at(at),
                );
                continue;
            };
            let channel = &doc[op.channel];
            let mqtt = self
                .servers_of(channel)
                .iter()
                .any(|s| s.protocol.starts_with("mqtt") || s.protocol == "secure-mqtt");
            if mqtt && group.contains(['/', '+', '#']) {
                self.diags.push(
                    Diagnostic::error(
                        Code::Binding,
                        format!(
                            "`x-group` `{group}` of operation `{}` cannot name an MQTT shared subscription's group (`$share/<group>/...`): no `/`, `+` or `#`",
                            op.key
                        ),
                    )
                    .at(at.clone()),
                );
            }
            let bound = [
                (
                    "nats",
                    "queue",
                    op.bindings.nats.as_ref().and_then(|n| n.queue.as_ref()),
                ),
                (
                    "redis",
                    "x-group",
                    op.bindings.redis.as_ref().and_then(|r| r.group.as_ref()),
                ),
            ];
            for (protocol, field, other) in bound {
                if let Some(other) = other
                    && other != group
                {
                    let there = self.binding_field_location(&op.origin, protocol, field);
                    self.diags.push(
                        Diagnostic::warning(
                            Code::Binding,
                            format!(
                                "operation `{}` names the consumer group `{group}` (`x-group`) and `{other}` (its {protocol} binding's `{field}`); `x-group` is the one every transport uses",
                                op.key
                            ),
                        )
                        .at(at.clone())
                        .with_related(format!("the {protocol} binding's group"), there)
                        .with_help("name one group, or the same in both"),
                    );
                }
            }
        }
    }

    /// The servers a channel is on: those it names, or else every server of the document.
    fn servers_of(&self, channel: &Channel) -> Vec<&Server> {
        if channel.servers.is_empty() {
            self.doc.server_table.iter().collect()
        } else {
            channel.servers.iter().map(|s| &self.doc[*s]).collect()
        }
    }
}
