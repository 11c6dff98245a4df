//! Who may do what: Key Protect's service roles, the operations they grant, and the scopes
//! (instance, key ring, key) a grant can cover. `docs/access.md` is this table in prose;
//! the test at the bottom pins it cell by cell.

use std::fmt;
use std::str::FromStr;

use crate::{CoreError, KeyId, KeyRingId, ResourceCrn};

/// Key Protect's service roles. Manager ⊇ Writer ⊇ ReaderPlus ⊇ Reader; KeyPurge stands
/// alone and carries only purge, so even a Manager must be given it explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Lists keys, reads metadata, wraps, unwraps and rewraps. The role of a service-to-service
    /// authorization.
    Reader,
    /// Reader, plus reading a standard key's payload.
    ReaderPlus,
    /// Creates, imports and rotates keys; schedules deletion.
    Writer,
    /// Everything but purge, including delete, disable, restore and policies.
    Manager,
    /// Only purge.
    KeyPurge,
}

impl Role {
    /// Every role, for tables and tests.
    pub const ALL: [Role; 5] = [
        Role::Reader,
        Role::ReaderPlus,
        Role::Writer,
        Role::Manager,
        Role::KeyPurge,
    ];

    /// The name IAM uses in `roles[].role_id` (`crn:v1:bluemix:public:iam::::serviceRole:Reader`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Reader => "Reader",
            Role::ReaderPlus => "ReaderPlus",
            Role::Writer => "Writer",
            Role::Manager => "Manager",
            Role::KeyPurge => "KeyPurge",
        }
    }

    /// The role's IAM CRN.
    pub fn crn(self) -> String {
        format!("crn:v1:bluemix:public:iam::::serviceRole:{}", self.name())
    }

    /// Parses a bare name or an IAM role CRN.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let name = text.rsplit(':').next().unwrap_or(text);
        Role::ALL
            .into_iter()
            .find(|role| role.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                CoreError::Invalid(format!(
                    "unknown role {text:?}; use Reader, ReaderPlus, Writer, Manager or KeyPurge"
                ))
            })
    }

    /// The table of `docs/access.md`: whether this role grants `operation`.
    pub fn grants(self, operation: Operation) -> bool {
        use Operation::*;
        let reader = matches!(
            operation,
            ListKeys
                | ReadMetadata
                | ReadVersions
                | Wrap
                | Unwrap
                | Rewrap
                | ListKeyRings
                | ReadRegistrations
                | ReadImportToken
                | CreateRegistration
                | ReplaceRegistration
                | UpdateRegistration
                | DeleteRegistration
        );
        match self {
            Role::Reader => reader,
            Role::ReaderPlus => reader || operation == ReadPayload,
            Role::Writer => {
                reader
                    || matches!(
                        operation,
                        ReadPayload
                            | CreateKey
                            | Rotate
                            | SetForDeletion
                            | UnsetForDeletion
                            | Sync
                            | CreateAlias
                            | CreateKeyRing
                            | ImportToken
                    )
            }
            Role::Manager => operation != Purge,
            Role::KeyPurge => operation == Purge,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s)
    }
}

