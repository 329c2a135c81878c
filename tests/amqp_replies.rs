//! Request/reply on the AMQP transport against the machine's RabbitMQ: the AsyncAPI
//! specification's RPC server example from both sides (a reply queue named in `reply_to`), and
//! the project's sums document answered through RabbitMQ's direct reply-to
//! (`amq.rabbitmq.reply-to`), by the typed service and by `rabbitmqadmin` as a peer that follows
//! only the document (the correlation id in the header the document names).

mod common;

use common::rabbitmq::{AMQP, admin, connect, take};
use common::{next, unique};

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::amqp::AmqpEnvelope;
use asyncapi::transport::{Producer, Publisher};

/// The AsyncAPI specification's RPC server example, from both sides.
mod rpc {
    asyncapi::include_spec!("tests/specs/third-party/amqp-rpc-server.yaml");
}
/// Sums answered through RabbitMQ's direct reply-to: the asking side and the answering side.
mod sums {
    asyncapi::include_spec!("tests/specs/amqp-sums.yaml");
}
mod sums_service {
    asyncapi::include_spec!("tests/specs/amqp-sums.yaml", perspective = "client");
}
mod rpc_client {
    asyncapi::include_spec!(
        "tests/specs/third-party/amqp-rpc-server.yaml",
        perspective = "client"
    );
}

/// The tests that use the sums queue take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_the_specifications_rpc_example_from_both_sides() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let server = connect().await;
    let client = connect().await;
    // The server sums what comes on `rpc_queue` and answers on the queue the request names.
    let mut requests = rpc::operations::Sum::subscribe(&server, &rpc::channels::rpc_queue::Filter)
        .await
        .unwrap();
    let answering = server.clone();
    tokio::spawn(async move {
        while let Some(Ok(request)) = requests.next().await {
            let Some(reply_to) = request.reply_to.clone() else {
                continue;
            };
            let sum = request
                .message
                .payload
                .numbers
                .clone()
                .unwrap_or_default()
                .iter()
                .sum();
            let result = rpc::messages::SendSumResult::new(rpc::models::SendSumResultPayload {
                result: Some(sum),
            });
            let _ = rpc::operations::SendSumResult::send(
                &answering,
                &rpc::channels::queue::Params { queue: reply_to },
                &result,
            )
            .await;
        }
    });
    // The client: its own exclusive reply queue (the document's `queue` channel), then the
    // request with `reply_to`.
    let reply_queue = unique("rpc-reply");
    let mut results = rpc_client::operations::SendSumResult::subscribe(
        &client,
        &rpc_client::channels::queue::Filter {
            queue: Some(reply_queue.clone()),
        },
    )
    .await
    .unwrap();
    let publisher = client
        .publisher(&rpc_client::channels::rpc_queue::spec())
        .await
        .unwrap();
    let mut envelope = AmqpEnvelope::default();
    let request = rpc_client::messages::Sum::new(rpc_client::models::SumPayload {
        numbers: Some(vec![4.0, 3.0]),
    });
    asyncapi::Message::encode(&request, &mut envelope).unwrap();
    envelope.envelope.address = "rpc_queue".into();
    envelope.envelope.reply_to = Some(reply_queue.clone());
    publisher.send(envelope).await.unwrap();
    let answer = next(&mut results).await.unwrap();
    assert_eq!(answer.params.queue, reply_queue);
    assert_eq!(answer.message.payload.result, Some(7.0));
}

fn sum(numbers: &[f64]) -> sums::messages::Sum {
    sums::messages::Sum {
        payload: sums::models::SumPayload {
            numbers: numbers.to_vec(),
        },
        // The correlation id is the request's to fill in.
        headers: sums::models::Correlated {
            correlation_id: None,
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_request_reply_through_direct_reply_to_from_both_sides() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let service = connect().await;
    let mut requests =
        sums_service::operations::Sum::subscribe(&service, &sums_service::channels::sums::Filter)
            .await
            .unwrap();
    admin(&["purge", "queue", "name=asyncapi-test.sums"]);
    let answering = service.clone();
    tokio::spawn(async move {
        while let Some(Ok(request)) = requests.next().await {
            // What the service saw: a generated reply address, the correlation id in the header.
            let reply_to = request.reply_to.clone().unwrap_or_default();
            assert!(reply_to.starts_with("amq.rabbitmq.reply-to."), "{reply_to}");
            assert!(request.message.headers.correlation_id.is_some());
            let total = sums_service::messages::Total {
                payload: sums_service::models::TotalPayload {
                    result: request.message.payload.numbers.iter().sum(),
                },
                headers: sums_service::models::Correlated {
                    correlation_id: None,
                },
            };
            sums_service::operations::Sum::reply(&answering, &request, &total)
                .await
                .unwrap();
        }
    });
    // Two requests at once on one connection: one direct reply-to channel, each reply to its
    // own request.
    let client = connect().await;
    let params = sums::channels::sums::Params;
    let (small, large) = (sum(&[1.0, 2.0]), sum(&[10.0, 20.0, 30.0]));
    let (a, b) = tokio::join!(
        sums::operations::Sum::request(&client, &params, &small, Duration::from_secs(10)),
        sums::operations::Sum::request(&client, &params, &large, Duration::from_secs(10)),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        (a.message.payload.result, b.message.payload.result),
        (3.0, 60.0)
    );
    assert!(a.message.headers.correlation_id.is_some());
    assert_ne!(a.correlation_id, b.correlation_id);
    // No reply queue was declared for them.
    let queues = admin(&["list", "queues", "name"]).unwrap_or_default();
    assert!(
        !queues.to_string().contains("amq.rabbitmq.reply-to"),
        "{queues}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_peer_that_knows_only_the_document_answers_a_request() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let client = connect().await;
    // The request queue, declared by the requester's sender and emptied first.
    sums::operations::Sum::open(&client).await.unwrap();
    let Some(_) = admin(&["purge", "queue", "name=asyncapi-test.sums"]) else {
        return;
    };
    let asking = client.clone();
    let answer = tokio::spawn(async move {
        sums::operations::Sum::request(
            &asking,
            &sums::channels::sums::Params,
            &sum(&[4.0, 3.0]),
            Duration::from_secs(15),
        )
        .await
    });
    // The peer takes the request off the queue as the document describes it ...
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let request = loop {
        if let Some(m) = take("asyncapi-test.sums", 1).and_then(|m| m.into_iter().next()) {
            break m;
        }
        assert!(tokio::time::Instant::now() < deadline, "no request in 10 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(request["payload"], r#"{"numbers":[4.0,3.0]}"#);
    let reply_to = request["properties"]["reply_to"]
        .as_str()
        .unwrap()
        .to_owned();
    let correlation = request["properties"]["headers"]["correlationId"]
        .as_str()
        .expect("the correlation id where the document keeps it")
        .to_owned();
    // ... and answers at the reply address with the correlation id in the header alone: a
    // reply to someone else first, then the right one.
    for (id, result) in [("someone-else", 0), (correlation.as_str(), 7)] {
        admin(&[
            "publish",
            "exchange=amq.default",
            &format!("routing_key={reply_to}"),
            &format!(r#"payload={{"result":{result}}}"#),
            &format!(r#"properties={{"headers":{{"correlationId":"{id}"}}}}"#),
        ]);
    }
    let reply = answer.await.unwrap().expect("the peer's reply");
    assert_eq!(reply.message.payload.result, 7.0);
    assert_eq!(reply.correlation_id.as_deref(), Some(correlation.as_str()));
}
