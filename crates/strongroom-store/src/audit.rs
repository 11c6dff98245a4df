//! The audit trail: one row per call, chained by an HMAC keyed with a secret sealed under the
//! master key. Editing, deleting or reordering a row breaks the chain, and someone holding
//! only the database file cannot recompute it.
//!
//! Administrative changes append their row inside the transaction that makes the change.
//! Data-plane calls (wrap, unwrap, rewrap) go through [`AuditWriter`], which commits many
//! rows per transaction on its own connection (`synchronous=NORMAL`) and answers each caller
//! once its row is committed to the WAL: a killed process loses none of them, an OS crash or
//! power loss only the rows since the last fsync.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::Sha256;
use strongroom_core::{
    AuditEvent, CoreError, KeyId, KeyVersionId, Operation, Outcome, Registration,
};
use zeroize::Zeroizing;

use crate::instance::{from_micros, micros};
use crate::StoreError;

type ChainMac = Hmac<Sha256>;

/// The setting holding the chain key (sealed).
pub(crate) const CHAIN_KEY_SETTING: &str = "audit-chain-key";
const HEAD: &str = "audit_head";
/// Rows committed together at most.
const MAX_BATCH: usize = 1024;

/// An audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The event.
    pub event: AuditEvent,
}

/// Filters for reading the trail, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this instance.
    pub instance: Option<String>,
    /// Only this initiator.
    pub initiator: Option<String>,
    /// Only actions starting with this prefix (`kms.secrets.wrap`, `iam.`).
    pub action_prefix: Option<String>,
    /// Only this target (key id, ring, policy id).
    pub target: Option<String>,
    /// Only failures.
    pub failures_only: bool,
    /// Only this request's events (the `correlation-id` a caller sent or was answered with).
    pub correlation_id: Option<String>,
    /// Rows before this seq (paging backwards).
    pub before: Option<i64>,
    /// Only among the newest this many rows of the trail (every instance's). The trail has
    /// no index but its sequence: a filter that matches rarely (one key's events) reads back
    /// through every row until it fills the page, about a quarter of a second per million
    /// rows, so a view that wants an answer at once bounds how far back it looks.
    pub within_latest: Option<u32>,
    /// Rows at or after this time.
    pub since: Option<time::OffsetDateTime>,
    /// Rows before this time.
    pub until: Option<time::OffsetDateTime>,
    /// At most this many (capped at 1000).
    pub limit: u32,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every row links to the previous one and the last matches the recorded head.
    Intact {
        /// Rows checked.
        rows: i64,
    },
    /// The first row whose link does not match: it, or a row before it, was edited,
    /// inserted or deleted.
    Broken {
        /// The row's seq (or the head's, when rows were cut off the end).
        at_seq: i64,
    },
}

pub(crate) struct Chain {
    key: Zeroizing<Vec<u8>>,
}

impl Chain {
    pub(crate) fn new(key: Zeroizing<Vec<u8>>) -> Self {
        Self { key }
    }

    fn link(&self, prev: &[u8], seq: i64, event: &AuditEvent) -> Result<Vec<u8>, StoreError> {
        let mut mac = ChainMac::new_from_slice(&self.key)
            .map_err(|_| StoreError::Corrupt("the audit chain key is unusable".into()))?;
        mac.update(prev);
        mac.update(&seq.to_be_bytes());
        mac.update(&micros(event.at).to_be_bytes());
        for field in [
            event.instance.as_str(),
            event.initiator.as_str(),
            event.action.as_str(),
            event.target.as_str(),
            event.outcome.as_str(),
            event.correlation_id.as_str(),
        ] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        // Fields added in schema 6, hashed only when set and each behind its own tag: a row
        // written before them links exactly as it did, and no two rows encode alike.
        for (tag, field) in [
            (b'v', event.key_version.as_str()),
            (b's', event.source.as_str()),
        ] {
            if !field.is_empty() {
                mac.update(&[tag]);
                mac.update(&(field.len() as u64).to_be_bytes());
                mac.update(field.as_bytes());
            }
        }
        Ok(mac.finalize().into_bytes().to_vec())
    }

    /// Appends `event` after the current head. Call inside a write transaction.
    pub(crate) fn append(&self, conn: &Connection, event: &AuditEvent) -> Result<(), StoreError> {
        self.append_all(conn, std::iter::once(event))
    }

    /// Appends `events` in order, reading the head once and writing it once: a group commit
    /// of hundreds of rows pays for one head, not one per row. Call inside a write transaction.
    pub(crate) fn append_all<'a>(
        &self,
        conn: &Connection,
        events: impl IntoIterator<Item = &'a AuditEvent>,
    ) -> Result<(), StoreError> {
        let head: Option<(i64, Vec<u8>)> = conn
            .prepare_cached("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (mut seq, mut hash) = head.unwrap_or((0, vec![0; 32]));
        let mut insert = conn.prepare_cached(
            "INSERT INTO audit_events (seq, at, instance_id, initiator, action, target, outcome,
                correlation_id, hash, key_version, source)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut appended = false;
        for event in events {
            seq += 1;
            hash = self.link(&hash, seq, event)?;
            insert.execute(params![
                seq,
                micros(event.at),
                &event.instance,
                &event.initiator,
                &event.action,
                &event.target,
                event.outcome.as_str(),
                &event.correlation_id,
                &hash,
                &event.key_version,
                &event.source
            ])?;
            appended = true;
        }
        if appended {
            let mut head = seq.to_be_bytes().to_vec();
            head.extend_from_slice(&hash);
            crate::sqlite::set_meta(conn, HEAD, &head)?;
        }
        Ok(())
    }

    pub(crate) fn verify(&self, conn: &Connection) -> Result<ChainVerdict, StoreError> {
        let mut stmt = conn.prepare(&format!(
            "SELECT seq, {EVENT_COLUMNS}, hash FROM audit_events ORDER BY seq"
        ))?;
        let mut rows = stmt.query([])?;
        let mut prev = vec![0u8; 32];
        let mut expected_seq = 1;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let event = event_from_row(row, 1)?;
            let hash: Vec<u8> = row.get(EVENT_COLUMN_COUNT + 1)?;
            if seq != expected_seq || self.link(&prev, seq, &event)? != hash {
                return Ok(ChainVerdict::Broken { at_seq: seq });
            }
            prev = hash;
            expected_seq += 1;
        }
        let rows = expected_seq - 1;
        let head = crate::sqlite::meta(conn, HEAD)?;
        let expected_head = (rows > 0).then(|| {
            let mut head = rows.to_be_bytes().to_vec();
            head.extend_from_slice(&prev);
            head
        });
        if head != expected_head {
            return Ok(ChainVerdict::Broken { at_seq: rows + 1 });
        }
        Ok(ChainVerdict::Intact { rows })
    }
}

