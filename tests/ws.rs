//! The WebSocket transport, client and server, through code generated from the project's
//! documents (`tests/specs/ws-*.yaml`: a market-data feed, an echo service, a ping service with
//! correlation ids in the payload, a chat): typed publish/subscribe with path parameters, request/reply over one
//! connection (with correlation ids in the payload), channel bindings and credentials on the
//! upgrade request (observed by a bare tungstenite peer), text and binary frames, a malformed
//! payload that is an error for itself only, `wss` with a CA made at test time, and faults: a
//! connection cut mid-stream (the client connects again and resubscribes), peers that stop
//! answering pings.
//!
//! The peers are the project's own (`WsServer`, or a bare tokio-tungstenite listener), on free
//! loopback ports: nothing outside the test is needed except `openssl` for the TLS test.

mod common;

use common::ws::connections;

use common::next;

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::security::{ApiKey, Token, UserPassword};
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher, TransportError};
use asyncapi::ws::{WsConnection, WsOptions, WsServer, WsServerOptions};
use tokio_tungstenite::tungstenite::Message as Frame;

/// The market-data feed (it sends market data).
mod market_feed {
    asyncapi::include_spec!("tests/specs/ws-market.yaml");
}

/// Its clients (they receive it).
mod market_client {
    asyncapi::include_spec!("tests/specs/ws-market.yaml", perspective = "client");
}

/// The echo document: a client that sends and gets its message back.
mod echo {
    asyncapi::include_spec!("tests/specs/ws-echo.yaml");
}

/// The echo server: the same document from the other side.
mod echo_server {
    asyncapi::include_spec!("tests/specs/ws-echo.yaml", perspective = "client");
}

/// The ping document is written for the server: it receives pings and replies with pongs.
mod ping_server {
    asyncapi::include_spec!("tests/specs/ws-ping.yaml");
}

mod ping_client {
    asyncapi::include_spec!("tests/specs/ws-ping.yaml", perspective = "client");
}

/// A document whose channel binding asks for a `POST` upgrade.
mod clock {
    asyncapi::include_spec!("tests/specs/ws-post-upgrade.yaml");
}

/// The project's chat document: the server's side.
mod chat {
    asyncapi::include_spec!("tests/specs/ws-chat.yaml");
}

/// The chat document from the clients' side.
mod chat_client {
    asyncapi::include_spec!("tests/specs/ws-chat.yaml", perspective = "client");
}

async fn server() -> WsServer {
    WsServer::bind(WsServerOptions::new("127.0.0.1:0"))
        .await
        .expect("binds a free loopback port")
}

fn client(server: &WsServer) -> WsConnection {
    WsConnection::new(WsOptions::new(server.url()))
}

