//! MQTT against big messages and slow workers (issue 22), with the jobs document
//! (`tests/specs/mqtt-jobs.yaml`) and `mosquitto_pub` as the foreign publisher:
//!
//! - a 20 KiB job arrives, and the next small one right after it, with no reconnection (rumqttc's
//!   10 KiB default once broke the connection 167 times in 17 s);
//! - a job over the worker's limit is an error for itself: the connection stays up, the next job
//!   arrives, and the big one is not sent again (MQTT 3.1.1); MQTT 5 tells the broker, which
//!   keeps it from the worker;
//! - jobs still queued in a subscriber that is dropped were never acknowledged: the persistent
//!   session brings them again;
//! - a worker that reads nothing for longer than its keep-alive stays connected (the event loop
//!   goes on answering pings), its own sends are confirmed meanwhile, and nothing is lost.
//! - a broker that accepts each connection and drops it at once gets ever fewer attempts.
//! - a job settled after a reconnection sends no PUBACK on the new connection (a relay counts
//!   the client's PUBACKs per connection).

mod common;

use common::within;

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::delivery::Limits;
use asyncapi::mqtt::{Mqtt5Connection, MqttConnection, MqttOptions};
use asyncapi::operation::unique_id;
use asyncapi::transport::TransportError;

mod jobs {
    asyncapi::include_spec!("tests/specs/mqtt-jobs.yaml");
}

use jobs::{channels, messages, models, operations};

const MOSQUITTO: &str = "127.0.0.1:1883";

/// The machine's Mosquitto and `mosquitto_pub` are here (loudly not, otherwise; a failure under
/// CI).
fn here() -> bool {
    common::broker("Mosquitto", MOSQUITTO) && common::programs(&["mosquitto_pub"])
}