const EVENT_COLUMNS: &str =
    "at, instance_id, initiator, action, target, outcome, correlation_id, key_version, source, seq";
/// Columns in [`EVENT_COLUMNS`]; `seq` is the last.
const EVENT_COLUMN_COUNT: usize = 10;

fn event_from_row(row: &rusqlite::Row<'_>, first: usize) -> Result<AuditEvent, StoreError> {
    let outcome: String = row.get(first + 5)?;
    Ok(AuditEvent {
        at: from_micros(row.get(first)?)?,
        instance: row.get(first + 1)?,
        initiator: row.get(first + 2)?,
        action: row.get(first + 3)?,
        target: row.get(first + 4)?,
        outcome: if outcome == "success" {
            Outcome::Success
        } else {
            Outcome::Failure(outcome)
        },
        correlation_id: row.get(first + 6)?,
        key_version: row.get(first + 7)?,
        source: row.get(first + 8)?,
    })
}

/// One hour of one action on one instance, from `activity_hourly`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// Start of the hour, in whole hours since the Unix epoch.
    pub hour: i64,
    /// The Activity Tracker action (`kms.secrets.wrap`).
    pub action: String,
    /// Calls audited.
    pub calls: u64,
    /// Of those, refused or failed.
    pub failures: u64,
}

const MICROS_PER_HOUR: i64 = 3_600_000_000;

/// One instance's calls of one action in one hour, as [`count_activity`] tallies them.
struct HourTally {
    instance: String,
    hour: i64,
    action: String,
    calls: i64,
    failures: i64,
}

/// One key version's successful data-plane calls, as [`count_activity`] tallies them.
pub(crate) struct UseTally {
    pub(crate) key: KeyId,
    pub(crate) wraps: i64,
    pub(crate) unwraps: i64,
    /// The last call, in microseconds since the epoch.
    pub(crate) last: i64,
}

/// Whether a successful `action` made a ciphertext with its key version (wrap, rewrap) or
/// opened one (unwrap); `None` for calls that use no version.
fn made(action: &str) -> Option<bool> {
    match action {
        _ if action == Operation::Wrap.event() || action == Operation::Rewrap.event() => Some(true),
        _ if action == Operation::Unwrap.event() => Some(false),
        _ => None,
    }
}

/// The trail's rows past `trail_counted.seq`, at most `rows` of them, added to
/// `activity_hourly` and `key_version_use`, and the mark moved past them. Call inside a write
/// transaction.
///
/// The audit writer calls it about once a second rather than per batch: a counter's page
/// changed in every commit was one more page to the WAL per batch, with batches of about five
/// rows under load. Each was measured at about a tenth of the writer's time per call. The rows
/// are tallied here rather than by SQL's `GROUP BY`, which sorted them first and cost more than
/// the rest of the writer's work on them. Returns whether the window was full, so more rows
/// may wait.
pub(crate) fn count_activity(conn: &Connection, rows: i64) -> Result<bool, StoreError> {
    let mark: i64 = conn
        .prepare_cached("SELECT seq FROM trail_counted")?
        .query_row([], |row| row.get(0))?;
    let mut tally: Vec<HourTally> = Vec::new();
    let mut uses: HashMap<KeyVersionId, UseTally> = HashMap::new();
    let mut last = mark;
    let mut stmt = conn.prepare_cached(
        "SELECT seq, instance_id, at, action, outcome != 'success', target, key_version
         FROM audit_events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?;
    let mut found = stmt.query(params![mark, mark.saturating_add(rows)])?;
    while let Some(row) = found.next()? {
        last = row.get(0)?;
        let Some((at, instance, action)) =
            countable(row.get_ref(2)?, row.get_ref(1)?, row.get_ref(3)?)
        else {
            continue;
        };
        let hour = at / MICROS_PER_HOUR;
        let failed: i64 = row.get(4)?;
        // Rows come in runs of one instance, hour and action: look at the latest entry first.
        let same = |entry: &&mut HourTally| {
            entry.hour == hour && entry.action == action && entry.instance == instance
        };
        match tally.iter_mut().rev().find(same) {
            Some(entry) => {
                entry.calls += 1;
                entry.failures += failed;
            }
            None => tally.push(HourTally {
                instance: instance.to_owned(),
                hour,
                action: action.to_owned(),
                calls: 1,
                failures: failed,
            }),
        }
        if failed == 0 {
            tally_use(&mut uses, action, row.get_ref(5)?, row.get_ref(6)?, at);
        }
    }
    let mut upsert = conn.prepare_cached(
        "INSERT INTO activity_hourly (instance_id, hour, action, calls, failures)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (instance_id, hour, action) DO UPDATE SET
            calls = calls + excluded.calls, failures = failures + excluded.failures",
    )?;
    for entry in &tally {
        upsert.execute(params![
            entry.instance,
            entry.hour,
            entry.action,
            entry.calls,
            entry.failures
        ])?;
    }
    count_uses(conn, uses)?;
    if last > mark {
        conn.prepare_cached("UPDATE trail_counted SET seq = ?1")?
            .execute([last])?;
    }
    Ok(last >= mark.saturating_add(rows))
}

/// A trail row's time, instance and action, if the counts take it at all. Only a file edited by
/// hand holds anything but an integer time and text names here (`audit verify` finds the
/// edit); such a row is not counted rather than stopping every later count. Times before 1970
/// are never written. The count, the reads of the rows not yet counted and the migrations'
/// counts leave out the same rows.
fn countable<'r>(
    at: ValueRef<'r>,
    instance: ValueRef<'r>,
    action: ValueRef<'r>,
) -> Option<(i64, &'r str, &'r str)> {
    let (Ok(at), Ok(instance), Ok(action)) = (at.as_i64(), instance.as_str(), action.as_str())
    else {
        return None;
    };
    (at >= 0).then_some((at, instance, action))
}

