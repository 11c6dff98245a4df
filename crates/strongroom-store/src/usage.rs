//! How many calls each instance served in the last hour, minute by minute and per action, with
//! how long they took: what Key Protect sends to IBM Cloud Monitoring, kept in memory.
//!
//! It is per process and starts empty (the audit trail is the durable record of calls). The
//! latency of a call is what the keystore spent on it, from the facade's entry to its answer
//! (for a wrap, including the wait for its audit commit). Recording is one short lock per call.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// Minutes kept.
pub const WINDOW_MINUTES: i64 = 60;

/// Latency buckets: upper bounds growing by ×1.25 from 10 µs, the last open-ended. A percentile
/// is reported as its bucket's upper bound, so within 25 % of the true value.
const BUCKETS: usize = 64;
const FIRST_BOUND_US: f64 = 10.0;
const GROWTH: f64 = 1.25;

/// One minute of one action on one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRecord {
    /// Start of the minute, in whole minutes since the Unix epoch.
    pub minute: i64,
    /// The instance.
    pub instance: String,
    /// The Activity Tracker action (`kms.secrets.wrap`).
    pub action: &'static str,
    /// Calls answered.
    pub calls: u64,
    /// Of those, refused or failed.
    pub failures: u64,
    /// The failures by error code (`UNDECRYPTABLE`), most frequent first.
    pub failure_codes: Vec<(&'static str, u64)>,
    /// Median latency, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
}

/// Minute → (instance, action) → tally.
type Minutes = BTreeMap<i64, HashMap<(String, &'static str), Tally>>;

#[derive(Default)]
pub(crate) struct Usage {
    minutes: Mutex<Minutes>,
}

#[derive(Clone)]
struct Tally {
    calls: u64,
    failures: u64,
    /// A handful of codes at most per minute and action, so a list beats a map.
    failure_codes: Vec<(&'static str, u64)>,
    latency: [u32; BUCKETS],
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            calls: 0,
            failures: 0,
            failure_codes: Vec::new(),
            latency: [0; BUCKETS],
        }
    }
}

fn bucket(took: Duration) -> usize {
    let micros = took.as_secs_f64() * 1e6;
    if micros <= FIRST_BOUND_US {
        return 0;
    }
    let index = ((micros / FIRST_BOUND_US).ln() / GROWTH.ln()).ceil();
    // Saturates: NaN and anything past the last bound land in the last bucket.
    (index as usize).min(BUCKETS - 1)
}

fn bound_ms(index: usize) -> f64 {
    FIRST_BOUND_US * GROWTH.powi(index as i32) / 1000.0
}

impl Tally {
    fn percentile_ms(&self, fraction: f64) -> f64 {
        let wanted = ((self.calls as f64) * fraction).ceil().max(1.0) as u64;
        let mut seen = 0u64;
        for (index, count) in self.latency.iter().enumerate() {
            seen += u64::from(*count);
            if seen >= wanted {
                return bound_ms(index);
            }
        }
        bound_ms(BUCKETS - 1)
    }
}

impl Usage {
    fn lock(&self) -> std::sync::MutexGuard<'_, Minutes> {
        // Counters only; a panic elsewhere cannot leave them meaningfully half-written.
        self.minutes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one call that ended at `minute` (whole minutes since the epoch); `failure` is
    /// its error code when it failed.
    pub(crate) fn record(
        &self,
        minute: i64,
        instance: &str,
        action: &'static str,
        failure: Option<&'static str>,
        took: Duration,
    ) {
        let mut minutes = self.lock();
        let tallies = minutes.entry(minute).or_default();
        let tally = tallies.entry((instance.to_owned(), action)).or_default();
        tally.calls += 1;
        if let Some(code) = failure {
            tally.failures += 1;
            match tally.failure_codes.iter_mut().find(|(of, _)| *of == code) {
                Some((_, count)) => *count += 1,
                None => tally.failure_codes.push((code, 1)),
            }
        }
        let slot = &mut tally.latency[bucket(took)];
        *slot = slot.saturating_add(1);
        // Keep the window: drop minutes that fell out of it.
        while let Some((&oldest, _)) = minutes.first_key_value() {
            if oldest > minute - WINDOW_MINUTES {
                break;
            }
            minutes.pop_first();
        }
    }

    /// The window up to `now_minute` for one instance, oldest first; minutes without calls are
    /// left out.
    pub(crate) fn report(&self, now_minute: i64, instance: &str) -> Vec<UsageRecord> {
        let minutes = self.lock();
        let mut out = Vec::new();
        for (&minute, tallies) in minutes.range(now_minute - WINDOW_MINUTES + 1..=now_minute) {
            let mut actions: Vec<_> = tallies
                .iter()
                .filter(|((of, _), _)| of == instance)
                .collect();
            actions.sort_by_key(|((_, action), _)| *action);
            for ((_, action), tally) in actions {
                out.push(UsageRecord {
                    minute,
                    instance: instance.to_owned(),
                    action,
                    calls: tally.calls,
                    failures: tally.failures,
                    failure_codes: {
                        let mut codes = tally.failure_codes.clone();
                        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                        codes
                    },
                    p50_ms: tally.percentile_ms(0.50),
                    p99_ms: tally.percentile_ms(0.99),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_minute_action_and_instance_with_percentiles() {
        let usage = Usage::default();
        for i in 0..100u64 {
            let took = Duration::from_micros(if i < 98 { 100 } else { 50_000 });
            let failure = match i {
                0 => Some("UNDECRYPTABLE"),
                1 | 2 => Some("FORBIDDEN"),
                _ => None,
            };
            usage.record(1_000, "i", "kms.secrets.wrap", failure, took);
        }
        usage.record(
            1_000,
            "other",
            "kms.secrets.wrap",
            None,
            Duration::from_millis(1),
        );
        usage.record(
            1_001,
            "i",
            "kms.secrets.unwrap",
            None,
            Duration::from_millis(2),
        );
        let report = usage.report(1_001, "i");
        assert_eq!(report.len(), 2);
        let wrap = &report[0];
        assert_eq!(
            (wrap.minute, wrap.action, wrap.calls, wrap.failures),
            (1_000, "kms.secrets.wrap", 100, 3)
        );
        assert_eq!(
            wrap.failure_codes,
            vec![("FORBIDDEN", 2), ("UNDECRYPTABLE", 1)],
            "by code, most frequent first"
        );
        assert!(
            wrap.p50_ms >= 0.1 && wrap.p50_ms < 0.1 * GROWTH,
            "p50 {}",
            wrap.p50_ms
        );
        assert!(
            wrap.p99_ms >= 50.0 && wrap.p99_ms < 50.0 * GROWTH,
            "p99 {}",
            wrap.p99_ms
        );
        assert_eq!(report[1].action, "kms.secrets.unwrap");
    }

    #[test]
    fn keeps_one_hour() {
        let usage = Usage::default();
        usage.record(10, "i", "kms.secrets.wrap", None, Duration::from_millis(1));
        usage.record(
            10 + WINDOW_MINUTES,
            "i",
            "kms.secrets.wrap",
            None,
            Duration::from_millis(1),
        );
        let report = usage.report(10 + WINDOW_MINUTES, "i");
        assert_eq!(
            report.len(),
            1,
            "the minute an hour ago has left the window"
        );
        assert_eq!(usage.lock().len(), 1, "and is not kept in memory either");
    }
}
