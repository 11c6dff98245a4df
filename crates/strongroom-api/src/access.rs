//! Types of the administration surface: key rings, policies, registrations, authorizations
//! and the audit trail.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::RotationPolicyInfo;

/// A key ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyRingInfo {
    /// The ring id.
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// The creator's IAM id (empty for `default`).
    pub created_by: String,
}

/// A key's policies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyPolicies {
    /// Rotation, if set.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<RotationPolicyInfo>,
    /// Dual-authorization delete.
    pub dual_auth_delete: bool,
}

/// Change a key's policies; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetKeyPoliciesRequest {
    /// The key (id or alias).
    pub key_id: String,
    /// A new rotation policy.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<RotationPolicyInfo>,
    /// Turn dual-authorization delete on (it cannot be turned off).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dual_auth_delete: Option<bool>,
}

/// The instance policy types Key Protect knows, as it spells them.
pub const INSTANCE_POLICY_TYPES: [&str; 6] = [
    "dualAuthDelete",
    "rotation",
    "allowedNetwork",
    "allowedIP",
    "keyCreateImportAccess",
    "metrics",
];

/// The key policy types Key Protect knows, as it spells them.
pub const KEY_POLICY_TYPES: [&str; 2] = ["rotation", "dualAuthDelete"];

/// `name` as one of `known` spells it. Case is not significant: clients have sent
/// `dualauthdelete`, and a policy stored under either spelling is the same policy.
pub fn policy_type(known: &[&'static str], name: &str) -> Option<&'static str> {
    known.iter().copied().find(|t| t.eq_ignore_ascii_case(name))
}

/// An instance policy in Key Protect's shape. `dualAuthDelete` and `rotation` act on keys
/// created afterwards; the others are stored and returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstancePolicy {
    /// `dualAuthDelete`, `rotation`, `allowedNetwork`, `allowedIP`,
    /// `keyCreateImportAccess` or `metrics`.
    pub policy_type: String,
    /// On or off.
    pub enabled: bool,
    /// Type-specific attributes (required when on, absent when off).
    #[ts(optional, type = "Record<string, unknown>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<serde_json::Value>,
    /// RFC 3339 (responses only).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// IAM id (responses only).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

/// A source resource seen using a key, or registered with it by its service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegistrationInfo {
    /// The key.
    pub key_id: String,
    /// Its name.
    pub key_name: String,
    /// The resource's CRN.
    pub resource_crn: String,
    /// The service identity that last used the key or wrote the registration.
    pub service: String,
    /// The service identity that first used the key or registered the resource.
    #[serde(default)]
    pub created_by: String,
    /// The key version last used.
    pub key_version: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// What the service says the resource is; empty for a registration recorded from use.
    #[serde(default)]
    pub description: String,
    /// The resource's retention forbids deleting the key, even with force.
    #[serde(default)]
    pub prevent_key_deletion: bool,
    /// The registering service's own notes. Only services see them, so a person's console
    /// never has them.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_metadata: Option<String>,
}

/// How a service writes a registration: Key Protect's POST, PUT and PATCH of
/// `/keys/{id}/registrations/{resourceCrn}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationWrite {
    /// A new registration; one that exists already is a conflict.
    Create,
    /// The whole registration, created if absent; fields not given are reset.
    Replace,
    /// The fields given, on a registration that exists.
    Update,
}

/// The fields of a service's registration (Key Protect's `registration_input`). A field left
/// out keeps its value on an update and takes its default otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationRequest {
    /// What the resource is, for people.
    pub description: Option<String>,
    /// A retention hold: the key may not be deleted while the registration says so.
    pub prevent_key_deletion: Option<bool>,
    /// The service's own notes, shown only to services.
    pub registration_metadata: Option<String>,
}

