//! Subscriptions a protocol cannot make with a channel's `Filter::default()` (every parameter
//! free), known from the document before anything runs: a located warning for each, so that the
//! failure a subscription would meet at run time is seen at compile time. AMQP: a queue channel
//! whose queue is named by its address's parameters (one queue is one name), a direct exchange
//! (it routes exact keys). The other built-in transports subscribe with any filter: a parameter
//! their wildcards cannot stand for is subscribed to by value or broader (see the runtime's
//! `ChannelSpec::subscription`).

use crate::check::location_at;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::bindings::amqp::{ChannelIs, ExchangeType};
use crate::model::{Channel, Document};
use crate::workspace::Workspace;

/// The location of `bindings.amqp.<path>` of a channel, else of its AMQP binding, else of the
/// channel.
fn amqp_location(doc: &Document, ws: &Workspace, channel: &Channel, path: &[&str]) -> Location {
    let origin = &channel.origin;
    let full: Vec<&str> = ["bindings", "amqp"]
        .into_iter()
        .chain(path.iter().copied())
        .collect();
    location_at(ws, origin, &full)
        .or_else(|| location_at(ws, origin, &["bindings", "amqp"]))
        .unwrap_or_else(|| doc.location(origin))
}

/// Warns about every channel that a `receive` operation subscribes to and whose subscriptions
/// must fix parameters that a `Filter` may leave free. (Channels the application only sends on
/// are left alone: a reply queue named by the request, as in the specification's RPC example.)
pub(crate) fn check(doc: &Document, ws: &Workspace, diags: &mut Diagnostics) {
    let received: Vec<crate::model::ChannelId> = doc
        .operation_table
        .iter()
        .filter(|op| op.action == crate::model::Action::Receive)
        .map(|op| op.channel)
        .collect();
    for (id, channel) in doc.all_channels() {
        if !received.contains(&id) {
            continue;
        }
        let (Some(amqp), Some(address)) = (&channel.bindings.amqp, &channel.address) else {
            continue;
        };
        if channel.parameters.is_empty() {
            continue;
        }
        let params: Vec<&str> = channel.parameters.keys().map(String::as_str).collect();
        let which = params
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let queue_named = amqp.queue.as_ref().is_some_and(|q| q.name.is_some());
        let (why, at) = match (amqp.is, amqp.exchange.as_ref().and_then(|e| e.kind)) {
            (Some(ChannelIs::Queue), _) if !queue_named => (
                format!(
                    "the channel `{}` is a queue named by its address `{address}`, and a queue is one name: an AMQP subscription to it must fix {which} (`Filter::default()` is refused when it subscribes)",
                    channel.key
                ),
                amqp_location(doc, ws, channel, &["is"]),
            ),
            (Some(ChannelIs::Queue), _) => continue,
            (_, Some(ExchangeType::Direct)) => (
                format!(
                    "the channel `{}` is on a direct exchange, which routes exact keys: an AMQP subscription to it must fix {which} (`Filter::default()` is refused when it subscribes), or the exchange is a topic one",
                    channel.key
                ),
                amqp_location(doc, ws, channel, &["exchange", "type"]),
            ),
            _ => continue,
        };
        diags.push(Diagnostic::warning(Code::Binding, why).at(at));
    }
}
