//! Redis pub/sub (`redis`) and streams (`redis-streams`): the transport against the redis crate
//! used by hand. Pub/sub: `PUBLISH` on a multiplexed connection, each answer awaited, and a
//! `SUBSCRIBE` connection. Streams: `XADD` of the payload and the content type the typed path
//! writes, each answer awaited; the receiver reads its consumer group 64 entries at a time
//! (`XREADGROUP`, as the transport does) and acknowledges each read with one `XACK` once its
//! entries are decoded.

use std::collections::VecDeque;

use asyncapi::StreamExt;
use asyncapi::redis::{RedisConnection, RedisOptions};

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

pub async fn run(run: &Run, ctl: &mut Control) {
    let url = format!("redis://{}", run.address);
    let streams = run.transport == "redis-streams";
    if run.path == "typed" {
        let mut options = RedisOptions::new(url);
        if streams {
            options = options.stream("blobs").group(run.run.clone());
        }
        let c = RedisConnection::connect(options).await.expect("Redis");
        match run.side {
            Side::Send => typed::send(&c, run, ctl).await,
            Side::Receive => typed::receive(&c, run, ctl).await,
        }
        return;
    }
    let client = redis::Client::open(url).expect("a client");
    let commands = client
        .get_multiplexed_async_connection()
        .await
        .expect("connects");
    let key = run.topic();
    match (run.side, streams) {
        (Side::Send, streams) => {
            let path = Commands {
                commands,
                key,
                streams,
                blob: run.blob(),
            };
            measure::sending(ctl, run.counts(), path).await;
        }
        (Side::Receive, false) => {
            let mut pubsub = client.get_async_pubsub().await.expect("connects");
            pubsub.subscribe(&key).await.expect("subscribes");
            measure::receiving(ctl, run.counts(), PubSub(pubsub.into_on_message())).await;
        }
        (Side::Receive, true) => {
            let mut commands = commands;
            crate::common::redis_group(&mut commands, &key).await;
            let path = Group {
                commands,
                key,
                decoded: VecDeque::new(),
            };
            measure::receiving(ctl, run.counts(), path).await;
        }
    }
}

/// `PUBLISH` or `XADD` by hand, each answer awaited.
struct Commands {
    commands: redis::aio::MultiplexedConnection,
    key: String,
    streams: bool,
    blob: Blob,
}

impl Sends for Commands {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        if self.streams {
            redis::cmd("XADD")
                .arg(&self.key)
                .arg("*")
                .arg("payload")
                .arg(json)
                .arg("content-type")
                .arg("application/json")
                .query_async::<String>(&mut self.commands)
                .await
                .expect("added");
        } else {
            redis::cmd("PUBLISH")
                .arg(&self.key)
                .arg(json)
                .query_async::<i64>(&mut self.commands)
                .await
                .expect("published");
        }
    }
}

/// A `SUBSCRIBE` connection's messages, decoded.
struct PubSub<S>(S);

impl<S: futures_util::Stream<Item = redis::Msg> + Unpin> Receives for PubSub<S> {
    async fn receive(&mut self) {
        let message = self.0.next().await.expect("open");
        let blob: Blob = serde_json::from_slice(message.get_payload_bytes()).expect("json");
        std::hint::black_box(blob);
    }
}

/// A consumer group read by hand.
struct Group {
    commands: redis::aio::MultiplexedConnection,
    key: String,
    decoded: VecDeque<Blob>,
}

impl Receives for Group {
    async fn receive(&mut self) {
        while self.decoded.is_empty() {
            let reply: redis::streams::StreamReadReply = redis::cmd("XREADGROUP")
                .arg("GROUP")
                .arg("g")
                .arg("c")
                .arg("COUNT")
                .arg(64)
                .arg("BLOCK")
                .arg(1000)
                .arg("STREAMS")
                .arg(&self.key)
                .arg(">")
                .query_async(&mut self.commands)
                .await
                .expect("read");
            let mut ack = redis::cmd("XACK");
            ack.arg(&self.key).arg("g");
            let mut any = false;
            for entry in reply.keys.into_iter().flat_map(|k| k.ids) {
                let Some(redis::Value::BulkString(payload)) = entry.map.get("payload") else {
                    panic!("an entry without a payload");
                };
                self.decoded
                    .push_back(serde_json::from_slice(payload).expect("json"));
                ack.arg(&entry.id);
                any = true;
            }
            if any {
                ack.query_async::<i64>(&mut self.commands)
                    .await
                    .expect("acknowledged");
            }
        }
        std::hint::black_box(self.decoded.pop_front());
    }
}
