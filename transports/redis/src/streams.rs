//! Stream subscriptions: a consumer group read by a task of its own (what this consumer left
//! pending first, then entries pending too long with others, then new entries), each entry
//! settled with `XACK`.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use redis::Value;
use redis::aio::ConnectionManager;
use tokio::sync::mpsc;

use asyncapi_runtime::ack::{Acknowledgement, Outcome, Settle};
use asyncapi_runtime::delivery::{Inbox, InboxSender, Limits, Overflow, queue};
use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::transport::{
    Backoff, BoxError, BoxFuture, ChannelSpec, CloseWatch, Subscriber, TransportError,
};

use crate::{
    CONTENT_TYPE, CORRELATION_ID, PAYLOAD, REPLY_TO, RedisConnection, RedisOptions, manager_config,
};

/// Receives the entries of one stream as a consumer of a group: at least once.
pub struct RedisStreamSubscriber {
    /// The entries read, and one error per break (the kit's queue: the reader waits while it
    /// is full, and the entries wait in the stream).
    entries: Inbox<Envelope>,
    reader: tokio::task::JoinHandle<()>,
    stream: String,
    group: String,
    consumer: String,
    /// The connection's close.
    closed: CloseWatch,
}

impl std::fmt::Debug for RedisStreamSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStreamSubscriber")
            .field("stream", &self.stream)
            .field("group", &self.group)
            .field("consumer", &self.consumer)
            .finish_non_exhaustive()
    }
}

impl RedisStreamSubscriber {
    /// This subscription's name in its consumer group.
    pub fn consumer(&self) -> &str {
        &self.consumer
    }
}

/// Where one consumer reads.
#[derive(Clone)]
struct Group {
    stream: String,
    group: String,
    consumer: String,
}

pub(crate) async fn subscribe(
    connection: &RedisConnection,
    channel: &ChannelSpec,
) -> Result<RedisStreamSubscriber, TransportError> {
    let open_err = |source: BoxError| TransportError::Open {
        address: channel.address.to_string(),
        source,
    };
    let template = asyncapi_runtime::address::AddressTemplate::parse(&channel.address)
        .map_err(|e| open_err(Box::new(e)))?;
    let fixed: Vec<(&str, &str)> = channel
        .params
        .iter()
        .map(|(n, v)| (n.as_ref(), v.as_str()))
        .collect();
    let stream = template.build(&fixed).map_err(|_| {
        open_err("a stream is one key: a subscription to it fixes every parameter".into())
    })?;
    let group = Group {
        stream,
        group: channel
            .group("redis")
            .map_or_else(|| connection.options.group.clone(), str::to_owned),
        consumer: connection.consumer_name(),
    };
    let options = &connection.options;
    // The read connection's pushes say when it broke, even when the redis crate retried the
    // read over a new connection by itself (nothing else is pushed on it: it subscribes to
    // nothing).
    // A count, not a queue: nothing but the number of breaks is kept.
    let breaks = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&breaks);
    let pushes = move |push: redis::PushInfo| {
        if push.kind == redis::PushKind::Disconnection {
            counted.fetch_add(1, Ordering::Relaxed);
        }
        Ok::<(), std::convert::Infallible>(())
    };
    let reads = ConnectionManager::new_with_config(
        connection.client.clone(),
        manager_config(options, Some(options.block)).set_push_sender(pushes),
    )
    .await
    .map_err(|e| open_err(Box::new(e)))?;
    let mut commands = connection.commands.clone();
    create_group(&mut commands, &group)
        .await
        .map_err(|e| open_err(Box::new(e)))?;
    // Entries read stay pending in the group, and age there, until they are acknowledged: the
    // queue holds at most one read's worth (`batch`), so that the reader's claims of entries
    // idle for `claim_after` do not take back entries still waiting in it (which would come
    // twice).
    let limits = options.subscription_limits;
    let limits = Limits::new(limits.messages().min(options.batch), limits.bytes());
    let (tx, entries) = queue(group.stream.clone(), limits, Overflow::Wait);
    let (acks, pending) = mpsc::channel(ACKS_QUEUED);
    // Ends once the reader and every entry it handed out are gone.
    tokio::spawn(acknowledge(commands.clone(), group.clone(), pending));
    let reader = Reader {
        reads,
        breaks,
        commands,
        acks,
        group: group.clone(),
        options: (**options).clone(),
        tx,
    };
    Ok(RedisStreamSubscriber {
        entries,
        reader: tokio::spawn(reader.run()),
        stream: group.stream,
        group: group.group,
        consumer: group.consumer,
        closed: connection.closing.watch(),
    })
}

