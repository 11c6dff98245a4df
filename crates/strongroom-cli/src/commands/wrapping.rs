//! `strongroom wrap` and `strongroom unwrap`: envelope encryption from a shell. The DEK that
//! wrap generated and the DEK unwrap returns are printed: that is what these commands are for.

use std::path::PathBuf;

use anyhow::Context;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Args;
use strongroom_api::{SecretString, UnwrapRequest, WrapRequest};
use zeroize::Zeroizing;

use super::{failed, Target};

#[derive(Args)]
pub(crate) struct WrapArgs {
    /// Root key id.
    key_id: String,
    /// A file holding the DEK to wrap (raw bytes); without it a 32-byte DEK is generated and
    /// printed once.
    #[arg(long)]
    plaintext_file: Option<PathBuf>,
    /// Additional authenticated data (repeatable); unwrap needs the same list.
    #[arg(long)]
    aad: Vec<String>,
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
pub(crate) struct UnwrapArgs {
    /// Root key id.
    key_id: String,
    /// The ciphertext that wrap printed.
    ciphertext: String,
    /// The additional authenticated data given to wrap (repeatable).
    #[arg(long)]
    aad: Vec<String>,
    #[command(flatten)]
    target: Target,
}

pub(crate) async fn wrap(args: WrapArgs) -> anyhow::Result<()> {
    let ks = args.target.open()?;
    let plaintext = match &args.plaintext_file {
        Some(path) => {
            let bytes = Zeroizing::new(
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
            Some(SecretString::new(STANDARD.encode(bytes.as_slice())))
        }
        None => None,
    };
    let request = WrapRequest {
        key_id: args.key_id,
        plaintext,
        aad: args.aad,
    };
    let wrapped = ks.wrap(request).await.map_err(failed)?;
    args.target.print(&wrapped, || {
        let mut text = format!(
            "ciphertext:  {}\nkey version: {}",
            wrapped.ciphertext, wrapped.key_version.id
        );
        if let Some(dek) = &wrapped.plaintext {
            text.push_str(&format!("\ndek:         {}", dek.expose()));
        }
        text
    });
    Ok(())
}

pub(crate) async fn unwrap(args: UnwrapArgs) -> anyhow::Result<()> {
    let ks = args.target.open()?;
    let request = UnwrapRequest {
        key_id: args.key_id,
        ciphertext: args.ciphertext,
        aad: args.aad,
    };
    let unwrapped = ks.unwrap(request).await.map_err(failed)?;
    args.target.print(&unwrapped, || {
        let mut text = format!(
            "dek:         {}\nkey version: {}",
            unwrapped.plaintext.expose(),
            unwrapped.key_version.id
        );
        if let Some(rewrapped) = &unwrapped.rewrapped {
            text.push_str(&format!(
                "\nrewrapped:   {} (key version {})",
                rewrapped.ciphertext, rewrapped.key_version.id
            ));
        }
        text
    });
    Ok(())
}