/// A job as a foreign producer writes it, with a task of `task_bytes` bytes.
fn job_json(id: &str, task_bytes: usize) -> String {
    format!(r#"{{"id":"{id}","task":"{}"}}"#, "w".repeat(task_bytes))
}

/// `mosquitto_pub` publishes `payload` to `jobs/<queue>` with QoS 1.
async fn mosquitto_pub(queue: &str, payload: &str) {
    let status = tokio::process::Command::new("mosquitto_pub")
        .args(["-h", "127.0.0.1", "-p", "1883", "-q", "1", "-t"])
        .arg(format!("jobs/{queue}"))
        .arg("-m")
        .arg(payload)
        .status()
        .await
        .expect("mosquitto_pub");
    assert!(status.success(), "mosquitto_pub to jobs/{queue}");
}

fn persistent(id: &str) -> MqttOptions {
    MqttOptions::new(MOSQUITTO)
        .client_id(id)
        .clean_session(false)
}

/// Leaves no session behind on the machine's broker.
async fn forget_session(id: &str) {
    let clean = MqttConnection::connect(MqttOptions::new(MOSQUITTO).client_id(id))
        .await
        .unwrap();
    clean.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_20_kib_job_from_mosquitto_pub_arrives_and_the_next_right_after() {
    if !here() {
        return;
    }
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let worker = MqttConnection::connect(persistent(&id)).await.unwrap();
    let mut jobs = operations::DoJob::subscribe(
        &worker,
        &channels::jobs::Filter {
            queue: Some(queue.clone()),
        },
    )
    .await
    .unwrap();
    mosquitto_pub(&queue, &job_json("j-big", 20 * 1024)).await;
    mosquitto_pub(&queue, &job_json("j-small", 10)).await;
    let big = within("the 20 KiB job", jobs.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(big.message.payload.id, "j-big");
    assert_eq!(big.message.payload.task.len(), 20 * 1024);
    // No break in between (a break would be an error here), and no waiting.
    let small = tokio::time::timeout(Duration::from_secs(2), jobs.next())
        .await
        .expect("the small job right after the big one")
        .unwrap()
        .unwrap();
    assert_eq!(small.message.payload.id, "j-small");
    drop(jobs);
    worker.close().await.unwrap();
    forget_session(&id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_job_over_the_limit_is_an_error_for_itself_and_does_not_come_again() {
    if !here() {
        return;
    }
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let filter = channels::jobs::Filter {
        queue: Some(queue.clone()),
    };
    let worker = MqttConnection::connect(persistent(&id).max_message_size(16 * 1024))
        .await
        .unwrap();
    let mut jobs = operations::DoJob::subscribe(&worker, &filter)
        .await
        .unwrap();
    mosquitto_pub(&queue, &job_json("j-big", 20 * 1024)).await;
    mosquitto_pub(&queue, &job_json("j-small", 10)).await;
    match within("the error", jobs.next()).await.unwrap() {
        Err(asyncapi::Error::Transport {
            source:
                TransportError::TooLarge {
                    size,
                    limit,
                    direction,
                    ..
                },
            ..
        }) => {
            assert!(size > 20 * 1024, "{size}");
            assert_eq!(limit, 16 * 1024);
            assert_eq!(direction, "takes");
        }
        other => panic!("not a TooLarge error: {other:?}"),
    }
    let small = within("the small job", jobs.next()).await.unwrap().unwrap();
    assert_eq!(small.message.payload.id, "j-small");
    drop(jobs);
    worker.close().await.unwrap();
    // The big job was acknowledged: the session does not bring it back.
    let again = MqttConnection::connect(persistent(&id).max_message_size(16 * 1024))
        .await
        .unwrap();
    let mut jobs = operations::DoJob::subscribe(&again, &filter).await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_secs(1), jobs.next())
            .await
            .is_err(),
        "the job over the limit came again"
    );
    drop(jobs);
    again.close().await.unwrap();
    forget_session(&id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_a_job_over_the_limit_is_kept_from_the_worker_by_the_broker() {
    if !here() {
        return;
    }
    let queue = unique_id();
    let worker = Mqtt5Connection::connect(MqttOptions::new(MOSQUITTO).max_message_size(16 * 1024))
        .await
        .unwrap();
    let mut jobs = operations::DoJob::subscribe(
        &worker,
        &channels::jobs::Filter {
            queue: Some(queue.clone()),
        },
    )
    .await
    .unwrap();
    mosquitto_pub(&queue, &job_json("j-big", 20 * 1024)).await;
    mosquitto_pub(&queue, &job_json("j-small", 10)).await;
    let first = within("the small job", jobs.next()).await.unwrap().unwrap();
    assert_eq!(first.message.payload.id, "j-small");
    drop(jobs);
    worker.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_jobs_a_dropped_subscriber_never_handed_over_come_again() {
    if !here() {
        return;
    }
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let filter = channels::jobs::Filter {
        queue: Some(queue.clone()),
    };
    let worker = MqttConnection::connect(persistent(&id)).await.unwrap();
    let mut jobs = operations::DoJob::subscribe(&worker, &filter)
        .await
        .unwrap();
    for n in 1..=5 {
        mosquitto_pub(&queue, &job_json(&format!("j-{n}"), 10)).await;
    }
    let first = within("the first job", jobs.next()).await.unwrap().unwrap();
    assert_eq!(first.message.payload.id, "j-1");
    // The other four are in the subscriber's queue, never handed to the application, when the
    // worker drops it and leaves.
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(jobs);
    worker.close().await.unwrap();

    let back = MqttConnection::connect(persistent(&id)).await.unwrap();
    let mut jobs = operations::DoJob::subscribe(&back, &filter).await.unwrap();
    let mut again = Vec::new();
    while again.len() < 4 {
        let job = within("the jobs never handed over", jobs.next())
            .await
            .unwrap()
            .unwrap();
        again.push(job.message.payload.id.clone());
    }
    again.sort();
    assert_eq!(again, ["j-2", "j-3", "j-4", "j-5"]);
    // The one handed over and acknowledged does not come again.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), jobs.next())
            .await
            .is_err(),
        "a job came a second time"
    );
    drop(jobs);
    back.close().await.unwrap();
    forget_session(&id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_worker_that_reads_nothing_past_its_keep_alive_stays_connected() {
    if !here() {
        return;
    }
    let queue = unique_id();
    // A queue of two jobs, and a keep-alive of 2 s: Mosquitto drops a client it hears nothing
    // from for 3 s.
    let worker = MqttConnection::connect(
        MqttOptions::new(MOSQUITTO)
            .keep_alive(Duration::from_secs(2))
            .subscription_limits(Limits::new(2, 1 << 20)),
    )
    .await
    .unwrap();
    let mut jobs = operations::DoJob::subscribe(
        &worker,
        &channels::jobs::Filter {
            queue: Some(queue.clone()),
        },
    )
    .await
    .unwrap();
    for n in 0..30 {
        mosquitto_pub(&queue, &job_json(&format!("j-{n:02}"), 100)).await;
    }
    // The worker reads nothing for 5 s; meanwhile its own QoS 1 send is confirmed.
    let params = channels::jobs::Params { queue: unique_id() };
    let job = messages::Job::new(models::JobPayload {
        id: "j-own".into(),
        task: "rinse".into(),
        reply_to: None,
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    tokio::time::timeout(
        Duration::from_secs(2),
        operations::SubmitJob::send(&worker, &params, &job),
    )
    .await
    .expect("the worker's own send is confirmed while its subscriber is full")
    .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Every job, in order, and no break.
    for n in 0..30 {
        let got = within("the next job", jobs.next()).await;
        let got = got.unwrap().unwrap_or_else(|e| panic!("job {n}: {e}"));
        assert_eq!(got.message.payload.id, format!("j-{n:02}"));
    }
    drop(jobs);
    worker.close().await.unwrap();
}

/// A broker that accepts each connection (CONNACK) and drops it at once: the waits between
/// attempts keep growing (100 ms doubled up to 5 s) instead of starting again from 100 ms at each
/// CONNACK, which hammered the broker ten times a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_reconnection_waits_grow_while_connections_die_after_their_connack() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counting = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counting.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // Read the CONNECT, accept it (session not present, return code 0), hang up.
                let mut connect = [0u8; 256];
                let _ = socket.read(&mut connect).await;
                let _ = socket.write_all(&[0x20, 0x02, 0x00, 0x00]).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            });
        }
    });
    let connection = MqttConnection::connect(MqttOptions::new(format!("127.0.0.1:{port}")))
        .await
        .expect("the first CONNACK");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let attempts = accepted.load(Ordering::SeqCst);
    // Growing waits: 100 + 200 + 400 + 800 + 1,600 ms fill 3 s with about 5 attempts; starting
    // again at each CONNACK made about 25.
    assert!(
        attempts <= 8,
        "{attempts} connections in 3 s: the waits do not grow"
    );
    let _ = connection.close().await;
}

/// A TCP relay in front of Mosquitto that counts the PUBACK packets the client sends on each
/// connection, and can cut every connection at once.
struct PubackCounter {
    port: u16,
    /// PUBACKs per connection, in the order the connections came.
    pubacks: std::sync::Arc<std::sync::Mutex<Vec<usize>>>,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl PubackCounter {
    async fn start() -> PubackCounter {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let pubacks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (counts, held) = (pubacks.clone(), tasks.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let broker = tokio::net::TcpStream::connect(MOSQUITTO).await.unwrap();
                let (mut from_client, mut to_client) = client.into_split();
                let (mut from_broker, mut to_broker) = broker.into_split();
                let index = {
                    let mut counts = counts.lock().unwrap();
                    counts.push(0);
                    counts.len() - 1
                };
                let counts = counts.clone();
                let up = tokio::spawn(async move {
                    // The client's packets: a fixed header (type in the high nibble, then the
                    // remaining length in up to four bytes of seven bits) and its body.
                    let mut pending: Vec<u8> = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while let Ok(n) = from_client.read(&mut buffer).await {
                        if n == 0 || to_broker.write_all(&buffer[..n]).await.is_err() {
                            return;
                        }
                        pending.extend_from_slice(&buffer[..n]);
                        while let Some((kind, length)) = fixed_header(&pending) {
                            if pending.len() < length {
                                break;
                            }
                            if kind == 4 {
                                counts.lock().unwrap()[index] += 1;
                            }
                            pending.drain(..length);
                        }
                    }
                });
                let down = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_broker, &mut to_client).await;
                });
                held.lock().unwrap().extend([up, down]);
            }
        });
        PubackCounter {
            port,
            pubacks,
            tasks,
        }
    }

    /// Cuts every connection (the sockets close; the client connects again through the relay).
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn pubacks(&self) -> Vec<usize> {
        self.pubacks.lock().unwrap().clone()
    }
}