/// `XGROUP CREATE stream group 0 MKSTREAM`: a new group reads the stream from its start, so
/// that what was added before the first consumer came is not lost; a group that exists is kept.
async fn create_group(commands: &mut ConnectionManager, group: &Group) -> redis::RedisResult<()> {
    let created = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(&group.stream)
        .arg(&group.group)
        .arg("0")
        .arg("MKSTREAM")
        .query_async::<()>(commands)
        .await;
    match created {
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        other => other,
    }
}

/// How long without a failed read or a broken connection before the next one is a new break.
const QUIET: Duration = Duration::from_secs(1);

/// The task behind a stream subscription.
struct Reader {
    /// A connection of its own, for blocking reads.
    reads: ConnectionManager,
    /// How many times it broke (its `Disconnection` pushes) since the reader last looked.
    breaks: Arc<AtomicU64>,
    /// The shared connection, for the group.
    commands: ConnectionManager,
    /// Where acknowledgements go to be sent together.
    acks: mpsc::Sender<Ack>,
    group: Group,
    options: RedisOptions,
    tx: InboxSender<Envelope>,
}

/// One entry: its id and its fields.
type Entry = (String, Vec<(Vec<u8>, Bytes)>);

impl Reader {
    async fn run(mut self) {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
        // What this consumer was given before and never acknowledged (a restart under its
        // name), then, in turn, entries others left pending too long and new entries.
        // Entries become claimable `claim_after` after their delivery: looking twice as often
        // finds each within one and a half times that, without an `XAUTOCLAIM` per read.
        let claim_every = self.options.claim_after / 2;
        // `BLOCK 0` would wait for ever.
        let block = self
            .options
            .block
            .min(claim_every)
            .max(Duration::from_millis(1));
        let mut claimed_at: Option<tokio::time::Instant> = None;
        // The consumer's own pending entries are read page by page, after the last one read.
        let mut own = Some("0".to_owned());
        // When the last failed read or broken connection was: a break is reported once, however
        // many reads fail and however many signs of it come, until `QUIET` has passed without
        // trouble (a second break within that is told as the same one).
        let mut trouble: Option<tokio::time::Instant> = None;
        let mut fresh = move || {
            let now = tokio::time::Instant::now();
            let fresh = trouble.is_none_or(|at| now.duration_since(at) > QUIET);
            trouble = Some(now);
            fresh
        };
        loop {
            let claim_due = claimed_at.is_none_or(|at| at.elapsed() >= claim_every);
            let read = if let Some(after) = &own {
                let after = after.clone();
                self.read(&after, None).await
            } else if claim_due {
                claimed_at = Some(tokio::time::Instant::now());
                match self.claim().await {
                    Ok(claimed) if !claimed.is_empty() => {
                        // There may be more: look again on the next round.
                        claimed_at = None;
                        Ok(claimed)
                    }
                    Ok(_) => self.read(">", Some(block)).await,
                    Err(e) => Err(e),
                }
            } else {
                self.read(">", Some(block)).await
            };
            // The read connection broke (the redis crate may have read again on a new one).
            let dropped = self.breaks.swap(0, Ordering::Relaxed) > 0;
            if dropped && fresh() && !self.report_break("the connection broke") {
                return;
            }
            match read {
                Ok(entries) => {
                    backoff.reset();
                    if own.is_some() {
                        own = entries.last().map(|(id, _)| id.clone());
                    }
                    for entry in entries {
                        let envelope = self.envelope(entry);
                        if self.tx.send(envelope).await.is_err() {
                            return;
                        }
                    }
                }
                Err(e) if e.code() == Some("NOGROUP") => {
                    // The stream was deleted: the group comes back with it.
                    let mut commands = self.commands.clone();
                    if let Err(e) = create_group(&mut commands, &self.group).await {
                        tracing::warn!(target: "asyncapi", stream = %self.group.stream, error = %e, "Redis");
                        backoff.wait().await;
                    }
                }
                Err(e) => {
                    tracing::warn!(
                        target: "asyncapi",
                        stream = %self.group.stream,
                        error = %e,
                        "Redis stream read failed; trying again"
                    );
                    if fresh() && !self.report_break(&e.to_string()) {
                        return;
                    }
                    if self.tx.is_gone() {
                        return;
                    }
                    backoff.wait().await;
                }
            }
        }
    }

