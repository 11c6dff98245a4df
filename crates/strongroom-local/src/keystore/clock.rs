//! The clock a test server's callers may move ahead (`strongroom serve --virtual-clock`), so
//! their tests cross a 30-day restore window, a 4-hour purge wait or an expiration date in a
//! second instead of waiting for it.
//!
//! Every rule already reads time from the injected `Clock`; the store keeps how far ahead it
//! runs (`InstanceStore::advance_clock`), and the facades of an opened store share it. Moving
//! it is a Manager's call, authorized as setting the instance's policies: it changes what
//! every rule decides, like a policy does. It moves forward only, so no date a key holds ever
//! lies ahead of "now" again once passed.

use strongroom_api::{ApiError, ClockInfo, ErrorCode};
use strongroom_core::{Operation, Target};

use super::{Inner, LocalInstances};
use crate::convert::{api_error, rfc3339};

/// The audit trail's name for a move; its target is how far (`+2678400s`).
pub(crate) const CLOCK_ADVANCE: &str = "strongroom.clock.advance";
/// The audit trail's name for a refused read of the clock.
const CLOCK_READ: &str = "strongroom.clock.read";

impl Inner {
    /// Anyone who may list the instance's keys may read the time their rules run on.
    pub(super) fn clock_info(&self) -> Result<ClockInfo, ApiError> {
        self.audited_as(Operation::ListKeys, CLOCK_READ, "", |inner| {
            inner.require(Operation::ListKeys, Target::Instance)?;
            Ok(inner.clock_now())
        })
    }

    pub(super) fn advance_clock(&self, seconds: i64) -> Result<ClockInfo, ApiError> {
        let target = format!("+{seconds}s");
        self.audited_as(Operation::WritePolicies, CLOCK_ADVANCE, &target, |inner| {
            inner.require(Operation::WritePolicies, Target::Instance)?;
            if !inner.shared.advanceable {
                // Refused rather than "not implemented": the call exists; this server was
                // not started to allow it.
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "this server's clock follows the system clock; start it with \
                     `strongroom serve --virtual-clock` to move it",
                ));
            }
            let event = inner.event_named(CLOCK_ADVANCE, &target, inner.now());
            inner
                .repo
                .advance_clock(time::Duration::seconds(seconds), &event)
                .map_err(api_error)?;
            // What the new time makes due happens before the answer, as the periodic checks
            // would have done it had the time passed: the caller's next read sees it.
            let instances = LocalInstances {
                shared: std::sync::Arc::clone(&inner.shared),
            };
            if let Err(err) = instances.record_expiries() {
                tracing::warn!(error = %err.message, "could not record the keys that have expired");
            }
            if let Err(err) = instances.rotate_due_keys() {
                tracing::warn!(error = %err.message, "could not look for keys due for rotation");
            }
            tracing::info!(seconds, "moved the virtual clock ahead");
            Ok(inner.clock_now())
        })
    }

    fn clock_now(&self) -> ClockInfo {
        ClockInfo {
            now: rfc3339(self.now()),
            offset_seconds: self.shared.store.clock().offset().whole_seconds(),
            advanceable: self.shared.advanceable,
        }
    }
}
