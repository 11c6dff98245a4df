//! `strongroom key-rings ...`: group keys, and scope grants, by key ring.

use clap::Subcommand;

use super::{failed, Target};

#[derive(Subcommand)]
pub(crate) enum KeyRingsCommand {
    /// Every key ring of the instance.
    List,
    /// Create a key ring (at most 50 besides `default`).
    Create {
        /// 2 to 100 characters: letters, digits and `-`.
        id: String,
    },
    /// Delete an empty key ring.
    Delete {
        /// The key ring.
        id: String,
        /// Delete even though it holds destroyed keys (they move to `default`).
        #[arg(long)]
        force: bool,
    },
}

pub(crate) async fn run(command: KeyRingsCommand, target: &Target) -> anyhow::Result<()> {
    let ks = target.open()?;
    match command {
        KeyRingsCommand::List => {
            let rings = ks.key_rings().await.map_err(failed)?;
            target.print(&rings, || {
                rings
                    .iter()
                    .map(|r| format!("{:<40} {}", r.id, r.created_at))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        KeyRingsCommand::Create { id } => {
            let ring = ks.create_key_ring(&id).await.map_err(failed)?;
            target.print(&ring, || format!("created key ring {}", ring.id));
        }
        KeyRingsCommand::Delete { id, force } => {
            ks.delete_key_ring(&id, force).await.map_err(failed)?;
            target.print(&serde_json::json!({"deleted": id}), || {
                format!("deleted key ring {id}")
            });
        }
    }
    Ok(())
}