    /// One error for a break (nothing is lost: entries wait in the stream); `false` when the
    /// subscription is gone, or reading is not to go on (`Reconnect::Never`: the stream ends
    /// after the error).
    fn report_break(&self, what: &str) -> bool {
        let again = self.options.reconnect.bounds().is_some();
        let then = if again {
            "reading again (entries wait in the stream)"
        } else {
            "not reading again (entries wait in the stream for another consumer of the group)"
        };
        self.tx.broke(TransportError::Receive {
            address: self.group.stream.clone(),
            source: format!("reading the stream failed ({what}); {then}").into(),
        });
        again && !self.tx.is_gone()
    }

    /// `XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS stream id`.
    async fn read(&mut self, id: &str, block: Option<Duration>) -> redis::RedisResult<Vec<Entry>> {
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(&self.group.group)
            .arg(&self.group.consumer)
            .arg("COUNT")
            .arg(self.options.batch);
        if let Some(block) = block {
            cmd.arg("BLOCK").arg(block.as_millis() as u64);
        }
        cmd.arg("STREAMS").arg(&self.group.stream).arg(id);
        let reply: Value = cmd.query_async(&mut self.reads).await?;
        Ok(read_reply(reply))
    }

    /// `XAUTOCLAIM stream g c min-idle 0-0 COUNT n`: entries pending with any consumer of the
    /// group for longer than `claim_after`.
    async fn claim(&mut self) -> redis::RedisResult<Vec<Entry>> {
        let reply: Value = redis::cmd("XAUTOCLAIM")
            .arg(&self.group.stream)
            .arg(&self.group.group)
            .arg(&self.group.consumer)
            .arg(self.options.claim_after.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(self.options.batch)
            .query_async(&mut self.reads)
            .await?;
        Ok(match reply {
            Value::Array(mut parts) if parts.len() >= 2 => entries(parts.swap_remove(1)),
            _ => Vec::new(),
        })
    }

    fn envelope(&self, (id, fields): Entry) -> Envelope {
        let mut envelope = entry_envelope(self.group.stream.clone(), fields);
        envelope.acknowledgement = Some(Acknowledgement::new(StreamEntry {
            acks: self.acks.clone(),
            commands: self.commands.clone(),
            group: self.group.clone(),
            id,
        }));
        envelope
    }
}

/// The envelope of a stream entry's fields (payload, content type, correlation id and reply
/// address in fields of their own, the rest headers), on `stream`.
pub(crate) fn entry_envelope(stream: String, fields: Vec<(Vec<u8>, Bytes)>) -> Envelope {
    let mut envelope = Envelope::new(stream);
    let mut headers = Headers::new();
    for (name, value) in fields {
        match name.as_slice() {
            n if n == PAYLOAD.as_bytes() => envelope.payload = value,
            n if n == CONTENT_TYPE.as_bytes() => {
                envelope.content_type = Some(asyncapi_runtime::envelope::content_type_of(
                    &String::from_utf8_lossy(&value),
                ))
            }
            n if n == CORRELATION_ID.as_bytes() => {
                envelope.correlation_id = Some(String::from_utf8_lossy(&value).into_owned())
            }
            n if n == REPLY_TO.as_bytes() => {
                envelope.reply_to = Some(String::from_utf8_lossy(&value).into_owned())
            }
            _ => headers.append(String::from_utf8_lossy(&name).into_owned(), value),
        }
    }
    envelope.headers = headers;
    envelope
}

fn text(value: Value) -> Option<String> {
    match value {
        Value::BulkString(b) => String::from_utf8(b).ok(),
        Value::SimpleString(s) => Some(s),
        _ => None,
    }
}

fn blob(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        _ => None,
    }
}

