//! Crash safety: `strongroom serve` on a real data directory is killed with SIGKILL while
//! concurrent clients create, import, rotate, delete and wrap over loopback HTTP, then
//! restarted on the same directory. After every kill:
//!
//! - the SQLite file, opened read-only before anything else touches it, passes
//!   `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
//! - nothing is half-written: every key has its versions and its current version's sealed
//!   material, a deleted key is deleted through and through (state and date), and every
//!   successful create, rotate or delete in the audit trail has its change in the tables;
//! - every acknowledged operation (a 2xx status line reached the client) is there: keys, their
//!   rotations, their deletions, and the audit row of the call (found by its correlation id),
//!   because a change and its audit row commit in one transaction and data-plane rows are
//!   committed to the WAL before the answer is sent (`strongroom_store::AuditWriter`; a
//!   process kill cannot lose them, an OS crash could lose the newest: see SECURITY.md);
//! - `strongroom audit verify` finds the chain intact;
//! - after the restart, every ciphertext acknowledged before any kill unwraps to its DEK.
//!
//! Cycles: 5 by default, `STRONGROOM_CRASH_CYCLES=50` on demand. The randomness (which
//! operations, which keys, when to kill) comes from one seed, printed at the start and in every
//! failure; `STRONGROOM_CRASH_SEED=<n>` replays it. The kill moment is chosen by progress (a
//! random number of acknowledged operations plus a random pause), not by a timing threshold.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::INSTANCE;
use serde_json::{json, Value};

const API_KEY: &str = "crash-admin-api-key-7d1e";
const WORKERS: usize = 4;

/// SplitMix64: small, seedable, and the same on every platform, so a seed replays a run.
#[derive(Clone)]
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// What the clients know happened, from the answers they received.
#[derive(Default)]
struct Ledger {
    keys: BTreeMap<String, KnownKey>,
    wraps: Vec<Wrapped>,
    /// Correlation ids of acknowledged calls, with the cycle they ran in.
    acknowledged: Vec<(usize, String)>,
    /// Calls that got a 5xx: never acceptable.
    server_errors: Vec<String>,
    /// Calls cut off by the kill (no status line), per cycle: their outcome is unknown.
    unanswered: BTreeMap<usize, usize>,
}

#[derive(Default, Clone)]
struct KnownKey {
    imported: bool,
    /// Rotation was sent (answered or not): Key Protect allows one an hour, so not again.
    rotation_sent: bool,
    rotation_acknowledged: bool,
    /// Deletion was sent; whether it happened is unknown unless acknowledged.
    delete_sent: bool,
    delete_acknowledged: bool,
}

struct Wrapped {
    key: String,
    ciphertext: String,
    /// base64 of the DEK; never printed.
    dek: String,
    aad: Vec<String>,
    cycle: usize,
}

/// An HTTP answer. `None` from [`exchange`] means no status line arrived: the call may or may
/// not have taken effect.
struct Answer {
    status: u16,
    /// `Null` when the body was empty, cut short or not JSON.
    body: Value,
}

fn exchange(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Answer> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    // A kill mid-answer shows up as a reset: keep whatever arrived.
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    if !text.starts_with("HTTP/1.1 ") || text.len() < 12 {
        return None;
    }
    let status = text[9..12].parse().ok()?;
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    let complete = length.is_none_or(|length| rest.len() == length);
    let body = if complete {
        serde_json::from_str(rest).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    Some(Answer { status, body })
}

/// The server process, its log in a file (a busy log outgrows a pipe).
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, run: usize) -> Server {
    let stdout_path = dir.join(format!("stdout-{run}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_INSTANCE_ID", INSTANCE)
        .env("STRONGROOM_BOOTSTRAP_API_KEY", API_KEY)
        .env("STRONGROOM_LOG", "strongroom=info")
        .stdout(File::create(&stdout_path).unwrap())
        .stderr(File::create(dir.join(format!("stderr-{run}.log"))).unwrap())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        address: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let stdout = std::fs::read_to_string(&stdout_path).unwrap();
        if let Some(address) = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix("listening on http://"))
        {
            server.address = address.to_owned();
            return server;
        }
        if let Some(status) = server.child.try_wait().unwrap() {
            let stderr = std::fs::read_to_string(dir.join(format!("stderr-{run}.log")));
            panic!("serve exited with {status} at start: {stderr:?}");
        }
        assert!(Instant::now() < deadline, "no `listening on` line");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn bearer(address: &str) -> String {
    let answer = exchange(
        address,
        "POST",
        "/identity/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={API_KEY}"),
    )
    .expect("the token endpoint answers");
    assert_eq!(answer.status, 200, "token exchange");
    format!("Bearer {}", answer.body["access_token"].as_str().unwrap())
}