/// Key Protect's filters and paging for a registrations listing: `urlEncodedResourceCRNQuery`,
/// `preventKeyDeletion`, `offset` and `limit`. An instance holds few registrations, so they are
/// selected from the facade's whole list rather than in storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationQuery {
    /// Resource CRN patterns, in which `*` stands for any run of characters; a registration
    /// matches if any of them does. Empty: every CRN.
    pub crns: Vec<String>,
    /// Only registrations that do (or do not) prevent their key's deletion.
    pub prevent_key_deletion: Option<bool>,
    /// Matches to skip.
    pub offset: u32,
    /// Matches to return.
    pub limit: u32,
}

impl Default for RegistrationQuery {
    fn default() -> Self {
        Self {
            crns: Vec::new(),
            prevent_key_deletion: None,
            offset: 0,
            limit: 200,
        }
    }
}

impl RegistrationQuery {
    /// The page of `rows` this query selects, and how many rows match across all pages.
    pub fn select(&self, rows: Vec<RegistrationInfo>) -> (Vec<RegistrationInfo>, usize) {
        let matching: Vec<RegistrationInfo> = rows
            .into_iter()
            .filter(|row| {
                self.crns.is_empty()
                    || self
                        .crns
                        .iter()
                        .any(|pattern| crn_matches(pattern, &row.resource_crn))
            })
            .filter(|row| {
                self.prevent_key_deletion
                    .is_none_or(|wanted| row.prevent_key_deletion == wanted)
            })
            .collect();
        let total = matching.len();
        let page = matching
            .into_iter()
            .skip(self.offset as usize)
            .take(self.limit as usize)
            .collect();
        (page, total)
    }
}

/// Whether `crn` matches `pattern`, where each `*` stands for any run of characters (none
/// included) and everything else for itself.
fn crn_matches(pattern: &str, crn: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = crn.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A service-to-service authorization: a source service (optionally one of its instances) may
/// use the target instance's keys (optionally one key ring or key) with the given roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuthorizationInfo {
    /// Policy id.
    pub id: String,
    /// Source service name, e.g. `cloud-object-storage`.
    pub source_service: String,
    /// One source instance, or every instance when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_instance: Option<String>,
    /// The target KMS instance.
    pub target_instance: String,
    /// Narrowed to a key ring.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ring: Option<String>,
    /// Narrowed to a key.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Role names (`Reader`).
    pub roles: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// Creator.
    pub created_by: String,
    /// RFC 3339: the last time the source service wrapped, unwrapped or rewrapped with a key this
    /// authorization reaches; absent when never (or when the keystore does not say, as IAM
    /// does not).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
}

/// Create an authorization on this instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateAuthorizationRequest {
    /// Source service name.
    pub source_service: String,
    /// One source instance.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_instance: Option<String>,
    /// Narrow to a key ring.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ring: Option<String>,
    /// Narrow to a key.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Roles; `Reader` when empty.
    #[ts(as = "Option<Vec<String>>", optional)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEventInfo {
    /// Position in the chain.
    #[ts(type = "number")]
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    /// Instance addressed.
    pub instance: String,
    /// Caller's IAM id.
    pub initiator: String,
    /// Activity Tracker action.
    pub action: String,
    /// Key, ring or policy id.
    pub target: String,
    /// `success` or the error code.
    pub outcome: String,
    /// Correlation id.
    pub correlation_id: String,
    /// The key version a wrap, unwrap or rewrap used.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_version: Option<String>,
    /// The caller's network address; absent for the desktop's own calls and for events
    /// recorded before Strongroom kept it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The calls an instance served in the last hour, minute by minute and per action: what Key
/// Protect sends to IBM Cloud Monitoring (Strongroom's extension; kept in memory by the process
/// that serves the keystore, so it starts empty at each start).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UsageReport {
    /// Minutes the report covers, ending with the current one.
    pub window_minutes: u32,
    /// RFC 3339: the end of the window (now).
    pub until: String,
    /// One entry per minute and action that had calls, oldest first.
    pub minutes: Vec<UsageMinute>,
}

