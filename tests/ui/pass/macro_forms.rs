//! Both macro forms, both perspectives, a subset of operations, a document split over files
//! (2.6, with a JSON Schema file), and paths relative to the invoking file.

mod app {
    asyncapi::include_spec!("../../specs/e2e.yaml", relative_to = "file");
}

#[asyncapi::asyncapi("../../specs/e2e.yaml", relative_to = "file", perspective = "client", operations = "ping, onEvents")]
mod client {
    /// Items already in the module stay.
    pub const EXTRA: u8 = 1;
}

#[asyncapi::asyncapi(path = "../../specs/multi/root.yaml", relative_to = "file")]
mod orders {}

fn main() {
    // The client's view: `onEvents` sends, `ping` receives (and replies).
    let _ = client::operations::OnEvents::open::<asyncapi::memory::MemoryConnection>;
    let _ = client::operations::Ping::subscribe::<asyncapi::memory::MemoryConnection>;
    let _ = client::operations::Ping::reply::<asyncapi::memory::MemoryConnection>;
    let _ = client::EXTRA;
    let _ = app::operations::Ping::request::<asyncapi::memory::MemoryConnection>;
    // 2.x: `subscribe` is the application sending.
    let _ = orders::operations::OrderPlaced::send::<asyncapi::memory::MemoryConnection>;
    let _ = orders::operations::CancelOrder::subscribe::<asyncapi::memory::MemoryConnection>;
    let order = orders::models::Order {
        id: asyncapi::uuid::Uuid::nil(),
        lines: vec![orders::models::Line {
            sku: "ABC-1".into(),
            quantity: 2,
        }],
    };
    let _ = orders::messages::OrderPlaced::new(order);
    let _: orders::operations::CancelOrderMessage =
        orders::messages::CancelAll::new(orders::models::CancelAllPayload { all: true }).into();
    let params = orders::channels::orders_order_id::Params { order_id: "o-1".into() };
    let _ = <orders::channels::orders_order_id::Params as asyncapi::operation::ChannelParams>::address(&params);
}
