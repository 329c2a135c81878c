//! Tokens of the runtime's binding values (`asyncapi::bindings`) from the document's typed
//! bindings: what generated channels, operations and messages hand to the transports.

use proc_macro2::TokenStream;
use quote::quote;

use super::opt;

use crate::model::bindings::{
    ChannelBindings, IntOrSchema, MessageBindings, OperationBindings, ServerBindings,
    StringOrSchema, amqp,
};
use crate::model::{Document, SchemaId};

fn text(s: &str) -> TokenStream {
    quote!(__rt::Cow::Borrowed(#s))
}

fn opt_text(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => {
            let t = text(s);
            quote!(__rt::Some(#t))
        }
        None => quote!(__rt::None),
    }
}

fn lower_debug<T: std::fmt::Debug>(v: &T) -> String {
    format!("{v:?}").to_lowercase()
}

/// The fixed `(name, value)` pairs of a WebSocket query or headers schema: every property with
/// a `const` (or an `enum` of one value), written as a query string or header holds it. Other
/// properties are the application's to give (values a server assumes by `default` are not
/// sent).
fn fixed_pairs(doc: &Document, schema: Option<SchemaId>) -> Vec<TokenStream> {
    let Some(id) = schema else {
        return Vec::new();
    };
    crate::types::properties_of(doc, id)
        .into_iter()
        .filter_map(|(name, prop)| {
            let value = crate::types::fixed_value(doc, prop)?;
            let written = match value {
                serde_json::Value::String(v) => v.clone(),
                serde_json::Value::Null => return None,
                other => other.to_string(),
            };
            let (n, v) = (text(&name), text(&written));
            Some(quote!((#n, #v)))
        })
        .collect()
}

/// Statements that fill `spec.bindings` (a `ChannelSpec` named `spec`) from a channel's bindings.
pub(super) fn channel(p: &TokenStream, doc: &Document, b: &ChannelBindings) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(a) = &b.amqp {
        let is = opt_text(a.is.map(|i| match i {
            amqp::ChannelIs::RoutingKey => "routingKey",
            amqp::ChannelIs::Queue => "queue",
        }));
        let exchange = opt(a.exchange.as_ref().map(|e| {
            let name = opt_text(e.name.as_deref());
            let kind = opt_text(e.kind.as_ref().map(lower_debug).as_deref());
            let durable = opt(e.durable);
            let auto_delete = opt(e.auto_delete);
            let vhost = opt_text(e.vhost.as_deref());
            quote!(#p::bindings::AmqpExchange { name: #name, kind: #kind, durable: #durable, auto_delete: #auto_delete, vhost: #vhost })
        }));
        let queue = opt(a.queue.as_ref().map(|q| {
            let name = opt_text(q.name.as_deref());
            let durable = opt(q.durable);
            let exclusive = opt(q.exclusive);
            let auto_delete = opt(q.auto_delete);
            let vhost = opt_text(q.vhost.as_deref());
            quote!(#p::bindings::AmqpQueue { name: #name, durable: #durable, exclusive: #exclusive, auto_delete: #auto_delete, vhost: #vhost })
        }));
        out.extend(quote! {
            spec.bindings.amqp = __rt::Some(#p::bindings::AmqpChannel { is: #is, exchange: #exchange, queue: #queue });
        });
    }
    if let Some(k) = &b.kafka {
        let topic = opt_text(k.topic.as_deref());
        let partitions = opt(k.partitions);
        let replicas = opt(k.replicas);
        out.extend(quote! {
            spec.bindings.kafka = __rt::Some(#p::bindings::KafkaChannel { topic: #topic, partitions: #partitions, replicas: #replicas });
        });
    }
    if let Some(stream) = b.redis.as_ref().and_then(|r| r.stream) {
        out.extend(quote! {
            spec.bindings.redis = __rt::Some(#p::bindings::RedisChannel { stream: #stream });
        });
    }
    if let Some(w) = &b.ws {
        let method = opt_text(
            w.method
                .as_ref()
                .map(|m| format!("{m:?}").to_uppercase())
                .as_deref(),
        );
        let query = fixed_pairs(doc, w.query);
        let headers = fixed_pairs(doc, w.headers);
        out.extend(quote! {
            spec.bindings.ws = __rt::Some(#p::bindings::WsChannel {
                method: #method,
                query: ::std::vec![#(#query),*],
                headers: ::std::vec![#(#headers),*],
            });
        });
    }
    out
}

/// Statements that fill `spec.bindings` from an operation's bindings.
pub(super) fn operation(p: &TokenStream, b: &OperationBindings) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(m) = &b.mqtt {
        let qos = opt(m.qos);
        let retain = opt(m.retain);
        let expiry = opt(m.message_expiry_interval.as_ref().and_then(|e| match e {
            IntOrSchema::Value(v) => u32::try_from(*v).ok(),
            IntOrSchema::Schema(_) => None,
        }));
        out.extend(quote! {
            spec.bindings.mqtt = __rt::Some(#p::bindings::MqttOperation { qos: #qos, retain: #retain, message_expiry_interval: #expiry });
        });
    }
    if let Some(group) = b.redis.as_ref().and_then(|r| r.group.as_deref()) {
        out.extend(
            quote! { spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(#group)); },
        );
    }
    if let Some(n) = &b.nats {
        let queue = opt_text(n.queue.as_deref());
        out.extend(quote! {
            spec.bindings.nats = __rt::Some(#p::bindings::NatsOperation { queue: #queue });
        });
        if let Some(q) = &n.queue {
            out.extend(
                quote! { spec.queue_group = __rt::Some(::std::borrow::ToOwned::to_owned(#q)); },
            );
        }
    }
    if let Some(a) = &b.amqp {
        let expiration = opt(a.expiration);
        let user_id = opt_text(a.user_id.as_deref());
        let cc = a.cc.iter().map(|c| text(c));
        let priority = opt(a.priority);
        let delivery_mode = opt(a.delivery_mode);
        let mandatory = opt(a.mandatory);
        let bcc = a.bcc.iter().map(|c| text(c));
        let timestamp = opt(a.timestamp);
        let ack = opt(a.ack);
        let reply_to = opt_text(a.reply_to.as_deref());
        out.extend(quote! {
            spec.bindings.amqp_operation = __rt::Some(#p::bindings::AmqpOperation {
                expiration: #expiration,
                user_id: #user_id,
                cc: ::std::vec![#(#cc),*],
                priority: #priority,
                delivery_mode: #delivery_mode,
                mandatory: #mandatory,
                bcc: ::std::vec![#(#bcc),*],
                timestamp: #timestamp,
                ack: #ack,
                reply_to: #reply_to,
            });
        });
    }
    if let Some(h) = &b.http {
        let method = opt_text(
            h.method
                .as_ref()
                .map(|m| format!("{m:?}").to_uppercase())
                .as_deref(),
        );
        out.extend(quote! {
            spec.bindings.http = __rt::Some(#p::bindings::HttpOperation { method: #method });
        });
    }
    out
}

/// The body of `Message::bindings()`, or `None` when the message has none a transport reads.
pub(super) fn message(p: &TokenStream, b: &MessageBindings) -> Option<TokenStream> {
    let mqtt = b.mqtt.as_ref().map(|m| {
        let pfi = opt(m.payload_format_indicator);
        let ct = opt_text(m.content_type.as_deref());
        let rt = opt_text(m.response_topic.as_ref().and_then(|r| match r {
            StringOrSchema::Value(v) => Some(v.as_str()),
            StringOrSchema::Schema(_) => None,
        }));
        quote!(#p::bindings::MqttMessage { payload_format_indicator: #pfi, content_type: #ct, response_topic: #rt })
    });
    let amqp = b.amqp.as_ref().map(|a| {
        let ce = opt_text(a.content_encoding.as_deref());
        let mt = opt_text(a.message_type.as_deref());
        quote!(#p::bindings::AmqpMessage { content_encoding: #ce, message_type: #mt })
    });
    let status = b.http.as_ref().and_then(|h| h.status_code);
    if mqtt.is_none() && amqp.is_none() && status.is_none() {
        return None;
    }
    let mqtt = opt(mqtt);
    let amqp = opt(amqp);
    let status = opt(status);
    Some(quote! {
        #p::bindings::MessageBindings { mqtt: #mqtt, amqp: #amqp, http_status: #status }
    })
}

fn int(v: Option<&IntOrSchema>) -> Option<u32> {
    v.and_then(|e| match e {
        IntOrSchema::Value(v) => u32::try_from(*v).ok(),
        IntOrSchema::Schema(_) => None,
    })
}

/// The `ServerBindings` value of a server.
pub(super) fn server(p: &TokenStream, b: &ServerBindings) -> TokenStream {
    let mqtt = b.mqtt.as_ref().map(|m| {
        let client_id = opt_text(m.client_id.as_deref());
        let clean = opt(m.clean_session);
        let keep_alive = opt(m.keep_alive);
        let will = opt(m.last_will.as_ref().map(|w| {
            let topic = opt_text(w.topic.as_deref());
            let qos = opt(w.qos);
            let message = opt_text(w.message.as_deref());
            let retain = opt(w.retain);
            quote!(#p::bindings::MqttLastWill { topic: #topic, qos: #qos, message: #message, retain: #retain })
        }));
        let expiry = opt(int(m.session_expiry_interval.as_ref()));
        let max = opt(int(m.maximum_packet_size.as_ref()));
        quote!(#p::bindings::MqttServer {
            client_id: #client_id,
            clean_session: #clean,
            keep_alive: #keep_alive,
            last_will: #will,
            session_expiry_interval: #expiry,
            maximum_packet_size: #max,
        })
    });
    match mqtt {
        Some(mqtt) => quote!(#p::bindings::ServerBindings { mqtt: __rt::Some(#mqtt) }),
        None => quote!(::std::default::Default::default()),
    }
}
