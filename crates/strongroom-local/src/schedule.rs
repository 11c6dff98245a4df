//! The periodic checks of a process that owns an embedded store (`serve`, the desktop):
//! expiries recorded every minute (`expiry.rs`), rotation policies carried out hourly
//! (`rotation.rs`).

use std::time::Duration;

use crate::LocalInstances;

/// How often rotation policies are carried out. A policy's grain is a month, so an hour late
/// is within it.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// How often expired keys are looked for. An expired key is deactivated from its expiration
/// date whether or not it is recorded, but until it is, listings by state in its scope take a
/// slower path; the look itself is one index probe per instance.
pub const EXPIRY_CHECK_EVERY: Duration = Duration::from_secs(60);

impl LocalInstances {
    /// Runs the checks for as long as the future runs: both at once, then expiries every
    /// [`EXPIRY_CHECK_EVERY`] and rotations every [`CHECK_EVERY`]. Spawn it on the runtime of
    /// the process that owns the store.
    pub async fn run_periodic_checks(self) {
        let mut ticks = tokio::time::interval(EXPIRY_CHECK_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // None until the first tick, which rotates.
        let mut next_rotation: Option<tokio::time::Instant> = None;
        loop {
            // The tick's own deadline, not the time it was noticed: the 60th tick after a
            // rotation then falls on the hour, not a moment before it.
            let tick = ticks.tick().await;
            let rotate = next_rotation.is_none_or(|next| tick >= next);
            if rotate {
                next_rotation = Some(tick + CHECK_EVERY);
            }
            let instances = self.clone();
            let span = tracing::info_span!("periodic_checks", rotate);
            let checked = tokio::task::spawn_blocking(move || {
                let _entered = span.enter();
                // A `serve --virtual-clock` on the same store may have moved its clock.
                if let Err(err) = instances.store().refresh_clock() {
                    tracing::warn!(error = %err, "could not read the store's clock");
                }
                // Expiries first, so the rotation check reads the states as they are.
                if let Err(err) = instances.record_expiries() {
                    tracing::warn!(error = %err, "could not record the keys that have expired");
                }
                if rotate {
                    if let Err(err) = instances.rotate_due_keys() {
                        tracing::warn!(error = %err, "could not look for keys due for rotation");
                    }
                }
            })
            .await;
            if let Err(err) = checked {
                tracing::error!(error = %err, "the periodic checks stopped");
            }
        }
    }
}
