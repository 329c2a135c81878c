//! [`SendTimer`]: the send timeout of a connection's publishers, kept by one ticking task for
//! all their sends instead of a timer per send (a timer entry costs a send more than the rest of
//! its confirmation; see *Instructions per message* in `docs/BENCHMARKS.md`).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::task::Poll;
use std::time::Duration;

use tokio::sync::Notify;

use crate::transport::TransportError;

/// Ticks per timeout: a send that gets no confirmation fails between its timeout and a quarter
/// more.
const TICKS: u64 = 4;

/// The send timeout of a connection's publishers (clone it into each): a send whose
/// confirmation does not come within the timeout is [`TransportError::Unconfirmed`], as with
/// [`confirmed`](crate::transport::confirmed), measured by one task that ticks four times per
/// timeout while the timer lives, started when a send first has to wait. A send that waits
/// registers for the next ticks (no timer of its own); one whose confirmation is there at once
/// registers for nothing. It fails between the timeout and a quarter more.
#[derive(Clone)]
pub struct SendTimer {
    inner: Arc<Inner>,
}

struct Inner {
    timeout: Duration,
    /// Ticks so far.
    epoch: AtomicU64,
    tick: Notify,
    /// Whether a task ticks.
    ticking: AtomicBool,
}

impl std::fmt::Debug for SendTimer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendTimer")
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl SendTimer {
    /// A timer of sends that may wait `timeout` for their confirmation.
    pub fn new(timeout: Duration) -> SendTimer {
        SendTimer {
            inner: Arc::new(Inner {
                timeout,
                epoch: AtomicU64::new(0),
                tick: Notify::new(),
                ticking: AtomicBool::new(false),
            }),
        }
    }

    /// The timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// `confirmation`'s result, or [`TransportError::Unconfirmed`] naming `address` when it does
    /// not come within the timeout (the confirmation is dropped then).
    pub async fn confirmed<T>(
        &self,
        address: &str,
        confirmation: impl Future<Output = Result<T, TransportError>>,
    ) -> Result<T, TransportError> {
        let mut confirmation = std::pin::pin!(confirmation);
        if let Some(done) = futures_util::FutureExt::now_or_never(confirmation.as_mut()) {
            return done;
        }
        self.tick_on();
        let inner = &self.inner;
        let start = inner.epoch.load(Ordering::SeqCst);
        loop {
            // Registered before the epoch is read again, so that no tick is missed.
            let mut tick = std::pin::pin!(inner.tick.notified());
            tick.as_mut().enable();
            if inner.epoch.load(Ordering::SeqCst) > start + TICKS {
                return Err(TransportError::Unconfirmed {
                    address: address.to_owned(),
                    timeout: inner.timeout,
                });
            }
            if !inner.ticking.load(Ordering::SeqCst) {
                // The task ended with its runtime: this send's runtime ticks from now on.
                self.tick_on();
            }
            // The confirmation, or the next tick.
            let done = std::future::poll_fn(|cx| {
                if let Poll::Ready(done) = confirmation.as_mut().poll(cx) {
                    return Poll::Ready(Some(done));
                }
                tick.as_mut().poll(cx).map(|()| None)
            })
            .await;
            if let Some(done) = done {
                return done;
            }
        }
    }

    /// Starts the ticking task unless one runs.
    fn tick_on(&self) {
        if self
            .inner
            .ticking
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            let period = (self.inner.timeout / TICKS as u32).max(Duration::from_millis(1));
            tokio::spawn(tick(Arc::downgrade(&self.inner), period));
        }
    }
}

/// Ticks `inner` every `period` while it lives; says when it stops (its runtime ended), so that
/// a send still waiting starts another.
async fn tick(inner: Weak<Inner>, period: Duration) {
    struct Stopped(Weak<Inner>);
    impl Drop for Stopped {
        fn drop(&mut self) {
            if let Some(inner) = self.0.upgrade() {
                inner.ticking.store(false, Ordering::SeqCst);
                inner.tick.notify_waiters();
            }
        }
    }
    let _stopped = Stopped(inner.clone());
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        ticks.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        inner.epoch.fetch_add(1, Ordering::SeqCst);
        inner.tick.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("runtime")
    }

    #[test]
    fn a_confirmation_that_never_comes_fails_between_the_timeout_and_a_quarter_more() {
        runtime().block_on(async {
            let timer = SendTimer::new(Duration::from_secs(8));
            let started = tokio::time::Instant::now();
            let sent = timer
                .confirmed(
                    "orders",
                    std::future::pending::<Result<(), TransportError>>(),
                )
                .await;
            let waited = started.elapsed();
            assert!(
                matches!(&sent, Err(TransportError::Unconfirmed { address, timeout })
                    if address == "orders" && *timeout == Duration::from_secs(8)),
                "{sent:?}"
            );
            assert!(
                waited >= Duration::from_secs(8) && waited <= Duration::from_secs(10),
                "{waited:?}"
            );
        });
    }

    #[test]
    fn confirmations_in_time_are_theirs_whether_at_once_or_later() {
        runtime().block_on(async {
            let timer = SendTimer::new(Duration::from_secs(8));
            assert_eq!(timer.confirmed("a", async { Ok(1) }).await.unwrap(), 1);
            let later = async {
                tokio::time::sleep(Duration::from_secs(7)).await;
                Ok(2)
            };
            assert_eq!(timer.confirmed("a", later).await.unwrap(), 2);
            // Many waiting at once, each on its own clock: one started late still has its time.
            let (a, b) = tokio::join!(
                timer.confirmed("a", async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Ok::<_, TransportError>(3)
                }),
                async {
                    tokio::time::sleep(Duration::from_secs(4)).await;
                    timer
                        .confirmed("b", async {
                            tokio::time::sleep(Duration::from_secs(7)).await;
                            Ok::<_, TransportError>(4)
                        })
                        .await
                }
            );
            assert_eq!((a.unwrap(), b.unwrap()), (3, 4));
        });
    }

    #[test]
    fn a_timer_whose_runtime_ended_ticks_on_the_next_one() {
        let timer = SendTimer::new(Duration::from_secs(4));
        runtime().block_on(async {
            let late = async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Ok(())
            };
            timer.confirmed("a", late).await.unwrap();
        });
        runtime().block_on(async {
            let sent = tokio::time::timeout(
                Duration::from_secs(60),
                timer.confirmed("a", std::future::pending::<Result<(), TransportError>>()),
            )
            .await;
            assert!(
                matches!(sent, Ok(Err(TransportError::Unconfirmed { .. }))),
                "{sent:?}"
            );
        });
    }
}
