//! The IAM Policy Management API over the embedded store: `access` and `authorization`
//! policies as IAM shapes them, managed by whoever is Manager of the instance they target.

use strongroom_api::{ApiError, CallOrigin, ErrorCode, IamPolicy, PolicyAdmin, Principal};
use strongroom_core::{KeyId, KeyRingId, Operation, Role, Target};
use strongroom_store::AccessPolicyRecord;

use crate::convert::{api_error, rfc3339};
use crate::LocalInstances;

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Validates an IAM policy into a stored record.
fn record(
    policy: &IamPolicy,
    id: String,
    by: &str,
    now: time::OffsetDateTime,
    revision: i64,
) -> Result<AccessPolicyRecord, ApiError> {
    let resource = &policy.resource;
    if let Some(service) = attribute(resource, "serviceName") {
        if service != "kms" {
            return Err(ApiError::invalid(
                "the resource's serviceName must be kms: only Key Protect policies are served here",
            ));
        }
    }
    let key_id = match (
        attribute(resource, "resourceType"),
        attribute(resource, "resource"),
    ) {
        (Some("key"), Some(key)) => Some(key.parse::<KeyId>().map_err(api_error)?.to_string()),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "a key-scoped resource needs resourceType=key and resource=<key id>",
            ))
        }
    };
    let key_ring = attribute(resource, "keyRing")
        .map(KeyRingId::parse)
        .transpose()
        .map_err(api_error)?
        .map(|r| r.to_string());
    let roles = policy
        .roles
        .iter()
        .map(|r| Role::parse(r).map(|r| r.name().to_owned()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(api_error)?;
    if roles.is_empty() {
        return Err(ApiError::invalid("a policy needs at least one role"));
    }
    let (subject_iam_id, source_service, source_instance) = match policy.policy_type.as_str() {
        "authorization" => {
            let service = attribute(&policy.subject, "serviceName")
                .ok_or_else(|| ApiError::invalid("an authorization's subject needs serviceName"))?;
            (
                None,
                Some(service.to_owned()),
                attribute(&policy.subject, "serviceInstance").map(str::to_owned),
            )
        }
        "access" => {
            let iam_id = attribute(&policy.subject, "iam_id")
                .ok_or_else(|| ApiError::invalid("an access policy's subject needs iam_id"))?;
            (Some(iam_id.to_owned()), None, None)
        }
        other => {
            return Err(ApiError::invalid(format!(
                "policy type {other:?} is not supported; use access or authorization"
            )))
        }
    };
    Ok(AccessPolicyRecord {
        id,
        policy_type: policy.policy_type.clone(),
        subject_iam_id,
        source_service,
        source_instance,
        instance_id: attribute(resource, "serviceInstance").map(str::to_owned),
        key_ring,
        key_id,
        roles,
        description: policy.description.clone(),
        created_at: now,
        created_by: by.to_owned(),
        updated_at: now,
        updated_by: by.to_owned(),
        revision,
    })
}

fn iam_policy(record: &AccessPolicyRecord, account: &str) -> IamPolicy {
    let mut subject = vec![("accountId".to_owned(), account.to_owned())];
    if let Some(iam_id) = &record.subject_iam_id {
        subject.push(("iam_id".into(), iam_id.clone()));
    }
    if let Some(service) = &record.source_service {
        subject.push(("serviceName".into(), service.clone()));
    }
    if let Some(instance) = &record.source_instance {
        subject.push(("serviceInstance".into(), instance.clone()));
    }
    let mut resource = vec![
        ("accountId".to_owned(), account.to_owned()),
        ("serviceName".to_owned(), "kms".to_owned()),
    ];
    if let Some(instance) = &record.instance_id {
        resource.push(("serviceInstance".into(), instance.clone()));
    }
    if let Some(ring) = &record.key_ring {
        resource.push(("keyRing".into(), ring.clone()));
    }
    if let Some(key) = &record.key_id {
        resource.push(("resourceType".into(), "key".into()));
        resource.push(("resource".into(), key.clone()));
    }
    IamPolicy {
        id: record.id.clone(),
        policy_type: record.policy_type.clone(),
        description: record.description.clone(),
        subject,
        roles: record.roles.clone(),
        resource,
        created_at: rfc3339(record.created_at),
        created_by: record.created_by.clone(),
        updated_at: rfc3339(record.updated_at),
        updated_by: record.updated_by.clone(),
        revision: record.revision,
        last_used_at: None,
    }
}

fn store_error(err: strongroom_store::StoreError) -> ApiError {
    api_error(err.into())
}

fn forbidden() -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        "managing this policy needs the Manager role on the instance it targets",
    )
}

impl LocalInstances {
    /// Whether `principal` may manage policies targeting `instance` (`None`: every instance,
    /// which needs an account-wide Manager grant).
    fn may_manage(&self, principal: &Principal, instance: Option<&str>) -> Result<bool, ApiError> {
        match instance {
            Some(instance) => {
                if self.store().instance(instance).is_err() {
                    return Ok(false);
                }
                let caller = self.caller(instance, principal)?;
                Ok(caller.may(Operation::WritePolicies, Target::Instance))
            }
            None => {
                let record = self
                    .store()
                    .principal(&principal.iam_id)
                    .map_err(store_error)?;
                let Some(record) = record else {
                    return Ok(false);
                };
                let policies = self.store().policies(Some("access")).map_err(store_error)?;
                Ok(policies.iter().any(|p| {
                    p.subject_iam_id.as_deref() == Some(record.iam_id.as_str())
                        && p.instance_id.is_none()
                        && p.key_ring.is_none()
                        && p.key_id.is_none()
                        && p.roles.iter().any(|r| r == "Manager")
                }))
            }
        }
    }

