//! The consumer-group scenarios, through the generated code of `specs/work-queue.yaml`: a
//! dispatcher sends survey jobs, workers subscribed in one group share them.

use std::collections::BTreeMap;
use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::transport::{Consumer, TransportError};

use crate::scenarios::{PATIENCE, connect, run_id, within};
use crate::{Harness, survey};

type Worker<S> =
    asyncapi::operation::Receiver<S, survey::channels::jobs::Params, survey::messages::Job>;

/// How long a scenario waits, once every job it expects has come, for one to come twice.
const QUIET: Duration = Duration::from_secs(2);

fn job(seq: i64, run: &str) -> survey::messages::Job {
    survey::messages::Job::new(survey::models::JobPayload {
        seq,
        site: format!("well {seq} of {run}"),
    })
}

fn jobs_of(run: &str) -> survey::channels::jobs::Filter {
    survey::channels::jobs::Filter {
        run: Some(run.to_owned()),
    }
}

async fn worker<C: Consumer>(connection: &C, run: &str, group: &str) -> Worker<C::Subscriber> {
    within(
        "subscribing in a group",
        survey::operations::Work::subscribe_in_group(connection, &jobs_of(run), group),
    )
    .await
    .unwrap_or_else(|e| panic!("a worker subscribes in group `{group}`: {e}"))
}

async fn dispatch<H: Harness>(connection: &H::Connection, run: &str, seqs: std::ops::Range<i64>) {
    let sender = survey::operations::Dispatch::open(connection)
        .await
        .expect("the dispatcher opens the channel");
    let params = survey::channels::jobs::Params {
        run: run.to_owned(),
    };
    for seq in seqs {
        within("a send", sender.send(&params, &job(seq, run)))
            .await
            .unwrap_or_else(|e| panic!("job {seq} is sent: {e}"));
    }
}

/// What each worker received: job numbers, in order, per worker.
type Received = Vec<Vec<i64>>;

/// Reads the workers until `done` says the jobs received so far are enough, then for [`QUIET`]
/// more (for a job coming twice); each job is acknowledged as it comes.
async fn gather<S>(
    mut workers: Vec<&mut Worker<S>>,
    done: impl Fn(&Received) -> bool,
    what: &str,
) -> Received
where
    S: asyncapi::transport::Subscriber,
{
    let mut received: Received = vec![Vec::new(); workers.len()];
    let mut deadline = tokio::time::Instant::now() + PATIENCE;
    let mut quiet = false;
    loop {
        if !quiet && done(&received) {
            quiet = true;
            deadline = tokio::time::Instant::now() + QUIET;
        }
        let next = futures_next(&mut workers);
        match tokio::time::timeout_at(deadline, next).await {
            Err(_) if quiet => return received,
            Err(_) => panic!(
                "{what}: not every job came within {PATIENCE:?}; received per worker: {received:?}"
            ),
            Ok((i, Some(Ok(item)))) => {
                item.ack().await.expect("a job is acknowledged");
                received[i].push(item.message.payload.seq);
            }
            Ok((i, Some(Err(e)))) => panic!("{what}: worker {i} got an error: {e}"),
            Ok((i, None)) => panic!("{what}: worker {i}'s stream ended"),
        }
    }
}

/// The next item of any of `workers`, with the worker's index.
async fn futures_next<S>(
    workers: &mut [&mut Worker<S>],
) -> (
    usize,
    Option<
        asyncapi::message::Result<
            asyncapi::operation::Received<survey::channels::jobs::Params, survey::messages::Job>,
        >,
    >,
)
where
    S: asyncapi::transport::Subscriber,
{
    std::future::poll_fn(|cx| {
        for (i, w) in workers.iter_mut().enumerate() {
            if let std::task::Poll::Ready(item) = w.poll_next_unpin(cx) {
                return std::task::Poll::Ready((i, item));
            }
        }
        std::task::Poll::Pending
    })
    .await
}

/// How many times each job came, over every worker.
fn counts(received: &Received) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for seq in received.iter().flatten() {
        *counts.entry(*seq).or_default() += 1;
    }
    counts
}

fn assert_each_once(received: &Received, seqs: std::ops::Range<i64>, what: &str) {
    let counts = counts(received);
    let missing: Vec<i64> = seqs.clone().filter(|s| !counts.contains_key(s)).collect();
    assert!(missing.is_empty(), "{what}: jobs {missing:?} never came");
    let twice: Vec<(&i64, &usize)> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{what}: jobs came more than once (job, times): {twice:?}; a group's members share each message once"
    );
    let strangers: Vec<&i64> = counts.keys().filter(|s| !seqs.contains(s)).collect();
    assert!(
        strangers.is_empty(),
        "{what}: jobs {strangers:?} were not sent then"
    );
}

