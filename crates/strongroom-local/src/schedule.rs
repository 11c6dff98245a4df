//! The hourly checks of a process that owns an embedded store (`serve`, the desktop): expiries
//! recorded (`expiry.rs`), then rotation policies carried out (`rotation.rs`).

use std::time::Duration;

use crate::LocalInstances;

/// How often the checks run. A rotation policy's grain is a month, so an hour late is within
/// it; an expired key is deactivated from its expiration date whether or not it is recorded.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

impl LocalInstances {
    /// Runs the checks for as long as the future runs: at once, then every [`CHECK_EVERY`].
    /// Spawn it on the runtime of the process that owns the store.
    pub async fn run_hourly_checks(self) {
        let mut ticks = tokio::time::interval(CHECK_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let instances = self.clone();
            let span = tracing::info_span!("hourly_checks");
            let checked = tokio::task::spawn_blocking(move || {
                let _entered = span.enter();
                // Expiries first, so the rotation check reads the states as they are.
                if let Err(err) = instances.record_expiries() {
                    tracing::warn!(error = %err, "could not record the keys that have expired");
                }
                if let Err(err) = instances.rotate_due_keys() {
                    tracing::warn!(error = %err, "could not look for keys due for rotation");
                }
            })
            .await;
            if let Err(err) = checked {
                tracing::error!(error = %err, "the hourly checks stopped");
            }
        }
    }
}
