//! Where the log goes: stderr, a batch of lines at a time.
//!
//! `serve` logs one line per request. Written with one `write` each, the lines cost a fifth
//! to a quarter of the server's throughput, most of it in the kernel's file write path
//! (docs/benchmarks.md §2). Here a line is appended to a buffer in memory, and the buffer
//! reaches stderr in one `write` every [`FLUSH_EVERY`], when it passes [`FLUSH_AT`], when a
//! warning or error is logged, on a panic and at exit.
//!
//! No thread is woken per line (a channel to a writer thread was tried and saved nothing: the
//! wake-up cost what the `write` did). What a SIGKILL can lose is the last
//! [`FLUSH_EVERY`] of informational lines; warnings and errors are written before the call
//! that logged them returns, and a panic's message goes out after the lines before it.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// How long an informational line may wait in memory.
const FLUSH_EVERY: Duration = Duration::from_millis(20);
/// A buffer this large is written at once, by the call that filled it.
const FLUSH_AT: usize = 64 * 1024;

/// The log's destination, handed to `tracing_subscriber::fmt().with_writer`.
#[derive(Clone)]
pub(crate) struct LogSink {
    shared: Arc<Shared>,
}

struct Shared {
    pending: Mutex<Vec<u8>>,
    /// Held while a batch is written, so two batches never interleave or swap order.
    output: Mutex<Output>,
}

struct Output {
    /// Stderr.
    to: Box<dyn Write + Send>,
    /// The buffer written last, emptied; swapped with `pending` at the next flush, so the two
    /// keep their capacity and a busy server's lines are not copied through a growing buffer.
    spare: Vec<u8>,
}

impl Shared {
    fn pending(&self) -> MutexGuard<'_, Vec<u8>> {
        // Bytes are only ever appended or taken whole; a poisoned lock still holds lines.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a batch is being written right now (by any thread).
    fn writing(&self) -> bool {
        matches!(
            self.output.try_lock(),
            Err(std::sync::TryLockError::WouldBlock)
        )
    }

    /// Writes what has gathered. The buffer's lock is held only to take the bytes, so the
    /// threads logging meanwhile never wait for the disk.
    fn flush(&self) {
        let mut output = self.output.lock().unwrap_or_else(PoisonError::into_inner);
        let Output { to, spare } = &mut *output;
        std::mem::swap(spare, &mut *self.pending());
        if !spare.is_empty() {
            // Nowhere to report a failed log write; the lines are dropped (`eprintln!` would
            // panic instead).
            let _ = to.write_all(spare);
        }
        spare.clear();
        // A full buffer has grown to twice `FLUSH_AT` at most; only an outsized line's is given
        // back.
        spare.shrink_to(2 * FLUSH_AT);
    }
}

/// Flushes the log when dropped: keep it alive for the whole of `main`.
pub(crate) struct FlushOnExit {
    shared: Arc<Shared>,
}

impl Drop for FlushOnExit {
    fn drop(&mut self) {
        self.shared.flush();
    }
}

impl LogSink {
    /// Starts the thread that writes the buffer every [`FLUSH_EVERY`], and makes a panic
    /// write the buffer before its message.
    pub(crate) fn start() -> (Self, FlushOnExit) {
        let (sink, on_exit) = Self::to(Box::new(std::io::stderr()));
        sink.flush_every(FLUSH_EVERY);
        let on_panic = Arc::clone(&sink.shared);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Not if this thread panicked while writing a batch: its lock is held here.
            if !on_panic.writing() {
                on_panic.flush();
            }
            previous(info);
        }));
        (sink, on_exit)
    }

    /// A sink writing to `output`.
    fn to(output: Box<dyn Write + Send>) -> (Self, FlushOnExit) {
        let shared = Arc::new(Shared {
            pending: Mutex::default(),
            output: Mutex::new(Output {
                to: output,
                spare: Vec::new(),
            }),
        });
        (
            Self {
                shared: Arc::clone(&shared),
            },
            FlushOnExit { shared },
        )
    }

    /// Starts a thread that writes what has gathered every `period`. If it cannot start,
    /// lines still go out at [`FLUSH_AT`], on warnings and at exit.
    fn flush_every(&self, period: Duration) {
        let weak = Arc::downgrade(&self.shared);
        let _ = std::thread::Builder::new()
            .name("strongroom-log".into())
            .spawn(move || loop {
                std::thread::sleep(period);
                match weak.upgrade() {
                    Some(shared) => shared.flush(),
                    None => return,
                }
            });
    }
}

/// One formatted event (the fmt layer writes each event with a single `write_all`).
pub(crate) struct Line<'a> {
    shared: &'a Shared,
    urgent: bool,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let full = {
            let mut pending = self.shared.pending();
            pending.extend_from_slice(bytes);
            pending.len() >= FLUSH_AT
        };
        if full || self.urgent {
            self.shared.flush();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogSink {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            shared: &self.shared,
            urgent: false,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        Line {
            shared: &self.shared,
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// What reached the output so far.
    #[derive(Clone, Default)]
    struct Written(Arc<Mutex<Vec<u8>>>);

    impl Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Written {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn line(sink: &LogSink, urgent: bool, text: &str) {
        Line {
            shared: &sink.shared,
            urgent,
        }
        .write_all(text.as_bytes())
        .unwrap();
    }

    #[test]
    fn a_warning_goes_out_at_once_after_the_lines_before_it() {
        let written = Written::default();
        let (sink, _on_exit) = LogSink::to(Box::new(written.clone()));
        line(&sink, false, "request 1\n");
        assert_eq!(written.text(), "", "an informational line waits");
        line(&sink, true, "WARN disk nearly full\n");
        assert_eq!(written.text(), "request 1\nWARN disk nearly full\n");
    }

    #[test]
    fn the_thread_writes_what_gathered() {
        let written = Written::default();
        let (sink, _on_exit) = LogSink::to(Box::new(written.clone()));
        sink.flush_every(Duration::from_millis(1));
        line(&sink, false, "request 1\n");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while written.text().is_empty() {
            assert!(std::time::Instant::now() < deadline, "never written");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(written.text(), "request 1\n");
    }

    #[test]
    fn informational_lines_reach_the_output_by_exit_and_in_order() {
        let written = Written::default();
        let (sink, on_exit) = LogSink::to(Box::new(written.clone()));
        for n in 0..100 {
            line(&sink, false, &format!("request {n}\n"));
        }
        drop(on_exit);
        let expected: String = (0..100).map(|n| format!("request {n}\n")).collect();
        assert_eq!(written.text(), expected);
    }

    #[test]
    fn a_full_buffer_is_written_by_the_call_that_filled_it() {
        let written = Written::default();
        let (sink, _on_exit) = LogSink::to(Box::new(written.clone()));
        line(&sink, false, &"x".repeat(FLUSH_AT - 1));
        assert_eq!(written.text(), "", "still gathering");
        line(&sink, false, "y\n");
        assert!(sink.shared.pending().is_empty());
        assert_eq!(written.text().len(), FLUSH_AT + 1);
    }

    #[test]
    fn the_buffers_keep_their_capacity_from_one_flush_to_the_next() {
        let written = Written::default();
        let (sink, _on_exit) = LogSink::to(Box::new(written.clone()));
        for n in 0..3 {
            line(&sink, false, &format!("request {n}\n"));
            sink.shared.flush();
        }
        assert_eq!(written.text(), "request 0\nrequest 1\nrequest 2\n");
        let pending = sink.shared.pending();
        assert!(pending.is_empty());
        assert!(
            pending.capacity() >= "request 0\n".len(),
            "a fresh buffer each time"
        );
    }
}