/// An MQTT packet's type and whole length, once its fixed header is complete.
fn fixed_header(bytes: &[u8]) -> Option<(u8, usize)> {
    let kind = bytes.first()? >> 4;
    let (mut length, mut shift) = (0usize, 0);
    for (i, byte) in bytes.iter().skip(1).take(4).enumerate() {
        length |= usize::from(byte & 0x7F) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some((kind, 1 + (i + 1) + length));
        }
    }
    None
}

/// A publish received on one connection and settled after a reconnection is not acknowledged
/// on the new connection (its packet id names whatever the broker numbered so there now): the
/// resumed session sends it again, and that copy's acknowledgement is the one that goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_job_settled_after_a_reconnection_is_not_acknowledged_on_the_new_connection() {
    if !here() {
        return;
    }
    let relay = PubackCounter::start().await;
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let worker = MqttConnection::connect(
        MqttOptions::new(format!("127.0.0.1:{}", relay.port))
            .client_id(&id)
            .clean_session(false),
    )
    .await
    .unwrap();
    let mut jobs = operations::DoJob::subscribe(
        &asyncapi::ack::ManualAck(&worker),
        &channels::jobs::Filter {
            queue: Some(queue.clone()),
        },
    )
    .await
    .unwrap();
    mosquitto_pub(&queue, &job_json("j-1", 10)).await;
    let first = within("the job", jobs.next()).await.unwrap().unwrap();
    assert_eq!(first.message.payload.id, "j-1");
    relay.cut();
    // One error for the break, then the session's copy on the new connection.
    let mut again = None;
    while again.is_none() {
        match within("the job again", jobs.next()).await.unwrap() {
            Ok(job) => again = Some(job),
            Err(_) => continue,
        }
    }
    let again = again.unwrap();
    assert_eq!(again.message.payload.id, "j-1");
    assert_eq!(relay.pubacks().len(), 2, "two connections");
    // Settling the first copy now sends nothing on the second connection.
    first.ack().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        relay.pubacks()[1],
        0,
        "a PUBACK for the old connection's packet id"
    );
    again.ack().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(relay.pubacks()[1], 1);
    drop(jobs);
    worker.close().await.unwrap();
    forget_session(&id).await;
}