/// What a call does, in the terms the role table uses. The audit trail names events by
/// [`Operation::event`], Key Protect's Activity Tracker action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// GET/HEAD /keys.
    ListKeys,
    /// GET /keys/{id}/metadata (and GET /keys/{id} of a root key).
    ReadMetadata,
    /// GET /keys/{id} of a standard key, with its payload.
    ReadPayload,
    /// GET /keys/{id}/versions.
    ReadVersions,
    /// POST /keys (generate or import).
    CreateKey,
    /// Wrap a DEK.
    Wrap,
    /// Unwrap a DEK.
    Unwrap,
    /// Rewrap a DEK.
    Rewrap,
    /// Start a new key version.
    Rotate,
    /// Suspend a key.
    Disable,
    /// Reactivate a key.
    Enable,
    /// First authorization of a dual-auth delete.
    SetForDeletion,
    /// Cancel that authorization.
    UnsetForDeletion,
    /// Destroy a key.
    Delete,
    /// Bring a destroyed key back.
    Restore,
    /// Erase a destroyed key for good.
    Purge,
    /// Move a key to another key ring.
    MoveKey,
    /// Re-send lifecycle events.
    Sync,
    /// Add an alias.
    CreateAlias,
    /// Remove an alias.
    DeleteAlias,
    /// List key rings.
    ListKeyRings,
    /// Create a key ring.
    CreateKeyRing,
    /// Delete a key ring.
    DeleteKeyRing,
    /// Read key or instance policies.
    ReadPolicies,
    /// Set key or instance policies.
    WritePolicies,
    /// Create or retrieve the import token.
    ImportToken,
    /// Read registrations.
    ReadRegistrations,
    /// Read the import token's dates and retrievals, without its key (a console's attention
    /// list; retrieving spends one and needs [`Operation::ImportToken`]).
    ReadImportToken,
    /// Register a resource a service protects with a key (services only).
    CreateRegistration,
    /// Replace a resource's registration (services only).
    ReplaceRegistration,
    /// Change some fields of a resource's registration (services only).
    UpdateRegistration,
    /// Remove a resource's registration (its service, or a person who may delete the key).
    DeleteRegistration,
}

impl Operation {
    /// Every operation, for tables and tests.
    pub const ALL: [Operation; 32] = [
        Operation::ListKeys,
        Operation::ReadMetadata,
        Operation::ReadPayload,
        Operation::ReadVersions,
        Operation::CreateKey,
        Operation::Wrap,
        Operation::Unwrap,
        Operation::Rewrap,
        Operation::Rotate,
        Operation::Disable,
        Operation::Enable,
        Operation::SetForDeletion,
        Operation::UnsetForDeletion,
        Operation::Delete,
        Operation::Restore,
        Operation::Purge,
        Operation::MoveKey,
        Operation::Sync,
        Operation::CreateAlias,
        Operation::DeleteAlias,
        Operation::ListKeyRings,
        Operation::CreateKeyRing,
        Operation::DeleteKeyRing,
        Operation::ReadPolicies,
        Operation::WritePolicies,
        Operation::ImportToken,
        Operation::ReadRegistrations,
        Operation::ReadImportToken,
        Operation::CreateRegistration,
        Operation::ReplaceRegistration,
        Operation::UpdateRegistration,
        Operation::DeleteRegistration,
    ];

    /// Key Protect's Activity Tracker action name.
    pub fn event(self) -> &'static str {
        use Operation::*;
        match self {
            ListKeys => "kms.secrets.list",
            ReadMetadata => "kms.secrets-metadata.read",
            ReadPayload => "kms.secrets.read",
            ReadVersions => "kms.secrets-key-versions.list",
            CreateKey => "kms.secrets.create",
            Wrap => "kms.secrets.wrap",
            Unwrap => "kms.secrets.unwrap",
            Rewrap => "kms.secrets.rewrap",
            Rotate => "kms.secrets.rotate",
            Disable => "kms.secrets.disable",
            Enable => "kms.secrets.enable",
            SetForDeletion => "kms.secrets.setkeyfordeletion",
            UnsetForDeletion => "kms.secrets.unsetkeyfordeletion",
            Delete => "kms.secrets.delete",
            Restore => "kms.secrets.restore",
            Purge => "kms.secrets.purge",
            MoveKey => "kms.secrets.patch",
            Sync => "kms.secrets.sync",
            CreateAlias => "kms.secrets-alias.create",
            DeleteAlias => "kms.secrets-alias.delete",
            ListKeyRings => "kms.key-rings.list",
            CreateKeyRing => "kms.key-rings.create",
            DeleteKeyRing => "kms.key-rings.delete",
            ReadPolicies => "kms.policies.read",
            WritePolicies => "kms.policies.write",
            ImportToken => "kms.import-token.create",
            ReadRegistrations => "kms.registrations.list",
            ReadImportToken => "kms.import-token.read",
            CreateRegistration => "kms.registrations.create",
            ReplaceRegistration => "kms.registrations.write",
            UpdateRegistration => "kms.registrations.merge",
            DeleteRegistration => "kms.registrations.delete",
        }
    }

    /// Data-plane operations are frequent and change nothing but the audit trail and
    /// registrations; they are audited with group commit.
    pub fn is_data_plane(self) -> bool {
        matches!(
            self,
            Operation::Wrap | Operation::Unwrap | Operation::Rewrap
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event())
    }
}

