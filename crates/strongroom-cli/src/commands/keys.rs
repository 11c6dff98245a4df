//! `strongroom keys ...`: the key life cycle.

use clap::Subcommand;
use serde_json::json;
use strongroom_api::{
    CreateKeyRequest, KeySort, KeyStateName, KeyType, ListAliasesRequest, ListKeysRequest,
    RotateKeyRequest, RotationPolicyInfo, SecretString, SetKeyPoliciesRequest,
};

use super::{failed, Target};

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// List keys, newest first.
    List {
        /// Page size (at most 5,000).
        #[arg(long)]
        limit: Option<u32>,
        /// Keys to skip.
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Only keys in this state (repeatable): active, suspended, deactivated, destroyed.
        #[arg(long = "state", value_parser = state)]
        states: Vec<KeyStateName>,
        /// A substring of the name or an alias, or a key id; Key Protect's prefixes `not:`,
        /// `exact:`, `name:`, `alias:` and `escape:` narrow it.
        #[arg(long)]
        search: Option<String>,
        /// Only standard keys.
        #[arg(long, conflicts_with = "root")]
        standard: bool,
        /// Only root keys.
        #[arg(long)]
        root: bool,
        /// Only keys of this key ring.
        #[arg(long)]
        key_ring: Option<String>,
        /// Only imported keys (`true`) or only generated ones (`false`). Strongroom servers
        /// only: Key Protect has no such filter, and the command says so.
        #[arg(long)]
        imported: Option<bool>,
        /// Only keys whose deletion needs a second approver (`true`), or only the others.
        #[arg(long)]
        dual_auth_delete: Option<bool>,
        /// Only keys their rotation policy says are due now (`true`), or only the others.
        #[arg(long)]
        rotation_due: Option<bool>,
        /// Order, as Key Protect's `sort`: fields such as name, state, creationDate or
        /// lastRotateDate, comma-separated, `-` for descending (default: -creationDate).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
    /// Create a root key (or, with --standard, a standard key) with generated material.
    Create {
        /// 2 to 90 characters.
        name: String,
        /// Free text.
        #[arg(long)]
        description: Option<String>,
        /// A standard key, whose payload can be read back, instead of a root key.
        #[arg(long)]
        standard: bool,
        /// RFC 3339 expiry.
        #[arg(long)]
        expires_at: Option<String>,
        /// The key ring to create it in [default: default].
        #[arg(long)]
        key_ring: Option<String>,
        /// An alias usable in place of the id (repeatable, at most 5).
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// Require two people to delete the key (cannot be turned off).
        #[arg(long)]
        dual_auth_delete: bool,
        /// Rotate automatically every N months (1 to 12) [default: the instance policy's].
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=12))]
        rotation_months: Option<i64>,
    },
    /// Show a key's metadata (and, with --payload, a standard key's payload).
    Show {
        /// Key id.
        id: String,
        /// Also print the payload of a standard key, base64.
        #[arg(long)]
        payload: bool,
        /// Also list the key's versions.
        #[arg(long)]
        versions: bool,
    },
    /// Start a new key version (generated material; use `import` for imported keys).
    Rotate {
        /// Key id.
        id: String,
    },
    /// Suspend a key.
    Disable {
        /// Key id.
        id: String,
    },
    /// Reactivate a suspended key.
    Enable {
        /// Key id.
        id: String,
    },
    /// Destroy a key; restorable for 30 days.
    Delete {
        /// Key id.
        id: String,
        /// Delete even though other services' resources are registered to it.
        #[arg(long)]
        force: bool,
    },
    /// Restore a destroyed key.
    Restore {
        /// Key id.
        id: String,
    },
    /// First of two authorizations to delete a key with dual authorization (valid 7 days);
    /// another user then runs `delete`.
    ScheduleDeletion {
        /// Key id.
        id: String,
    },
    /// Withdraw a pending authorization to delete.
    CancelDeletion {
        /// Key id.
        id: String,
    },
    /// Erase a destroyed key for good, 4 hours after its deletion (needs the KeyPurge role).
    Purge {
        /// Key id.
        id: String,
    },
    /// Move a key to another key ring.
    Move {
        /// Key id.
        id: String,
        /// The target key ring.
        key_ring: String,
    },
    /// Aliases: names usable in place of a key id.
    #[command(subcommand)]
    Alias(AliasCommand),
    /// Show a key's policies, or change them with the flags.
    Policies {
        /// Key id.
        id: String,
        /// Rotate automatically every N months (1 to 12).
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..=12), conflicts_with = "no_rotation")]
        rotation_months: Option<i64>,
        /// Turn automatic rotation off.
        #[arg(long)]
        no_rotation: bool,
        /// Require two people to delete the key (cannot be turned off again).
        #[arg(long)]
        dual_auth_delete: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum AliasCommand {
    /// Every alias of the instance and the key it names, in alias order.
    List {
        /// Only aliases starting with this (case-sensitive).
        #[arg(long)]
        prefix: Option<String>,
        /// Page size (at most 1,000).
        #[arg(long)]
        limit: Option<u32>,
        /// Aliases to skip.
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Give a key an alias (at most 5 per key, unique in the instance).
    Add {
        /// Key id or alias.
        id: String,
        /// 2 to 90 characters: letters, digits, `-` and `_`.
        alias: String,
    },
    /// Take an alias off a key.
    Remove {
        /// Key id or alias.
        id: String,
        /// The alias.
        alias: String,
    },
}

fn state(text: &str) -> Result<KeyStateName, String> {
    match text.to_ascii_lowercase().as_str() {
        "active" | "1" => Ok(KeyStateName::Active),
        "suspended" | "2" => Ok(KeyStateName::Suspended),
        "deactivated" | "3" => Ok(KeyStateName::Deactivated),
        "destroyed" | "5" => Ok(KeyStateName::Destroyed),
        _ => Err("one of active, suspended, deactivated, destroyed".into()),
    }
}

pub(crate) async fn run(command: KeysCommand, target: &Target) -> anyhow::Result<()> {
    let ks = target.open()?;
    match command {
        KeysCommand::List {
            limit,
            offset,
            states,
            search,
            standard,
            root,
            key_ring,
            imported,
            dual_auth_delete,
            rotation_due,
            sort,
        } => {
            let key_type = match (standard, root) {
                (true, _) => Some(KeyType::Standard),
                (_, true) => Some(KeyType::Root),
                _ => None,
            };
            let request = ListKeysRequest {
                offset,
                limit,
                states,
                search,
                key_type,
                key_ring,
                imported,
                dual_auth_delete,
                rotation_due,
                sort: KeySort::parse_list(sort.as_deref().unwrap_or_default())
                    .map_err(|field| anyhow::anyhow!("cannot sort keys by {field:?}"))?,
            };
            let page = ks.list_keys(request).await.map_err(failed)?;
            target.print(&page, || {
                let mut lines: Vec<String> = page
                    .keys
                    .iter()
                    .map(|k| {
                        let state = format!("{:?}", k.state).to_lowercase();
                        let kind = format!("{:?}", k.key_type).to_lowercase();
                        format!("{}  {state:<11} {kind:<8} {}", k.id, k.name)
                    })
                    .collect();
                lines.push(format!("{} of {} keys", page.keys.len(), page.total));
                lines.join("\n")
            });
        }
        KeysCommand::Create {
            name,
            description,
            standard,
            expires_at,
            key_ring,
            aliases,
            dual_auth_delete,
            rotation_months,
        } => {
            let request = CreateKeyRequest {
                name,
                description,
                key_type: if standard {
                    KeyType::Standard
                } else {
                    KeyType::Root
                },
                expires_at,
                payload: None,
                secure_import: Default::default(),
                key_ring,
                aliases,
                dual_auth_delete: dual_auth_delete.then_some(true),
                rotation: rotation_months.map(|months| RotationPolicyInfo {
                    enabled: true,
                    interval_month: months,
                }),
            };
            let key = ks.create_key(request).await.map_err(failed)?;
            target.print_key(&key);
        }
        KeysCommand::Show {
            id,
            payload,
            versions,
        } => {
            let key = ks.key(&id).await.map_err(failed)?;
            let payload: Option<SecretString> = if payload {
                Some(ks.key_payload(&id).await.map_err(failed)?)
            } else {
                None
            };
            let versions = if versions {
                Some(ks.key_versions(&id).await.map_err(failed)?)
            } else {
                None
            };
            let value = json!({"key": key, "payload": payload, "versions": versions});
            target.print(&value, || {
                let mut text = super::describe(&key);
                for version in versions.iter().flatten() {
                    text.push_str(&format!(
                        "\nversion      {} {}",
                        version.id, version.created_at
                    ));
                }
                if let Some(payload) = &payload {
                    text.push_str(&format!("\npayload:     {}", payload.expose()));
                }
                text
            });
        }
        KeysCommand::Rotate { id } => {
            let request = RotateKeyRequest {
                key_id: id,
                payload: None,
                secure_import: Default::default(),
            };
            target.print_key(&ks.rotate_key(request).await.map_err(failed)?);
        }
        KeysCommand::Disable { id } => {
            target.print_key(&ks.disable_key(&id).await.map_err(failed)?)
        }
        KeysCommand::Enable { id } => target.print_key(&ks.enable_key(&id).await.map_err(failed)?),
        KeysCommand::Delete { id, force } => {
            target.print_key(&ks.delete_key(&id, force).await.map_err(failed)?)
        }
        KeysCommand::Restore { id } => {
            target.print_key(&ks.restore_key(&id).await.map_err(failed)?)
        }
        KeysCommand::ScheduleDeletion { id } => {
            target.print_key(&ks.set_key_for_deletion(&id).await.map_err(failed)?)
        }
        KeysCommand::CancelDeletion { id } => {
            target.print_key(&ks.unset_key_for_deletion(&id).await.map_err(failed)?)
        }
        KeysCommand::Purge { id } => target.print_key(&ks.purge_key(&id).await.map_err(failed)?),
        KeysCommand::Move { id, key_ring } => {
            target.print_key(&ks.move_key(&id, &key_ring).await.map_err(failed)?)
        }
        KeysCommand::Alias(command) => alias(command, ks.as_ref(), target).await?,
        KeysCommand::Policies {
            id,
            rotation_months,
            no_rotation,
            dual_auth_delete,
        } => {
            let rotation = match (rotation_months, no_rotation) {
                (Some(months), _) => Some(RotationPolicyInfo {
                    enabled: true,
                    interval_month: months,
                }),
                (None, true) => Some(RotationPolicyInfo {
                    enabled: false,
                    interval_month: 1,
                }),
                (None, false) => None,
            };
            let policies = if rotation.is_none() && !dual_auth_delete {
                ks.key_policies(&id).await.map_err(failed)?
            } else {
                let request = SetKeyPoliciesRequest {
                    key_id: id,
                    rotation,
                    dual_auth_delete: dual_auth_delete.then_some(true),
                };
                ks.set_key_policies(request).await.map_err(failed)?
            };
            target.print(&policies, || {
                let rotation = match &policies.rotation {
                    Some(r) if r.enabled => format!("every {} months", r.interval_month),
                    _ => "off".to_owned(),
                };
                format!(
                    "rotation:          {rotation}\ndual-auth delete:  {}",
                    if policies.dual_auth_delete {
                        "on"
                    } else {
                        "off"
                    }
                )
            });
        }
    }
    Ok(())
}

async fn alias(
    command: AliasCommand,
    ks: &dyn strongroom_api::Keystore,
    target: &Target,
) -> anyhow::Result<()> {
    match command {
        AliasCommand::List {
            prefix,
            limit,
            offset,
        } => {
            let page = ks
                .list_aliases(ListAliasesRequest {
                    prefix,
                    offset,
                    limit,
                })
                .await
                .map_err(failed)?;
            target.print(&page, || {
                let mut lines: Vec<String> = page
                    .aliases
                    .iter()
                    .map(|a| format!("{:<32} {}  {}", a.alias, a.key_id, a.key_name))
                    .collect();
                lines.push(format!("{} of {} aliases", page.aliases.len(), page.total));
                lines.join("\n")
            });
        }
        AliasCommand::Add { id, alias } => {
            target.print_key(&ks.create_alias(&id, &alias).await.map_err(failed)?)
        }
        AliasCommand::Remove { id, alias } => {
            target.print_key(&ks.delete_alias(&id, &alias).await.map_err(failed)?)
        }
    }
    Ok(())
}
