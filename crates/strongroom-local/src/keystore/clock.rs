//! The clock a test server's callers may move ahead (`strongroom serve --virtual-clock`), so
//! their tests cross a 30-day restore window, a 4-hour purge wait or an expiration date in a
//! second instead of waiting for it.
//!
//! Every rule already reads time from the injected `Clock`; the store keeps how far ahead it
//! runs (`SqliteStore::advance_clock`), and the facades of an opened store share it. The clock
//! is the whole store's, so moving it needs what setting policies needs (Manager) on every
//! instance of the store, and each instance's trail records the move. It moves forward only,
//! so no date a key holds ever lies ahead of "now" again once passed.

use strongroom_api::{AdvanceClockRequest, ApiError, ClockInfo, ErrorCode};
use strongroom_core::{Operation, Target};

use super::{caller_from, Inner, LocalInstances};
use crate::convert::{api_error, rfc3339};

/// The audit trail's name for a move; its target is how far (`+2678400s`).
const CLOCK_ADVANCE: &str = "strongroom.clock.advance";
/// The audit trail's name for a read of the clock.
const CLOCK_READ: &str = "strongroom.clock.read";

impl Inner {
    /// Whoever may list keys of the instance (anywhere in it: a ring's Reader too) may read
    /// the time their rules run on.
    pub(super) fn clock_info(&self) -> Result<ClockInfo, ApiError> {
        self.audited_as(Operation::ListKeys, CLOCK_READ, "", |inner| {
            super::visible_rings(&inner.caller, None)?;
            let read = inner.event_named(CLOCK_READ, "", inner.now());
            let receipt = inner.shared.store.audit_writer().record(read, None);
            receipt.map_err(api_error)?;
            Ok(inner.clock_now())
        })
    }

    /// Checks who may, then parses how far: a malformed request from someone who may not
    /// move the clock is refused as such, and audited.
    pub(super) fn advance_clock(
        &self,
        request: &AdvanceClockRequest,
    ) -> Result<ClockInfo, ApiError> {
        let seconds = request.seconds();
        let target = seconds
            .as_ref()
            .map(|seconds| format!("+{seconds}s"))
            .unwrap_or_default();
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
            let instances = inner.every_instance_allows_moving_the_clock()?;
            let seconds = seconds?;
            let now = inner.now();
            let events: Vec<_> = instances
                .iter()
                .map(|instance| {
                    let mut event = inner.event_named(CLOCK_ADVANCE, &target, now);
                    event.instance.clone_from(instance);
                    event
                })
                .collect();
            inner
                .shared
                .store
                .advance_clock(time::Duration::seconds(seconds), &events)
                .map_err(api_error)?;
            // What the new time makes due happens before the answer, as the periodic checks
            // would have done had the time passed, so the caller's next read sees it. A check
            // that fails is logged and left to the periodic checks, a minute later.
            let checks = LocalInstances {
                shared: std::sync::Arc::clone(&inner.shared),
            };
            if let Err(err) = checks.record_expiries() {
                tracing::warn!(error = %err.message, "could not record the keys that have expired");
            }
            if let Err(err) = checks.rotate_due_keys() {
                tracing::warn!(error = %err.message, "could not look for keys due for rotation");
            }
            tracing::info!(seconds, "moved the virtual clock ahead");
            Ok(inner.clock_now())
        })
    }

    /// The ids of every instance of the store, once the caller is found to hold Manager's
    /// policy rights on each: the clock moves for all of them.
    fn every_instance_allows_moving_the_clock(&self) -> Result<Vec<String>, ApiError> {
        let store = &self.shared.store;
        let instances = store.instances().map_err(|err| api_error(err.into()))?;
        for instance in &instances {
            if instance.id == self.repo.id() {
                continue;
            }
            let allowed = store
                .grants(&self.caller.iam_id, &instance.id)
                .map_err(|err| api_error(err.into()))?
                .map(|(record, policies)| caller_from(record, &policies))
                .is_some_and(|caller| {
                    caller
                        .require(Operation::WritePolicies, Target::Instance)
                        .is_ok()
                });
            if !allowed {
                // Not naming the instance: the caller may not know it exists.
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "the clock is every instance's: moving it needs Manager on every instance \
                     of this keystore",
                ));
            }
        }
        Ok(instances.into_iter().map(|instance| instance.id).collect())
    }

    fn clock_now(&self) -> ClockInfo {
        ClockInfo {
            now: rfc3339(self.now()),
            offset_seconds: self.shared.store.clock().offset().whole_seconds(),
            advanceable: self.shared.advanceable,
        }
    }
}