/// What a grant covers inside one instance. Wider scopes include narrower ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every key and key ring of the instance, present and future.
    Instance,
    /// Every key currently in the ring.
    KeyRing(KeyRingId),
    /// One key, wherever it moves.
    Key(KeyId),
}

/// A role on a scope of one instance, held by a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The roles granted.
    pub roles: Vec<Role>,
    /// Where they apply.
    pub scope: Scope,
}

/// The object an operation acts on, as far as scoping cares.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The instance itself (listing, key rings, instance policies, import tokens).
    Instance,
    /// A key ring (creating a key in it).
    KeyRing(&'a KeyRingId),
    /// A key, in its current ring.
    Key(KeyId, &'a KeyRingId),
}

/// Users are people or their scripts; services are instances of other cloud services acting
/// through a service-to-service authorization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerKind {
    /// A user (or a user's API key).
    User,
    /// An instance of a source service.
    Service {
        /// The source service's IAM name, e.g. `cloud-object-storage`.
        service: String,
        /// The source instance's GUID.
        instance: String,
    },
}

/// An authenticated caller and everything it holds on one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The IAM id recorded as `createdBy`, in dual authorization and in the audit trail.
    pub iam_id: String,
    /// User or service.
    pub kind: CallerKind,
    /// Grants on the instance addressed.
    pub grants: Vec<Grant>,
}

impl Caller {
    /// Whether any grant covering `target` gives a role that allows `operation`.
    pub fn may(&self, operation: Operation, target: Target<'_>) -> bool {
        self.grants.iter().any(|grant| {
            covers(&grant.scope, target) && grant.roles.iter().any(|r| r.grants(operation))
        })
    }

    /// Whether listing should include every key: an instance-wide grant allowing list.
    /// Keys reachable only through ring or key grants are filtered by [`Caller::may`].
    pub fn lists_all(&self) -> bool {
        self.may(Operation::ListKeys, Target::Instance)
    }

    /// Fails with [`CoreError::Forbidden`] unless [`Caller::may`].
    pub fn require(&self, operation: Operation, target: Target<'_>) -> Result<(), CoreError> {
        if self.may(operation, target) {
            Ok(())
        } else {
            Err(CoreError::Forbidden {
                iam_id: self.iam_id.clone(),
                operation,
            })
        }
    }

    /// Whether the caller is an integrated service (they may never delete keys).
    pub fn is_service(&self) -> bool {
        matches!(self.kind, CallerKind::Service { .. })
    }

    /// Whether the caller may see a registration of `resource_crn`. People see every one; a
    /// service sees only its own instance's resources, because another service's CRNs and
    /// descriptions say what that service protects, which is not its business.
    pub fn sees_registration(&self, resource_crn: &str) -> bool {
        match &self.kind {
            CallerKind::User => true,
            CallerKind::Service { service, instance } => ResourceCrn::parse(resource_crn)
                .is_ok_and(|crn| crn.service() == service && crn.instance() == instance),
        }
    }

    /// Fails unless the caller is a service writing a registration of its own instance's
    /// resource: Key Protect takes registrations only from the integrated service that
    /// protects the resource, on the person's behalf.
    pub fn require_registrant(
        &self,
        operation: Operation,
        crn: &ResourceCrn,
    ) -> Result<(), CoreError> {
        match &self.kind {
            CallerKind::User => Err(CoreError::ServiceOnly(operation)),
            CallerKind::Service { service, instance }
                if crn.service() == service && crn.instance() == instance =>
            {
                Ok(())
            }
            CallerKind::Service { .. } => Err(CoreError::Forbidden {
                iam_id: self.iam_id.clone(),
                operation,
            }),
        }
    }
}

