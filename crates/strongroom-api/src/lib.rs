//! The contract every transport shares: the [`Keystore`] facade, its request and response
//! types, and the `{code, message}` error that crosses IPC and HTTP.
//!
//! These types are exported to TypeScript (`ui/src/lib/bindings/`) by `cargo test -p
//! strongroom-api`; CI fails if the committed files drift from what the Rust says.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod access;
mod connection;
mod error;
mod iam;
mod keys;
pub mod kp;
mod secret;
mod wrapping;

pub use access::{
    authorization_roles, policy_type, role_crn, service_role, ActionRoles, ActivityHour,
    ActivityReport, AuditEventInfo, AuditQueryRequest, AuthorizationCheck,
    AuthorizationCheckRequest, AuthorizationInfo, CallerGrant, CallerInfo,
    CreateAuthorizationRequest, FailureCount, IamPolicy, InstancePolicy, KeyPolicies, KeyRingInfo,
    PolicyAdmin, RegistrationInfo, RegistrationQuery, RegistrationRequest, RegistrationWrite,
    ServiceAction, SetKeyPoliciesRequest, UsageMinute, UsageReport, ACTIVITY_MAX_HOURS,
    INSTANCE_POLICY_TYPES, KEY_POLICY_TYPES, SERVICE_ROLES,
};
pub use connection::{
    ConnectionProfile, ConnectionTest, LocalServerStatus, SaveConnectionRequest, TlsFacts,
};
pub use error::{ApiError, ErrorCode};
pub use iam::{CallOrigin, Iam, IamToken, Instances, Principal};
pub use keys::{
    AdvanceClockRequest, AliasInfo, AliasList, ClockInfo, CreateImportTokenRequest,
    CreateKeyRequest, DeletionWindow, DualAuthDelete, ImportTokenInfo, KeyInfo, KeyList, KeySort,
    KeySortField, KeyStateName, KeyType, KeyVersionInfo, KeystoreInfo, KeystoreMode,
    ListAliasesRequest, ListKeysRequest, RotateKeyRequest, RotationPolicyInfo, SecureImport,
    EXTENSION_FILTERS_HEADER,
};
pub use secret::SecretString;
pub use wrapping::{
    KeyVersionRef, RewrapRequest, RewrapResponse, Rewrapped, UnwrapRequest, UnwrapResponse,
    WrapRequest, WrapResponse,
};

