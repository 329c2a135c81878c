//! The WebSocket server against careless and hostile clients (issue 22), with the camera hub
//! document (`tests/specs/ws-camera.yaml`: cameras upload multi-megabyte snapshots, viewers get
//! them relayed): a camera flooding a hub whose application does not read (the hub's memory
//! measured in a process of its own), viewers that stop reading (the relay to the others goes
//! on; the stalled viewer is dropped), a message over the limit, the connection limit, a hub
//! whose last handle is dropped, and a hub out of file descriptors (its CPU time measured in a
//! process of its own: it pauses between failed accepts instead of spinning).
//!
//! The clients are bare tokio-tungstenite peers, written from the document alone, and the
//! library's own client; everything runs on free loopback ports.

mod common;

use common::ws::connections;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use asyncapi::StreamExt;
use asyncapi::bytes::Bytes;
use asyncapi::delivery::Limits;
use asyncapi::envelope::{Envelope, EnvelopeReader};
use asyncapi::transport::{Consumer, Producer, Publisher, TransportError};
use asyncapi::ws::{WsConnection, WsOptions, WsServer, WsServerOptions};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message as Frame;

use common::next;

/// The hub: it receives snapshots and relays them.
mod camera {
    asyncapi::include_spec!("tests/specs/ws-camera.yaml");
}

/// Where camera C-1138's snapshots go.
const FEED: &str = "/cameras/C-1138/feed";

/// Set in the environment of the hub process the flood test starts.
const HUB_PROCESS: &str = "ASYNCAPI_TEST_WS_HUB_PROCESS";

async fn hub(options: WsServerOptions) -> WsServer {
    WsServer::bind(options.pathname("/v2"))
        .await
        .expect("binds a free loopback port")
}

fn options() -> WsServerOptions {
    WsServerOptions::new("127.0.0.1:0")
}

/// A viewer of C-1138 through the library's client.
async fn viewer(server: &WsServer) -> (WsConnection, asyncapi::ws::WsSubscriber) {
    let connection = WsConnection::new(WsOptions::new(server.url()));
    let subscriber = connection
        .subscriber(&camera::operations::RelaySnapshot::spec().with_param("cameraId", "C-1138"))
        .await
        .expect("subscribes");
    (connection, subscriber)
}

/// A snapshot of `size` bytes whose first bytes say which it is.
fn snapshot(n: u32, size: usize) -> Bytes {
    let mut bytes = vec![0xA5; size];
    bytes[..4].copy_from_slice(&n.to_be_bytes());
    Bytes::from(bytes)
}

fn number(payload: &[u8]) -> u32 {
    u32::from_be_bytes(payload[..4].try_into().unwrap())
}

/// The peak resident memory of process `pid`, in bytes (`VmHWM`).
fn peak_memory(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("a Linux /proc");
    let kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status");
    kib * 1024
}

/// Starts [`ws_hub_process`] (with at most `files` open file descriptors, when given): the
/// process and its URL.
async fn hub_process(files: Option<u32>) -> (std::process::Child, String) {
    let exe = std::env::current_exe().unwrap();
    let args = [
        "ws_hub_process",
        "--exact",
        "--include-ignored",
        "--nocapture",
        "--test-threads=1",
    ];
    let mut command = match files {
        Some(n) => {
            let mut c = std::process::Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(&exe)
                .args(args);
            c
        }
        None => {
            let mut c = std::process::Command::new(&exe);
            c.args(args);
            c
        }
    };
    let mut hub = command
        .env(HUB_PROCESS, "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("starts the hub process");
    let stdout = hub.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.split_once("URL ").map(|(_, url)| url.trim().to_owned()))
    })
    .await
    .unwrap()
    .expect("the hub process prints its URL");
    (hub, url)
}

/// The CPU time process `pid` has used, user and system (`/proc/<pid>/stat`).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("a Linux /proc");
    // After the command name in parentheses: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // The kernel's clock tick is 100 Hz on every Linux this runs on.
    Duration::from_millis(ticks * 10)
}

