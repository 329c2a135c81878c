//! A document with a departure real tools write (ZenWave SDK: a channel's `messages` as a
//! sequence) loads with a warning and compiles, its messages keyed by their names.

mod customers {
    asyncapi::include_spec!(
        "../../specs/quirks/zenwave-messages-sequence.yaml",
        relative_to = "file"
    );
}

fn main() {
    let _ = customers::operations::OnCustomerEvent::subscribe::<asyncapi::memory::MemoryConnection>;
    let _ = customers::operations::PublishCustomerEvent::send::<asyncapi::memory::MemoryConnection>;
    let created = customers::messages::CustomerCreated::new(customers::models::CustomerCreatedPayload {
        id: "c-1".into(),
        name: "Ada".into(),
    });
    let _: customers::operations::OnCustomerEventMessage = created.into();
}
