//! The queues and the fan-out, under the policies and limits they promise.

use super::*;
use crate::envelope::Envelope;
use crate::test_support::block_on;
use futures_util::StreamExt;
use std::time::Duration;

fn note(n: usize, size: usize) -> Envelope {
    Envelope::new("n").with_payload(format!("{n:0size$}"))
}

#[test]
fn wait_holds_the_writer_until_there_is_room() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(2, 1 << 20), Overflow::Wait);
        tx.send(note(1, 1)).await.unwrap();
        tx.send(note(2, 1)).await.unwrap();
        let third = tokio::time::timeout(Duration::from_millis(50), tx.send(note(3, 1))).await;
        assert!(third.is_err(), "the third send waits while two are held");
        assert_eq!(rx.held(), (2, 4));
        assert_eq!(&rx.next().await.unwrap().unwrap().payload[..], b"1");
        tokio::time::timeout(Duration::from_secs(5), tx.send(note(4, 1)))
            .await
            .expect("room again")
            .unwrap();
    });
}

#[test]
fn queue_now_gives_back_what_would_wait_and_counts_what_would_drop() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(1, 1 << 20), Overflow::Wait);
        tx.queue_now(note(1, 1)).expect("room");
        match tx.queue_now(note(2, 1)) {
            Err(NotQueued::Full(back)) => assert_eq!(&back.payload[..], b"2"),
            other => panic!("a full waiting queue gives the message back, got {other:?}"),
        }
        assert_eq!(rx.held(), (1, 2));
        assert_eq!(&rx.next().await.unwrap().unwrap().payload[..], b"1");
        tx.queue_now(note(3, 1)).expect("room again");
        rx.close();
        assert!(matches!(tx.queue_now(note(4, 1)), Err(NotQueued::Gone(_))));

        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(1, 1 << 20), Overflow::Drop);
        tx.queue_now(note(1, 1)).expect("room");
        tx.queue_now(note(2, 1))
            .expect("dropped and counted, not given back");
        rx.next().await.unwrap().unwrap();
        assert!(matches!(
            rx.next().await.unwrap(),
            Err(TransportError::Lagged { dropped: 1, .. })
        ));
    });
}

#[test]
fn bytes_bound_as_well_as_messages_and_one_heavy_message_still_passes() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(100, 250), Overflow::Drop);
        // Each weighs 101 bytes (100 of payload, 1 of address): two fit, the third does not.
        for n in 0..3 {
            tx.send(note(n, 100)).await.unwrap();
        }
        assert_eq!(rx.held(), (2, 202));
        rx.next().await.unwrap().unwrap();
        rx.next().await.unwrap().unwrap();
        assert!(matches!(
            rx.next().await.unwrap(),
            Err(TransportError::Lagged { dropped: 1, .. })
        ));
        // Alone in the queue, a message heavier than the bound is taken.
        tx.send(note(9, 1000)).await.unwrap();
        assert_eq!(rx.held(), (1, 1001));
        assert_eq!(rx.next().await.unwrap().unwrap().payload.len(), 1000);
    });
}

#[test]
fn drop_counts_what_a_slow_subscriber_missed_and_goes_on() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("lights", Limits::new(3, 1 << 20), Overflow::Drop);
        for n in 0..10 {
            tx.try_send(note(n, 1)).unwrap();
        }
        tx.send(note(10, 1)).await.unwrap();
        let mut got = Vec::new();
        let mut dropped = 0;
        for _ in 0..4 {
            match rx.next().await.unwrap() {
                Ok(e) => got.push(e.payload),
                Err(TransportError::Lagged {
                    address,
                    dropped: n,
                }) => {
                    assert_eq!(address, "lights");
                    dropped += n;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, ["0", "1", "2"]);
        assert_eq!(
            dropped, 8,
            "one error counts every message dropped in a row"
        );
        tx.send(note(11, 2)).await.unwrap();
        assert_eq!(&rx.next().await.unwrap().unwrap().payload[..], b"11");
        let err = TransportError::Lagged {
            address: "lights".into(),
            dropped: 8,
        };
        assert_eq!(
            err.to_string(),
            "`lights`: the subscriber fell behind; 8 messages were dropped"
        );
    });
}

#[test]
fn one_error_per_break_behind_what_is_held() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::DEFAULT, Overflow::Wait);
        tx.send(note(1, 1)).await.unwrap();
        let broke = || TransportError::Closed("broke".into());
        tx.broke(broke());
        tx.broke(broke());
        tx.send(note(2, 1)).await.unwrap();
        assert!(rx.next().await.unwrap().is_ok());
        assert!(rx.next().await.unwrap().is_err());
        assert!(rx.next().await.unwrap().is_ok());
        // Read, a later break is told again.
        tx.broke(broke());
        assert!(rx.next().await.unwrap().is_err());
    });
}