/// The hub process of the flood test: a hub whose application subscribes to the camera feed and
/// never reads; it prints its URL and lives until its standard input closes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the hub process that ws_a_camera_flooding_a_hub_that_does_not_read_is_held_back starts"]
async fn ws_hub_process() {
    if std::env::var_os(HUB_PROCESS).is_none() {
        eprintln!("ws_hub_process only runs as the flood test's hub process");
        return;
    }
    let server = hub(options()).await;
    let _never_read = server
        .subscriber(&camera::operations::ReceiveSnapshot::spec())
        .await
        .unwrap();
    println!("URL {}", server.url());
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_camera_flooding_a_hub_that_does_not_read_is_held_back() {
    // The hub in a process of its own, so that its memory is its alone.
    let (mut hub, url) = hub_process(None).await;
    let at_rest = peak_memory(hub.id());
    // A camera that uploads 60 snapshots of 15 MiB as fast as the socket takes them.
    let (mut camera, _) = tokio_tungstenite::connect_async(format!("{url}{FEED}"))
        .await
        .unwrap();
    let big = snapshot(0, 15 << 20);
    let mut taken = 0;
    for _ in 0..60 {
        match tokio::time::timeout(
            Duration::from_secs(3),
            camera.send(Frame::Binary(big.clone())),
        )
        .await
        {
            Ok(Ok(())) => taken += 1,
            Ok(Err(e)) => panic!("the hub dropped the camera after {taken} snapshots: {e}"),
            // Held back: TCP's window is closed because the hub stopped reading.
            Err(_) => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let peak = peak_memory(hub.id());
    drop(hub.stdin.take());
    let _ = hub.kill();
    let _ = hub.wait();
    eprintln!(
        "flood: {taken} of 60 snapshots of 15 MiB left the camera; hub's peak memory {} MiB \
         ({} MiB at rest)",
        peak >> 20,
        at_rest >> 20
    );
    assert!(
        taken < 20,
        "the hub kept reading ({taken} snapshots) while its application read nothing"
    );
    // The subscriber's queue (64 MiB by default), one snapshot waiting for room, one being
    // read, and the runtime: under 200 MiB (before the bounds: 910 MB).
    assert!(
        peak - at_rest < 200 << 20,
        "the hub grew by {} MiB",
        (peak - at_rest) >> 20
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_viewer_that_stops_reading_does_not_hold_back_the_relay() {
    let server = hub(options()
        .outbound_limits(Limits::new(64, 64 << 20))
        .write_timeout(Duration::from_secs(1)))
    .await;
    let relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    // A viewer whose socket nobody reads: once the kernel's buffers are full, every write to
    // it waits.
    let (_stalled, _) = tokio_tungstenite::connect_async(format!("{}{FEED}", server.url()))
        .await
        .unwrap();
    let (_connection, mut reading) = viewer(&server).await;
    connections(&server, 2).await;
    let started = Instant::now();
    for n in 0..30 {
        let sent = tokio::time::timeout(
            Duration::from_secs(2),
            relay.send(Envelope::new(FEED).with_payload(snapshot(n, 1 << 20))),
        )
        .await;
        assert!(
            matches!(sent, Ok(Ok(()))),
            "snapshot {n}: {sent:?} after {:?}",
            started.elapsed()
        );
    }
    // The reading viewer gets every snapshot, in order.
    for n in 0..30 {
        let got = next(&mut reading).await.unwrap();
        assert_eq!(number(got.payload()), n);
        assert_eq!(got.payload().len(), 1 << 20);
    }
    // The stalled one is dropped once a write to it has waited a second.
    connections(&server, 1).await;
    assert_eq!(server.connections()[0].path, FEED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_viewer_that_falls_behind_is_dropped_when_its_queue_is_full() {
    // Four snapshots of room per viewer; the relay sends one every 20 ms.
    let server = hub(options().outbound_limits(Limits::new(4, 64 << 20))).await;
    let relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    let (_stalled, _) = tokio_tungstenite::connect_async(format!("{}{FEED}", server.url()))
        .await
        .unwrap();
    let (_connection, mut reading) = viewer(&server).await;
    connections(&server, 2).await;
    let mut dropped_at = None;
    for n in 0..60 {
        relay
            .send(Envelope::new(FEED).with_payload(snapshot(n, 512 << 10)))
            .await
            .unwrap();
        assert_eq!(number(next(&mut reading).await.unwrap().payload()), n);
        if dropped_at.is_none() && server.connections().len() == 1 {
            dropped_at = Some(n);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let dropped_at = dropped_at.expect("the stalled viewer is dropped");
    // The kernel's socket buffers take a few megabytes before the queue fills.
    assert!(dropped_at < 50, "dropped only at snapshot {dropped_at}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_snapshot_over_the_limit_drops_its_camera_only() {
    let server = hub(options().max_message_size(1 << 20)).await;
    let mut uploads = server
        .subscriber(&camera::operations::ReceiveSnapshot::spec())
        .await
        .unwrap();
    let relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    let (mut big, _) = tokio_tungstenite::connect_async(format!("{}{FEED}", server.url()))
        .await
        .unwrap();
    let (mut small, _) =
        tokio_tungstenite::connect_async(format!("{}/cameras/C-2001/feed", server.url()))
            .await
            .unwrap();
    connections(&server, 2).await;
    // The hub may close the socket before the whole frame is written.
    let _ = big.send(Frame::Binary(snapshot(1, 2 << 20))).await;
    // The oversized camera is disconnected.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match big.next().await {
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the camera over the limit stays connected");
    // The other camera's snapshot arrives.
    small
        .send(Frame::Binary(snapshot(2, 100 << 10)))
        .await
        .unwrap();
    let got = next(&mut uploads).await.unwrap();
    assert_eq!(number(got.payload()), 2);
    assert_eq!(got.address(), "/cameras/C-2001/feed");
    // A relay over the limit is refused before anything is written.
    let err = relay
        .send(Envelope::new(FEED).with_payload(snapshot(3, (1 << 20) + 1)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, TransportError::TooLarge { size, limit, .. } if *size == (1 << 20) + 1 && *limit == 1 << 20),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("WsServerOptions::max_message_size"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_the_hub_serves_at_most_its_connection_limit() {
    let server = hub(options().max_connections(2)).await;
    let _relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    let url = format!("{}{FEED}", server.url());
    let (first, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let (_second, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    connections(&server, 2).await;
    assert!(
        tokio_tungstenite::connect_async(&url).await.is_err(),
        "a third connection is upgraded past the limit of two"
    );
    drop(first);
    connections(&server, 1).await;
    let (_third, _) = tokio_tungstenite::connect_async(&url)
        .await
        .expect("a slot is free again");
    connections(&server, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_hub_whose_last_handle_is_dropped_stops() {
    let server = hub(options()).await;
    let relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    let url = format!("{}{FEED}", server.url());
    let (mut viewer, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    connections(&server, 1).await;
    // The publisher holds a handle too.
    drop(server);
    relay
        .send(Envelope::new(FEED).with_payload(snapshot(1, 10)))
        .await
        .unwrap();
    let got = viewer.next().await.unwrap().unwrap();
    assert_eq!(number(&got.into_data()), 1);
    drop(relay);
    // The viewer's connection is closed, and nothing is accepted any more.
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match viewer.next().await {
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the connection outlives the server");
    assert!(
        tokio_tungstenite::connect_async(&url).await.is_err(),
        "a connection is accepted after the last handle went"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_silent_viewer_is_dropped_after_the_idle_timeout() {
    let server = hub(options()
        .ping_interval(Duration::from_secs(60))
        .idle_timeout(Duration::from_millis(300)))
    .await;
    let _relay = server
        .publisher(&camera::operations::RelaySnapshot::spec())
        .await
        .unwrap();
    // Upgraded, then never read again: it answers no ping.
    let (_silent, _) = tokio_tungstenite::connect_async(format!("{}{FEED}", server.url()))
        .await
        .unwrap();
    // The library's client reads, so answers the pings the idle timeout brings forward.
    let (_connection, _reading) = viewer(&server).await;
    connections(&server, 2).await;
    connections(&server, 1).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(server.connections().len(), 1, "the reading viewer stays");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_a_hub_out_of_file_descriptors_pauses_instead_of_spinning() {
    // A hub that may open 64 files, and 150 clients that connect and say nothing: past its
    // limit every accept fails (EMFILE) while the connections wait in the backlog.
    let (mut hub, url) = hub_process(Some(64)).await;
    let address = url
        .trim_start_matches("ws://")
        .trim_end_matches("/v2")
        .to_owned();
    let mut idle = Vec::new();
    for _ in 0..150 {
        idle.push(std::net::TcpStream::connect(&address).expect("the backlog takes it"));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = cpu_time(hub.id());
    tokio::time::sleep(Duration::from_secs(3)).await;
    let spent = cpu_time(hub.id()) - before;
    drop(hub.stdin.take());
    let _ = hub.kill();
    let _ = hub.wait();
    // A loop retrying at once burns a core: about 3 s of CPU in 3 s.
    assert!(
        spent < Duration::from_millis(500),
        "the hub used {spent:?} of CPU in 3 s while out of file descriptors"
    );
    drop(idle);
}
