//! WAL checkpoints off the request path.
//!
//! SQLite's default copies the write-ahead log back into the database file (and fsyncs it)
//! inside whichever commit crosses 1,000 WAL pages. That commit's caller waits for the copy:
//! on a million-key file it was the tail of every latency we measured (an audited list's p99
//! 143 ms against 2.4 ms p50). Both of the store's connections turn automatic checkpoints
//! off, and this thread runs a PASSIVE checkpoint every `INTERVAL` on its own connection
//! instead. PASSIVE never waits for readers or writers: it copies what it can and tries
//! again next time. But a WAL only starts over from its beginning when no reader still
//! uses it, which under steady load never happens by itself (a million-key run grew it to
//! 730 MB), so once it holds more than `RESTART_FRAMES` the thread asks for a RESTART
//! checkpoint: writers wait while it copies the few frames PASSIVE has not and readers
//! drain (at most `busy_timeout`), then the WAL starts over. Durability is unchanged: a
//! committed frame is in the WAL either way.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

use crate::StoreError;

const INTERVAL: Duration = Duration::from_millis(500);
/// About 64 MB of 4 KiB pages.
const RESTART_FRAMES: i64 = 16_384;
/// After a complete checkpoint, SQLite truncates a WAL larger than this when it restarts it.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// The connection settings that hand checkpoints to [`Checkpointer`].
pub(crate) fn defer_checkpoints(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    Ok(())
}

pub(crate) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_millis(100))?;
        defer_checkpoints(&conn)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("strongroom-checkpoint".into())
            .spawn(move || run(&conn, &stopped))
            .map_err(|err| StoreError::Corrupt(format!("cannot start the checkpointer: {err}")))?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    /// Stops the thread; the last connection to close writes the WAL back and removes it.
    fn drop(&mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, stopped: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
        // (busy, frames in the WAL, frames written back); a busy database is retried later.
        let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
            Ok((row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
        });
        match result {
            Ok((log, done)) if log > RESTART_FRAMES => {
                let restarted = conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |row| {
                    row.get::<_, i64>(0)
                });
                tracing::debug!(log, done, busy = ?restarted, "restarting the WAL");
            }
            Ok((log, done)) => tracing::trace!(log, done, "checkpoint"),
            Err(err) => tracing::debug!(error = %err, "checkpoint deferred"),
        }
    }
}
