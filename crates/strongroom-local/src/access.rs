//! Stored access policies ⇄ domain grants and wire types, and instance-policy validation.

use strongroom_api::{
    policy_type, ApiError, AuditEventInfo, AuthorizationCheck, AuthorizationCheckRequest,
    AuthorizationInfo, CreateAuthorizationRequest, InstancePolicy, RegistrationInfo, ServiceAction,
    INSTANCE_POLICY_TYPES,
};
use strongroom_core::{
    Caller, CallerKind, Grant, KeyAction, KeyId, KeyRingId, Operation, Role, Scope, Target,
};
use strongroom_store::{
    AccessPolicyRecord, AuditRecord, InstancePolicyRecord, RegistrationRecord, SqliteStore,
};
use time::OffsetDateTime;

use crate::convert::{api_error, rfc3339};

/// The grant a stored policy gives on its instance. A policy that no longer parses (an
/// unknown role name written by a newer version) grants nothing rather than failing calls.
pub(crate) fn grant(policy: &AccessPolicyRecord) -> Option<Grant> {
    let roles: Vec<Role> = policy
        .roles
        .iter()
        .filter_map(|r| Role::parse(r).ok())
        .collect();
    if roles.is_empty() {
        return None;
    }
    let scope = match (&policy.key_id, &policy.key_ring) {
        (Some(key), _) => Scope::Key(key.parse::<KeyId>().ok()?),
        (None, Some(ring)) => Scope::KeyRing(KeyRingId::parse(ring).ok()?),
        (None, None) => Scope::Instance,
    };
    Some(Grant { roles, scope })
}

pub(crate) fn validate_instance_policy(
    policy: &InstancePolicy,
) -> Result<(String, bool, Option<String>), ApiError> {
    // `dualAuthDelete`, `rotation` and `keyCreateImportAccess` change behaviour here; the
    // others are stored and returned.
    let Some(policy_type) = policy_type(&INSTANCE_POLICY_TYPES, &policy.policy_type) else {
        return Err(ApiError::invalid(format!(
            "unknown policy_type {:?}; use one of {}",
            policy.policy_type,
            INSTANCE_POLICY_TYPES.join(", ")
        )));
    };
    let attributes = policy.attributes.as_ref().filter(|a| !a.is_null());
    let needs_attributes = !matches!(policy_type, "dualAuthDelete" | "metrics");
    match (policy.enabled, attributes, needs_attributes) {
        (false, Some(_), _) => {
            return Err(ApiError::invalid(
                "attributes must be omitted when a policy is disabled",
            ))
        }
        (true, None, true) => {
            return Err(ApiError::invalid(format!(
                "the {policy_type} policy needs attributes when enabled"
            )))
        }
        _ => {}
    }
    if policy_type == "rotation" && policy.enabled {
        let months = attributes
            .and_then(|a| a.get("interval_month"))
            .and_then(serde_json::Value::as_i64);
        if !matches!(months, Some(1..=12)) {
            return Err(ApiError::invalid("interval_month must be between 1 and 12"));
        }
    }
    // Stored and returned, not enforced (docs/access.md); but only in the shape Key Protect
    // accepts, so what a client reads back is what Key Protect would hold.
    if policy_type == "allowedNetwork" && policy.enabled {
        let network = attributes
            .and_then(|a| a.get("allowed_network"))
            .and_then(serde_json::Value::as_str);
        if !matches!(network, Some("public-and-private" | "private-only")) {
            return Err(ApiError::invalid(
                "allowed_network must be \"public-and-private\" or \"private-only\"",
            ));
        }
    }
    if policy_type == "allowedIP" && policy.enabled {
        let ranges = attributes
            .and_then(|a| a.get("allowed_ip"))
            .and_then(serde_json::Value::as_array)
            .filter(|ranges| (1..=1000).contains(&ranges.len()))
            .ok_or_else(|| {
                ApiError::invalid("allowed_ip must be a list of 1 to 1000 CIDR ranges")
            })?;
        if let Some(bad) = ranges
            .iter()
            .find(|range| !range.as_str().is_some_and(is_cidr))
        {
            return Err(ApiError::invalid(format!(
                "allowed_ip: {bad} is not a CIDR range such as 10.0.0.0/8"
            )));
        }
    }
    if policy_type == "keyCreateImportAccess" {
        if let Some(attributes) = attributes {
            let known = [
                "create_root_key",
                "create_standard_key",
                "import_root_key",
                "import_standard_key",
                "enforce_token",
            ];
            let fields = attributes.as_object().ok_or_else(|| {
                ApiError::invalid("keyCreateImportAccess attributes must be an object")
            })?;
            if let Some((name, _)) = fields
                .iter()
                .find(|(name, value)| !known.contains(&name.as_str()) || !value.is_boolean())
            {
                return Err(ApiError::invalid(format!(
                    "keyCreateImportAccess attribute {name:?} must be one of {} and true or false",
                    known.join(", ")
                )));
            }
        }
    }
    Ok((
        policy_type.to_owned(),
        policy.enabled,
        attributes.map(serde_json::Value::to_string),
    ))
}

