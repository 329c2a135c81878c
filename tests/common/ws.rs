//! What the WebSocket tests share.

use std::time::Duration;

use asyncapi::ws::WsServer;

/// Waits (at most 10 s) until `server` has `n` connections.
pub async fn connections(server: &WsServer, n: usize) {
    for _ in 0..1000 {
        if server.connections().len() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "expected {n} connections, the server has {}",
        server.connections().len()
    );
}
