//! How `serve` stops: the first SIGINT or SIGTERM stops taking connections and lets the
//! requests in flight finish, for at most [`DRAIN`]; a second signal, or the end of that
//! time, stops it at once. Without the bound, one client that sent half a request and went
//! quiet kept the server up for as long as it held the connection.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// How long requests in flight may take to finish once a stop is asked for.
pub(crate) const DRAIN: Duration = Duration::from_secs(10);

/// Where the stop has got to; each phase comes after the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Serving,
    /// No new connections; the requests in flight may finish.
    Draining,
    /// Stop now, finished or not.
    Now,
}

#[derive(Clone)]
pub(crate) struct Stop {
    phase: watch::Receiver<Phase>,
}

impl Stop {
    /// Installs the handlers now, not on a first poll: `serve` calls this before it prints
    /// "listening on", so a supervisor that signals as soon as it reads that line gets a
    /// graceful stop, not the default action of the signal.
    pub(crate) fn on_signals() -> Self {
        let mut signals = Signals::install();
        let (sender, phase) = watch::channel(Phase::Serving);
        tokio::spawn(async move {
            signals.next().await;
            tracing::info!(
                drain_seconds = DRAIN.as_secs(),
                "shutting down; finishing requests in flight (a second signal stops at once)"
            );
            sender.send_replace(Phase::Draining);
            tokio::select! {
                () = signals.next() => {}
                () = tokio::time::sleep(DRAIN) => {}
            }
            sender.send_replace(Phase::Now);
        });
        Self { phase }
    }

    /// Resolves once the stop has reached `phase`.
    pub(crate) fn reached(&self, phase: Phase) -> impl Future<Output = ()> + Send + 'static {
        let mut receiver = self.phase.clone();
        async move {
            // The sender goes only after its last phase, `Now`, so an error means "reached".
            let _ = receiver.wait_for(|current| *current >= phase).await;
        }
    }
}

struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next SIGINT or SIGTERM (Ctrl-C elsewhere). A handler that could not be installed
    /// never fires; the other one still does.
    async fn next(&mut self) {
        #[cfg(unix)]
        {
            async fn received(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                () = received(&mut self.interrupt) => {}
                () = received(&mut self.terminate) => {}
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