/// `address/prefix`, IPv4 or IPv6, the prefix no longer than the address.
fn is_cidr(text: &str) -> bool {
    let Some((address, prefix)) = text.split_once('/') else {
        return false;
    };
    let Ok(prefix) = prefix.parse::<u8>() else {
        return false;
    };
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => prefix <= 32,
        Ok(std::net::IpAddr::V6(_)) => prefix <= 128,
        Err(_) => false,
    }
}

pub(crate) fn instance_policy(record: &InstancePolicyRecord) -> InstancePolicy {
    InstancePolicy {
        policy_type: record.policy_type.clone(),
        enabled: record.enabled,
        attributes: record
            .attributes
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok()),
        updated_at: Some(rfc3339(record.updated_at)),
        updated_by: Some(record.updated_by.clone()),
    }
}

/// A registration as `caller` may see it: the registering service's own metadata only for
/// services (who see no other service's registrations).
pub(crate) fn registration_info(record: &RegistrationRecord, caller: &Caller) -> RegistrationInfo {
    RegistrationInfo {
        key_id: record.key_id.to_string(),
        key_name: record.key_name.clone(),
        resource_crn: record.resource_crn.clone(),
        service: record.service.clone(),
        created_by: record.created_by.clone(),
        key_version: record.key_version.to_string(),
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
        description: record.description.clone(),
        prevent_key_deletion: record.prevent_key_deletion,
        registration_metadata: record.metadata.clone().filter(|_| caller.is_service()),
    }
}

/// The instance's authorizations, each with when its source service last used a key through
/// it ([`Uses`]).
pub(crate) fn authorizations(
    store: &std::sync::Arc<SqliteStore>,
    instance: &str,
) -> Result<Vec<AuthorizationInfo>, ApiError> {
    let mut uses = Uses::default();
    store
        .policies(Some("authorization"))
        .map_err(|err| api_error(err.into()))?
        .iter()
        .filter(|p| p.instance_id.as_deref() == Some(instance))
        .map(|policy| {
            let mut info = authorization_info(policy);
            info.last_used_at = uses.last_use(store, policy)?;
            Ok(info)
        })
        .collect()
}

/// When authorizations were last used, from the registrations every service wrap, unwrap and
/// rewrap refreshes (the newest 5,000 per instance, read once per instance), not from a counter
/// on the data plane. A use reached through two overlapping authorizations dates both.
#[derive(Default)]
pub(crate) struct Uses(std::collections::HashMap<String, Vec<RegistrationRecord>>);