fn market(value: serde_json::Value) -> market_feed::messages::MarketData {
    market_feed::messages::MarketData::new(serde_json::from_value(value).expect("a valid payload"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_typed_publish_subscribe_from_the_market_document() {
    let server = server().await;
    let feed = market_feed::operations::SendMarketData::open(&server)
        .await
        .unwrap();
    let c = client(&server);
    use market_client::channels::market_data_v1::{Filter, Symbol};
    let mut btc = market_client::operations::SendMarketData::subscribe(
        &c,
        &Filter {
            symbol: Some(Symbol::Btcusd),
            // The binding's query schema, typed: only what is set is sent.
            ws: market_client::channels::market_data_v1::WsUpgrade {
                query: Some(market_client::channels::market_data_v1::WsQuery {
                    heartbeat: Some(true),
                    top_of_book: None,
                    bids: None,
                    offers: None,
                    trades: None,
                    auctions: None,
                }),
            },
        },
    )
    .await
    .unwrap();
    let mut eth = market_client::operations::SendMarketData::subscribe(
        &c,
        &Filter {
            symbol: Some(Symbol::Ethusd),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    // One socket per path.
    connections(&server, 2).await;
    assert_eq!(c.sockets().await, 2);
    let paths: Vec<String> = server.connections().into_iter().map(|i| i.path).collect();
    assert!(
        paths.contains(&"/v1/marketdata/btcusd".to_owned()),
        "{paths:?}"
    );
    let queries: Vec<(String, Option<String>)> = server
        .connections()
        .into_iter()
        .map(|i| {
            (
                i.path.clone(),
                i.query_param("heartbeat").map(str::to_owned),
            )
        })
        .collect();
    assert!(
        queries.contains(&("/v1/marketdata/btcusd".to_owned(), Some("true".to_owned())))
            && queries.contains(&("/v1/marketdata/ethusd".to_owned(), None)),
        "{queries:?}"
    );
    use market_feed::channels::market_data_v1::{Params, Symbol as S};
    let btc_params = Params { symbol: S::Btcusd };
    feed.send(
        &btc_params,
        &market(serde_json::json!({"type": "heartbeat", "socket_sequence": 1})),
    )
    .await
    .unwrap();
    feed.send(
        &Params { symbol: S::Ethusd },
        &market(serde_json::json!({
            "type": "update", "eventId": 7, "timestamp": 1619769673, "timestampms": 1619769673527u64,
            "socket_sequence": 2,
            "events": [{"type": "change", "side": "bid", "price": 54350.40, "remaining": 0.002, "delta": 0.002, "reason": "place"}]
        })),
    )
    .await
    .unwrap();
    let got = next(&mut btc).await.unwrap();
    assert_eq!(got.params.symbol, Symbol::Btcusd);
    assert_eq!(got.address, "/v1/marketdata/btcusd");
    let json = serde_json::to_value(&got.message.payload).unwrap();
    assert_eq!(json["type"], "heartbeat");
    let got = next(&mut eth).await.unwrap();
    assert_eq!(got.params.symbol, Symbol::Ethusd);
    assert_eq!(
        serde_json::to_value(&got.message.payload).unwrap()["eventId"],
        7
    );
    // A payload of the wrong shape is no market message (the types reject it).
    let invalid = market(serde_json::json!({"type": "heartbeat", "socket_sequence": 1}));
    let mut bad = serde_json::to_value(&invalid.payload).unwrap();
    bad["socket_sequence"] = serde_json::json!("one");
    assert!(serde_json::from_value::<market_feed::models::Market>(bad).is_err());
    // Subscribing needs every parameter: WebSocket has no wildcards.
    let err = market_client::operations::SendMarketData::subscribe(&c, &Filter::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`symbol` is not fixed"), "{err}");
    // The server closing ends the client's streams.
    server.close().await;
    let end = tokio::time::timeout(Duration::from_secs(10), btc.next())
        .await
        .expect("the stream ends within 10 s");
    assert!(end.is_none() || end.is_some_and(|r| r.is_err()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_request_reply_over_one_connection_with_the_echo_document() {
    let server = server().await;
    let mut requests = echo_server::operations::SendEchoMessage::subscribe(
        &server,
        &echo_server::channels::echo::Filter,
    )
    .await
    .unwrap();
    let responder = server.clone();
    tokio::spawn(async move {
        while let Some(Ok(request)) = requests.next().await {
            // The reply goes back to the connection the request came on.
            assert!(
                request
                    .reply_to
                    .as_deref()
                    .is_some_and(|r| r.starts_with("/#"))
            );
            let echo = echo_server::messages::Echo::new(request.message.payload.clone());
            echo_server::operations::SendEchoMessage::reply(&responder, &request, &echo)
                .await
                .unwrap();
        }
    });
    let c = client(&server);
    for payload in [
        serde_json::json!("test"),
        serde_json::json!({"test": "test text"}),
    ] {
        let reply = echo::operations::SendEchoMessage::request(
            &c,
            &echo::channels::echo::Params,
            &echo::messages::Echo::new(payload.clone()),
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        assert_eq!(reply.message.payload, payload);
        assert_eq!(reply.address, "/");
    }
    // Every request and reply used one socket, and the server saw one client.
    assert_eq!(c.sockets().await, 1);
    assert_eq!(server.connections().len(), 1);
}

fn ping(reqid: i64) -> ping_client::messages::Ping {
    ping_client::messages::Ping::new(ping_client::models::Ping {
        event: "ping".to_owned(),
        reqid: Some(reqid),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_concurrent_requests_are_told_apart_by_the_correlation_id_in_the_payload() {
    let server = server().await;
    let mut pings = ping_server::operations::ReceivePing::subscribe(
        &server,
        &ping_server::channels::currency_exchange::Filter,
    )
    .await
    .unwrap();
    let responder = server.clone();
    tokio::spawn(async move {
        // Collect two pings, then answer the second first; a heartbeat in between is another
        // message on the same connection that neither request may take for its reply.
        let mut got = Vec::new();
        while got.len() < 2 {
            match pings.next().await {
                Some(Ok(p)) => got.push(p),
                Some(Err(_)) => continue,
                None => return,
            }
        }
        let heartbeat = ping_server::messages::Heartbeat::new(ping_server::models::Heartbeat {
            event: Some("heartbeat".to_owned()),
        });
        ping_server::operations::SendHeartbeat::send(
            &responder,
            &ping_server::channels::currency_exchange::Params,
            &heartbeat,
        )
        .await
        .unwrap();
        for p in got.iter().rev() {
            let pong = ping_server::messages::Pong::new(ping_server::models::Pong {
                event: Some("pong".to_owned()),
                reqid: p.message.payload.reqid,
            });
            ping_server::operations::ReceivePing::reply(&responder, p, &pong)
                .await
                .unwrap();
        }
    });
    let c = client(&server);
    let params = ping_client::channels::currency_exchange::Params;
    let timeout = Duration::from_secs(10);
    let (one, two) = (ping(1), ping(2));
    let (a, b) = tokio::join!(
        ping_client::operations::ReceivePing::request(&c, &params, &one, timeout),
        ping_client::operations::ReceivePing::request(&c, &params, &two, timeout),
    );
    assert_eq!(a.unwrap().message.payload.reqid, Some(1));
    assert_eq!(b.unwrap().message.payload.reqid, Some(2));
    assert_eq!(c.sockets().await, 1);
}

/// A bare tokio-tungstenite listener: it records each upgrade request (path with query, and
/// headers) and each frame it receives.
struct Peer {
    url: String,
    requests: tokio::sync::mpsc::UnboundedReceiver<(String, Vec<(String, String)>)>,
    frames: tokio::sync::mpsc::UnboundedReceiver<Frame>,
}

async fn peer() -> Peer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let (req_tx, requests) = tokio::sync::mpsc::unbounded_channel();
    let (frame_tx, frames) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let req_tx = req_tx.clone();
            let frame_tx = frame_tx.clone();
            tokio::spawn(async move {
                #[allow(clippy::result_large_err)] // tungstenite's callback signature
                let record =
                    |request: &tokio_tungstenite::tungstenite::handshake::server::Request,
                     response| {
                        let headers = request
                            .headers()
                            .iter()
                            .map(|(n, v)| {
                                (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())
                            })
                            .collect();
                        let _ = req_tx.send((request.uri().to_string(), headers));
                        Ok(response)
                    };
                let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, record).await else {
                    return;
                };
                while let Some(Ok(frame)) = ws.next().await {
                    let _ = frame_tx.send(frame);
                }
            });
        }
    });
    Peer {
        url,
        requests,
        frames,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_bindings_and_credentials_are_applied_to_the_upgrade_request() {
    let mut p = peer().await;
    let port = p.url.rsplit(':').next().unwrap().to_owned();
    let secured = chat_client::servers::Secured { port };
    for (security, expect_header, expect_query) in [
        (
            chat_client::servers::SecuredSecurity::User(UserPassword {
                user: "ada".into(),
                password: "s3cret".into(),
            }),
            Some("Basic YWRhOnMzY3JldA=="),
            None,
        ),
        (
            chat_client::servers::SecuredSecurity::Token(ApiKey { key: "k-1".into() }),
            None,
            Some("token=k-1"),
        ),
        (
            chat_client::servers::SecuredSecurity::Bearer(Token {
                token: "t-2".into(),
            }),
            Some("Bearer t-2"),
            None,
        ),
    ] {
        let c: WsConnection = secured.connect(security).await.unwrap();
        let _rx = chat_client::operations::Relay::subscribe(
            &c,
            &chat_client::channels::room::Filter {
                room: Some("lobby".into()),
                ws: chat_client::channels::room::WsUpgrade {
                    query: Some(chat_client::channels::room::WsQuery {
                        format: None,
                        since: Some(42),
                    }),
                    headers: None,
                },
            },
        )
        .await
        .unwrap();
        let (uri, headers) = tokio::time::timeout(Duration::from_secs(10), p.requests.recv())
            .await
            .unwrap()
            .unwrap();
        // The server's pathname, the channel's path, the binding's fixed query value.
        assert!(uri.starts_with("/chat/rooms/lobby?format=compact"), "{uri}");
        // The subscription's typed query value.
        assert!(uri.contains("since=42"), "{uri}");
        assert_eq!(header(&headers, "x-client"), ["asyncapi-rs"]);
        assert_eq!(
            header(&headers, "authorization").first().copied(),
            expect_header
        );
        if let Some(q) = expect_query {
            assert!(uri.contains(q), "{uri}");
        }
        c.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_sender_opened_with_typed_query_and_headers_upgrades_with_them() {
    use chat::channels::room::{WsHeaders, WsQuery, WsUpgrade};
    let mut p = peer().await;
    let c = WsConnection::new(WsOptions::new(format!("{}/chat", p.url)));
    let relay = chat::operations::Relay::open_with(
        &c,
        &WsUpgrade {
            query: Some(WsQuery {
                format: None,
                since: Some(7),
            }),
            headers: Some(WsHeaders {
                x_client: Some("asyncapi-rs".into()),
            }),
        },
    )
    .await
    .unwrap();
    relay
        .send(
            &chat::channels::room::Params {
                room: "lobby".into(),
            },
            &chat("hi"),
        )
        .await
        .unwrap();
    let (uri, headers) = tokio::time::timeout(Duration::from_secs(10), p.requests.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(uri.starts_with("/chat/rooms/lobby?"), "{uri}");
    assert!(uri.contains("format=compact"), "{uri}");
    assert!(uri.contains("since=7"), "{uri}");
    assert_eq!(header(&headers, "x-client"), ["asyncapi-rs"]);
    let frame = tokio::time::timeout(Duration::from_secs(10), p.frames.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&frame, Frame::Text(t) if t.as_str() == r#"{"author":"ada","text":"hi"}"#),
        "{frame:?}"
    );

    // Values that break the binding's schemas (a `const` given another value) are refused,
    // every one of them, before anything is opened: for senders and for subscriptions.
    let wrong = WsUpgrade {
        query: Some(WsQuery {
            format: Some("verbose".into()),
            since: None,
        }),
        headers: Some(WsHeaders {
            x_client: Some("curl".into()),
        }),
    };
    let err = chat::operations::Relay::open_with(&c, &wrong)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, asyncapi::Error::InvalidBinding { channel: "room", protocol: "ws", violations } if violations.len() == 2),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("/query/format"), "{text}");
    assert!(text.contains("/headers/X-Client"), "{text}");
    let err = chat_client::operations::Relay::subscribe(
        &c,
        &chat_client::channels::room::Filter {
            room: Some("lobby".into()),
            ws: chat_client::channels::room::WsUpgrade {
                query: wrong
                    .query
                    .clone()
                    .map(|q| chat_client::channels::room::WsQuery {
                        format: q.format,
                        since: q.since,
                    }),
                headers: None,
            },
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, asyncapi::Error::InvalidBinding { .. }),
        "{err}"
    );
    // Nothing reached the peer.
    assert!(p.requests.try_recv().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_text_and_binary_frames_follow_the_content_type() {
    let mut p = peer().await;
    let c = WsConnection::new(WsOptions::new(format!("{}/chat", p.url)));
    let params = chat_client::channels::room::Params {
        room: "lobby".into(),
    };
    let post = chat_client::operations::Post::open(&c).await.unwrap();
    post.send(
        &params,
        &chat_client::messages::Chat::new(chat_client::models::ChatPayload {
            author: "ada".into(),
            text: "hello".into(),
        }),
    )
    .await
    .unwrap();
    chat_client::operations::Share::send(
        &c,
        &params,
        &chat_client::messages::Picture::new(chat_client::models::PicturePayload(
            "PNG...".to_owned(),
        )),
    )
    .await
    .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(10), p.frames.recv())
        .await
        .unwrap()
        .unwrap();
    let second = tokio::time::timeout(Duration::from_secs(10), p.frames.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&first, Frame::Text(t) if t.as_str() == r#"{"author":"ada","text":"hello"}"#),
        "{first:?}"
    );
    assert!(
        matches!(&second, Frame::Binary(b) if &b[..] == b"PNG..."),
        "{second:?}"
    );
    // The validation runs before anything is sent.
    let err = post
        .send(
            &params,
            &chat_client::messages::Chat::new(chat_client::models::ChatPayload {
                author: String::new(),
                text: "x".into(),
            }),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("/payload/author"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_malformed_payload_is_an_error_and_the_stream_goes_on() {
    let server = server().await;
    let relay = chat::operations::Relay::open(&server).await.unwrap();
    let raw = server
        .publisher(&chat::operations::Relay::spec())
        .await
        .unwrap();
    let c = WsConnection::new(WsOptions::new(server.url()));
    let mut rx = chat_client::operations::Relay::subscribe(
        &c,
        &chat_client::channels::room::Filter {
            room: Some("dev".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    connections(&server, 1).await;
    raw.send(Envelope::new("/rooms/dev").with_payload("{not json"))
        .await
        .unwrap();
    relay
        .send(
            &chat::channels::room::Params { room: "dev".into() },
            &chat::messages::Chat::new(chat::models::ChatPayload {
                author: "bob".into(),
                text: "still here".into(),
            }),
        )
        .await
        .unwrap();
    let err = next(&mut rx).await.unwrap_err();
    assert!(err.to_string().contains("chat"), "{err}");
    let ok = next(&mut rx).await.unwrap();
    assert_eq!(ok.message.payload.text, "still here");
    assert_eq!(ok.params.room, "dev");
    // The server also serves the upgrade's query and headers to its application.
    let info = &server.connections()[0];
    assert_eq!(info.query_param("format"), Some("compact"));
    assert_eq!(info.headers.get_str("x-client"), Some("asyncapi-rs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_server_requires_the_documents_credentials() {
    let secured = chat::servers::Secured { port: "0".into() };
    let user = || UserPassword {
        user: "ada".into(),
        password: "s3cret".into(),
    };
    let server: WsServer = secured
        .bind(chat::servers::SecuredSecurity::User(user()))
        .await
        .unwrap();
    assert!(server.url().ends_with("/chat"), "{}", server.url());
    let mut posts =
        chat::operations::Post::subscribe(&server, &chat::channels::room::Filter::default())
            .await
            .unwrap();
    let port = server.local_addr().port().to_string();
    let client_side = chat_client::servers::Secured { port };
    let good: WsConnection = client_side
        .connect(chat_client::servers::SecuredSecurity::User(user()))
        .await
        .unwrap();
    chat_client::operations::Post::send(
        &good,
        &chat_client::channels::room::Params { room: "ops".into() },
        &chat_client::messages::Chat::new(chat_client::models::ChatPayload {
            author: "ada".into(),
            text: "let me in".into(),
        }),
    )
    .await
    .unwrap();
    let got = next(&mut posts).await.unwrap();
    assert_eq!(got.params.room, "ops");
    assert_eq!(got.message.payload.author, "ada");
    for wrong in [
        chat_client::servers::SecuredSecurity::User(UserPassword {
            user: "ada".into(),
            password: "wrong".into(),
        }),
        chat_client::servers::SecuredSecurity::Bearer(Token {
            token: "s3cret".into(),
        }),
    ] {
        let bad: WsConnection = client_side.connect(wrong).await.unwrap();
        let err = chat_client::operations::Relay::subscribe(
            &bad,
            &chat_client::channels::room::Filter {
                room: Some("ops".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("401"), "{err}");
    }
    // A path no channel of the server fits is not found.
    let stray = WsConnection::new(WsOptions::new(server.url()));
    let err = stray
        .subscriber(&ChannelSpec::new("nowhere", "/nowhere"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_post_upgrade_binding_is_refused_loudly() {
    let server = server().await;
    let c = client(&server);
    let err =
        clock::operations::HandleTimeStampMessage::subscribe(&c, &clock::channels::echo::Filter)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("`POST` upgrade request"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wss_with_the_projects_own_certificate_authority() {
    let dir = std::env::temp_dir().join(format!(
        "asyncapi-rs-wss-{}",
        asyncapi::operation::unique_id()
    ));
    let Some((ca, cert, key)) = common::make_certificates(&dir) else {
        return;
    };
    let server = WsServer::bind(WsServerOptions::new("127.0.0.1:0").tls(&cert, &key))
        .await
        .unwrap();
    assert!(server.url().starts_with("wss://"));
    let mut posts =
        chat::operations::Post::subscribe(&server, &chat::channels::room::Filter::default())
            .await
            .unwrap();
    let trusted = WsConnection::connect(WsOptions::new(server.url()).root_certificate(&ca))
        .await
        .unwrap();
    let message = chat_client::messages::Chat::new(chat_client::models::ChatPayload {
        author: "ada".into(),
        text: "over TLS".into(),
    });
    let params = chat_client::channels::room::Params { room: "tls".into() };
    chat_client::operations::Post::send(&trusted, &params, &message)
        .await
        .unwrap();
    assert_eq!(
        next(&mut posts).await.unwrap().message.payload.text,
        "over TLS"
    );
    // Without the CA the server's certificate is not trusted.
    let untrusted = WsConnection::connect(WsOptions::new(server.url()))
        .await
        .unwrap();
    let err = chat_client::operations::Post::send(&untrusted, &params, &message)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            asyncapi::message::Error::Transport {
                source: TransportError::Connect { .. },
                ..
            }
        ),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn chat(text: &str) -> chat::messages::Chat {
    chat::messages::Chat::new(chat::models::ChatPayload {
        author: "ada".into(),
        text: text.into(),
    })
}

fn lobby() -> chat_client::channels::room::Filter {
    chat_client::channels::room::Filter {
        room: Some("lobby".into()),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_client_reconnects_and_resubscribes_after_the_connection_breaks() {
    let server = server().await;
    let relay = common::Relay::start(server.local_addr()).await;
    let url = format!("ws://127.0.0.1:{}", relay.port);
    let sender = chat::operations::Relay::open(&server).await.unwrap();
    let params = chat::channels::room::Params {
        room: "lobby".into(),
    };
    let c = WsConnection::new(WsOptions::new(url.clone()).reconnect(
        asyncapi::transport::Reconnect::backoff(
            Duration::from_millis(20),
            Duration::from_millis(200),
        ),
    ));
    let mut rx = chat_client::operations::Relay::subscribe(&c, &lobby())
        .await
        .unwrap();
    // A second client that does not reconnect.
    let once =
        WsConnection::new(WsOptions::new(url).reconnect(asyncapi::transport::Reconnect::Never));
    let mut once_rx = chat_client::operations::Relay::subscribe(&once, &lobby())
        .await
        .unwrap();
    connections(&server, 2).await;
    sender.send(&params, &chat("before")).await.unwrap();
    assert_eq!(next(&mut rx).await.unwrap().message.payload.text, "before");
    assert_eq!(
        next(&mut once_rx).await.unwrap().message.payload.text,
        "before"
    );

    let mut posts = chat::operations::Post::subscribe(
        &server,
        &chat::channels::room::Filter {
            room: Some("lobby".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let before: Vec<u64> = server.connections().iter().map(|c| c.id).collect();
    relay.down();
    // Each subscriber hears of the break once.
    let err = next(&mut rx).await.unwrap_err();
    assert!(err.to_string().contains("connecting again"), "{err}");
    let err = next(&mut once_rx).await.unwrap_err();
    assert!(matches!(err, asyncapi::Error::Transport { .. }), "{err}");
    // Without reconnection the stream then ends.
    let end = tokio::time::timeout(Duration::from_secs(10), once_rx.next())
        .await
        .unwrap();
    assert!(end.is_none(), "{end:?}");

    // A send while the network is down waits for the connection to be back, then goes out.
    let post = chat_client::operations::Post::open(&c).await.unwrap();
    let waiting = tokio::spawn(async move {
        post.send(
            &chat_client::channels::room::Params {
                room: "lobby".into(),
            },
            &chat_client::messages::Chat::new(chat_client::models::ChatPayload {
                author: "ada".into(),
                text: "sent while down".into(),
            }),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "the send did not wait");
    relay.up();
    waiting.await.unwrap().unwrap();
    let post = next(&mut posts).await.unwrap();
    assert_eq!(post.message.payload.text, "sent while down");

    // The reconnecting client is back, on one socket, and every message sent from then on
    // arrives, in order.
    let back =
        |now: &[asyncapi::ws::WsConnectionInfo]| now.len() == 1 && !before.contains(&now[0].id);
    for _ in 0..500 {
        if back(&server.connections()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let now = server.connections();
    assert!(back(&now), "only the new connection: {now:?}");
    assert_eq!(c.sockets().await, 1);
    for i in 0..50 {
        sender
            .send(&params, &chat(&format!("after {i}")))
            .await
            .unwrap();
    }
    for i in 0..50 {
        let got = next(&mut rx).await.unwrap();
        assert_eq!(got.message.payload.text, format!("after {i}"));
        assert_eq!(got.params.room, "lobby");
    }
    // A normal close by the server ends the stream: it is not a fault to recover from.
    server.close().await;
    let end = tokio::time::timeout(Duration::from_secs(10), rx.next())
        .await
        .unwrap();
    assert!(end.is_none(), "{end:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_server_that_stops_answering_pings_counts_as_broken() {
    // The first connection is upgraded and then never read again (so no pong goes back); the
    // next one sends a chat message.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        let mut first = true;
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                continue;
            };
            if std::mem::take(&mut first) {
                held.push(ws);
                continue;
            }
            tokio::spawn(async move {
                use futures_util::SinkExt;
                let _ = ws
                    .send(Frame::text(
                        r#"{"author":"bob","text":"after the silence"}"#,
                    ))
                    .await;
                while let Some(Ok(_)) = ws.next().await {}
            });
        }
    });
    let c = WsConnection::new(
        WsOptions::new(url)
            .ping_interval(Duration::from_millis(50))
            .reconnect(asyncapi::transport::Reconnect::backoff(
                Duration::from_millis(20),
                Duration::from_millis(100),
            )),
    );
    let mut rx = chat_client::operations::Relay::subscribe(&c, &lobby())
        .await
        .unwrap();
    let err = next(&mut rx).await.unwrap_err();
    assert!(err.to_string().contains("no answer to pings"), "{err}");
    let got = next(&mut rx).await.unwrap();
    assert_eq!(got.message.payload.text, "after the silence");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_server_drops_a_client_that_stops_answering_pings() {
    let server = WsServer::bind(
        WsServerOptions::new("127.0.0.1:0").ping_interval(Duration::from_millis(50)),
    )
    .await
    .unwrap();
    let _sender = chat::operations::Relay::open(&server).await.unwrap();
    // A bare client that upgrades and then never reads (so it never answers a ping).
    let (_silent, _) = tokio_tungstenite::connect_async(format!("{}/rooms/lobby", server.url()))
        .await
        .unwrap();
    connections(&server, 1).await;
    // A client that reads (tungstenite answers pings while reading) stays.
    let c = client(&server);
    let _rx = chat_client::operations::Relay::subscribe(&c, &lobby())
        .await
        .unwrap();
    connections(&server, 2).await;
    connections(&server, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let left = server.connections();
    assert_eq!(left.len(), 1);
    // The one left is the subscriber's (its upgrade carried the binding's query).
    assert_eq!(left[0].query_param("format"), Some("compact"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_through_the_dynamic_path() {
    let server = server().await;
    // The server serves `/echo`: what a client sends there comes back to it.
    let mut incoming = server
        .subscriber(&ChannelSpec::new("echo", "/echo"))
        .await
        .unwrap();
    let echo = server
        .publisher(&ChannelSpec::new("echo", "/echo"))
        .await
        .unwrap();
    tokio::spawn(async move {
        while let Some(Ok(frame)) = incoming.next().await {
            let mut back = Envelope::from(frame);
            back.address = back.reply_to.take().unwrap();
            let _ = echo.send(back).await;
        }
    });
    let spec = common::server_spec("ws", server.url(), None);
    let connection = asyncapi::transport::connect_any(&spec).await.unwrap();
    // WebSocket frames carry no content type: the receiver has only the frame's bytes.
    common::round_trip_dyn(&*connection, "/echo".into(), false).await;
}
