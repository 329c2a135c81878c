//! The Rust names of a document's operations (`operations::<Type>`), channels
//! (`channels::<module>`) and messages (`messages::<Type>`), shared by the emitter and by the
//! checks that warn when two of them collide.
//!
//! Each is made from the document (an operation's key, a channel's key, a message's `name` or
//! key), unless the object has an `x-rust-name`, which is used instead (in the namespace's case:
//! UpperCamelCase for types, snake_case for modules). Names given by `x-rust-name` are handed out
//! first, so a made name that happens to equal one is the one that gets a number.

use crate::model::{ChannelId, Document, Extensions, MessageId, OperationId};
use crate::types::names::{Namer, field_name, type_name};

/// The `x-rust-name` of an object, when it is a string.
pub(crate) fn rust_name(extensions: &Extensions) -> Option<&str> {
    extensions.get("x-rust-name")?.as_str()
}

/// One object of a namespace: the name it asks for, and whether an `x-rust-name` asks for it.
pub(crate) struct Wanted<Id> {
    pub id: Id,
    pub name: String,
    pub own: bool,
}

/// Hands out the names of one namespace: `x-rust-name`s first, then the others, each in order;
/// `companions` are reserved after each name (`{name}Message` for an operation's message enum).
fn assign<Id: Copy>(wanted: &[Wanted<Id>], companions: &[&str]) -> Vec<(Id, String)> {
    let mut namer = Namer::new();
    let mut names: Vec<Option<String>> = vec![None; wanted.len()];
    for own in [true, false] {
        for (i, w) in wanted.iter().enumerate() {
            if w.own != own {
                continue;
            }
            let name = namer.unique(&w.name);
            for c in companions {
                namer.unique(&format!("{name}{c}"));
            }
            names[i] = Some(name);
        }
    }
    wanted
        .iter()
        .zip(names)
        .map(|(w, n)| (w.id, n.unwrap_or_default()))
        .collect()
}

/// What each operation (of `only`, by key, when given) asks to be called.
pub(crate) fn wanted_operations(
    doc: &Document,
    only: Option<&[String]>,
) -> Vec<Wanted<OperationId>> {
    doc.operations
        .iter()
        .filter(|(key, _)| only.is_none_or(|only| only.iter().any(|o| o == *key)))
        .map(|(key, &id)| match rust_name(&doc[id].extensions) {
            Some(own) => Wanted {
                id,
                name: type_name(own, key),
                own: true,
            },
            None => Wanted {
                id,
                name: type_name(key, "Operation"),
                own: false,
            },
        })
        .collect()
}

/// The type names of the operations (of `only`, by key, when given), in the document's order.
pub(crate) fn operation_names(
    doc: &Document,
    only: Option<&[String]>,
) -> Vec<(OperationId, String)> {
    assign(&wanted_operations(doc, only), &["Message", "Reply"])
}

/// What each channel asks its module to be called.
pub(crate) fn wanted_channels(doc: &Document) -> Vec<Wanted<ChannelId>> {
    doc.all_channels()
        .map(|(id, c)| match rust_name(&c.extensions) {
            Some(own) => Wanted {
                id,
                name: field_name(own, &field_name(&c.key, "channel")),
                own: true,
            },
            None => Wanted {
                id,
                name: field_name(&c.key, "channel"),
                own: false,
            },
        })
        .collect()
}

/// The module names of the channels, in the document's order.
pub(crate) fn channel_modules(doc: &Document) -> Vec<(ChannelId, String)> {
    assign(&wanted_channels(doc), &[])
}

/// What each message asks its type to be called.
pub(crate) fn wanted_messages(doc: &Document) -> Vec<Wanted<MessageId>> {
    doc.messages()
        .map(|(id, m)| {
            let made = type_name(m.name.as_deref().unwrap_or(&m.key), "Message");
            match rust_name(&m.extensions) {
                Some(own) => Wanted {
                    id,
                    name: type_name(own, &made),
                    own: true,
                },
                None => Wanted {
                    id,
                    name: made,
                    own: false,
                },
            }
        })
        .collect()
}

/// The type names of the messages, in the document's order.
pub(crate) fn message_names(doc: &Document) -> Vec<(MessageId, String)> {
    assign(&wanted_messages(doc), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_names_are_handed_out_first() {
        let wanted = [
            Wanted {
                id: 1,
                name: "Measured".to_owned(),
                own: false,
            },
            Wanted {
                id: 2,
                name: "Measured".to_owned(),
                own: true,
            },
            Wanted {
                id: 3,
                name: "MeasuredMessage".to_owned(),
                own: false,
            },
        ];
        assert_eq!(
            assign(&wanted, &["Message"]),
            [
                (1, "Measured2".to_owned()),
                (2, "Measured".to_owned()),
                (3, "MeasuredMessage2".to_owned())
            ]
        );
    }
}