/// Everything an administrator or application can ask of a keystore, whether it is the
/// embedded one or a remote instance. Desktop commands, HTTP handlers and the contract tests
/// call this and nothing lower.
#[async_trait::async_trait]
pub trait Keystore: Send + Sync {
    /// Which keystore this is.
    async fn info(&self) -> Result<KeystoreInfo, ApiError>;
    /// Who this keystore takes the caller to be, and the caller's grants on the instance.
    async fn caller(&self) -> Result<CallerInfo, ApiError>;
    /// A filtered page of keys, newest first.
    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError>;
    /// Creates a root or standard key, generating material or importing the payload given.
    async fn create_key(&self, request: CreateKeyRequest) -> Result<KeyInfo, ApiError>;
    /// One key's metadata.
    async fn key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// A standard key's payload, base64. Root-key material never leaves the keystore.
    async fn key_payload(&self, id: &str) -> Result<SecretString, ApiError>;
    /// GET /keys/{id}: the key with a standard key's payload; needs ReaderPlus, unlike
    /// [`Keystore::key`] (metadata, Reader).
    async fn read_key(&self, id: &str) -> Result<(KeyInfo, Option<SecretString>), ApiError> {
        let key = self.key(id).await?;
        let payload = if key.key_type == KeyType::Standard && key.state != KeyStateName::Destroyed {
            Some(self.key_payload(id).await?)
        } else {
            None
        };
        Ok((key, payload))
    }
    /// A key's versions, oldest first.
    async fn key_versions(&self, id: &str) -> Result<Vec<KeyVersionInfo>, ApiError>;
    /// Starts a new key version.
    async fn rotate_key(&self, request: RotateKeyRequest) -> Result<KeyInfo, ApiError>;
    /// Suspends a key.
    async fn disable_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Reactivates a suspended key.
    async fn enable_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Key Protect's "sync associated resources": asks the services registered with the key
    /// to pick up its current state. Strongroom has no services to tell; the call is
    /// authorized (Writer or Manager) and audited like any other.
    async fn sync_key(&self, id: &str) -> Result<(), ApiError>;
    /// Destroys a key; restorable for 30 days. A key with registrations needs `force`.
    async fn delete_key(&self, id: &str, force: bool) -> Result<KeyInfo, ApiError>;
    /// First authorization of a dual-authorization delete.
    async fn set_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Withdraws that authorization.
    async fn unset_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Erases a destroyed key for good, 4 hours after its deletion (KeyPurge role).
    async fn purge_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Moves a key to another key ring.
    async fn move_key(&self, id: &str, key_ring: &str) -> Result<KeyInfo, ApiError>;
    /// Adds an alias to a key.
    async fn create_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError>;
    /// Removes an alias from a key.
    async fn delete_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError>;
    /// Every alias of the instance and the key it names (Strongroom's extension: Key Protect
    /// finds keys by alias but cannot list where its aliases point).
    async fn list_aliases(&self, request: ListAliasesRequest) -> Result<AliasList, ApiError>;
    /// The key's policies.
    async fn key_policies(&self, id: &str) -> Result<KeyPolicies, ApiError>;
    /// Changes the key's policies.
    async fn set_key_policies(
        &self,
        request: SetKeyPoliciesRequest,
    ) -> Result<KeyPolicies, ApiError>;
    /// The instance's key rings, `default` first.
    async fn key_rings(&self) -> Result<Vec<KeyRingInfo>, ApiError>;
    /// Creates a key ring.
    async fn create_key_ring(&self, id: &str) -> Result<KeyRingInfo, ApiError>;
    /// Deletes an empty key ring (`force` when only destroyed keys remain).
    async fn delete_key_ring(&self, id: &str, force: bool) -> Result<(), ApiError>;
    /// The instance's policies.
    async fn instance_policies(&self) -> Result<Vec<InstancePolicy>, ApiError>;
    /// Replaces instance policies.
    async fn set_instance_policies(
        &self,
        policies: Vec<InstancePolicy>,
    ) -> Result<Vec<InstancePolicy>, ApiError>;
    /// Source resources seen using a key, or any key when `id` is absent.
    async fn registrations(&self, id: Option<&str>) -> Result<Vec<RegistrationInfo>, ApiError>;
    /// How many keys `request` would list, without them (`HEAD /keys`; Key Protect audits it
    /// as `kms.secrets.head`). A keystore without a cheaper way lists one key for the total.
    async fn count_keys(&self, request: ListKeysRequest) -> Result<u32, ApiError> {
        let request = ListKeysRequest {
            offset: 0,
            limit: Some(1),
            ..request
        };
        Ok(self.list_keys(request).await?.total)
    }
    /// Writes a service's registration of the resource `resource_crn` with key `id`
    /// (services only).
    async fn write_registration(
        &self,
        id: &str,
        resource_crn: &str,
        write: RegistrationWrite,
        request: RegistrationRequest,
    ) -> Result<RegistrationInfo, ApiError>;
    /// Removes a service's registration of `resource_crn` with key `id` (services only).
    async fn delete_registration(&self, id: &str, resource_crn: &str) -> Result<(), ApiError>;
    /// Service-to-service authorizations that target this instance.
    async fn authorizations(&self) -> Result<Vec<AuthorizationInfo>, ApiError>;
    /// Authorizes a source service on this instance.
    async fn create_authorization(
        &self,
        request: CreateAuthorizationRequest,
    ) -> Result<AuthorizationInfo, ApiError>;
    /// Revokes an authorization at once.
    async fn delete_authorization(&self, id: &str) -> Result<(), ApiError>;
    /// Gives an authorization these roles in place of its own (at least one), keeping its
    /// source, target and id: IAM's "edit roles", not a delete and a create.
    async fn set_authorization_roles(
        &self,
        id: &str,
        roles: Vec<String>,
    ) -> Result<AuthorizationInfo, ApiError>;
    /// A dry run of a source service's wrap, unwrap or rewrap: allowed or not, and through
    /// which authorization. Reads what `authorizations` reads; changes nothing.
    async fn check_authorization(
        &self,
        request: AuthorizationCheckRequest,
    ) -> Result<AuthorizationCheck, ApiError>;
    /// The calls this instance served in the last hour, per minute and action, with latency
    /// (Strongroom's extension: IBM Key Protect answers 404, `NOT_FOUND`).
    async fn usage(&self) -> Result<UsageReport, ApiError>;
    /// This instance's audited calls per hour and action over the last `hours` hours, the
    /// current one included (1 to [`ACTIVITY_MAX_HOURS`]; Strongroom's extension: IBM Key
    /// Protect answers 404, `NOT_FOUND`).
    async fn activity(&self, hours: u32) -> Result<ActivityReport, ApiError>;
    /// The audit trail of this instance, newest first.
    async fn audit_events(&self, query: AuditQueryRequest)
        -> Result<Vec<AuditEventInfo>, ApiError>;
    /// Restores a destroyed key.
    async fn restore_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Creates an import token for secure import, replacing any earlier one.
    async fn create_import_token(
        &self,
        request: CreateImportTokenRequest,
    ) -> Result<ImportTokenInfo, ApiError>;
    /// Retrieves the import token's public key and nonce (counts as one retrieval).
    async fn import_token(&self) -> Result<ImportTokenInfo, ApiError>;
    /// The import token's dates and retrievals, without its key or nonce and without spending
    /// a retrieval, even once expired or used up (for a console's attention list).
    /// `NOT_FOUND` when the instance has none, or when the server (IBM Key Protect) offers no
    /// such read.
    async fn import_token_status(&self) -> Result<ImportTokenInfo, ApiError>;
    /// Wraps a DEK with a root key (generating one when none is given).
    async fn wrap(&self, request: WrapRequest) -> Result<WrapResponse, ApiError>;
    /// Unwraps a DEK; re-wraps it with the newest version when the key has rotated since.
    async fn unwrap(&self, request: UnwrapRequest) -> Result<UnwrapResponse, ApiError>;
    /// Re-wraps a DEK with the newest version of its key.
    async fn rewrap(&self, request: RewrapRequest) -> Result<RewrapResponse, ApiError>;
    /// The time this keystore's rules run on. IBM Key Protect publishes none: `NOT_FOUND`.
    async fn clock(&self) -> Result<ClockInfo, ApiError>;
    /// Moves a virtual clock ahead, and carries out what the new time makes due
    /// (expirations, rotations) before answering. Only a server started with
    /// `--virtual-clock` allows it, and only to a Manager of every instance; elsewhere
    /// `FORBIDDEN`.
    async fn advance_clock(&self, request: AdvanceClockRequest) -> Result<ClockInfo, ApiError>;
}