/// Adds a successful call's row to `uses` if it used a key version: its `target` and
/// `key_version` must name a key and a version (rows of calls that used no version have an
/// empty `key_version`). The count and the read of the rows not yet counted both go through
/// here, so they leave out the same rows.
fn tally_use(
    uses: &mut HashMap<KeyVersionId, UseTally>,
    action: &str,
    target: ValueRef<'_>,
    version: ValueRef<'_>,
    at: i64,
) {
    let Some(made) = made(action) else {
        return;
    };
    let (Some(key), Some(version)) = (
        target.as_str().ok().and_then(|t| t.parse::<KeyId>().ok()),
        version
            .as_str()
            .ok()
            .and_then(|v| v.parse::<KeyVersionId>().ok()),
    ) else {
        return;
    };
    let entry = uses.entry(version).or_insert(UseTally {
        key,
        wraps: 0,
        unwraps: 0,
        last: at,
    });
    if made {
        entry.wraps += 1;
    } else {
        entry.unwraps += 1;
    }
    entry.last = entry.last.max(at);
}

/// How much each version of `key` (of `instance`) has been used: the counters plus the rows
/// not yet counted, read in one statement, so one snapshot, like [`activity`].
pub(crate) fn version_uses(
    conn: &Connection,
    instance: &str,
    key: KeyId,
) -> Result<HashMap<KeyVersionId, UseTally>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT version_id, wraps, unwraps, last_used_at, NULL, NULL, NULL, NULL, NULL
         FROM key_version_use
         WHERE key_id = ?1 AND EXISTS (SELECT 1 FROM keys WHERE id = ?1 AND instance_id = ?2)
         UNION ALL
         SELECT NULL, NULL, NULL, at, instance_id, action, outcome != 'success', target,
            key_version
         FROM audit_events
         WHERE seq > (SELECT seq FROM trail_counted) AND target = ?3 AND key_version != ''
           AND EXISTS (SELECT 1 FROM keys WHERE id = ?1 AND instance_id = ?2)",
    )?;
    let mut rows = stmt.query(params![key.as_bytes(), instance, key.to_string()])?;
    let mut uses = HashMap::new();
    while let Some(row) = rows.next()? {
        if let ValueRef::Blob(version) = row.get_ref(0)? {
            let Ok(version) = <[u8; 16]>::try_from(version) else {
                return Err(StoreError::Corrupt(
                    "a key_version_use row has a bad id".into(),
                ));
            };
            let (wraps, unwraps, last): (i64, i64, i64) = (row.get(1)?, row.get(2)?, row.get(3)?);
            let entry = uses
                .entry(KeyVersionId::from_bytes(version))
                .or_insert(UseTally {
                    key,
                    wraps: 0,
                    unwraps: 0,
                    last,
                });
            entry.wraps += wraps;
            entry.unwraps += unwraps;
            entry.last = entry.last.max(last);
            continue;
        }
        // A row not yet counted, left out as `count_activity` leaves it out.
        let Some((at, _, action)) = countable(row.get_ref(3)?, row.get_ref(4)?, row.get_ref(5)?)
        else {
            continue;
        };
        if row.get::<_, i64>(6)? == 0 {
            tally_use(&mut uses, action, row.get_ref(7)?, row.get_ref(8)?, at);
        }
    }
    Ok(uses)
}

/// Adds the counted uses to `key_version_use`, one statement per version. A version purged before
/// its use was counted is left out (the row would outlive its key).
fn count_uses(conn: &Connection, uses: HashMap<KeyVersionId, UseTally>) -> Result<(), StoreError> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO key_version_use (version_id, key_id, wraps, unwraps, last_used_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM key_versions WHERE id = ?1)
         ON CONFLICT (version_id) DO UPDATE SET wraps = wraps + excluded.wraps,
            unwraps = unwraps + excluded.unwraps,
            last_used_at = max(last_used_at, excluded.last_used_at)",
    )?;
    for (version, tally) in uses {
        upsert.execute(params![
            version.as_bytes(),
            tally.key.as_bytes(),
            tally.wraps,
            tally.unwraps,
            tally.last
        ])?;
    }
    Ok(())
}

/// An instance's counts for the hours `from..=to` (whole hours since the epoch), oldest first;
/// hours without calls are left out. The counters plus the rows not yet counted, read in one
/// statement, so one snapshot: exact whenever the writer last counted.
pub(crate) fn activity(
    conn: &Connection,
    instance: &str,
    from: i64,
    to: i64,
) -> Result<Vec<ActivityRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT hour, action, sum(calls), sum(failures) FROM (
            SELECT hour, action, calls, failures FROM activity_hourly
            WHERE instance_id = ?1 AND hour >= ?2 AND hour <= ?3
            UNION ALL
            SELECT at / 3600000000 AS hour, action, count(*) AS calls,
                sum(outcome != 'success') AS failures
            FROM audit_events
            WHERE seq > (SELECT seq FROM trail_counted) AND instance_id = ?1
              AND typeof(at) = 'integer' AND typeof(action) = 'text'
              AND at >= max(?2, 0) * 3600000000 AND at < (?3 + 1) * 3600000000
            GROUP BY 1, 2
         )
         GROUP BY hour, action ORDER BY hour, action",
    )?;
    let mut rows = stmt.query(params![instance, from, to])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(ActivityRecord {
            hour: row.get(0)?,
            action: row.get(1)?,
            calls: u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
            failures: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
        });
    }
    Ok(out)
}