/// An instance's audited calls per hour and action (Strongroom's extension). Counted from the
/// audit trail as it is written and kept with it, so unlike [`UsageReport`] it survives a
/// restart, and reading a day costs the same however long the trail is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityReport {
    /// Hours the report covers, ending with the current one.
    pub hours: u32,
    /// RFC 3339: the end of the window (now).
    pub until: String,
    /// One entry per hour and action that had calls, oldest first.
    pub entries: Vec<ActivityHour>,
}

/// One hour of one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActivityHour {
    /// RFC 3339: the start of the hour.
    pub at: String,
    /// Activity Tracker action (`kms.secrets.wrap`).
    pub action: String,
    /// Calls audited.
    #[ts(type = "number")]
    pub calls: u64,
    /// Of those, refused or failed.
    #[ts(type = "number")]
    pub failures: u64,
}

/// The longest window an activity report covers: 31 days.
pub const ACTIVITY_MAX_HOURS: u32 = 31 * 24;

/// One minute of one action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UsageMinute {
    /// RFC 3339: the start of the minute.
    pub at: String,
    /// Activity Tracker action (`kms.secrets.wrap`).
    pub action: String,
    /// Calls answered.
    #[ts(type = "number")]
    pub calls: u64,
    /// Of those, refused or failed.
    #[ts(type = "number")]
    pub failures: u64,
    /// The failures by error code, most frequent first; absent when none failed (and from
    /// servers that predate it).
    #[ts(as = "Option<Vec<FailureCount>>", optional)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure_codes: Vec<FailureCount>,
    /// Median time the keystore took, in milliseconds (within 25 %).
    pub p50_ms: f64,
    /// 99th percentile, in milliseconds (within 25 %).
    pub p99_ms: f64,
}

/// How many calls of one minute and action failed with one error code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FailureCount {
    /// The error code (`UNDECRYPTABLE`, `FORBIDDEN`), as [`crate::ErrorCode`] names it.
    pub code: String,
    /// Calls.
    #[ts(type = "number")]
    pub count: u64,
}

/// Filters for the audit view, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditQueryRequest {
    /// Only this initiator.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator: Option<String>,
    /// Only actions starting with this.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Only this target.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Only failures.
    #[ts(as = "Option<bool>", optional)]
    #[serde(default)]
    pub failures_only: bool,
    /// Only the events of the request with this correlation id.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Events before this seq.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    /// Only among the newest this many events of the trail: a rare filter (one key's events)
    /// otherwise reads back through the whole trail.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_latest: Option<u32>,
    /// Events at or after this time (RFC 3339).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Events before this time (RFC 3339).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Page size, at most 1000; 100 when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// An IAM policy in the shape of the IAM Policy Management API (`/v1/policies`): `access`
/// (a user's roles) or `authorization` (a source service's roles). Attributes are
/// `(name, value)` pairs, matched by equality; absent attributes are wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamPolicy {
    /// Assigned by the server.
    pub id: String,
    /// `access` or `authorization`.
    pub policy_type: String,
    /// Free text.
    pub description: Option<String>,
    /// Subject attributes: `iam_id` for access; `serviceName`, `serviceInstance` for
    /// authorizations.
    pub subject: Vec<(String, String)>,
    /// Role names.
    pub roles: Vec<String>,
    /// Resource attributes: `serviceName` = `kms`, `serviceInstance`, `keyRing`,
    /// `resourceType` = `key` with `resource`.
    pub resource: Vec<(String, String)>,
    /// RFC 3339.
    pub created_at: String,
    /// Creator.
    pub created_by: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Last changer.
    pub updated_by: String,
    /// Bumped on each change; the `ETag`.
    pub revision: i64,
    /// RFC 3339: an authorization's last use by its source service (`strongroom serve`'s
    /// addition; IBM IAM keeps none).
    pub last_used_at: Option<String>,
}