    fn account(&self) -> String {
        self.store().keystore_id().unwrap_or_default()
    }

    fn audit(
        &self,
        principal: &Principal,
        origin: &CallOrigin,
        action: &str,
        target: &str,
    ) -> strongroom_core::AuditEvent {
        strongroom_core::AuditEvent {
            at: self.now(),
            instance: String::new(),
            initiator: principal.iam_id.clone(),
            action: action.into(),
            target: target.into(),
            outcome: strongroom_core::Outcome::Success,
            correlation_id: origin.correlation_id.clone(),
            key_version: String::new(),
            source: origin.source.clone(),
        }
    }

    fn existing(&self, principal: &Principal, id: &str) -> Result<AccessPolicyRecord, ApiError> {
        let not_found = || ApiError::new(ErrorCode::NotFound, format!("policy {id} was not found"));
        let record = self
            .store()
            .policy(id)
            .map_err(store_error)?
            .ok_or_else(not_found)?;
        if !self.may_manage(principal, record.instance_id.as_deref())? {
            return Err(not_found());
        }
        Ok(record)
    }
}

#[async_trait::async_trait]
impl PolicyAdmin for LocalInstances {
    async fn create_policy(
        &self,
        caller: &Principal,
        origin: &CallOrigin,
        policy: IamPolicy,
    ) -> Result<IamPolicy, ApiError> {
        let this = self.clone();
        let caller = caller.clone();
        let origin = origin.clone();
        blocking(move || {
            let id = KeyId::random().to_string();
            let record = record(&policy, id.clone(), &caller.iam_id, this.now(), 1)?;
            if !this.may_manage(&caller, record.instance_id.as_deref())? {
                return Err(forbidden());
            }
            let event = this.audit(
                &caller,
                &origin,
                &format!("iam.policy.create.{}", record.policy_type),
                &id,
            );
            this.store()
                .create_policy(&record, &event)
                .map_err(store_error)?;
            Ok(iam_policy(&record, &this.account()))
        })
        .await
    }

    async fn policies(
        &self,
        caller: &Principal,
        policy_type: Option<&str>,
    ) -> Result<Vec<IamPolicy>, ApiError> {
        let this = self.clone();
        let caller = caller.clone();
        let policy_type = policy_type.map(str::to_owned);
        blocking(move || {
            let account = this.account();
            let mut out = Vec::new();
            let mut uses = crate::access::Uses::default();
            for record in this
                .store()
                .policies(policy_type.as_deref())
                .map_err(store_error)?
            {
                if this.may_manage(&caller, record.instance_id.as_deref())? {
                    let mut policy = iam_policy(&record, &account);
                    policy.last_used_at = uses.last_use(this.store(), &record)?;
                    out.push(policy);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn policy(&self, caller: &Principal, id: &str) -> Result<IamPolicy, ApiError> {
        let this = self.clone();
        let caller = caller.clone();
        let id = id.to_owned();
        blocking(move || {
            let record = this.existing(&caller, &id)?;
            let mut policy = iam_policy(&record, &this.account());
            policy.last_used_at = crate::access::Uses::default().last_use(this.store(), &record)?;
            Ok(policy)
        })
        .await
    }

    async fn replace_policy(
        &self,
        caller: &Principal,
        origin: &CallOrigin,
        id: &str,
        revision: i64,
        policy: IamPolicy,
    ) -> Result<IamPolicy, ApiError> {
        let this = self.clone();
        let caller = caller.clone();
        let origin = origin.clone();
        let id = id.to_owned();
        blocking(move || {
            let current = this.existing(&caller, &id)?;
            let mut next = record(
                &policy,
                id.clone(),
                &caller.iam_id,
                this.now(),
                revision + 1,
            )?;
            if !this.may_manage(&caller, next.instance_id.as_deref())? {
                return Err(forbidden());
            }
            next.created_at = current.created_at;
            next.created_by = current.created_by.clone();
            let event = this.audit(&caller, &origin, "iam.policy.update", &id);
            if !this
                .store()
                .update_policy(&next, revision, &event)
                .map_err(store_error)?
            {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "the policy was changed since it was read; read it again and retry",
                ));
            }
            Ok(iam_policy(&next, &this.account()))
        })
        .await
    }

    async fn delete_policy(
        &self,
        caller: &Principal,
        origin: &CallOrigin,
        id: &str,
    ) -> Result<(), ApiError> {
        let this = self.clone();
        let caller = caller.clone();
        let origin = origin.clone();
        let id = id.to_owned();
        blocking(move || {
            this.existing(&caller, &id)?;
            let event = this.audit(&caller, &origin, "iam.policy.delete", &id);
            this.store()
                .delete_policy(&id, &event)
                .map_err(store_error)?;
            Ok(())
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::internal())?
}
