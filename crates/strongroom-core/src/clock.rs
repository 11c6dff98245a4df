use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use time::OffsetDateTime;

/// The source of "now" for every time-dependent rule (expiry, restore window, rotation limit).
///
/// Injected rather than read from the system so tests, and a later virtual clock, can move time.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC, at microsecond precision.
    fn now(&self) -> OffsetDateTime;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        // Storage keeps microseconds; truncating here makes a stored key equal to the one
        // that was written.
        now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now)
    }
}

/// The wall clock moved forward by an offset that only grows.
///
/// `strongroom serve --virtual-clock` lets a developer's tests step through a 30-day restore
/// window, a 4-hour purge wait or an expiration date in seconds. The offset never shrinks,
/// so "now" never runs backwards past a date a key already holds; the store keeps it, so a
/// restarted process resumes where the last one left off.
#[derive(Debug, Default)]
pub struct VirtualClock {
    offset_micros: AtomicI64,
}

impl VirtualClock {
    /// The most the clock may run ahead of the system clock: far beyond any rule's period
    /// (a year's expiry, a month's rotation), far short of the calendar's end.
    pub const MAX_OFFSET: time::Duration = time::Duration::days(100 * 366);

    /// The system clock moved forward by `offset` (a negative offset counts as none).
    pub fn new(offset: time::Duration) -> Self {
        let clock = Self::default();
        clock.catch_up(offset);
        clock
    }

    /// How far ahead of the system clock it runs.
    pub fn offset(&self) -> time::Duration {
        time::Duration::microseconds(self.offset_micros.load(Ordering::Relaxed))
    }

    /// Runs at least `offset` ahead from now on. A smaller offset than the current one
    /// changes nothing, so a process that reads the store's offset (at start, then each
    /// minute) never runs back past what it already ran on.
    pub fn catch_up(&self, offset: time::Duration) {
        let micros = offset
            .clamp(time::Duration::ZERO, Self::MAX_OFFSET)
            .whole_microseconds();
        let micros = i64::try_from(micros).unwrap_or(i64::MAX);
        self.offset_micros.fetch_max(micros, Ordering::Relaxed);
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> OffsetDateTime {
        let now = SystemClock.now();
        match self.offset_micros.load(Ordering::Relaxed) {
            // Every clock that was never moved: a wrap asks the time several times, and the
            // calendar arithmetic of the addition was measurable there.
            0 => now,
            micros => now
                .checked_add(time::Duration::microseconds(micros))
                .unwrap_or(now),
        }
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: OffsetDateTime) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: time::Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtual_clock_runs_ahead_and_never_back() {
        let clock = VirtualClock::new(time::Duration::days(31));
        let ahead = clock.now() - SystemClock.now();
        assert!(
            ahead >= time::Duration::days(31) - time::Duration::seconds(5),
            "{ahead}"
        );
        assert!(
            ahead <= time::Duration::days(31) + time::Duration::seconds(5),
            "{ahead}"
        );
        clock.catch_up(time::Duration::days(1));
        assert_eq!(clock.offset(), time::Duration::days(31));
        clock.catch_up(time::Duration::days(40));
        assert_eq!(clock.offset(), time::Duration::days(40));
        clock.catch_up(time::Duration::days(1_000_000));
        assert_eq!(clock.offset(), VirtualClock::MAX_OFFSET);
        assert_eq!(
            VirtualClock::new(time::Duration::days(-3)).offset(),
            time::Duration::ZERO
        );
    }
}
