//! WebSocket (`ws`): the transport's server sends and its client receives, against
//! tokio-tungstenite used by hand (a listener accepting one socket and sending a text frame per
//! message, flushed; a client reading text frames), with the transport's read buffer size. The server listens on the port the driver
//! gives both processes.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::delivery::Limits;
use asyncapi::ws::{WsConnection, WsOptions, WsServer, WsServerOptions};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

type Socket<S> = tokio_tungstenite::WebSocketStream<S>;

pub async fn run(run: &Run, ctl: &mut Control) {
    let address = format!("127.0.0.1:{}", run.address);
    match (run.path.as_str(), run.side) {
        ("typed", Side::Send) => {
            // Room for the whole batch: a server drops a client that falls behind its outbound
            // queue, and a client under callgrind is slow.
            let options = WsServerOptions::new(address).outbound_limits(room());
            let server = WsServer::bind(options).await.expect("the port");
            // A server serves the channels it has opened, and sends to the clients connected
            // at their paths: open, then wait for the one.
            let path = typed::open(&server, run).await;
            while server.connections().is_empty() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            measure::sending(ctl, run.counts(), path).await;
        }
        ("typed", Side::Receive) => {
            listening(&address).await;
            let options = WsOptions::new(format!("ws://{address}")).subscription_limits(room());
            let client = WsConnection::new(options);
            typed::receive(&client, run, ctl).await;
        }
        (_, Side::Send) => {
            let listener = tokio::net::TcpListener::bind(&address)
                .await
                .expect("the port");
            // The receiving process's probes (is anything listening yet?) come first.
            let socket = loop {
                let (tcp, _) = listener.accept().await.expect("a client");
                tcp.set_nodelay(true).expect("nodelay");
                if let Ok(socket) = tokio_tungstenite::accept_async_with_config(tcp, config()).await
                {
                    break socket;
                }
            };
            let path = Server {
                socket,
                blob: run.blob(),
            };
            measure::sending(ctl, run.counts(), path).await;
        }
        (_, Side::Receive) => {
            listening(&address).await;
            let url = format!("ws://{address}/{}", run.topic());
            let (socket, _) = tokio_tungstenite::connect_async_with_config(url, config(), false)
                .await
                .expect("connects");
            measure::receiving(ctl, run.counts(), Client(socket)).await;
        }
    }
}

/// tungstenite's settings by hand: its defaults but for the read buffer, which is the
/// transport's (16 KiB; tungstenite zero-fills the buffer before each read, 128 KiB by default,
/// which a message arriving alone would pay for on both paths and drown the comparison in).
fn config() -> Option<WebSocketConfig> {
    Some(WebSocketConfig::default().read_buffer_size(16 << 10))
}

/// Queues that hold a whole measurement (by hand, the socket's send waits instead).
fn room() -> Limits {
    Limits::new(4096, 64 << 20)
}

/// Waits until the sending process's server listens on `address`.
async fn listening(address: &str) {
    while tokio::net::TcpStream::connect(address).await.is_err() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A server's socket by hand: a text frame per message, sent and flushed.
struct Server<S> {
    socket: Socket<S>,
    blob: Blob,
}

impl<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> Sends for Server<S> {
    async fn send(&mut self) {
        let json = serde_json::to_string(&self.blob).expect("json");
        self.socket.send(Message::text(json)).await.expect("sent");
    }
}

/// A client's socket by hand: each text frame decoded.
struct Client<S>(Socket<S>);

impl<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> Receives for Client<S> {
    async fn receive(&mut self) {
        loop {
            if let Message::Text(text) = self.0.next().await.expect("open").expect("a frame") {
                let blob: Blob = serde_json::from_str(&text).expect("json");
                std::hint::black_box(blob);
                return;
            }
        }
    }
}
