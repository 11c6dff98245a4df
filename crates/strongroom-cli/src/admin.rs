//! Administration of the embedded keystore from the shell: instances, API keys, service
//! identities, authorizations and the audit trail. Each command is a thin call into the
//! store or the facade, acting as the local administrator (whoever can read the data
//! directory and its master key).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use strongroom_api::{CreateAuthorizationRequest, Keystore};
use strongroom_core::{AuditEvent, Clock, Outcome, Role, SystemClock};
use strongroom_local::{open_store, LocalIam, LocalInstances, LocalKeystore};
use strongroom_store::{
    default_data_dir, AccessPolicyRecord, AuditQuery, ChainVerdict, MasterKeySource,
    PrincipalRecord, SqliteStore,
};

/// Where the keystore lives.
#[derive(Args)]
pub(crate) struct StoreArgs {
    /// The keystore's directory [default: STRONGROOM_DATA_DIR or the platform data dir].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

impl StoreArgs {
    fn open(&self) -> anyhow::Result<Arc<SqliteStore>> {
        let dir = match &self.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        Ok(Arc::new(open_store(&dir, &MasterKeySource::from_env())?))
    }
}

const CLI_IAM_ID: &str = "IBMid-local-administrator";

fn event(action: &str, target: &str) -> AuditEvent {
    AuditEvent {
        at: SystemClock.now(),
        instance: String::new(),
        initiator: CLI_IAM_ID.into(),
        action: action.into(),
        target: target.into(),
        outcome: Outcome::Success,
        correlation_id: String::new(),
        key_version: String::new(),
        source: String::new(),
    }
}

#[derive(Subcommand)]
pub(crate) enum InstancesCommand {
    /// Every instance.
    List,
    /// A new instance (with its `default` key ring).
    Create {
        /// Its GUID [default: random].
        #[arg(long)]
        id: Option<String>,
        /// A name for people.
        #[arg(long, default_value = "instance")]
        name: String,
    },
}

pub(crate) fn instances(args: &StoreArgs, command: InstancesCommand) -> anyhow::Result<()> {
    let store = args.open()?;
    crate::first_instance(&store)?;
    match command {
        InstancesCommand::List => {
            for instance in store.instances()? {
                out!(
                    "{}\t{}\t{}",
                    instance.id,
                    instance.name,
                    instance.created_at
                );
            }
        }
        InstancesCommand::Create { id, name } => {
            let id = match id {
                Some(id) => uuid::Uuid::try_parse(id.trim())
                    .context("--id must be a UUID")?
                    .to_string(),
                None => uuid::Uuid::new_v4().to_string(),
            };
            let created = store.create_instance(
                &id,
                &name,
                SystemClock.now(),
                &event("kms.instance.create", &id),
            )?;
            out!("{}", created.id);
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum ApiKeysCommand {
    /// A new API key for a user (created if new), printed once.
    Create {
        /// The user's IAM id, e.g. `IBMid-alice`.
        #[arg(long)]
        user: String,
        /// Grant these roles on every instance (Reader, ReaderPlus, Writer, Manager, KeyPurge).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// A label for the key.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Every API key (never the secret).
    List,
    /// Revokes a key; its tokens stop working at once.
    Revoke {
        /// The key's id (from `list`).
        id: String,
    },
}

fn iam(store: &Arc<SqliteStore>) -> anyhow::Result<LocalIam> {
    // Honour the same bootstrap key as `serve`, whichever command touches a fresh store first.
    let bootstrap = std::env::var("STRONGROOM_BOOTSTRAP_API_KEY")
        .ok()
        .map(strongroom_api::SecretString::new);
    let (iam, generated) = LocalIam::open(Arc::clone(store), bootstrap)?;
    if let Some(key) = generated {
        crate::show_once(format_args!(
            "administrator API key (shown once, store it now): {}",
            key.expose()
        ))?;
    }
    Ok(iam)
}

pub(crate) fn api_keys(args: &StoreArgs, command: ApiKeysCommand) -> anyhow::Result<()> {
    let store = args.open()?;
    let iam = iam(&store)?;
    match command {
        ApiKeysCommand::Create { user, roles, name } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r))
                .collect::<Result<Vec<_>, _>>()?;
            let principal = PrincipalRecord {
                iam_id: user.clone(),
                name: user.clone(),
                service: None,
                created_at: SystemClock.now(),
            };
            let (record, key) = iam.create_api_key(&principal, &name, CLI_IAM_ID)?;
            if !roles.is_empty() {
                grant(&store, &user, &roles)?;
            }
            crate::show_once(format_args!("api key id: {}", record.id))?;
            crate::show_once(format_args!(
                "api key (shown once, store it now): {}",
                key.expose()
            ))?;
        }
        ApiKeysCommand::List => {
            for key in store.api_keys(None)? {
                let state = if key.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                out!(
                    "{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.iam_id,
                    key.name,
                    key.created_at,
                    state
                );
            }
        }
        ApiKeysCommand::Revoke { id } => {
            if !store.revoke_api_key(&id, &event("iam.apikey.revoke", &id))? {
                bail!("no active API key has the id {id}");
            }
            out!("revoked {id}");
        }
    }
    Ok(())
}

fn grant(store: &SqliteStore, user: &str, roles: &[Role]) -> anyhow::Result<()> {
    let now = SystemClock.now();
    let id = uuid::Uuid::new_v4().to_string();
    store.create_policy(
        &AccessPolicyRecord {
            id: id.clone(),
            policy_type: "access".into(),
            subject_iam_id: Some(user.into()),
            source_service: None,
            source_instance: None,
            instance_id: None,
            key_ring: None,
            key_id: None,
            roles: roles.iter().map(|r| r.name().to_owned()).collect(),
            description: None,
            created_at: now,
            created_by: CLI_IAM_ID.into(),
            updated_at: now,
            updated_by: CLI_IAM_ID.into(),
            revision: 1,
        },
        &event("iam.policy.create", &id),
    )?;
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum ServicesCommand {
    /// Registers an instance of a source service as a service identity and prints its API
    /// key once. It can do nothing until an authorization names its service.
    Register {
        /// The source service, e.g. `cloud-object-storage`.
        #[arg(long)]
        service: String,
        /// The source instance's GUID.
        #[arg(long)]
        instance: String,
    },
}

pub(crate) fn services(args: &StoreArgs, command: ServicesCommand) -> anyhow::Result<()> {
    let store = args.open()?;
    let iam = iam(&store)?;
    match command {
        ServicesCommand::Register { service, instance } => {
            // Both become segments of the CRNs the service registers, which are split at `:`.
            for (what, value) in [("service", &service), ("instance", &instance)] {
                if value.trim().is_empty()
                    || value.contains(':')
                    || value.chars().any(char::is_control)
                {
                    anyhow::bail!("--{what} must be a name without `:`, such as cloud-object-storage or a GUID");
                }
            }
            let iam_id = format!("iam-ServiceId-{service}-{instance}");
            let principal = PrincipalRecord {
                iam_id: iam_id.clone(),
                name: format!("{service} {instance}"),
                service: Some((service, instance)),
                created_at: SystemClock.now(),
            };
            let (record, key) = iam.create_api_key(&principal, "service", CLI_IAM_ID)?;
            crate::show_once(format_args!("service identity: {iam_id}"))?;
            crate::show_once(format_args!("api key id: {}", record.id))?;
            crate::show_once(format_args!(
                "api key (shown once, store it now): {}",
                key.expose()
            ))?;
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum AuthorizationsCommand {
    /// Lets a source service use this instance's keys (role Reader unless told otherwise).
    Create {
        /// Source service name, e.g. `cloud-object-storage`.
        #[arg(long)]
        source_service: String,
        /// Only this source instance.
        #[arg(long)]
        source_instance: Option<String>,
        /// Target KMS instance [default: the first].
        #[arg(long)]
        instance: Option<String>,
        /// Only keys of this key ring.
        #[arg(long)]
        key_ring: Option<String>,
        /// Only this key.
        #[arg(long)]
        key: Option<String>,
        /// Roles [default: Reader].
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// Authorizations targeting an instance.
    List {
        /// Target KMS instance [default: the first].
        #[arg(long)]
        instance: Option<String>,
    },
    /// Revokes an authorization at once.
    Delete {
        /// Its id.
        id: String,
        /// Target KMS instance [default: the first].
        #[arg(long)]
        instance: Option<String>,
    },
    /// Gives an authorization these roles in place of its own; source and target stay.
    SetRoles {
        /// Its id.
        id: String,
        /// A role (repeatable, at least one): Reader, ReaderPlus, Writer, Manager, KeyPurge.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Target KMS instance [default: the first].
        #[arg(long)]
        instance: Option<String>,
    },
}

fn administrator(
    store: &Arc<SqliteStore>,
    instance: Option<&str>,
) -> anyhow::Result<LocalKeystore> {
    let default = crate::first_instance(store)?;
    let instance = instance.unwrap_or(&default);
    let caller = strongroom_core::Caller {
        iam_id: CLI_IAM_ID.into(),
        kind: strongroom_core::CallerKind::User,
        grants: vec![strongroom_core::Grant {
            roles: vec![Role::Manager, Role::KeyPurge],
            scope: strongroom_core::Scope::Instance,
        }],
    };
    Ok(LocalInstances::over(Arc::clone(store)).keystore(instance, caller, "")?)
}

pub(crate) async fn authorizations(
    args: &StoreArgs,
    command: AuthorizationsCommand,
) -> anyhow::Result<()> {
    let store = args.open()?;
    match command {
        AuthorizationsCommand::Create {
            source_service,
            source_instance,
            instance,
            key_ring,
            key,
            roles,
        } => {
            let keystore = administrator(&store, instance.as_deref())?;
            let created = keystore
                .create_authorization(CreateAuthorizationRequest {
                    source_service,
                    source_instance,
                    key_ring,
                    key_id: key,
                    roles,
                })
                .await?;
            out!("{}", created.id);
        }
        AuthorizationsCommand::List { instance } => {
            let keystore = administrator(&store, instance.as_deref())?;
            for a in keystore.authorizations().await? {
                let scope = match (&a.key_id, &a.key_ring) {
                    (Some(key), _) => format!("key {key}"),
                    (None, Some(ring)) => format!("key ring {ring}"),
                    (None, None) => "instance".to_owned(),
                };
                out!(
                    "{}\t{} ({})\t→ {} {}\t{}",
                    a.id,
                    a.source_service,
                    a.source_instance.as_deref().unwrap_or("all instances"),
                    a.target_instance,
                    scope,
                    a.roles.join(",")
                );
            }
        }
        AuthorizationsCommand::Delete { id, instance } => {
            administrator(&store, instance.as_deref())?
                .delete_authorization(&id)
                .await?;
            out!("deleted {id}");
        }
        AuthorizationsCommand::SetRoles {
            id,
            roles,
            instance,
        } => {
            let updated = administrator(&store, instance.as_deref())?
                .set_authorization_roles(&id, roles)
                .await?;
            out!("{id}\t{}", updated.roles.join(","));
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// The newest events.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only this instance.
        #[arg(long)]
        instance: Option<String>,
    },
    /// Checks the hash chain; exits with status 1 if a row was edited, inserted or deleted.
    Verify,
}

pub(crate) fn audit(args: &StoreArgs, command: AuditCommand) -> anyhow::Result<()> {
    let store = args.open()?;
    match command {
        AuditCommand::List { limit, instance } => {
            for record in store.audit_events(&AuditQuery {
                instance,
                limit,
                ..AuditQuery::default()
            })? {
                let e = record.event;
                out!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    record.seq,
                    e.at,
                    e.initiator,
                    e.action,
                    e.target,
                    e.outcome.as_str()
                );
            }
        }
        AuditCommand::Verify => match store.verify_audit()? {
            ChainVerdict::Intact { rows } => out!("audit trail intact: {rows} events"),
            ChainVerdict::Broken { at_seq } => anyhow::bail!(
                "audit trail BROKEN at event {at_seq}: a row was edited, inserted or deleted"
            ),
        },
    }
    Ok(())
}
