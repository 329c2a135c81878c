//! The runtime's binding values (`asyncapi::bindings`, declared once in the crate
//! `asyncapi-rs-bindings`) from the document's typed bindings: what generated servers, channels,
//! operations and messages hand to the transports. Each function builds values of the runtime's
//! own types, which [`value`](super::value) writes out: a field the runtime gains is one line
//! here, checked by the compiler, and never a list of field names to keep in step.

use asyncapi_bindings as rt;
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::bindings::{
    ChannelBindings, IntOrSchema, MessageBindings, OperationBindings, ServerBindings,
    StringOrSchema, amqp, http, ws,
};
use crate::model::{Document, SchemaId};

use super::value;

fn text(s: &str) -> rt::Text {
    rt::Text::Owned(s.to_owned())
}

fn opt_text(s: Option<&String>) -> Option<rt::Text> {
    s.map(|s| text(s))
}

/// The fixed `(name, value)` pairs of a query or headers schema (of any binding: the WebSocket
/// channel's, the HTTP operation's query and message's headers): every property with a `const`
/// (or an `enum` of one value), written as a query string or header holds it. Other properties
/// are the application's to give (values a server assumes by `default` are not sent).
fn fixed_pairs(doc: &Document, schema: Option<SchemaId>) -> rt::Pairs {
    let Some(id) = schema else {
        return Vec::new();
    };
    crate::types::properties_of(doc, id)
        .into_iter()
        .filter_map(|(name, prop)| Some((text(&name), text(&written(doc, prop)?))))
        .collect()
}

/// The one value a schema fixes (its `const`, or an `enum` of one), as text.
fn fixed(doc: &Document, schema: Option<SchemaId>) -> Option<rt::Text> {
    written(doc, schema?).map(rt::Text::Owned)
}

/// The value a schema fixes, or else its `default`: a name the document suggests (Kafka's
/// `groupId` and `clientId` written as `{type: string, default: orders}`).
fn fixed_or_default(doc: &Document, schema: Option<SchemaId>) -> Option<rt::Text> {
    let schema = schema?;
    fixed(doc, Some(schema)).or_else(|| {
        match doc[crate::types::resolve_alias(doc, schema)]
            .default
            .as_ref()?
        {
            serde_json::Value::String(v) => Some(rt::Text::Owned(v.clone())),
            serde_json::Value::Null => None,
            other => Some(rt::Text::Owned(other.to_string())),
        }
    })
}