/// What the clients of one cycle share.
struct Load {
    address: String,
    bearer: String,
    ledger: Arc<Mutex<Ledger>>,
    acknowledged: AtomicUsize,
    stop: AtomicBool,
    cycle: usize,
}

/// One client: random operations until the server stops answering or `stop` is set.
fn client(load: &Load, mut dice: Dice, worker: usize) {
    let Load {
        address,
        bearer,
        ledger,
        acknowledged,
        stop,
        cycle,
    } = load;
    let (address, cycle) = (address.as_str(), *cycle);
    let mut call = 0usize;
    while !stop.load(Ordering::SeqCst) {
        call += 1;
        let correlation = format!("crash-{cycle}-{worker}-{call}");
        let headers = [
            ("Authorization", bearer.as_str()),
            ("Bluemix-Instance", INSTANCE),
            ("Correlation-Id", correlation.as_str()),
        ];
        // A key to act on, chosen among those not known to be going away.
        let (target, target_key) = {
            let ledger = ledger.lock().unwrap();
            let live: Vec<(&String, &KnownKey)> =
                ledger.keys.iter().filter(|(_, k)| !k.delete_sent).collect();
            if live.is_empty() {
                (None, KnownKey::default())
            } else {
                let (id, key) = live[dice.below(live.len())];
                (Some(id.clone()), key.clone())
            }
        };
        let roll = dice.below(100);
        let outcome = match (roll, &target) {
            (0..=19, _) | (_, None) => {
                let body = json!({"metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
                    "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": correlation, "extractable": false}]});
                let answer = exchange(address, "POST", "/api/v2/keys", &headers, &body.to_string());
                (answer, Op::Create { imported: false })
            }
            (20..=29, _) => {
                let payload = STANDARD.encode(dice.bytes(32));
                let body = json!({"resources": [{"name": correlation, "extractable": false, "payload": payload}]});
                let answer = exchange(address, "POST", "/api/v2/keys", &headers, &body.to_string());
                (answer, Op::Create { imported: true })
            }
            (30..=39, Some(id)) if !target_key.rotation_sent => {
                ledger
                    .lock()
                    .unwrap()
                    .keys
                    .get_mut(id)
                    .unwrap()
                    .rotation_sent = true;
                let body = if target_key.imported {
                    json!({"payload": STANDARD.encode(dice.bytes(32))}).to_string()
                } else {
                    String::new()
                };
                let answer = exchange(
                    address,
                    "POST",
                    &format!("/api/v2/keys/{id}/actions/rotate"),
                    &headers,
                    &body,
                );
                (answer, Op::Rotate(id.clone()))
            }
            (40..=47, Some(id)) => {
                ledger.lock().unwrap().keys.get_mut(id).unwrap().delete_sent = true;
                let answer = exchange(
                    address,
                    "DELETE",
                    &format!("/api/v2/keys/{id}"),
                    &headers,
                    "",
                );
                (answer, Op::Delete(id.clone()))
            }
            (_, Some(id)) => {
                let dek = STANDARD.encode(dice.bytes(32));
                let aad: Vec<String> = (0..dice.below(3))
                    .map(|i| format!("aad-{cycle}-{worker}-{call}-{i}"))
                    .collect();
                let body = json!({"plaintext": dek, "aad": aad}).to_string();
                let answer = exchange(
                    address,
                    "POST",
                    &format!("/api/v2/keys/{id}/actions/wrap"),
                    &headers,
                    &body,
                );
                (
                    answer,
                    Op::Wrap {
                        key: id.clone(),
                        dek,
                        aad,
                    },
                )
            }
        };
        let (Some(answer), op) = outcome else {
            // No answer: the server is gone (or going). Unknown outcome; stop.
            *ledger.lock().unwrap().unanswered.entry(cycle).or_default() += 1;
            return;
        };
        let mut ledger = ledger.lock().unwrap();
        if answer.status >= 500 {
            ledger
                .server_errors
                .push(format!("{correlation}: {} {}", answer.status, answer.body));
            continue;
        }
        if !(200..300).contains(&answer.status) {
            continue;
        }
        ledger.acknowledged.push((cycle, correlation.clone()));
        acknowledged.fetch_add(1, Ordering::SeqCst);
        match op {
            Op::Create { imported } => {
                // A cut-short body leaves the id unknown; the audit row still counts.
                if let Some(id) = answer.body["resources"][0]["id"].as_str() {
                    ledger.keys.insert(
                        id.to_owned(),
                        KnownKey {
                            imported,
                            ..KnownKey::default()
                        },
                    );
                }
            }
            Op::Rotate(id) => ledger.keys.get_mut(&id).unwrap().rotation_acknowledged = true,
            Op::Delete(id) => ledger.keys.get_mut(&id).unwrap().delete_acknowledged = true,
            Op::Wrap { key, dek, aad } => {
                if let Some(ciphertext) = answer.body["ciphertext"].as_str() {
                    ledger.wraps.push(Wrapped {
                        key,
                        ciphertext: ciphertext.to_owned(),
                        dek,
                        aad,
                        cycle,
                    });
                }
            }
        }
    }
}