/// The IAM Policy Management side: who may manage which policies is checked against the
/// caller's own roles (Manager on the target instance).
#[async_trait::async_trait]
pub trait PolicyAdmin: Send + Sync {
    /// Creates a policy. `origin` (correlation id, address) goes into the audit trail, as
    /// for every change below.
    async fn create_policy(
        &self,
        caller: &crate::Principal,
        origin: &crate::CallOrigin,
        policy: IamPolicy,
    ) -> Result<IamPolicy, crate::ApiError>;
    /// Policies, optionally of one type, that the caller may see.
    async fn policies(
        &self,
        caller: &crate::Principal,
        policy_type: Option<&str>,
    ) -> Result<Vec<IamPolicy>, crate::ApiError>;
    /// One policy.
    async fn policy(
        &self,
        caller: &crate::Principal,
        id: &str,
    ) -> Result<IamPolicy, crate::ApiError>;
    /// Replaces a policy if `revision` is still current.
    async fn replace_policy(
        &self,
        caller: &crate::Principal,
        origin: &crate::CallOrigin,
        id: &str,
        revision: i64,
        policy: IamPolicy,
    ) -> Result<IamPolicy, crate::ApiError>;
    /// Deletes a policy; what it granted is refused from the next call on.
    async fn delete_policy(
        &self,
        caller: &crate::Principal,
        origin: &crate::CallOrigin,
        id: &str,
    ) -> Result<(), crate::ApiError>;
}

/// Key Protect's service roles, as IAM names them.
pub const SERVICE_ROLES: [&str; 5] = ["Reader", "ReaderPlus", "Writer", "Manager", "KeyPurge"];

/// A service role's name as IAM spells it, whatever the case it was typed in; `None` for a
/// name Key Protect has no role for. Clients check names with it before IAM sees them.
pub fn service_role(name: &str) -> Option<&'static str> {
    SERVICE_ROLES
        .iter()
        .copied()
        .find(|role| role.eq_ignore_ascii_case(name.trim()))
}

/// The roles an authorization is given, spelled as IAM spells them, each once, blanks left
/// out. A name Key Protect has no role for is refused, and so is no role at all: an
/// authorization without a role allows nothing and only hides a mistake. The embedded
/// keystore and the remote client both check with it, so both refuse alike.
pub fn authorization_roles(roles: &[String]) -> Result<Vec<&'static str>, crate::ApiError> {
    let mut names = Vec::new();
    for role in roles.iter().filter(|r| !r.trim().is_empty()) {
        let name = service_role(role).ok_or_else(|| {
            crate::ApiError::invalid(format!(
                "unknown role {role:?}; use Reader, ReaderPlus, Writer, Manager or KeyPurge"
            ))
        })?;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(crate::ApiError::invalid(
            "an authorization needs at least one role",
        ));
    }
    Ok(names)
}

/// The IAM CRN of a service role.
pub fn role_crn(name: &str) -> String {
    format!("crn:v1:bluemix:public:iam::::serviceRole:{name}")
}

/// Who the keystore takes the caller to be, and what it may do where. The console reads this
/// to disable, with the missing role named, the actions the caller cannot run, instead of
/// hiding them or letting them fail (console-anchors §8.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallerInfo {
    /// The IAM id recorded as `createdBy` and in the audit trail.
    pub iam_id: String,
    /// The source service, when the caller is a service acting through an authorization.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The caller's grants on this instance.
    pub grants: Vec<CallerGrant>,
    /// For every action, the roles that allow it, so the console can name the missing role
    /// without keeping its own copy of the role table.
    pub action_roles: Vec<ActionRoles>,
}

/// Roles held on one scope of the instance: the whole instance, a key ring or one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallerGrant {
    /// Role names (`Reader`, `Manager`, ...).
    pub roles: Vec<String>,
    /// Narrowed to the keys currently in this ring.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ring: Option<String>,
    /// Narrowed to this key.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The actions these roles allow (Activity Tracker names, `kms.secrets.wrap`).
    pub actions: Vec<String>,
}

/// One row of the role table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActionRoles {
    /// Activity Tracker name (`kms.secrets.purge`).
    pub action: String,
    /// The roles that allow it.
    pub roles: Vec<String>,
}

