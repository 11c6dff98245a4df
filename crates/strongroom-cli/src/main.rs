//! `strongroom`: the headless Key Protect–compatible server and the key administration commands.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use strongroom_api::SecretString;
use strongroom_core::{Clock, SystemClock};
use strongroom_local::{open_store, LocalIam, LocalInstances, Seed};
use strongroom_server::{router, ServerState};
use strongroom_store::{default_data_dir, MasterKeySource, SqliteStore};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::tls::TlsFiles;

/// `println!` for the command's output; see [`line`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::line(format_args!($($arg)*))
    };
}

mod admin;
mod commands;
mod log;
mod stop;
mod tls;

/// Under load glibc's allocator spent about a tenth of `serve`'s CPU (`_int_malloc`,
/// `malloc_consolidate`, locking shared arenas between Tokio's threads); mimalloc's
/// thread-local pages do the same work in a fraction (docs/benchmarks.md §2). Secrets are
/// still zeroized before they are freed: that is `zeroize`'s job, not the allocator's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "strongroom",
    version,
    about = "Local key management for envelope encryption"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const SERVE_ENVIRONMENT: &str = "\
Environment:
  STRONGROOM_MASTER_KEY_FILE    seal key material with the key in this file, not the OS keyring
  STRONGROOM_BOOTSTRAP_API_KEY  the administrator's API key at the first start [default: generated, printed once]
  STRONGROOM_INSTANCE_ID        the first instance's GUID at the first start [default: random]
  STRONGROOM_DATA_DIR           the keystore's directory, as --data-dir
  STRONGROOM_LOG                log filter, e.g. warn or strongroom=debug [default: strongroom=info,warn]
  STRONGROOM_LOG_SPANS=1        log each request's span with its busy and idle time

SIGINT or SIGTERM stops taking connections and gives requests in flight 10 s; a second one stops at once.";

#[derive(Subcommand)]
enum Command {
    /// Serve the embedded keystore over a Key Protect–compatible REST API.
    #[command(after_help = SERVE_ENVIRONMENT)]
    Serve {
        /// The keystore's directory [default: STRONGROOM_DATA_DIR or the platform data dir].
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Address to listen on: IP:PORT, or HOST:PORT for the host's first IPv4 address.
        #[arg(long, default_value = "127.0.0.1:8200")]
        listen: String,
        /// PEM certificate chain: serve HTTPS (with --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// A YAML (or JSON) seed of keys with fixed ids, aliases, key rings, material and past
        /// versions, applied at start; keys that exist already are left alone.
        #[arg(long)]
        seed: Option<PathBuf>,
        /// Let a Manager move the keystore's clock ahead (`POST /api/v2/clock {"by": "31d"}`),
        /// so tests cross expirations, the restore window and the purge wait at once. For test
        /// servers: the store keeps the time it was moved to, for good.
        #[arg(long)]
        virtual_clock: bool,
    },
    /// KMS instances of the embedded keystore.
    Instances {
        #[command(flatten)]
        store: admin::StoreArgs,
        #[command(subcommand)]
        command: admin::InstancesCommand,
    },
    /// API keys of users and service identities.
    Apikeys {
        #[command(flatten)]
        store: admin::StoreArgs,
        #[command(subcommand)]
        command: admin::ApiKeysCommand,
    },
    /// Service-to-service authorizations (source service → this KMS instance, role Reader).
    Authorizations {
        #[command(flatten)]
        store: admin::StoreArgs,
        #[command(subcommand)]
        command: admin::AuthorizationsCommand,
    },
    /// Service identities: an instance of a source service that wraps with our keys.
    Services {
        #[command(flatten)]
        store: admin::StoreArgs,
        #[command(subcommand)]
        command: admin::ServicesCommand,
    },
    /// The audit trail.
    Audit {
        #[command(flatten)]
        store: admin::StoreArgs,
        #[command(subcommand)]
        command: admin::AuditCommand,
    },
    /// Manage keys in the embedded keystore or, with --endpoint, a remote instance.
    Keys {
        #[command(subcommand)]
        command: commands::keys::KeysCommand,
        #[command(flatten)]
        target: commands::Target,
    },
    /// Key rings of the embedded keystore or, with --endpoint, a remote instance.
    KeyRings {
        #[command(subcommand)]
        command: commands::key_rings::KeyRingsCommand,
        #[command(flatten)]
        target: commands::Target,
    },
    /// Wrap a DEK with a root key.
    Wrap(commands::wrapping::WrapArgs),
    /// Unwrap a DEK.
    Unwrap(commands::wrapping::UnwrapArgs),
    /// Import a root key with secure import (or rotate one to new material).
    Import(commands::import::ImportArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (log, _flush_on_exit) = log::LogSink::start();
    // STRONGROOM_LOG_SPANS=1 logs each request's or command's span as it closes, with its
    // busy and idle time: where a slow screen or call spends it, without a profiler.
    let spans = std::env::var_os("STRONGROOM_LOG_SPANS");
    let (filter, unusable) = match EnvFilter::try_from_env("STRONGROOM_LOG") {
        Ok(filter) => (filter, None),
        Err(err) => (
            // `serve` logs each request; a one-off command only what went wrong, so its
            // output is not buried under the store's start-up lines.
            EnvFilter::new(match (&cli.command, spans.is_some()) {
                (Command::Serve { .. }, spans) | (_, spans @ true) => {
                    strongroom_server::default_log_filter(spans)
                }
                _ => "warn",
            }),
            std::env::var("STRONGROOM_LOG")
                .ok()
                .map(|value| (value, err)),
        ),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(log)
        // Colour codes only for a person at a terminal; a log file gets plain lines (and
        // formatting them was measurable at tens of thousands of requests a second).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_span_events(match spans {
            Some(_) => FmtSpan::CLOSE,
            None => FmtSpan::NONE,
        })
        .init();
    if let Some((value, err)) = unusable {
        tracing::warn!(%err, "STRONGROOM_LOG={value:?} is not a log filter; logging with the default");
    }
    match cli.command {
        Command::Instances { store, command } => admin::instances(&store, command),
        Command::Apikeys { store, command } => admin::api_keys(&store, command),
        Command::Authorizations { store, command } => admin::authorizations(&store, command).await,
        Command::Services { store, command } => admin::services(&store, command),
        Command::Audit { store, command } => admin::audit(&store, command),
        Command::Serve {
            data_dir,
            listen,
            tls_cert,
            tls_key,
            seed,
            virtual_clock,
        } => {
            let seed = seed.as_deref().map(read_seed).transpose()?;
            serve(
                data_dir,
                listen,
                TlsFiles::from_args(tls_cert, tls_key)?,
                seed,
                virtual_clock,
            )
            .await
        }
        Command::Keys { command, target } => commands::keys::run(command, &target).await,
        Command::KeyRings { command, target } => commands::key_rings::run(command, &target).await,
        Command::Wrap(args) => commands::wrapping::wrap(args).await,
        Command::Unwrap(args) => commands::wrapping::unwrap(args).await,
        Command::Import(args) => commands::import::run(args).await,
    }
}