fn covers(scope: &Scope, target: Target<'_>) -> bool {
    match (scope, target) {
        (Scope::Instance, _) => true,
        (Scope::KeyRing(ring), Target::KeyRing(target)) => ring == target,
        (Scope::KeyRing(ring), Target::Key(_, key_ring)) => ring == key_ring,
        (Scope::Key(key), Target::Key(id, _)) => *key == id,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/access.md`, cell by cell: R, R+, W, M, KeyPurge.
    #[test]
    fn role_table_matches_docs() {
        use Operation::*;
        let table: [(Operation, [bool; 5]); 32] = [
            (ListKeys, [true, true, true, true, false]),
            (ReadMetadata, [true, true, true, true, false]),
            (ReadPayload, [false, true, true, true, false]),
            (ReadVersions, [true, true, true, true, false]),
            (CreateKey, [false, false, true, true, false]),
            (Wrap, [true, true, true, true, false]),
            (Unwrap, [true, true, true, true, false]),
            (Rewrap, [true, true, true, true, false]),
            (Rotate, [false, false, true, true, false]),
            (Disable, [false, false, false, true, false]),
            (Enable, [false, false, false, true, false]),
            (SetForDeletion, [false, false, true, true, false]),
            (UnsetForDeletion, [false, false, true, true, false]),
            (Delete, [false, false, false, true, false]),
            (Restore, [false, false, false, true, false]),
            (Purge, [false, false, false, false, true]),
            (MoveKey, [false, false, false, true, false]),
            (Sync, [false, false, true, true, false]),
            (CreateAlias, [false, false, true, true, false]),
            (DeleteAlias, [false, false, false, true, false]),
            (ListKeyRings, [true, true, true, true, false]),
            (CreateKeyRing, [false, false, true, true, false]),
            (DeleteKeyRing, [false, false, false, true, false]),
            (ReadPolicies, [false, false, false, true, false]),
            (WritePolicies, [false, false, false, true, false]),
            (ImportToken, [false, false, true, true, false]),
            (ReadRegistrations, [true, true, true, true, false]),
            (ReadImportToken, [true, true, true, true, false]),
            (CreateRegistration, [true, true, true, true, false]),
            (ReplaceRegistration, [true, true, true, true, false]),
            (UpdateRegistration, [true, true, true, true, false]),
            (DeleteRegistration, [true, true, true, true, false]),
        ];
        for (operation, expected) in table {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(role.grants(operation), allowed, "{role} / {operation}");
            }
        }
    }

    #[test]
    fn scopes_narrow_from_instance_to_key() {
        let ring = KeyRingId::parse("payments").unwrap();
        let other = KeyRingId::default_ring();
        let key = KeyId::random();
        let caller = |scope| Caller {
            iam_id: "u".into(),
            kind: CallerKind::User,
            grants: vec![Grant {
                roles: vec![Role::Reader],
                scope,
            }],
        };
        let ring_reader = caller(Scope::KeyRing(ring.clone()));
        assert!(ring_reader.may(Operation::Wrap, Target::Key(key, &ring)));
        assert!(!ring_reader.may(Operation::Wrap, Target::Key(key, &other)));
        assert!(!ring_reader.lists_all());
        let key_reader = caller(Scope::Key(key));
        assert!(key_reader.may(Operation::Wrap, Target::Key(key, &other)));
        assert!(!key_reader.may(Operation::Wrap, Target::Key(KeyId::random(), &other)));
        assert!(!key_reader.may(Operation::Rotate, Target::Key(key, &other)));
        assert!(caller(Scope::Instance).lists_all());
    }

    #[test]
    fn roles_parse_from_names_and_crns() {
        assert_eq!(Role::parse("reader").unwrap(), Role::Reader);
        assert_eq!(Role::parse(&Role::KeyPurge.crn()).unwrap(), Role::KeyPurge);
        assert!(Role::parse("Administrator").is_err());
    }
}
