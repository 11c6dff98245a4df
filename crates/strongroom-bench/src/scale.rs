//! The scale run: a keystore with many keys (a million on demand), seeded in batches through
//! [`InstanceStore::insert_many`], then timed through the `Keystore` facade exactly as
//! `strongroom serve` calls it (authorization checks and the audit trail included).
//!
//! Seeded keys are deterministic in shape: key `i` is named and aliased `bench-i`, lives in
//! ring `ring-(i mod 10)` and is a root key except every tenth, which is standard. So a later
//! run can reuse a seeded directory and find any key by alias.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::Rng;
use strongroom_api::{
    KeyStateName, KeyType, Keystore, ListKeysRequest, SecretString, UnwrapRequest, WrapRequest,
};
use strongroom_core::{
    Alias, AuditEvent, Clock, Key, KeyKind, KeyMaterial, KeyName, KeyQuery, KeyRepository,
    KeyRingId, KeyState, NewKey, Outcome, SystemClock,
};
use strongroom_local::{LocalKeystore, DESKTOP_IAM_ID};
use strongroom_store::{MasterKeySource, SqliteStore, DATABASE_FILE};

const RINGS: u64 = 10;

#[derive(clap::Args)]
pub(crate) struct Options {
    /// Keys the store holds before timing (it is topped up to this many).
    #[arg(long, default_value_t = 10_000)]
    keys: u64,
    /// The keystore directory [default: $TMPDIR/strongroom-scale].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Keys per transaction while seeding.
    #[arg(long, default_value_t = 10_000)]
    batch: u64,
    /// Samples per timed read.
    #[arg(long, default_value_t = 1_000)]
    samples: usize,
    /// Concurrent callers while wrapping and unwrapping under load.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds of each load phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

pub(crate) async fn run(options: Options) -> anyhow::Result<()> {
    let dir = options
        .data_dir
        .clone()
        .unwrap_or_else(crate::default_scale_dir);
    let store = Arc::new(
        SqliteStore::open(&dir, &MasterKeySource::File(dir.join("master.key")))
            .context("cannot open the scale keystore")?,
    );
    let keystore = LocalKeystore::administrator(Arc::clone(&store), Arc::new(SystemClock))?;

    let have = u64::from(keystore.list_keys(list(0, 1)).await?.total);
    let seeded = if have < options.keys {
        Some(seed(&store, &keystore, have, options.keys, options.batch).await?)
    } else {
        None
    };
    let total = options.keys.max(have);
    let mut rows: Vec<[String; 4]> = Vec::new();
    if let Some((count, elapsed)) = seeded {
        rows.push([
            format!("seed {count} keys, {} per transaction", options.batch),
            format!("{:.0} keys/s", count as f64 / elapsed.as_secs_f64()),
            format!("{:.1} s", elapsed.as_secs_f64()),
            String::new(),
        ]);
    }
    let (count, elapsed) = create_one_by_one(&keystore, 50).await?;
    rows.push([
        "create through the facade, one transaction each".into(),
        format!("{:.0} keys/s", count as f64 / elapsed.as_secs_f64()),
        String::new(),
        String::new(),
    ]);

    let mut rng = rand::rng();
    let mut timed = Vec::new();
    for (label, request) in [
        ("list 200, default states", list(0, 200)),
        ("list 200, active root keys", {
            let mut r = list(0, 200);
            r.states = vec![KeyStateName::Active];
            r.key_type = Some(KeyType::Root);
            r
        }),
        ("list 200, ring-3, active", {
            let mut r = list(0, 200);
            r.states = vec![KeyStateName::Active];
            r.key_ring = Some("ring-3".into());
            r
        }),
    ] {
        // Random pages among the first ten that this filter fills.
        let matching = keystore.list_keys(request.clone()).await?.total;
        let pages = (matching / 200).clamp(1, 10);
        let samples = options.samples.min(200);
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples {
            let mut request = request.clone();
            request.offset = 200 * rng.random_range(0..pages);
            let start = Instant::now();
            let page = keystore.list_keys(request).await?;
            times.push(start.elapsed());
            anyhow::ensure!(!page.keys.is_empty(), "{label}: an empty page");
        }
        timed.push((label.to_owned(), times));
    }

    // The same pages straight from storage: the facade's figures above include appending
    // the read to the audit trail, which waits for a durable (fsync'd) group commit.
    let instance = store.instance(keystore.instance_id())?;
    for (label, query) in [
        (
            "storage only: list 200, default states",
            KeyQuery::default(),
        ),
        (
            "storage only: list 200, active root keys",
            KeyQuery {
                states: vec![KeyState::Active],
                kind: Some(KeyKind::Root),
                ..KeyQuery::default()
            },
        ),
        (
            "storage only: list 200, ring-3, active",
            KeyQuery {
                states: vec![KeyState::Active],
                key_rings: Some(vec![KeyRingId::parse("ring-3")?]),
                ..KeyQuery::default()
            },
        ),
        // As the facade lists: an expired key counts as deactivated, which the stored state
        // does not say (migration 9). Against the row above this one's stored-state twin.
        (
            "storage only: list 200, active root keys, expiry judged",
            KeyQuery {
                states: vec![KeyState::Active],
                kind: Some(KeyKind::Root),
                states_at: Some(SystemClock.now()),
                ..KeyQuery::default()
            },
        ),
        (
            "storage only: list 200, deactivated, expiry judged",
            KeyQuery {
                states: vec![KeyState::Deactivated],
                states_at: Some(SystemClock.now()),
                ..KeyQuery::default()
            },
        ),
    ] {
        let matching = {
            let instance = instance.clone();
            let query = query.clone();
            tokio::task::spawn_blocking(move || instance.list(&query)).await??
        }
        .total;
        let pages = (matching / 200).clamp(1, 10) as u32;
        let samples = options.samples.min(200);
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples {
            let mut query = query.clone();
            query.limit = 200;
            query.offset = 200 * rng.random_range(0..pages);
            let instance = instance.clone();
            let start = Instant::now();
            tokio::task::spawn_blocking(move || instance.list(&query)).await??;
            times.push(start.elapsed());
        }
        timed.push((label.to_owned(), times));
    }

    // Ids for the by-id reads come from resolving other random aliases in storage, untimed:
    // that reads only the alias index, so both timed passes read keys nobody has read yet
    // (a key read through the facade is remembered for a second, and timing those would
    // time the memory, not the store). Samples are drawn with replacement, so at a million
    // keys a pass of 1,000 repeats about one key by chance. Only seeded keys (`bench-i`) have aliases; those
    // created one by one above do not.
    let aliased = options.keys.min(total);
    let mut root_ids = Vec::new();
    for _ in 0..options.samples {
        let i = rng.random_range(0..aliased);
        let resolver = instance.clone();
        let id =
            tokio::task::spawn_blocking(move || resolver.resolve(&format!("bench-{i}"))).await??;
        if i % 10 != 9 {
            root_ids.push(id.to_string());
        }
    }
    let mut by_alias = Vec::with_capacity(options.samples);
    for _ in 0..options.samples {
        let i = rng.random_range(0..aliased);
        let start = Instant::now();
        keystore.key(&format!("bench-{i}")).await?;
        by_alias.push(start.elapsed());
    }
    timed.push(("get by alias".into(), by_alias));
    let mut by_id = Vec::with_capacity(root_ids.len());
    for id in &root_ids {
        let start = Instant::now();
        keystore.key(id).await?;
        by_id.push(start.elapsed());
    }
    timed.push(("get by id".into(), by_id));

    let root_ids = Arc::new(root_ids);
    let (wraps, wrap_rate, ciphertexts) =
        wrap_under_load(&keystore, &root_ids, options.clients, options.seconds).await?;
    let (unwraps, unwrap_rate) =
        unwrap_under_load(&keystore, ciphertexts, options.clients, options.seconds).await?;

    let (file, wal) = sizes(&dir);
    println!();
    println!(
        "{total} keys in {} ({} clients under load)",
        dir.display(),
        options.clients
    );
    println!();
    println!("| measurement | throughput | p50 | p99 |");
    println!("|---|---|---|---|");
    for [what, rate, p50, p99] in rows {
        println!("| {what} | {rate} | {p50} | {p99} |");
    }
    for (label, times) in timed {
        let (p50, p99) = percentiles(times);
        println!("| {label} | | {} | {} |", ms(p50), ms(p99));
    }
    for (label, times, rate) in [
        ("wrap under load", wraps, wrap_rate),
        ("unwrap under load", unwraps, unwrap_rate),
    ] {
        let (p50, p99) = percentiles(times);
        println!("| {label} | {rate:.0} req/s | {} | {} |", ms(p50), ms(p99));
    }
    println!(
        "| bytes per key on disk (database {:.1} MB + WAL {:.1} MB) | {:.0} B | | |",
        file as f64 / 1e6,
        wal as f64 / 1e6,
        (file + wal) as f64 / total as f64
    );
    Ok(())
}

fn list(offset: u32, limit: u32) -> ListKeysRequest {
    ListKeysRequest {
        offset,
        limit: Some(limit),
        ..ListKeysRequest::default()
    }
}

/// Creates keys `from..to` in transactions of `batch` keys; returns the count and the time.
async fn seed(
    store: &Arc<SqliteStore>,
    keystore: &LocalKeystore,
    from: u64,
    to: u64,
    batch: u64,
) -> anyhow::Result<(u64, Duration)> {
    let existing: Vec<String> = keystore
        .key_rings()
        .await?
        .into_iter()
        .map(|ring| ring.id)
        .collect();
    for ring in 0..RINGS {
        let name = format!("ring-{ring}");
        if !existing.contains(&name) {
            keystore.create_key_ring(&name).await?;
        }
    }
    let instance = store.instance(keystore.instance_id())?;
    let start = Instant::now();
    let mut next = from;
    while next < to {
        let end = (next + batch.max(1)).min(to);
        let keys = (next..end)
            .map(bench_key)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let instance = instance.clone();
        tokio::task::spawn_blocking(move || instance.insert_many(&keys)).await??;
        next = end;
        if (next - from) % 100_000 < batch {
            eprintln!("seeded {next} of {to} keys");
        }
    }
    Ok((to - from, start.elapsed()))
}

fn bench_key(i: u64) -> anyhow::Result<(Key, KeyMaterial, AuditEvent)> {
    let now = SystemClock.now();
    let name = format!("bench-{i}");
    let key = Key::create(
        NewKey {
            name: KeyName::parse(&name)?,
            description: None,
            kind: if i % 10 == 9 {
                KeyKind::Standard
            } else {
                KeyKind::Root
            },
            expiry: None,
            key_ring: KeyRingId::parse(&format!("ring-{}", i % RINGS))?,
            aliases: vec![Alias::parse(&name)?],
            created_by: DESKTOP_IAM_ID.into(),
            dual_auth_delete: false,
            rotation: None,
        },
        false,
        now,
    );
    let event = AuditEvent {
        at: now,
        instance: String::new(),
        initiator: DESKTOP_IAM_ID.into(),
        action: "kms.secrets.create".into(),
        target: key.id.to_string(),
        outcome: Outcome::Success,
        correlation_id: "scale-seed".into(),
        key_version: String::new(),
        source: String::new(),
    };
    Ok((key, KeyMaterial::generate()?, event))
}

/// The normal path, for comparison with the batch: one durable transaction per key.
async fn create_one_by_one(
    keystore: &LocalKeystore,
    count: u64,
) -> anyhow::Result<(u64, Duration)> {
    let request: strongroom_api::CreateKeyRequest =
        serde_json::from_str(r#"{"name": "bench-one-by-one", "keyType": "root"}"#)?;
    let start = Instant::now();
    for _ in 0..count {
        keystore.create_key(request.clone()).await?;
    }
    Ok((count, start.elapsed()))
}

type Timed = (Vec<Duration>, f64);

async fn wrap_under_load(
    keystore: &LocalKeystore,
    ids: &Arc<Vec<String>>,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<(Vec<Duration>, f64, Vec<(String, String)>)> {
    anyhow::ensure!(!ids.is_empty(), "no root keys were sampled");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let keystore = keystore.clone();
        let ids = Arc::clone(ids);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut wrapped = Vec::new();
            let mut n = 0usize;
            while Instant::now() < deadline {
                let id = ids[n % ids.len()].clone();
                n += 7;
                let start = Instant::now();
                let reply = keystore
                    .wrap(WrapRequest {
                        key_id: id.clone(),
                        plaintext: Some(SecretString::new(
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into(),
                        )),
                        aad: Vec::new(),
                    })
                    .await?;
                times.push(start.elapsed());
                if wrapped.len() < 1_000 {
                    wrapped.push((id, reply.ciphertext));
                }
            }
            anyhow::Ok((times, wrapped))
        }));
    }
    let mut times = Vec::new();
    let mut wrapped = Vec::new();
    for task in tasks {
        let (t, w) = task.await??;
        times.extend(t);
        wrapped.extend(w);
    }
    let rate = times.len() as f64 / seconds.max(1) as f64;
    Ok((times, rate, wrapped))
}

async fn unwrap_under_load(
    keystore: &LocalKeystore,
    wrapped: Vec<(String, String)>,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<Timed> {
    anyhow::ensure!(!wrapped.is_empty(), "nothing was wrapped");
    let wrapped = Arc::new(wrapped);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for client in 0..clients.max(1) {
        let keystore = keystore.clone();
        let wrapped = Arc::clone(&wrapped);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut n = client;
            while Instant::now() < deadline {
                let (id, ciphertext) = &wrapped[n % wrapped.len()];
                n += 7;
                let start = Instant::now();
                keystore
                    .unwrap(UnwrapRequest {
                        key_id: id.clone(),
                        ciphertext: ciphertext.clone(),
                        aad: Vec::new(),
                    })
                    .await?;
                times.push(start.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    let rate = times.len() as f64 / seconds.max(1) as f64;
    Ok((times, rate))
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort_unstable();
    let at = |p: usize| {
        times
            .get((times.len() * p / 100).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    (at(50), at(99))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn sizes(dir: &std::path::Path) -> (u64, u64) {
    let size = |name: String| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    (
        size(DATABASE_FILE.to_owned()),
        size(format!("{DATABASE_FILE}-wal")),
    )
}
