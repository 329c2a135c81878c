//! RabbitMQ for the AMQP tests: the machine's broker (127.0.0.1:5672, guest/guest) and
//! `rabbitmqadmin` as a peer that knows only the document (it needs the management plugin, which
//! `.ci/run` turns on).

use std::process::Command;

use asyncapi::amqp::{AmqpConnection, AmqpOptions};

/// The machine's RabbitMQ.
pub const AMQP: &str = "127.0.0.1:5672";

/// Options for the machine's RabbitMQ, as guest.
pub fn options() -> AmqpOptions {
    AmqpOptions::new(format!("amqp://guest:guest@{AMQP}/%2f"))
}

/// A connection to the machine's RabbitMQ.
pub async fn connect() -> AmqpConnection {
    AmqpConnection::connect(options())
        .await
        .expect("connects to RabbitMQ")
}

/// `rabbitmqadmin -f raw_json ARGS` as JSON; `None` (loudly; a failure under CI) when the
/// management API does not answer.
pub fn admin(args: &[&str]) -> Option<serde_json::Value> {
    let out = Command::new("rabbitmqadmin")
        .arg("-f")
        .arg("raw_json")
        .args(args)
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            Some(
                serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text.into_owned())),
            )
        }
        Ok(out) => {
            super::missing(&format!(
                "RABBITMQADMIN {args:?} FAILED ({} {}): is the management plugin on (`rabbitmq-plugins enable rabbitmq_management`)? The test did NOT run",
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
        Err(e) => {
            super::missing(&format!(
                "RABBITMQADMIN IS MISSING ({e}): the test did NOT run"
            ));
            None
        }
    }
}

/// `rabbitmqadmin ARGS` where failing is an answer too (deleting what may not exist).
pub fn admin_may_fail(args: &[&str]) {
    let _ = Command::new("rabbitmqadmin").args(args).output();
}

/// The messages of `queue`, taken off it (`rabbitmqadmin get ... ackmode=ack_requeue_false`).
pub fn take(queue: &str, count: usize) -> Option<Vec<serde_json::Value>> {
    let got = admin(&[
        "get",
        &format!("queue={queue}"),
        &format!("count={count}"),
        "ackmode=ack_requeue_false",
    ])?;
    Some(got.as_array().cloned().unwrap_or_default())
}