/// The entries of an `XREADGROUP` reply: RESP3 answers a map of stream to entries, RESP2 an
/// array of `[stream, entries]` pairs; no entry is `nil`.
pub(crate) fn read_reply(reply: Value) -> Vec<Entry> {
    match reply {
        Value::Map(streams) => streams.into_iter().flat_map(|(_, e)| entries(e)).collect(),
        Value::Array(streams) => streams
            .into_iter()
            .flat_map(|s| match s {
                Value::Array(mut pair) if pair.len() == 2 => entries(pair.swap_remove(1)),
                _ => Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `[[id, [field, value, ...]], ...]`; an entry deleted while pending has no fields, and is
/// left out.
fn entries(value: Value) -> Vec<Entry> {
    let Value::Array(list) = value else {
        return Vec::new();
    };
    list.into_iter()
        .filter_map(|entry| {
            let Value::Array(parts) = entry else {
                return None;
            };
            let mut parts = parts.into_iter();
            let id = text(parts.next()?)?;
            let Value::Array(kv) = parts.next()? else {
                return None;
            };
            let mut fields = Vec::with_capacity(kv.len() / 2);
            let mut kv = kv.into_iter();
            while let (Some(k), Some(v)) = (kv.next(), kv.next()) {
                fields.push((blob(k)?, Bytes::from(blob(v)?)));
            }
            Some((id, fields))
        })
        .collect()
}

/// An entry's id to acknowledge, and who waits for the answer.
type Ack = (
    String,
    tokio::sync::oneshot::Sender<Result<(), TransportError>>,
);

/// `XACK stream group id...` for the ids acknowledged so far, so that entries settled together
/// (a batch that decoded) cost one round trip.
fn xack<'a>(group: &Group, ids: impl IntoIterator<Item = &'a str>) -> redis::Cmd {
    let mut cmd = redis::cmd("XACK");
    cmd.arg(&group.stream).arg(&group.group);
    for id in ids {
        cmd.arg(id);
    }
    cmd
}

/// How many settled entries wait for the acknowledging task at most (an id and a reply each):
/// past that, settling waits for the `XACK` under way.
const ACKS_QUEUED: usize = 1024;

/// The task that sends a subscription's acknowledgements: whatever has been settled while the
/// previous `XACK` was under way goes in the next one.
async fn acknowledge(
    mut commands: ConnectionManager,
    group: Group,
    mut pending: mpsc::Receiver<Ack>,
) {
    let mut batch = Vec::new();
    while pending.recv_many(&mut batch, 512).await > 0 {
        let answer = xack(&group, batch.iter().map(|(id, _)| id.as_str()))
            .query_async::<i64>(&mut commands)
            .await;
        for (id, waiting) in batch.drain(..) {
            let result = match &answer {
                Ok(_) => Ok(()),
                Err(e) => Err(TransportError::Send {
                    address: format!("{} (XACK {id})", group.stream),
                    source: e.to_string().into(),
                }),
            };
            let _ = waiting.send(result);
        }
    }
}

/// The acknowledgement of one entry.
struct StreamEntry {
    acks: mpsc::Sender<Ack>,
    commands: ConnectionManager,
    group: Group,
    id: String,
}

impl Settle for StreamEntry {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        Box::pin(async move {
            if outcome == Outcome::Nack {
                // Left pending: claimed again once it has been idle for `claim_after`.
                return Ok(());
            }
            let (tx, answer) = tokio::sync::oneshot::channel();
            // Waits while the acknowledging task is `ACKS_QUEUED` behind.
            if self.acks.send((self.id.clone(), tx)).await.is_ok()
                && let Ok(result) = answer.await
            {
                return result;
            }
            // The task that acknowledges is gone (its runtime is shutting down): on our own.
            let mut commands = self.commands.clone();
            xack(&self.group, [self.id.as_str()])
                .query_async::<i64>(&mut commands)
                .await
                .map(drop)
                .map_err(|e| TransportError::Send {
                    address: format!("{} (XACK {})", self.group.stream, self.id),
                    source: Box::new(e),
                })
        })
    }
}

impl Stream for RedisStreamSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.closed.poll_closed(cx).is_ready() {
            // What was read and not acknowledged stays pending in the group, for a claim.
            self.reader.abort();
            return Poll::Ready(None);
        }
        Pin::new(&mut self.entries).poll_next(cx)
    }
}

impl Subscriber for RedisStreamSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        self.reader.abort();
        self.entries.close();
        Ok(())
    }
}

impl Drop for RedisStreamSubscriber {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn read_replies_of_both_protocol_versions() {
        let entry = Value::Array(vec![
            bulk("1-0"),
            Value::Array(vec![bulk("payload"), bulk("{}"), bulk("trace"), bulk("t")]),
        ]);
        let resp3 = Value::Map(vec![(bulk("jobs"), Value::Array(vec![entry.clone()]))]);
        let resp2 = Value::Array(vec![Value::Array(vec![
            bulk("jobs"),
            Value::Array(vec![entry]),
        ])]);
        for reply in [resp3, resp2] {
            let entries = read_reply(reply);
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].0, "1-0");
            assert_eq!(entries[0].1[1].0, b"trace");
        }
        assert!(read_reply(Value::Nil).is_empty());
    }
}
