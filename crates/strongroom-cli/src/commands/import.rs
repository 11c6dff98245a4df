//! `strongroom import`: bring your own root key with secure import. The material is encrypted
//! here, to a fresh import token, so it never crosses the network (or the IPC) in the clear.

use std::path::PathBuf;

use anyhow::Context;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Args;
use strongroom_api::{CreateImportTokenRequest, CreateKeyRequest, KeyType, RotateKeyRequest};
use strongroom_client::seal_for_import;
use zeroize::Zeroizing;

use super::{failed, Target};

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The new root key's name (omit with --rotate).
    #[arg(required_unless_present = "rotate")]
    name: Option<String>,
    /// The key material: 16, 24 or 32 raw bytes, or their base64.
    #[arg(long)]
    material_file: PathBuf,
    /// Free text.
    #[arg(long)]
    description: Option<String>,
    /// Rotate this imported key to the new material instead of creating a key.
    #[arg(long, conflicts_with = "name")]
    rotate: Option<String>,
    #[command(flatten)]
    target: Target,
}

fn material(path: &PathBuf) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let raw = Zeroizing::new(
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
    );
    if matches!(raw.len(), 16 | 24 | 32) {
        return Ok(raw);
    }
    let decoded = std::str::from_utf8(&raw)
        .ok()
        .and_then(|text| STANDARD.decode(text.trim()).ok())
        .map(Zeroizing::new)
        .filter(|bytes| matches!(bytes.len(), 16 | 24 | 32));
    decoded.context("the material must be 16, 24 or 32 bytes, raw or in base64")
}

pub(crate) async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let material = material(&args.material_file)?;
    let ks = args.target.open()?;
    ks.create_import_token(CreateImportTokenRequest {
        expiration: None,
        max_allowed_retrievals: Some(1),
    })
    .await
    .map_err(failed)?;
    let token = ks.import_token().await.map_err(failed)?;
    let (payload, secure_import) = seal_for_import(&token, &material)?;
    let key = match args.rotate {
        Some(key_id) => {
            let request = RotateKeyRequest {
                key_id,
                payload: Some(payload),
                secure_import,
            };
            ks.rotate_key(request).await.map_err(failed)?
        }
        None => {
            let request = CreateKeyRequest {
                name: args.name.unwrap_or_default(),
                description: args.description,
                key_type: KeyType::Root,
                expires_at: None,
                payload: Some(payload),
                secure_import,
                key_ring: None,
                aliases: Vec::new(),
                dual_auth_delete: None,
                rotation: None,
            };
            ks.create_key(request).await.map_err(failed)?
        }
    };
    args.target.print_key(&key);
    Ok(())
}