fn written(doc: &Document, schema: SchemaId) -> Option<String> {
    match crate::types::fixed_value(doc, schema)? {
        serde_json::Value::String(v) => Some(v.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn int(v: Option<&IntOrSchema>) -> Option<u32> {
    v.and_then(|e| match e {
        IntOrSchema::Value(v) => u32::try_from(*v).ok(),
        IntOrSchema::Schema(_) => None,
    })
}

fn ws_method(m: ws::Method) -> rt::Text {
    text(match m {
        ws::Method::Get => "GET",
        ws::Method::Post => "POST",
    })
}

fn http_method(m: http::Method) -> rt::Text {
    text(match m {
        http::Method::Get => "GET",
        http::Method::Post => "POST",
        http::Method::Put => "PUT",
        http::Method::Patch => "PATCH",
        http::Method::Delete => "DELETE",
        http::Method::Head => "HEAD",
        http::Method::Options => "OPTIONS",
        http::Method::Connect => "CONNECT",
        http::Method::Trace => "TRACE",
    })
}

fn amqp_exchange(e: &amqp::Exchange) -> rt::AmqpExchange {
    let mut out = rt::AmqpExchange::default();
    out.name = opt_text(e.name.as_ref());
    out.kind = e.kind.map(|k| {
        text(match k {
            amqp::ExchangeType::Topic => "topic",
            amqp::ExchangeType::Direct => "direct",
            amqp::ExchangeType::Fanout => "fanout",
            amqp::ExchangeType::Default => "default",
            amqp::ExchangeType::Headers => "headers",
        })
    });
    out.durable = e.durable;
    out.auto_delete = e.auto_delete;
    out.vhost = opt_text(e.vhost.as_ref());
    out
}

fn amqp_queue(q: &amqp::Queue) -> rt::AmqpQueue {
    let mut out = rt::AmqpQueue::default();
    out.name = opt_text(q.name.as_ref());
    out.durable = q.durable;
    out.exclusive = q.exclusive;
    out.auto_delete = q.auto_delete;
    out.vhost = opt_text(q.vhost.as_ref());
    out
}

/// The runtime's bindings of a channel (the parts a channel's bindings fill).
fn channel_value(doc: &Document, b: &ChannelBindings) -> rt::Bindings {
    let mut out = rt::Bindings::default();
    out.amqp = b.amqp.as_ref().map(|a| {
        let mut c = rt::AmqpChannel::default();
        c.is = a.is.map(|i| {
            text(match i {
                amqp::ChannelIs::RoutingKey => "routingKey",
                amqp::ChannelIs::Queue => "queue",
            })
        });
        c.exchange = a.exchange.as_ref().map(amqp_exchange);
        c.queue = a.queue.as_ref().map(amqp_queue);
        c
    });
    out.kafka = b.kafka.as_ref().map(|k| {
        let mut c = rt::KafkaChannel::default();
        c.topic = opt_text(k.topic.as_ref());
        c.partitions = k.partitions;
        c.replicas = k.replicas;
        c.topic_configuration = k.topic_configuration.as_ref().map(|t| {
            let mut out = rt::KafkaTopicConfiguration::default();
            out.cleanup_policy = t.cleanup_policy.iter().map(|p| text(p)).collect();
            out.retention_ms = t.retention_ms;
            out.retention_bytes = t.retention_bytes;
            out.delete_retention_ms = t.delete_retention_ms;
            out.max_message_bytes = t.max_message_bytes;
            out.confluent_key_schema_validation = t.confluent_key_schema_validation;
            out.confluent_key_subject_name_strategy =
                opt_text(t.confluent_key_subject_name_strategy.as_ref());
            out.confluent_value_schema_validation = t.confluent_value_schema_validation;
            out.confluent_value_subject_name_strategy =
                opt_text(t.confluent_value_subject_name_strategy.as_ref());
            out
        });
        c
    });
    out.redis = b.redis.as_ref().and_then(|r| r.stream).map(|stream| {
        let mut c = rt::RedisChannel::default();
        c.stream = stream;
        c
    });
    out.nats_channel = b.nats.as_ref().and_then(|n| n.jetstream.as_ref()).map(|j| {
        let mut s = rt::NatsJetStream::default();
        s.stream = opt_text(j.stream.as_ref());
        s.subjects = j.subjects.iter().map(|v| text(v)).collect();
        s.create = j.create;
        s.retention = opt_text(j.retention.as_ref());
        s.storage = opt_text(j.storage.as_ref());
        s.max_messages = j.max_msgs;
        s.max_bytes = j.max_bytes;
        s.max_age = j.max_age;
        s.duplicate_window = j.duplicate_window;
        s.replicas = j.replicas;
        s.ack_wait = j.ack_wait;
        s.max_deliver = j.max_deliver;
        s.deliver = opt_text(j.deliver.as_ref());
        s.message_id = opt_text(j.message_id.as_ref());
        let mut c = rt::NatsChannel::default();
        c.jetstream = Some(s);
        c
    });
    out.ws = b.ws.as_ref().map(|w| {
        let mut c = rt::WsChannel::default();
        c.method = w.method.map(ws_method);
        c.query = fixed_pairs(doc, w.query);
        c.headers = fixed_pairs(doc, w.headers);
        c
    });
    out
}

/// The runtime's bindings of an operation (the parts an operation's bindings fill).
fn operation_value(doc: &Document, b: &OperationBindings) -> rt::Bindings {
    let mut out = rt::Bindings::default();
    out.mqtt = b.mqtt.as_ref().map(|m| {
        let mut o = rt::MqttOperation::default();
        o.qos = m.qos;
        o.retain = m.retain;
        o.message_expiry_interval = int(m.message_expiry_interval.as_ref());
        o
    });
    out.nats = b.nats.as_ref().map(|n| {
        let mut o = rt::NatsOperation::default();
        o.queue = opt_text(n.queue.as_ref());
        o
    });
    out.amqp_operation = b.amqp.as_ref().map(|a| {
        let mut o = rt::AmqpOperation::default();
        o.expiration = a.expiration;
        o.user_id = opt_text(a.user_id.as_ref());
        o.cc = a.cc.iter().map(|c| text(c)).collect();
        o.priority = a.priority;
        o.delivery_mode = a.delivery_mode;
        o.mandatory = a.mandatory;
        o.bcc = a.bcc.iter().map(|c| text(c)).collect();
        o.timestamp = a.timestamp;
        o.ack = a.ack;
        o.reply_to = opt_text(a.reply_to.as_ref());
        o
    });
    out.kafka_operation = b.kafka.as_ref().map(|k| {
        let mut o = rt::KafkaOperation::default();
        o.group_id = fixed_or_default(doc, k.group_id);
        o.client_id = fixed_or_default(doc, k.client_id);
        o
    });
    out.http = b.http.as_ref().map(|h| {
        let mut o = rt::HttpOperation::default();
        o.method = h.method.map(http_method);
        o.query = fixed_pairs(doc, h.query);
        o
    });
    out.redis_operation = b.redis.as_ref().and_then(|r| r.group.as_ref()).map(|g| {
        let mut o = rt::RedisOperation::default();
        o.group = Some(text(g));
        o
    });
    out
}

/// Statements that fill `spec.bindings` (a `ChannelSpec` named `spec`) from a channel's bindings.
pub(super) fn channel(p: &TokenStream, doc: &Document, b: &ChannelBindings) -> TokenStream {
    value::assignments(
        &quote!(#p::bindings),
        &quote!(spec.bindings),
        &channel_value(doc, b),
    )
}

/// Statements that fill `spec.bindings` from an operation's bindings, and the consumer group
/// from its `x-group` extension (a protocol binding's group, NATS `queue`, Kafka `groupId`, Redis
/// `x-group`, stays in the bindings, for that protocol's transport alone:
/// `ChannelSpec::group`).
pub(super) fn operation(
    p: &TokenStream,
    doc: &Document,
    b: &OperationBindings,
    extensions: &crate::model::Extensions,
) -> TokenStream {
    let mut out = value::assignments(
        &quote!(#p::bindings),
        &quote!(spec.bindings),
        &operation_value(doc, b),
    );
    if let Some(group) = extensions.get("x-group").and_then(|v| v.as_str()) {
        out.extend(
            quote! { spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(#group)); },
        );
    }
    out
}

/// The body of `Message::bindings()`, or `None` when the message has none a transport reads.
pub(super) fn message(p: &TokenStream, doc: &Document, b: &MessageBindings) -> Option<TokenStream> {
    let mut out = rt::MessageBindings::default();
    out.mqtt = b.mqtt.as_ref().map(|m| {
        let mut o = rt::MqttMessage::default();
        o.payload_format_indicator = m.payload_format_indicator;
        o.content_type = opt_text(m.content_type.as_ref());
        o.response_topic = m.response_topic.as_ref().and_then(|r| match r {
            StringOrSchema::Value(v) => Some(text(v)),
            StringOrSchema::Schema(_) => None,
        });
        o
    });
    out.amqp = b.amqp.as_ref().map(|a| {
        let mut o = rt::AmqpMessage::default();
        o.content_encoding = opt_text(a.content_encoding.as_ref());
        o.message_type = opt_text(a.message_type.as_ref());
        o
    });
    out.kafka = b.kafka.as_ref().map(|k| {
        let mut o = rt::KafkaMessage::default();
        o.key = fixed(doc, k.key);
        o.schema_id_location = opt_text(k.schema_id_location.as_ref());
        o.schema_id_payload_encoding = opt_text(k.schema_id_payload_encoding.as_ref());
        o.schema_lookup_strategy = opt_text(k.schema_lookup_strategy.as_ref());
        o
    });
    out.http = b.http.as_ref().map(|h| {
        let mut o = rt::HttpMessage::default();
        o.headers = fixed_pairs(doc, h.headers);
        o.status_code = h.status_code;
        o
    });
    (out != rt::MessageBindings::default()).then(|| value::expression(&quote!(#p::bindings), &out))
}

/// The `ServerBindings` value of a server.
pub(super) fn server(p: &TokenStream, b: &ServerBindings) -> TokenStream {
    let mut out = rt::ServerBindings::default();
    out.mqtt = b.mqtt.as_ref().map(|m| {
        let mut s = rt::MqttServer::default();
        s.client_id = opt_text(m.client_id.as_ref());
        s.clean_session = m.clean_session;
        s.keep_alive = m.keep_alive;
        s.last_will = m.last_will.as_ref().map(|w| {
            let mut will = rt::MqttLastWill::default();
            will.topic = opt_text(w.topic.as_ref());
            will.qos = w.qos;
            will.message = opt_text(w.message.as_ref());
            will.retain = w.retain;
            will
        });
        s.session_expiry_interval = int(m.session_expiry_interval.as_ref());
        s.maximum_packet_size = int(m.maximum_packet_size.as_ref());
        s
    });
    out.kafka = b.kafka.as_ref().map(|k| {
        let mut s = rt::KafkaServer::default();
        s.schema_registry_url = opt_text(k.schema_registry_url.as_ref());
        s.schema_registry_vendor = opt_text(k.schema_registry_vendor.as_ref());
        s
    });
    if out == rt::ServerBindings::default() {
        return quote!(::std::default::Default::default());
    }
    value::expression(&quote!(#p::bindings), &out)
}