impl Uses {
    /// When `policy`'s source service last used a key through it; `None` for other policies.
    pub(crate) fn last_use(
        &mut self,
        store: &std::sync::Arc<SqliteStore>,
        policy: &AccessPolicyRecord,
    ) -> Result<Option<String>, ApiError> {
        let Some(instance) = policy.instance_id.as_deref() else {
            return Ok(None);
        };
        if policy.policy_type != "authorization" {
            return Ok(None);
        }
        if !self.0.contains_key(instance) {
            let repo = store
                .instance(instance)
                .map_err(|err| api_error(err.into()))?;
            let found = repo.registrations(None).map_err(api_error)?;
            self.0.insert(instance.to_owned(), found);
        }
        // A use before the authorization existed went through another one (since removed).
        Ok(self.0.get(instance).and_then(|uses| {
            uses.iter()
                .filter(|used| used.updated_at >= policy.created_at)
                .find(|used| used_through(policy, instance, used))
                .map(|used| rfc3339(used.updated_at))
        }))
    }
}

/// Whether the service use a registration records is one `policy` allows.
fn used_through(policy: &AccessPolicyRecord, instance: &str, used: &RegistrationRecord) -> bool {
    // `crn:v1:bluemix:public:{service}:local:a/local:{instance}::`, as `submit_use` writes it.
    let mut parts = used.resource_crn.split(':').skip(4);
    let (Some(service), Some(source)) = (parts.next(), parts.nth(2)) else {
        return false;
    };
    let target = Target::Key(used.key_id, &used.key_ring);
    [Operation::Wrap, Operation::Unwrap]
        .into_iter()
        .any(|operation| lets(policy, instance, service, Some(source), operation, target))
}

/// Whether `policy` lets `service` (or its instance `source`) do `operation` on `target`: the
/// rule a real call by that service meets.
fn lets(
    policy: &AccessPolicyRecord,
    instance: &str,
    service: &str,
    source: Option<&str>,
    operation: Operation,
    target: Target<'_>,
) -> bool {
    policy.instance_id.as_deref() == Some(instance)
        && policy.source_service.as_deref() == Some(service)
        && policy
            .source_instance
            .as_deref()
            .is_none_or(|named| Some(named) == source)
        && grant(policy).is_some_and(|grant| {
            let caller = Caller {
                iam_id: String::new(),
                kind: CallerKind::User,
                grants: vec![grant],
            };
            caller.may(operation, target)
        })
}

/// Validates a request into a stored `authorization` policy on `instance`.
pub(crate) fn new_authorization(
    request: &CreateAuthorizationRequest,
    instance: &str,
    by: &str,
    now: OffsetDateTime,
) -> Result<AccessPolicyRecord, ApiError> {
    let service = request.source_service.trim();
    if service.is_empty()
        || service.len() > 100
        || !service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(ApiError::invalid(
            "the source service must be a service name such as cloud-object-storage",
        ));
    }
    let roles = if request.roles.is_empty() {
        vec![Role::Reader.name().to_owned()]
    } else {
        authorization_roles(&request.roles)?
    };
    let key_ring = request
        .key_ring
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(KeyRingId::parse)
        .transpose()
        .map_err(api_error)?;
    let key_id = request
        .key_id
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(str::parse::<KeyId>)
        .transpose()
        .map_err(api_error)?;
    Ok(AccessPolicyRecord {
        id: KeyId::random().to_string(),
        policy_type: "authorization".into(),
        subject_iam_id: None,
        source_service: Some(service.to_owned()),
        source_instance: request
            .source_instance
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        instance_id: Some(instance.to_owned()),
        key_ring: key_ring.map(|r| r.to_string()),
        key_id: key_id.map(|k| k.to_string()),
        roles,
        description: None,
        created_at: now,
        created_by: by.to_owned(),
        updated_at: now,
        updated_by: by.to_owned(),
        revision: 1,
    })
}

/// The role names an authorization is stored with: the API's check, which the remote client
/// makes too, so both transports refuse alike.
pub(crate) fn authorization_roles(roles: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(strongroom_api::authorization_roles(roles)?
        .into_iter()
        .map(str::to_owned)
        .collect())
}