/// A data-plane action a service performs with a root key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ServiceAction {
    /// Wrap a DEK.
    Wrap,
    /// Unwrap a DEK.
    Unwrap,
    /// Rewrap a DEK.
    Rewrap,
}

/// "Test as this service": would a source service be allowed this action with this key?
/// Nothing is wrapped; the answer says which authorization decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuthorizationCheckRequest {
    /// Source service name, e.g. `cloud-object-storage`.
    pub source_service: String,
    /// The source instance acting; absent means one no authorization names.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_instance: Option<String>,
    /// The key, by id or alias.
    pub key_id: String,
    /// What the service would do.
    pub action: ServiceAction,
}

/// The dry run's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuthorizationCheck {
    /// Authorized, and the key's state allows the action.
    pub allowed: bool,
    /// The authorization that grants it, if one does.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_id: Option<String>,
    /// The key's id (an alias resolved).
    pub key_id: String,
    /// The key's state now.
    pub key_state: crate::KeyStateName,
    /// A sentence for a person: who may or may not, through what, and why.
    pub reason: String,
}

#[cfg(test)]
mod registration_tests {
    use super::*;

    fn row(crn: &str) -> RegistrationInfo {
        RegistrationInfo {
            key_id: "k".into(),
            key_name: "n".into(),
            resource_crn: crn.into(),
            service: "cloud-object-storage".into(),
            created_by: "cloud-object-storage".into(),
            key_version: "v".into(),
            created_at: String::new(),
            updated_at: String::new(),
            description: String::new(),
            prevent_key_deletion: crn.ends_with("b3"),
            registration_metadata: None,
        }
    }

    #[test]
    fn crn_patterns_match_with_stars_for_any_run() {
        let crn = "crn:v1:bluemix:public:cloud-object-storage:global:a/1:b-1:bucket:photos";
        for (pattern, matches) in [
            (crn, true),
            ("*", true),
            ("crn:v1:bluemix:public:cloud-object-storage:*", true),
            ("*:bucket:photos", true),
            ("crn:v1:*:cloud-object-storage:*:bucket:*", true),
            ("crn:v1:*:bucket:photos*", true),
            ("crn:v1:bluemix:public:databases-for-postgresql:*", false),
            ("*:bucket:videos", false),
            ("crn:v1:bluemix:public:cloud-object-storage", false),
            ("*photos:photos", false),
            ("", false),
        ] {
            assert_eq!(crn_matches(pattern, crn), matches, "{pattern}");
        }
    }

    #[test]
    fn a_query_filters_then_pages_and_counts_every_match() {
        let rows: Vec<_> = (0..5)
            .map(|i| row(&format!("crn:v1:x:bucket:b{i}")))
            .chain([row("crn:v1:y:database:d")])
            .collect();
        let query = RegistrationQuery {
            crns: vec!["*:bucket:*".into()],
            offset: 1,
            limit: 2,
            ..RegistrationQuery::default()
        };
        let (page, total) = query.select(rows.clone());
        assert_eq!(total, 5);
        let crns: Vec<_> = page.iter().map(|r| r.resource_crn.as_str()).collect();
        assert_eq!(crns, ["crn:v1:x:bucket:b1", "crn:v1:x:bucket:b2"]);
        let preventing = RegistrationQuery {
            prevent_key_deletion: Some(true),
            ..RegistrationQuery::default()
        };
        assert_eq!(preventing.select(rows.clone()).1, 1);
        let not_preventing = RegistrationQuery {
            prevent_key_deletion: Some(false),
            ..RegistrationQuery::default()
        };
        assert_eq!(not_preventing.select(rows.clone()).1, 5);
        let either = RegistrationQuery {
            crns: vec!["crn:v1:y:*".into(), "crn:v1:x:bucket:b0".into()],
            ..RegistrationQuery::default()
        };
        assert_eq!(either.select(rows.clone()).1, 2);
        assert_eq!(RegistrationQuery::default().select(rows).1, 6);
    }
}
