//! Free-form schemas where a type is planned: a WebSocket binding's `query` and `headers` as a
//! bare `type: object`, a payload of any properties.

mod feed {
    asyncapi::include_spec!("../../specs/quirks/ws-free-form-query.yaml", relative_to = "file");
}

fn main() {
    let _ = feed::operations::ReadFeed::subscribe::<asyncapi::memory::MemoryConnection>;
}