enum Op {
    Create {
        imported: bool,
    },
    Rotate(String),
    Delete(String),
    Wrap {
        key: String,
        dek: String,
        aad: Vec<String>,
    },
}

/// Checks the database file as the kill left it, read-only, before any process reopens it.
fn check_file(dir: &Path, ledger: &Ledger, cycle: usize, context: &str) {
    let db = rusqlite::Connection::open_with_flags(
        dir.join("data/keystore.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let integrity: Vec<String> = db
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(integrity, ["ok"], "integrity_check {context}");
    let dangling: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0, "rows point at missing rows {context}");

    let count = |sql: &str| -> i64 { db.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT count(*) FROM keys k WHERE NOT EXISTS (SELECT 1 FROM key_versions v
               WHERE v.id = k.version_id AND v.key_id = k.id AND length(v.sealed) > 0)"
        ),
        0,
        "a key without its current version's sealed material {context}"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM keys WHERE (state = 5) != (deleted_at IS NOT NULL)
               OR (rotated_at IS NOT NULL) != ((SELECT count(*) FROM key_versions v
                   WHERE v.key_id = keys.id) > 1)"
        ),
        0,
        "a key whose state, deletion date, rotation date and versions disagree {context}"
    );
    // The converse of acknowledgement: a successful change in the trail has its change.
    let hex_id = "lower(hex(k.id)) = lower(replace(a.target, '-', ''))";
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM audit_events a WHERE a.outcome = 'success'
               AND a.action = 'kms.secrets.create'
               AND NOT EXISTS (SELECT 1 FROM keys k WHERE {hex_id})"
        )),
        0,
        "an audited create without its key {context}"
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM audit_events a WHERE a.outcome = 'success'
               AND a.action = 'kms.secrets.rotate'
               AND NOT EXISTS (SELECT 1 FROM keys k WHERE {hex_id} AND k.rotated_at IS NOT NULL
                   AND (SELECT count(*) FROM key_versions v WHERE v.key_id = k.id) > 1)"
        )),
        0,
        "an audited rotation without its new version {context}"
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM audit_events a WHERE a.outcome = 'success'
               AND a.action = 'kms.secrets.delete'
               AND NOT EXISTS (SELECT 1 FROM keys k WHERE {hex_id} AND k.state = 5)"
        )),
        0,
        "an audited deletion of a key that is not deleted {context}"
    );

    let mut key_row = db
        .prepare(
            "SELECT state, rotated_at IS NOT NULL,
                    (SELECT count(*) FROM key_versions v WHERE v.key_id = keys.id)
             FROM keys WHERE lower(hex(id)) = ?1",
        )
        .unwrap();
    for (id, known) in &ledger.keys {
        let row: Option<(i64, bool, i64)> = key_row
            .query_row([id.replace('-', "").to_lowercase()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .ok();
        let (state, rotated, versions) =
            row.unwrap_or_else(|| panic!("acknowledged key {id} is missing {context}"));
        if known.rotation_acknowledged {
            assert!(
                rotated && versions >= 2,
                "acknowledged rotation of {id} is missing {context}"
            );
        }
        if known.delete_acknowledged {
            assert_eq!(
                state, 5,
                "acknowledged deletion of {id} is missing {context}"
            );
        } else if !known.delete_sent {
            assert_eq!(state, 1, "key {id} changed state on its own {context}");
        }
    }

    let mut audited = db
        .prepare(
            "SELECT count(*) FROM audit_events WHERE correlation_id = ?1 AND outcome = 'success'",
        )
        .unwrap();
    for (_, correlation) in ledger.acknowledged.iter().filter(|(c, _)| *c == cycle) {
        let rows: i64 = audited.query_row([correlation], |row| row.get(0)).unwrap();
        assert!(
            rows >= 1,
            "the audit row of acknowledged call {correlation} is missing {context}"
        );
    }
}

fn audit_verify(dir: &Path, context: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["audit", "verify", "--data-dir"])
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_LOG", "off")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("intact"),
        "audit verify {context}: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// After the restart: acknowledged keys answer with the right state and versions, and every
/// acknowledged ciphertext of a key not being deleted unwraps to its DEK.
fn check_served(server: &Server, ledger: &Ledger, cycle: usize, dice: &mut Dice, context: &str) {
    let bearer = bearer(&server.address);
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    for (id, known) in &ledger.keys {
        let answer = exchange(
            &server.address,
            "GET",
            &format!("/api/v2/keys/{id}/versions"),
            &headers,
            "",
        )
        .unwrap();
        if known.delete_sent {
            continue;
        }
        assert_eq!(answer.status, 200, "versions of {id} {context}");
        let versions = answer.body["resources"].as_array().unwrap().len();
        assert!(
            versions > usize::from(known.rotation_acknowledged),
            "{id} has {versions} versions {context}"
        );
    }
    // This cycle's ciphertexts, and a sample of the earlier ones.
    let unwrappable: Vec<&Wrapped> = ledger
        .wraps
        .iter()
        .filter(|w| !ledger.keys.get(&w.key).is_some_and(|k| k.delete_sent))
        .filter(|w| w.cycle == cycle || dice.below(10) == 0)
        .collect();
    for wrapped in unwrappable {
        let body = json!({"ciphertext": wrapped.ciphertext, "aad": wrapped.aad}).to_string();
        let answer = exchange(
            &server.address,
            "POST",
            &format!("/api/v2/keys/{}/actions/unwrap", wrapped.key),
            &headers,
            &body,
        )
        .unwrap();
        assert_eq!(
            answer.status, 200,
            "unwrap under {} (wrapped in cycle {}) {context}",
            wrapped.key, wrapped.cycle
        );
        assert!(
            answer.body["plaintext"].as_str() == Some(wrapped.dek.as_str()),
            "a ciphertext under {} (wrapped in cycle {}) unwraps to another DEK {context}",
            wrapped.key,
            wrapped.cycle
        );
    }
}

#[test]
fn sigkill_under_concurrent_load_loses_no_acknowledged_change_and_leaves_nothing_half_written() {
    let cycles: usize = std::env::var("STRONGROOM_CRASH_CYCLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("STRONGROOM_CRASH_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("crash test: {cycles} cycles, STRONGROOM_CRASH_SEED={seed}");
    let mut dice = Dice(seed);
    let dir = tempfile::tempdir().unwrap();
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut server = serve(dir.path(), 0);
    for cycle in 1..=cycles {
        let context = format!("(cycle {cycle} of {cycles}, STRONGROOM_CRASH_SEED={seed})");
        let bearer = bearer(&server.address);
        let load = Arc::new(Load {
            address: server.address.clone(),
            bearer,
            ledger: ledger.clone(),
            acknowledged: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            cycle,
        });
        let clients: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let (load, dice) = (load.clone(), Dice(dice.next()));
                std::thread::spawn(move || client(&load, dice, worker))
            })
            .collect();
        // Kill after a random amount of progress, then a random pause of up to 30 ms, so
        // the kill lands anywhere in a request: parsing, committing, answering.
        let target = 5 + dice.below(60);
        let pause = Duration::from_micros(dice.below(30_000) as u64);
        let give_up = Instant::now() + Duration::from_secs(120);
        while load.acknowledged.load(Ordering::SeqCst) < target && Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(pause);
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        load.stop.store(true, Ordering::SeqCst);
        for client in clients {
            client.join().unwrap();
        }
        let ledger_now = ledger.lock().unwrap();
        assert!(
            ledger_now.server_errors.is_empty(),
            "5xx answers {context}: {:?}",
            ledger_now.server_errors
        );
        let acked = ledger_now
            .acknowledged
            .iter()
            .filter(|(c, _)| *c == cycle)
            .count();
        assert!(acked > 0, "no call was acknowledged {context}");
        println!(
            "cycle {cycle}: killed after {acked} acknowledged calls, {} cut off; {} keys, {} ciphertexts known",
            ledger_now.unanswered.get(&cycle).copied().unwrap_or(0),
            ledger_now.keys.len(),
            ledger_now.wraps.len()
        );
        check_file(dir.path(), &ledger_now, cycle, &context);
        audit_verify(dir.path(), &context);
        server = serve(dir.path(), cycle);
        check_served(&server, &ledger_now, cycle, &mut dice, &context);
        let stderr = std::fs::read_to_string(dir.path().join(format!("stderr-{}.log", cycle - 1)))
            .unwrap_or_default();
        assert!(
            !stderr.contains("panicked"),
            "the server panicked {context}"
        );
    }
    // A last graceful stop, and the trail verified once more.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0, got {status}");
    audit_verify(dir.path(), &format!("(after the last cycle, seed {seed})"));
}