#[test]
fn alternating_drops_and_breaks_hold_one_of_each_between_messages() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(1, 1 << 20), Overflow::Drop);
        tx.send(note(1, 1)).await.unwrap();
        for _ in 0..1000 {
            tx.try_send(note(2, 1)).unwrap();
            tx.broke(TransportError::Closed("broke".into()));
        }
        assert!(rx.next().await.unwrap().is_ok());
        let lagged = rx.next().await.unwrap().unwrap_err();
        assert!(matches!(
            lagged,
            TransportError::Lagged { dropped: 1000, .. }
        ));
        assert!(matches!(
            rx.next().await.unwrap(),
            Err(TransportError::Closed(_))
        ));
        tx.send(note(3, 1)).await.unwrap();
        assert_eq!(&rx.next().await.unwrap().unwrap().payload[..], b"3");
    });
}

#[test]
fn a_subscription_to_a_closed_fanout_ends_at_once() {
    block_on(async {
        let fanout = Fanout::<(), Envelope>::new();
        fanout.close();
        let (_, mut late) = fanout.subscribe((), "late", Limits::DEFAULT, Overflow::Wait);
        assert!(late.next().await.is_none());
        assert!(fanout.is_empty());
    });
}

#[test]
fn ends_when_senders_go_and_refuses_once_the_subscriber_goes() {
    block_on(async {
        let (tx, mut rx) = queue::<Envelope>("q", Limits::DEFAULT, Overflow::Wait);
        let other = tx.clone();
        tx.send(note(1, 1)).await.unwrap();
        drop(tx);
        other.send(note(2, 1)).await.unwrap();
        drop(other);
        assert_eq!(rx.by_ref().count().await, 2);

        let (tx, mut rx) = queue::<Envelope>("q", Limits::new(1, 1 << 20), Overflow::Wait);
        tx.send(note(1, 1)).await.unwrap();
        // A writer waiting for room learns that the subscriber went.
        let waiting = tokio::spawn(async move {
            let r = tx.send(note(2, 1)).await;
            (r.is_err(), tx.is_gone())
        });
        tokio::task::yield_now().await;
        rx.close();
        assert!(rx.next().await.is_none());
        assert_eq!(waiting.await.unwrap(), (true, true));
    });
}

#[test]
fn fanout_hands_each_match_a_copy_and_forgets_the_gone() {
    block_on(async {
        let fanout = Fanout::<&'static str, Envelope>::new();
        let (_, mut a) = fanout.subscribe("a", "a", Limits::DEFAULT, Overflow::Wait);
        let (b_id, mut b) = fanout.subscribe("b", "b", Limits::DEFAULT, Overflow::Wait);
        let (_, c) = fanout.subscribe("a", "a", Limits::DEFAULT, Overflow::Wait);
        drop(c);
        assert_eq!(fanout.deliver(note(1, 1), |k| *k == "a").await, 1);
        assert_eq!(fanout.len(), 2, "the dropped subscription is forgotten");
        assert_eq!(fanout.try_deliver(note(2, 1), |_| true), 2);
        fanout.broke(|address| TransportError::Closed(address.to_owned()));
        fanout.remove(b_id);
        fanout.close();
        let a: Vec<_> = a.by_ref().collect().await;
        assert_eq!(a.len(), 3);
        assert!(matches!(&a[2], Err(TransportError::Closed(x)) if x == "a"));
        assert_eq!(b.by_ref().count().await, 2);
    });
}

#[test]
fn select_shared_gives_each_group_one_member_in_turn_and_the_others_every_message() {
    // Keys: (which, filter, group).
    type Key = (usize, &'static str, Option<&'static str>);
    let fanout = Fanout::<Key, Envelope>::new();
    let mut inboxes = Vec::new();
    for (i, (filter, group)) in [
        ("jobs", Some("workers")),
        ("jobs", Some("workers")),
        ("jobs", Some("workers")),
        ("jobs", Some("auditors")),
        ("jobs", None),
        ("other", Some("workers")),
    ]
    .into_iter()
    .enumerate()
    {
        inboxes.push(fanout.subscribe((i, filter, group), "jobs", Limits::DEFAULT, Overflow::Wait));
    }
    let mut counts = [0usize; 6];
    for _ in 0..30 {
        let picked = fanout.select_shared(|k: &Key| (k.1 == "jobs").then_some(k.0), |k| k.2);
        // One worker, the one auditor, the subscriber without a group.
        assert_eq!(picked.len(), 3);
        for (i, _) in picked {
            counts[i] += 1;
        }
    }
    assert_eq!(&counts[..3], &[10, 10, 10], "the workers take turns");
    assert_eq!(counts[3], 30, "a group of one gets everything");
    assert_eq!(counts[4], 30, "a subscriber in no group gets everything");
    assert_eq!(
        counts[5], 0,
        "a member whose filter does not match gets nothing"
    );
}
