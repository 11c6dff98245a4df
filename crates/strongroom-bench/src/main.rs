//! Benchmark drivers that need code of their own; `scripts/bench` and docs/benchmarks.md
//! say how they are used.
//!
//! - `baseline`: the floor for the HTTP comparison, an axum server that parses a wrap or
//!   unwrap body like Strongroom's and answers a fixed JSON, so the ratio measures what
//!   Strongroom adds (token, authorization, store, crypto, audit) over HTTP and JSON alone.
//! - `scale`: seeds an embedded keystore with many keys in batches and times list, get and
//!   wrap through the same facade `strongroom serve` uses.

mod baseline;
mod scale;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "strongroom-bench", about = "Strongroom benchmark drivers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the bare baseline on ADDR until killed.
    Baseline {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
    /// Seeds DIR up to KEYS keys (reusing keys seeded earlier) and times list, get and wrap.
    Scale(scale::Options),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::Baseline { listen } => runtime.block_on(baseline::serve(listen)),
        Command::Scale(options) => runtime.block_on(scale::run(options)),
    }
}

/// Where `scale` keeps its keystore when no directory is given.
fn default_scale_dir() -> PathBuf {
    std::env::temp_dir().join("strongroom-scale")
}
