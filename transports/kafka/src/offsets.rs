//! Which offsets a subscription may commit: Kafka commits a position per partition (everything
//! before it is done), while an application settles records in any order. A partition's
//! position is its oldest record handed out and not settled, or the one after the newest handed
//! out when all are settled, so that nothing unsettled is ever behind a commit.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A partition of a topic.
pub(crate) type Partition = (Arc<str>, i32);

#[derive(Debug, Default)]
struct State {
    /// Handed out, not settled.
    pending: BTreeSet<i64>,
    /// One after the newest offset handed out.
    next: i64,
    /// The position last given to librdkafka to commit.
    stored: Option<i64>,
}

impl State {
    fn position(&self) -> i64 {
        self.pending.first().copied().unwrap_or(self.next)
    }
}

/// The offsets of one subscription's partitions.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    partitions: BTreeMap<Partition, State>,
    /// Records to read again (nacked or dropped unsettled), oldest per partition.
    rewind: BTreeMap<Partition, i64>,
    /// Whether a record was settled since the positions were last taken.
    dirty: bool,
}

impl Tracker {
    /// A record at `offset` is handed out.
    pub(crate) fn delivered(&mut self, partition: &Partition, offset: i64) {
        let state = match self.partitions.get_mut(partition) {
            Some(state) => state,
            None => self.partitions.entry(partition.clone()).or_default(),
        };
        state.pending.insert(offset);
        state.next = state.next.max(offset + 1);
    }

    /// The record at `offset` is done with (acknowledged or rejected).
    pub(crate) fn settled(&mut self, partition: &Partition, offset: i64) {
        if let Some(state) = self.partitions.get_mut(partition) {
            state.pending.remove(&offset);
            self.dirty = true;
        }
    }

    /// The record at `offset` is to be read again: the partition is read again from it (what
    /// came after it comes again too, at least once), and its position stays at most there.
    pub(crate) fn again(&mut self, partition: &Partition, offset: i64) {
        let at = self.rewind.entry(partition.clone()).or_insert(offset);
        *at = (*at).min(offset);
    }

    /// Whether there may be something to store (`commits`) or to rewind.
    pub(crate) fn has_work(&self, commits: bool) -> bool {
        !self.rewind.is_empty() || (commits && self.dirty)
    }

    /// The partitions whose position moved since it was last taken, with the position.
    pub(crate) fn take_positions(&mut self) -> Vec<(Partition, i64)> {
        self.dirty = false;
        let mut moved = Vec::new();
        for (partition, state) in &mut self.partitions {
            let position = state.position();
            if state.next > 0 && state.stored != Some(position) {
                state.stored = Some(position);
                moved.push((partition.clone(), position));
            }
        }
        moved
    }

    /// The partitions to read again, and from where.
    pub(crate) fn take_rewinds(&mut self) -> Vec<(Partition, i64)> {
        std::mem::take(&mut self.rewind).into_iter().collect()
    }

    /// Forgets partitions this member no longer reads (a rebalance gave them to another).
    pub(crate) fn forget(&mut self, gone: impl Fn(&Partition) -> bool) {
        self.partitions.retain(|p, _| !gone(p));
        self.rewind.retain(|p, _| !gone(p));
    }

    /// Whether nothing is handed out unsettled.
    #[cfg(test)]
    fn is_settled(&self) -> bool {
        self.partitions.values().all(|s| s.pending.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: i32) -> Partition {
        (Arc::from("jobs"), n)
    }

    #[test]
    fn a_position_never_passes_an_unsettled_record() {
        let mut t = Tracker::default();
        for offset in 10..15 {
            t.delivered(&p(0), offset);
        }
        // Settled out of order: 12 and 13 first.
        t.settled(&p(0), 12);
        t.settled(&p(0), 13);
        assert_eq!(t.take_positions(), vec![(p(0), 10)]);
        assert_eq!(t.take_positions(), vec![], "nothing moved");
        t.settled(&p(0), 10);
        assert_eq!(t.take_positions(), vec![(p(0), 11)]);
        t.settled(&p(0), 11);
        t.settled(&p(0), 14);
        assert_eq!(t.take_positions(), vec![(p(0), 15)]);
        assert!(t.is_settled());
    }

    #[test]
    fn partitions_are_apart_and_forgotten_on_revocation() {
        let mut t = Tracker::default();
        t.delivered(&p(0), 3);
        t.delivered(&p(1), 7);
        t.settled(&p(1), 7);
        assert_eq!(t.take_positions(), vec![(p(0), 3), (p(1), 8)]);
        t.forget(|q| q.1 == 0);
        t.settled(&p(0), 3);
        assert_eq!(
            t.take_positions(),
            vec![],
            "a partition given away is not committed"
        );
    }

    #[test]
    fn records_read_again_rewind_to_the_oldest() {
        let mut t = Tracker::default();
        for offset in 0..4 {
            t.delivered(&p(0), offset);
        }
        t.again(&p(0), 2);
        t.again(&p(0), 1);
        t.settled(&p(0), 0);
        assert_eq!(t.take_rewinds(), vec![(p(0), 1)]);
        assert_eq!(t.take_rewinds(), vec![]);
        // Its position stays behind the record to read again.
        assert_eq!(t.take_positions(), vec![(p(0), 1)]);
        // Read again, and settled this time.
        t.delivered(&p(0), 1);
        for offset in 1..4 {
            t.settled(&p(0), offset);
        }
        assert_eq!(t.take_positions(), vec![(p(0), 4)]);
    }
}