pub(crate) async fn shares<H: Harness>(harness: &H) {
    const JOBS: i64 = 200;
    let (a, b, dispatcher) = (
        connect(harness).await,
        connect(harness).await,
        connect(harness).await,
    );
    let run = run_id("group-shares");
    let group = format!("surveyors-{run}");
    let mut first = worker(&a, &run, &group).await;
    let mut second = worker(&b, &run, &group).await;
    let sending = dispatch::<H>(&dispatcher, &run, 0..JOBS);
    let gathering = gather(
        vec![&mut first, &mut second],
        |r| counts(r).len() as i64 >= JOBS,
        "two workers of one group",
    );
    let ((), received) = tokio::join!(sending, gathering);
    assert_each_once(&received, 0..JOBS, "two workers of one group");
    assert!(
        received.iter().all(|r| !r.is_empty()),
        "both workers get a share of {JOBS} jobs (per worker: {} and {})",
        received[0].len(),
        received[1].len()
    );
    for c in [&a, &b, &dispatcher] {
        let _ = harness.close(c).await;
    }
}

pub(crate) async fn late_member<H: Harness>(harness: &H) {
    const EARLY: i64 = 20;
    const LATE: i64 = 20;
    let (a, b, dispatcher) = (
        connect(harness).await,
        connect(harness).await,
        connect(harness).await,
    );
    let run = run_id("group-late");
    let group = format!("surveyors-{run}");
    let mut first = worker(&a, &run, &group).await;
    let sending = dispatch::<H>(&dispatcher, &run, 0..EARLY);
    let gathering = gather(
        vec![&mut first],
        |r| counts(r).len() as i64 >= EARLY,
        "the group's first worker, alone",
    );
    let ((), early) = tokio::join!(sending, gathering);
    assert_each_once(&early, 0..EARLY, "the group's first worker, alone");
    let mut second = worker(&b, &run, &group).await;
    let sending = dispatch::<H>(&dispatcher, &run, EARLY..EARLY + LATE);
    let gathering = gather(
        vec![&mut first, &mut second],
        |r| counts(r).len() as i64 >= LATE,
        "the group, with a worker that joined late",
    );
    let ((), late) = tokio::join!(sending, gathering);
    assert_each_once(
        &late,
        EARLY..EARLY + LATE,
        "the group, with a worker that joined late (it gets only new work)",
    );
    for c in [&a, &b, &dispatcher] {
        let _ = harness.close(c).await;
    }
}

pub(crate) async fn handover<H: Harness>(harness: &H) {
    const JOBS: i64 = 10;
    let (a, b, dispatcher) = (
        connect(harness).await,
        connect(harness).await,
        connect(harness).await,
    );
    let run = run_id("group-handover");
    let group = format!("surveyors-{run}");
    // The first worker settles by hand, and never does.
    let mut doomed = worker(&asyncapi::ack::ManualAck(&a), &run, &group).await;
    dispatch::<H>(&dispatcher, &run, 0..JOBS).await;
    let held = within("the first worker's first job", doomed.next())
        .await
        .expect("the stream is open")
        .expect("the job decodes");
    let first_held = held.message.payload.seq;
    // Let more come to it, then it dies holding what it has (the connection goes; nothing is
    // settled).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut survivor = worker(&b, &run, &group).await;
    let _ = harness.close(&a).await;
    drop(held);
    drop(doomed);
    drop(a);
    let received = gather(
        vec![&mut survivor],
        |r| counts(r).len() as i64 >= JOBS,
        "the surviving worker",
    )
    .await;
    let counts = counts(&received);
    let missing: Vec<i64> = (0..JOBS).filter(|s| !counts.contains_key(s)).collect();
    assert!(
        missing.is_empty(),
        "the jobs the dead worker held (among them {first_held}) reach the other worker; {missing:?} never did"
    );
    for c in [&b, &dispatcher] {
        let _ = harness.close(c).await;
    }
}

pub(crate) async fn refused<H: Harness>(harness: &H) {
    let connection = connect(harness).await;
    let run = run_id("group-refused");
    let group = format!("surveyors-{run}");
    let refused = within(
        "subscribing in a group",
        survey::operations::Work::subscribe_in_group(&connection, &jobs_of(&run), &group),
    )
    .await;
    match refused {
        Err(asyncapi::Error::Transport {
            source: TransportError::Open { source, .. },
            ..
        }) => {
            let said = source.to_string();
            assert!(said.contains(&group), "the refusal names the group: {said}");
        }
        Err(other) => panic!("a subscription in a group is refused when opening: {other}"),
        Ok(_) => panic!(
            "a transport without consumer groups opened a subscription in group `{group}`: every subscriber would get every message"
        ),
    }
    let _ = harness.close(&connection).await;
}