pub(crate) fn authorization_info(record: &AccessPolicyRecord) -> AuthorizationInfo {
    AuthorizationInfo {
        id: record.id.clone(),
        source_service: record.source_service.clone().unwrap_or_default(),
        source_instance: record.source_instance.clone(),
        target_instance: record.instance_id.clone().unwrap_or_default(),
        key_ring: record.key_ring.clone(),
        key_id: record.key_id.clone(),
        roles: record.roles.clone(),
        created_at: rfc3339(record.created_at),
        created_by: record.created_by.clone(),
        last_used_at: None,
    }
}

pub(crate) fn audit_info(record: &AuditRecord) -> AuditEventInfo {
    AuditEventInfo {
        seq: record.seq,
        at: rfc3339(record.event.at),
        instance: record.event.instance.clone(),
        initiator: record.event.initiator.clone(),
        action: record.event.action.clone(),
        target: record.event.target.clone(),
        outcome: record.event.outcome.as_str().to_owned(),
        correlation_id: record.event.correlation_id.clone(),
        key_version: Some(record.event.key_version.clone()).filter(|v| !v.is_empty()),
        source: Some(record.event.source.clone()).filter(|s| !s.is_empty()),
    }
}

/// "Test as this service": the first authorization of `instance` that lets the source do
/// `request.action` with `key` (the same grant rule a real call by that service meets), and
/// whether the key's state allows the action at all.
pub(crate) fn check_authorization(
    store: &SqliteStore,
    instance: &str,
    key: &strongroom_core::Key,
    request: &AuthorizationCheckRequest,
) -> Result<AuthorizationCheck, ApiError> {
    let (operation, action, verb) = match request.action {
        ServiceAction::Wrap => (Operation::Wrap, KeyAction::Wrap, "wrap"),
        ServiceAction::Unwrap => (Operation::Unwrap, KeyAction::Unwrap, "unwrap"),
        ServiceAction::Rewrap => (Operation::Rewrap, KeyAction::Rewrap, "rewrap"),
    };
    let service = request.source_service.trim();
    let source = request
        .source_instance
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let who = match source {
        Some(source) => format!("{service} (instance {source})"),
        None => service.to_owned(),
    };
    let policies = store
        .policies(Some("authorization"))
        .map_err(|err| api_error(err.into()))?;
    let target = Target::Key(key.id, &key.key_ring);
    let matched = policies
        .iter()
        .find(|policy| lets(policy, instance, service, source, operation, target));
    let state_allows = key.state.allows(action);
    let reason = match (matched, state_allows) {
        (Some(policy), true) => format!(
            "{who} may {verb} with key {} through authorization {} ({} on {}).",
            key.name.as_str(),
            policy.id,
            policy.roles.join(", "),
            scope_words(policy)
        ),
        (Some(policy), false) => format!(
            "Authorization {} lets {who} {verb} with key {}, but the key is {}, so the {verb} would fail.",
            policy.id,
            key.name.as_str(),
            key.state
        ),
        (None, _) => format!(
            "No authorization lets {who} {verb} with key {}. Create one from {service} with the Reader role on this instance, on key ring {}, or on this key.",
            key.name.as_str(),
            key.key_ring
        ),
    };
    Ok(AuthorizationCheck {
        allowed: matched.is_some() && state_allows,
        authorization_id: matched.map(|policy| policy.id.clone()),
        key_id: key.id.to_string(),
        key_state: crate::convert::state_name(key.state),
        reason,
    })
}

fn scope_words(policy: &AccessPolicyRecord) -> String {
    match (&policy.key_id, &policy.key_ring) {
        (Some(key), _) => format!("key {key}"),
        (None, Some(ring)) => format!("key ring {ring}"),
        (None, None) => "the whole instance".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    /// The API checks role names against its own list (the remote client cannot reach the
    /// domain); it must be the domain's roles, in the same order.
    #[test]
    fn the_api_names_exactly_the_domain_roles() {
        let domain: Vec<&str> = strongroom_core::Role::ALL
            .iter()
            .map(|r| r.name())
            .collect();
        assert_eq!(domain, strongroom_api::SERVICE_ROLES);
    }
}