async fn serve(
    data_dir: Option<PathBuf>,
    listen: String,
    tls: Option<TlsFiles>,
    seed: Option<Seed>,
    virtual_clock: bool,
) -> anyhow::Result<()> {
    let tls = tls.map(|files| files.server_config()).transpose()?;
    // The port first: a start that cannot listen must not create a keystore, or show an
    // administrator API key that is shown only once.
    let listener = tokio::net::TcpListener::bind(listen_address(&listen).await?)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    if tls.is_none() && !address.ip().is_loopback() {
        // Tokens, API keys and unwrapped DEKs would cross the network in the clear.
        tracing::warn!(
            %address,
            "serving plain HTTP beyond this machine; give --tls-cert and --tls-key to serve HTTPS"
        );
    }
    let dir = match data_dir {
        Some(dir) => dir,
        None => default_data_dir()?,
    };
    let store = Arc::new(open_store(&dir, &MasterKeySource::from_env())?);
    let instance_id = first_instance(&store)?;
    let bootstrap = std::env::var("STRONGROOM_BOOTSTRAP_API_KEY")
        .ok()
        .map(SecretString::new);
    let (iam, generated) = LocalIam::open(Arc::clone(&store), bootstrap)?;
    if let Some(api_key) = generated {
        // Shown once, on the console of the person who started the first run; never logged.
        show_once(format_args!(
            "administrator API key (shown once, store it now): {}",
            api_key.expose()
        ))?;
    }
    let ahead = store.clock().offset();
    if ahead.is_positive() && !virtual_clock {
        tracing::warn!(
            offset_seconds = ahead.whole_seconds(),
            "this store's clock runs ahead of the system clock: a --virtual-clock server moved it"
        );
    }
    let instances = Arc::new(if virtual_clock {
        tracing::warn!(
            offset_seconds = ahead.whole_seconds(),
            "the clock may be moved ahead (--virtual-clock): a test server, not one for real keys"
        );
        LocalInstances::with_virtual_clock(Arc::clone(&store))
    } else {
        LocalInstances::over(Arc::clone(&store))
    });
    if let Some(seed) = &seed {
        let report = instances.seed(seed)?;
        tracing::info!(
            created = report.created,
            existing = report.existing,
            "applied the seed"
        );
    }
    let periodic = LocalInstances::clone(&instances);
    let state = ServerState {
        account_id: iam.account().to_owned(),
        instances: Arc::clone(&instances) as _,
        policies: instances,
        iam: Arc::new(iam),
    };
    // Once serving is certain, and after the seed, so a seeded key its policy makes due is
    // rotated at once (and a seeded expired key is recorded as deactivated).
    tokio::spawn(periodic.run_periodic_checks());
    tracing::info!(instance = %instance_id, data_dir = %dir.display(), "serving the embedded keystore");
    let stop = stop::Stop::on_signals();
    match tls {
        Some(config) => {
            announce(format_args!("listening on https://{address}"));
            tls::serve(listener, router(state), config, stop).await?;
        }
        None => {
            announce(format_args!("listening on http://{address}"));
            let serving = axum::serve(
                listener,
                router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(stop.reached(stop::Phase::Draining));
            tokio::select! {
                served = std::future::IntoFuture::into_future(serving) => served?,
                () = stop.reached(stop::Phase::Now) => {
                    tracing::warn!("stopped with requests still in flight");
                }
            }
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Where `--listen` points. A host name listens on its first IPv4 address: `localhost` often
/// resolves to `::1` first, and the clients a person points at it mostly dial 127.0.0.1.
async fn listen_address(listen: &str) -> anyhow::Result<std::net::SocketAddr> {
    let resolved: Vec<std::net::SocketAddr> = tokio::net::lookup_host(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}: not IP:PORT or HOST:PORT"))?
        .collect();
    resolved
        .iter()
        .find(|address| address.is_ipv4())
        .or_else(|| resolved.first())
        .copied()
        .with_context(|| format!("cannot listen on {listen}: the name resolves to no address"))
}

/// The first instance's GUID, fixed by whichever command opens the store first, `serve` or
/// an administration command (`STRONGROOM_INSTANCE_ID` chooses it).
pub(crate) fn first_instance(store: &SqliteStore) -> anyhow::Result<String> {
    let wanted = std::env::var("STRONGROOM_INSTANCE_ID")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|id| {
            uuid::Uuid::try_parse(id.trim())
                .map(|u| u.to_string())
                .context("STRONGROOM_INSTANCE_ID must be a UUID")
        })
        .transpose()?;
    let id = store.ensure_default_instance(wanted.as_deref(), SystemClock.now())?;
    if wanted.as_deref().is_some_and(|w| w != id) {
        tracing::warn!(instance = %id, "STRONGROOM_INSTANCE_ID is ignored: the first instance was created earlier");
    }
    Ok(id)
}

/// Reads a seed file; `.json` is JSON, anything else YAML (a superset of it).
fn read_seed(path: &std::path::Path) -> anyhow::Result<Seed> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the seed {}", path.display()))?;
    let seed = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(anyhow::Error::from)
    } else {
        serde_yaml::from_str(&text).map_err(anyhow::Error::from)
    };
    seed.with_context(|| format!("the seed {} is not valid", path.display()))
}

/// A secret shown once (a new API key): if it cannot be written, the command fails, so no
/// one takes for granted a key nobody saw. The key stays saved; revoke it and make another.
pub(crate) fn show_once(args: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    write_line(args)
        .context("the new API key could not be shown; it is saved: revoke it and create another")
}

/// `serve`'s own lines ("listening on"): a reader gone from standard output does not stop
/// the server.
fn announce(args: std::fmt::Arguments<'_>) {
    if let Err(err) = write_line(args) {
        tracing::warn!(error = %err, "cannot write to standard output: {args}");
    }
}

/// One line to standard output, flushed: the write every kind of output above shares.
fn write_line(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{args}")?;
    stdout.flush()
}

/// Writes one line of the command's output. A reader that stopped reading (`| head`) ends the
/// command quietly with success, as it ends ripgrep, instead of `println!`'s panic. Everything
/// a command does is finished and committed before it prints, so nothing is cut short.
pub(crate) fn line(args: std::fmt::Arguments<'_>) {
    if let Err(err) = write_line(args) {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("Error: cannot write the output: {err}");
        std::process::exit(1);
    }
}