/// The listing: newest first, `seq` bounded on both sides by plain comparisons so that SQLite
/// reads only that range of the trail (`?6 IS NULL OR seq < ?6` made it walk back from the
/// newest row to the page asked for, half a second at the bottom of 3.7 million rows).
fn list_sql() -> String {
    format!(
        "SELECT {EVENT_COLUMNS} FROM audit_events
         WHERE seq < ?6 AND seq > ?11
           AND (?1 IS NULL OR instance_id = ?1) AND (?2 IS NULL OR initiator = ?2)
           AND (?3 IS NULL OR substr(action, 1, length(?3)) = ?3)
           AND (?4 IS NULL OR target = ?4) AND (?5 = 0 OR outcome != 'success')
           AND (?8 IS NULL OR at >= ?8) AND (?9 IS NULL OR at < ?9)
           AND (?10 IS NULL OR correlation_id = ?10)
         ORDER BY seq DESC LIMIT ?7"
    )
}

pub(crate) fn list(conn: &Connection, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
    let floor = match query.within_latest {
        None => 0,
        Some(rows) => {
            let newest: i64 = conn.query_row(
                "SELECT coalesce(max(seq), 0) FROM audit_events",
                [],
                |row| row.get(0),
            )?;
            newest - i64::from(rows)
        }
    };
    let mut stmt = conn.prepare(&list_sql())?;
    let mut rows = stmt.query(params![
        query.instance,
        query.initiator,
        query.action_prefix,
        query.target,
        query.failures_only,
        query.before.unwrap_or(i64::MAX),
        query.limit.clamp(1, 1000),
        query.since.map(micros),
        query.until.map(micros),
        query.correlation_id,
        floor
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(AuditRecord {
            seq: row.get(EVENT_COLUMN_COUNT - 1)?,
            event: event_from_row(row, 0)?,
        });
    }
    Ok(out)
}

struct Pending {
    event: AuditEvent,
    registration: Option<(String, Registration)>,
    done: Done,
}

/// The writer's half of one receipt. Dropped without an answer (the writer stopped), it
/// tells the waiting call so.
struct Done {
    shared: Arc<Handoff>,
    sent: bool,
}

/// One answer handed from the writer thread to a waiting call: a blocking thread waits on
/// the condvar, an async task leaves its waker. (A oneshot channel without an async runtime:
/// the store depends on none.)
#[derive(Default)]
struct Handoff {
    slot: Mutex<Slot>,
    ready: Condvar,
}

#[derive(Default)]
struct Slot {
    answer: Option<Result<(), String>>,
    /// The writer went away without answering.
    dropped: bool,
    waker: Option<Waker>,
    /// A thread sleeps on the condvar. Only then does the answer notify it: a notify is a
    /// system call whether or not anyone waits, and the writer would pay one for every
    /// async call it answers (docs/benchmarks.md §2).
    parked: bool,
}

impl Handoff {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        // The slot is written whole under the lock; a poisoned lock still holds a usable value.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn settle(&self, answer: Option<Result<(), String>>) {
        let mut slot = self.slot();
        match answer {
            Some(answer) => slot.answer = Some(answer),
            None => slot.dropped = true,
        }
        let waker = slot.waker.take();
        let parked = slot.parked;
        drop(slot);
        if parked {
            self.ready.notify_all();
        }
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Done {
    fn send(mut self, answer: Result<(), String>) {
        self.sent = true;
        self.shared.settle(Some(answer));
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        if !self.sent {
            self.shared.settle(None);
        }
    }
}

/// How much one key version has been used: its successful wraps, unwraps and rewraps in the
/// audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionUseRecord {
    /// The version.
    pub version: KeyVersionId,
    /// Ciphertexts it made (wrap, rewrap).
    pub wraps: u64,
    /// Ciphertexts it opened (unwrap).
    pub unwraps: u64,
    /// The last of those calls.
    pub last_used_at: time::OffsetDateTime,
}

/// The promise that one submitted event will be committed: wait for it on a blocking thread
/// ([`AuditReceipt::wait`]) or `.await` it on an async task, which parks no thread at all.
#[must_use = "the call may be answered only once its audit row is committed"]
pub struct AuditReceipt {
    shared: Arc<Handoff>,
}

impl AuditReceipt {
    /// Blocks until the row is committed. Not on an async worker: use `.await` there.
    pub fn wait(self) -> Result<(), CoreError> {
        let mut slot = self.shared.slot();
        loop {
            if let Some(answer) = slot.answer.take() {
                return outcome(Some(answer));
            }
            if slot.dropped {
                return outcome(None);
            }
            slot.parked = true;
            slot = self
                .shared
                .ready
                .wait(slot)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Future for AuditReceipt {
    type Output = Result<(), CoreError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.shared.slot();
        if let Some(answer) = slot.answer.take() {
            return Poll::Ready(outcome(Some(answer)));
        }
        if slot.dropped {
            return Poll::Ready(outcome(None));
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

fn outcome(answer: Option<Result<(), String>>) -> Result<(), CoreError> {
    match answer {
        Some(Ok(())) => Ok(()),
        Some(Err(message)) => Err(StoreError::Corrupt(message).into()),
        None => Err(StoreError::Corrupt("the audit writer has stopped".into()).into()),
    }
}

/// Group commit for data-plane events. One thread owns a second SQLite connection; each
/// caller is answered once the batch holding its row has been committed, either on a blocking
/// thread ([`AuditWriter::record`]) or, on the data plane, as an async wait
/// ([`AuditWriter::submit`]), so that a wrap holds no thread while its batch commits.
pub struct AuditWriter {
    queue: Option<mpsc::Sender<Pending>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for AuditWriter {
    /// Closes the queue and waits for the writer to finish its batch and close its
    /// connection, so the files are quiet once the store is dropped.
    fn drop(&mut self) {
        self.queue.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl AuditWriter {
    pub(crate) fn start(path: &Path, chain: Chain) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // The writer records calls that changed nothing (wraps, reads, refusals). In WAL mode
        // `synchronous=NORMAL` makes its commit reach the WAL in the OS page cache before the
        // caller is answered, without waiting for fsync: a killed process loses no
        // acknowledged row; an OS crash or power loss can lose the last rows written since
        // the previous fsync (a suffix, so the hash chain stays whole). Changes keep their
        // audit row in their own `synchronous=FULL` transaction on the main connection, whose
        // fsync also makes every earlier WAL frame durable.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(Duration::from_secs(10))?;
        crate::checkpoint::defer_checkpoints(&conn)?;
        let (queue, receiver) = mpsc::channel::<Pending>();
        let thread = std::thread::Builder::new()
            .name("strongroom-audit".into())
            .spawn(move || run(conn, chain, receiver))
            .map_err(|err| StoreError::Corrupt(format!("cannot start the audit writer: {err}")))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Appends `event` (and refreshes the registration of the source resource, if any) and
    /// returns once both are committed to the WAL (durable against a process crash; against
    /// an OS crash once the next fsync of the WAL has run).
    pub fn record(
        &self,
        event: AuditEvent,
        registration: Option<(String, Registration)>,
    ) -> Result<(), CoreError> {
        self.submit(event, registration)?.wait()
    }

    /// Queues `event` (and the registration refresh) for the next batch without waiting; the
    /// receipt resolves once they are committed to the WAL.
    pub fn submit(
        &self,
        event: AuditEvent,
        registration: Option<(String, Registration)>,
    ) -> Result<AuditReceipt, CoreError> {
        let shared = Arc::new(Handoff::default());
        let done = Done {
            shared: Arc::clone(&shared),
            sent: false,
        };
        self.queue
            .as_ref()
            .ok_or_else(|| StoreError::Corrupt("the audit writer has stopped".into()))?
            .send(Pending {
                event,
                registration,
                done,
            })
            .map_err(|_| StoreError::Corrupt("the audit writer has stopped".into()))?;
        Ok(AuditReceipt { shared })
    }
}

/// How often the writer counts the trail's new rows into `activity_hourly`, busy or idle.
const COUNT_EVERY: Duration = Duration::from_secs(1);
/// The most rows one count reads, so no batch waits long for it. A count that fills it is
/// followed by another at once, so the rows not yet counted stay few whoever appends them (key
/// changes append theirs in their own transactions, unseen by the writer).
const COUNT_AT_MOST: i64 = 8192;

/// When the writer counts: a second after the last count, or at once after a full one.
struct ActivityCount {
    last: Instant,
    behind: bool,
}

impl ActivityCount {
    fn due(&self) -> bool {
        self.behind || self.last.elapsed() >= COUNT_EVERY
    }

    /// How long an idle writer may wait for a row before it counts on its own.
    fn wait(&self) -> Duration {
        if self.behind {
            Duration::ZERO
        } else {
            COUNT_EVERY.saturating_sub(self.last.elapsed())
        }
    }

    fn counted(&mut self, full: bool) {
        self.last = Instant::now();
        self.behind = full;
    }
}

fn run(mut conn: Connection, chain: Chain, receiver: mpsc::Receiver<Pending>) {
    let mut activity = ActivityCount {
        last: Instant::now(),
        behind: true,
    };
    loop {
        let first = match receiver.recv_timeout(activity.wait()) {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                count_alone(&mut conn, &mut activity);
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let count = activity.due().then_some(&mut activity);
        let result = commit(&mut conn, &chain, &batch, count).map_err(|err| {
            tracing::error!(error = %err, "audit batch failed");
            "the audit trail could not be written".to_owned()
        });
        for pending in batch {
            pending.done.send(result.clone());
        }
    }
}

/// Counts in a savepoint of `tx`. Derived counts: a count that fails is undone, logged and
/// tried again a second later; it never costs the transaction its other changes.
fn count_in_savepoint(
    tx: &mut rusqlite::Transaction<'_>,
    activity: &mut ActivityCount,
) -> Result<(), StoreError> {
    let counting = tx.savepoint()?;
    match count_activity(&counting, COUNT_AT_MOST) {
        Ok(full) => {
            counting.commit()?;
            activity.counted(full);
        }
        Err(err) => {
            tracing::error!(error = %err, "could not count the audit trail's activity");
            activity.counted(false);
        }
    }
    Ok(())
}

/// An idle writer's count, when rows wait: those appended by key changes, or what a full
/// count left.
fn count_alone(conn: &mut Connection, activity: &mut ActivityCount) {
    if let Err(err) = try_count_alone(conn, activity) {
        tracing::error!(error = %err, "could not count the audit trail's activity");
        activity.counted(false);
    }
}

fn try_count_alone(conn: &mut Connection, activity: &mut ActivityCount) -> Result<(), StoreError> {
    let waiting: bool = conn
        .prepare_cached(
            "SELECT coalesce(max(seq), 0) > (SELECT seq FROM trail_counted) FROM audit_events",
        )?
        .query_row([], |row| row.get(0))?;
    if !waiting {
        activity.counted(false);
        return Ok(());
    }
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    count_in_savepoint(&mut tx, activity)?;
    tx.commit()?;
    Ok(())
}

fn commit(
    conn: &mut Connection,
    chain: &Chain,
    batch: &[Pending],
    activity: Option<&mut ActivityCount>,
) -> Result<(), StoreError> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    chain.append_all(&tx, batch.iter().map(|pending| &pending.event))?;
    for pending in batch {
        if let Some((instance, reg)) = &pending.registration {
            tx.prepare_cached(
                "INSERT INTO registrations (key_id, resource_crn, instance_id, service, key_version,
                    created_at, updated_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?4)
                 ON CONFLICT (key_id, resource_crn) DO UPDATE SET key_version = excluded.key_version,
                    updated_at = excluded.updated_at, service = excluded.service",
            )?
            .execute(params![
                    reg.key.as_bytes(),
                    &reg.resource_crn,
                    instance,
                    &reg.service,
                    reg.key_version.as_bytes(),
                    micros(reg.at)
                ],
            )?;
        }
    }
    if let Some(activity) = activity {
        count_in_savepoint(&mut tx, activity)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trail of `rows` wraps; every tenth names the key `rare`, the others `common`.
    fn trail(rows: i64) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn, Path::new(":memory:")).unwrap();
        for seq in 1..=rows {
            let target = if seq % 10 == 0 { "rare" } else { "common" };
            conn.execute(
                "INSERT INTO audit_events (seq, at, instance_id, initiator, action, target,
                    outcome, correlation_id, hash)
                 VALUES (?1, ?1, 'i', 'u', 'kms.secrets.wrap', ?2, 'success', '', x'00')",
                params![seq, target],
            )
            .unwrap();
        }
        conn
    }

    fn seqs(
        conn: &Connection,
        target: Option<&str>,
        before: Option<i64>,
        within: Option<u32>,
    ) -> Vec<i64> {
        let query = AuditQuery {
            target: target.map(Into::into),
            before,
            within_latest: within,
            limit: 3,
            ..AuditQuery::default()
        };
        list(conn, &query)
            .unwrap()
            .iter()
            .map(|record| record.seq)
            .collect()
    }

    const HOUR: i64 = 3_600;

    fn call(instance: &str, action: &str, at_secs: i64, failed: bool) -> AuditEvent {
        AuditEvent {
            at: time::OffsetDateTime::from_unix_timestamp(at_secs).unwrap(),
            instance: instance.into(),
            initiator: "u".into(),
            action: action.into(),
            target: "k".into(),
            outcome: if failed {
                Outcome::Failure("UNDECRYPTABLE".into())
            } else {
                Outcome::Success
            },
            correlation_id: String::new(),
            key_version: String::new(),
            source: String::new(),
        }
    }

    type HourRow = (String, i64, String, i64, i64);

    fn hour_rows(conn: &Connection, sql: &str) -> Vec<HourRow> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// What the counters should hold: the trail itself, counted.
    fn counted_from_the_trail(conn: &Connection) -> Vec<HourRow> {
        hour_rows(
            conn,
            "SELECT instance_id, at / 3600000000, action, count(*), sum(outcome != 'success')
             FROM audit_events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
    }

    fn counters(conn: &Connection) -> Vec<HourRow> {
        hour_rows(
            conn,
            "SELECT instance_id, hour, action, calls, failures FROM activity_hourly
             ORDER BY 1, 2, 3",
        )
    }

    fn marked(conn: &Connection) -> i64 {
        conn.query_row("SELECT seq FROM trail_counted", [], |r| r.get(0))
            .unwrap()
    }

    fn summary(
        conn: &Connection,
        instance: &str,
        from: i64,
        to: i64,
    ) -> Vec<(i64, String, u64, u64)> {
        activity(conn, instance, from, to)
            .unwrap()
            .into_iter()
            .map(|r| (r.hour, r.action, r.calls, r.failures))
            .collect()
    }

    #[test]
    fn activity_is_exact_before_during_and_after_the_writer_counts() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn, Path::new(":memory:")).unwrap();
        let chain = Chain::new(Zeroizing::new(vec![7; 32]));
        let base = 480_000 * HOUR;
        let batch = [
            call("a", "kms.secrets.wrap", base + 10, false),
            call("a", "kms.secrets.wrap", base + 20, true),
            call("a", "kms.secrets.unwrap", base + 30, false),
            call("b", "kms.secrets.wrap", base + 40, false),
            call("a", "kms.secrets.wrap", base + HOUR + 5, false),
        ];
        chain.append_all(&conn, &batch).unwrap();
        chain
            .append(&conn, &call("a", "kms.secrets.wrap", base + 50, true))
            .unwrap();
        let hour = base / HOUR;
        let expected = vec![
            (hour, "kms.secrets.unwrap".to_owned(), 1, 0),
            (hour, "kms.secrets.wrap".to_owned(), 3, 2),
            (hour + 1, "kms.secrets.wrap".to_owned(), 1, 0),
        ];

        // Not counted yet: the rows after the mark are read from the trail.
        assert!(counters(&conn).is_empty());
        assert_eq!(summary(&conn, "a", hour, hour + 1), expected);
        // Counted in part: counters and trail together, each row once.
        assert!(count_activity(&conn, 2).unwrap(), "a full window");
        assert_eq!(marked(&conn), 2);
        assert!(!counters(&conn).is_empty());
        assert_eq!(summary(&conn, "a", hour, hour + 1), expected);
        // Counted through: the counters are the trail counted by hour.
        assert!(!count_activity(&conn, 100).unwrap(), "caught up");
        assert_eq!(marked(&conn), 6);
        assert_eq!(counters(&conn), counted_from_the_trail(&conn));
        assert_eq!(summary(&conn, "a", hour, hour + 1), expected);
        count_activity(&conn, 100).unwrap();
        assert_eq!(marked(&conn), 6, "nothing new, nothing moves");
        assert_eq!(counters(&conn), counted_from_the_trail(&conn));

        assert_eq!(summary(&conn, "a", hour + 1, hour + 1), expected[2..]);
        assert_eq!(summary(&conn, "b", hour, hour).len(), 1);
        assert!(summary(&conn, "c", hour, hour + 1).is_empty());
    }

    #[test]
    fn rows_edited_into_other_types_are_left_uncounted_and_counting_goes_on() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn, Path::new(":memory:")).unwrap();
        let chain = Chain::new(Zeroizing::new(vec![7; 32]));
        let base = 480_000 * HOUR;
        for n in 0..4 {
            chain
                .append(&conn, &call("a", "kms.secrets.wrap", base + n, false))
                .unwrap();
        }
        conn.execute_batch(
            "UPDATE audit_events SET instance_id = x'ff00' WHERE seq = 1;
             UPDATE audit_events SET at = at + 0.5 WHERE seq = 2;
             UPDATE audit_events SET action = x'00' WHERE seq = 3;",
        )
        .unwrap();
        let hour = base / HOUR;
        let only_the_intact_row = [(hour, "kms.secrets.wrap".to_owned(), 1, 0)];
        // Read from the rows not yet counted, then from the counters: the same rows left out.
        assert_eq!(summary(&conn, "a", hour, hour), only_the_intact_row);
        count_activity(&conn, 100).unwrap();
        assert_eq!(marked(&conn), 4);
        assert_eq!(summary(&conn, "a", hour, hour), only_the_intact_row);
    }

    #[test]
    fn the_writer_counts_once_a_second_and_at_once_after_a_full_count() {
        let mut count = ActivityCount {
            last: Instant::now(),
            behind: false,
        };
        assert!(!count.due());
        assert!(count.wait() > Duration::ZERO);
        count.counted(true);
        assert!(count.due(), "a full count is followed by another");
        assert_eq!(count.wait(), Duration::ZERO);
        count.counted(false);
        assert!(!count.due());
        count.last = Instant::now() - COUNT_EVERY;
        assert!(count.due(), "a second since the last count");
        assert_eq!(count.wait(), Duration::ZERO);
    }

    #[test]
    fn the_migration_counts_the_trail_written_before_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate_to(&mut conn, 6).unwrap();
        let chain = Chain::new(Zeroizing::new(vec![7; 32]));
        let base = 480_000 * HOUR;
        for (n, action) in ["kms.secrets.wrap", "kms.secrets.rewrap", "kms.secrets.wrap"]
            .iter()
            .enumerate()
        {
            let at = base + n as i64 * HOUR / 2;
            let event = call("a", action, at, n == 2);
            // Schema 6 has no counters: the rows go in as that version wrote them.
            conn.execute(
                "INSERT INTO audit_events (seq, at, instance_id, initiator, action, target,
                    outcome, correlation_id, hash)
                 VALUES (?1, ?2, 'a', 'u', ?3, 'k', ?4, '', x'00')",
                params![
                    n as i64 + 1,
                    micros(event.at),
                    action,
                    event.outcome.as_str()
                ],
            )
            .unwrap();
        }
        crate::schema::migrate(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(counters(&conn).len(), 3, "{:?}", counters(&conn));
        assert_eq!(counters(&conn), counted_from_the_trail(&conn));
        assert_eq!(marked(&conn), 3);
        chain
            .append(&conn, &call("a", "kms.secrets.rewrap", base + 60, false))
            .unwrap();
        count_activity(&conn, 100).unwrap();
        assert_eq!(counters(&conn), counted_from_the_trail(&conn));
    }

    const KEY: [u8; 16] = [8; 16];
    const VERSION: [u8; 16] = [9; 16];

    /// A root key of instance `a` with one version, as far as the uses need one.
    fn key_rows(conn: &Connection) {
        conn.execute(
            "INSERT INTO keys (id, name, kind, state, imported, created_at, updated_at,
                version_id, version_created_at, instance_id)
             VALUES (?1, 'counted', 'root', 1, 0, 0, 0, ?2, 0, 'a')",
            params![KEY, VERSION],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO key_versions (id, key_id, created_at, sealed) VALUES (?1, ?2, 0, x'00')",
            params![VERSION, KEY],
        )
        .unwrap();
    }

    /// A wrap (or `action`) of the key above at `at_secs`, as the keystore audits it.
    fn use_of(action: &str, at_secs: i64, failed: bool) -> AuditEvent {
        AuditEvent {
            target: KeyId::from_bytes(KEY).to_string(),
            key_version: KeyVersionId::from_bytes(VERSION).to_string(),
            ..call("a", action, at_secs, failed)
        }
    }

    fn uses(conn: &Connection) -> (i64, i64) {
        let uses = version_uses(conn, "a", KeyId::from_bytes(KEY)).unwrap();
        uses.get(&KeyVersionId::from_bytes(VERSION))
            .map_or((0, 0), |tally| (tally.wraps, tally.unwraps))
    }

    /// A key version's uses read the same before, during and after the count: the counters
    /// plus the rows after the mark. A refused call names its version too and is not a use.
    #[test]
    fn version_uses_are_exact_before_during_and_after_the_writer_counts() {
        let conn = trail(0);
        key_rows(&conn);
        let chain = Chain::new(Zeroizing::new(vec![7; 32]));
        let base = 480_000 * HOUR;
        for (n, (action, failed)) in [
            ("kms.secrets.wrap", false),
            ("kms.secrets.unwrap", false),
            ("kms.secrets.unwrap", true),
            ("kms.secrets.rewrap", false),
            ("kms.secrets-key-versions.list", false),
        ]
        .into_iter()
        .enumerate()
        {
            chain
                .append(&conn, &use_of(action, base + n as i64, failed))
                .unwrap();
        }
        assert_eq!(uses(&conn), (2, 1), "all from the trail");
        count_activity(&conn, 2).unwrap();
        assert_eq!(marked(&conn), 2);
        assert_eq!(uses(&conn), (2, 1), "counted in part");
        count_activity(&conn, 100).unwrap();
        assert_eq!(uses(&conn), (2, 1), "all counted");
        let counted: i64 = conn
            .query_row("SELECT wraps + unwraps FROM key_version_use", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(counted, 3);
    }

    /// Until schema 8 the writer counted `version_use` in every batch and the activity about
    /// once a second past `activity_counted`; the migration brings the activity up to the last
    /// row and starts the one mark there, so no use is counted twice. A process of the previous
    /// release still running on the store writes tables nothing reads any more.
    #[test]
    fn the_migration_to_one_mark_counts_no_use_twice() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate_to(&mut conn, 7).unwrap();
        key_rows(&conn);
        let chain = Chain::new(Zeroizing::new(vec![7; 32]));
        for n in 0..3 {
            chain
                .append(
                    &conn,
                    &use_of("kms.secrets.wrap", 480_000 * HOUR + n, false),
                )
                .unwrap();
        }
        // As schema 7's writer left it: the first row counted into the hours, all three uses.
        conn.execute_batch(
            "INSERT INTO activity_hourly VALUES ('a', 480000, 'kms.secrets.wrap', 1, 0);
             UPDATE activity_counted SET seq = 1;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO version_use (version_id, key_id, wraps, unwraps, last_used_at)
             VALUES (?1, ?2, 3, 0, 0)",
            params![VERSION, KEY],
        )
        .unwrap();

        crate::schema::migrate(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(marked(&conn), 3);
        assert_eq!(counters(&conn), counted_from_the_trail(&conn));
        assert_eq!(uses(&conn), (3, 0));
        count_activity(&conn, 100).unwrap();
        assert_eq!(uses(&conn), (3, 0), "counted once");

        // The previous release's writer, still running: its per-batch use lands where nothing
        // reads, and its activity count has no mark to read, so it fails and counts nothing.
        conn.execute("UPDATE version_use SET wraps = wraps + 1", [])
            .unwrap();
        assert!(conn
            .query_row("SELECT seq FROM activity_counted", [], |row| row
                .get::<_, i64>(0))
            .is_err());
        chain
            .append(
                &conn,
                &use_of("kms.secrets.wrap", 480_000 * HOUR + 9, false),
            )
            .unwrap();
        count_activity(&conn, 100).unwrap();
        assert_eq!(uses(&conn), (4, 0));
    }

    #[test]
    fn a_listing_pages_back_and_looks_only_as_far_as_it_is_told() {
        let conn = trail(100);
        assert_eq!(seqs(&conn, None, None, None), [100, 99, 98]);
        assert_eq!(seqs(&conn, None, Some(50), None), [49, 48, 47]);
        assert_eq!(seqs(&conn, Some("rare"), None, None), [100, 90, 80]);
        assert_eq!(seqs(&conn, Some("rare"), Some(90), None), [80, 70, 60]);
        // The newest 15 rows are 86..=100: two of them name `rare`.
        assert_eq!(seqs(&conn, Some("rare"), None, Some(15)), [100, 90]);
        assert_eq!(
            seqs(&conn, Some("rare"), Some(90), Some(15)),
            Vec::<i64>::new()
        );
        assert_eq!(seqs(&conn, None, None, Some(0)), Vec::<i64>::new());
        assert_eq!(seqs(&trail(0), None, None, Some(15)), Vec::<i64>::new());
    }

    #[test]
    fn a_listing_reads_only_the_range_of_sequence_numbers_it_asks_for() {
        let conn = trail(1);
        let mut plan = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", list_sql()))
            .unwrap();
        let steps: Vec<String> = plan
            .query_map(
                params![
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    "rare",
                    false,
                    i64::MAX,
                    10,
                    None::<i64>,
                    None::<i64>,
                    None::<String>,
                    0
                ],
                |row| row.get(3),
            )
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            steps
                .iter()
                .any(|step| step.contains("USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)")),
            "{steps:?}"
        );
    }

    fn handoff() -> (Done, AuditReceipt) {
        let shared = Arc::new(Handoff::default());
        let done = Done {
            shared: Arc::clone(&shared),
            sent: false,
        };
        (done, AuditReceipt { shared })
    }

    #[test]
    fn a_receipt_gets_the_writers_answer_on_a_blocked_thread() {
        let (done, receipt) = handoff();
        let writer = std::thread::spawn(move || done.send(Err("disk full".into())));
        let answer = receipt.wait();
        writer.join().unwrap();
        assert!(answer.is_err(), "the batch's failure reaches the call");
        let (done, receipt) = handoff();
        done.send(Ok(()));
        assert!(receipt.wait().is_ok());
    }

    #[test]
    fn a_thread_already_asleep_on_its_receipt_is_woken() {
        let (done, receipt) = handoff();
        let shared = Arc::clone(&receipt.shared);
        let writer = std::thread::spawn(move || {
            // Answer only once the caller sleeps, so the answer must wake it.
            while !shared.slot().parked {
                std::thread::yield_now();
            }
            done.send(Ok(()));
        });
        let (answered, answer) = mpsc::channel();
        std::thread::spawn(move || answered.send(receipt.wait().is_ok()));
        // A lost wake-up would leave the caller asleep: fail rather than hang.
        let woken = answer.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(woken, Ok(true), "the sleeping caller was not woken");
        writer.join().unwrap();
    }

    #[test]
    fn a_writer_gone_without_answering_is_an_error_not_a_hang() {
        let (done, receipt) = handoff();
        drop(done);
        assert!(receipt.wait().is_err());
    }

    #[test]
    fn an_awaited_receipt_is_woken_by_the_answer() {
        struct Flag(std::sync::atomic::AtomicBool);
        impl std::task::Wake for Flag {
            fn wake(self: Arc<Self>) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let flag = Arc::new(Flag(std::sync::atomic::AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&flag));
        let mut cx = Context::from_waker(&waker);
        let (done, mut receipt) = handoff();
        assert!(Pin::new(&mut receipt).poll(&mut cx).is_pending());
        done.send(Ok(()));
        assert!(flag.0.load(std::sync::atomic::Ordering::SeqCst), "woken");
        assert!(matches!(
            Pin::new(&mut receipt).poll(&mut cx),
            Poll::Ready(Ok(()))
        ));
    }
}
