//! Key policies (`/keys/{id}/policies`) and instance policies (`/instance/policies`).

use crate::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::{json, Value};
use strongroom_api::kp::Collection;
use strongroom_api::{
    InstancePolicy, KeyPolicies, RotationPolicyInfo, SetKeyPoliciesRequest, INSTANCE_POLICY_TYPES,
    KEY_POLICY_TYPES,
};

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::keys::typed_json;
use crate::Kms;

const POLICY_TYPE: &str = "application/vnd.ibm.kms.policy+json";

#[derive(Deserialize)]
pub(crate) struct PolicyQuery {
    policy: Option<String>,
}

impl PolicyQuery {
    /// The one policy type asked for, as Key Protect spells it. A type it does not know is a
    /// 400 naming the ones it does: an empty answer would read as "no such policy is set".
    fn only(&self, known: &[&'static str]) -> Result<Option<&'static str>, Failure> {
        let Some(name) = self.policy.as_deref() else {
            return Ok(None);
        };
        strongroom_api::policy_type(known, name)
            .map(Some)
            .ok_or_else(|| {
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAM_ERR",
                    format!("`policy` must be one of {}", known.join(", ")),
                )
            })
    }
}

pub(crate) fn rotation(policy: &Fields) -> Result<RotationPolicyInfo, Failure> {
    Ok(RotationPolicyInfo {
        enabled: policy.bool("enabled")?.unwrap_or(true),
        interval_month: policy
            .integer("interval_month")?
            .ok_or_else(|| Failure::invalid_field("`interval_month` must be between 1 and 12"))?,
    })
}

/// A rotation policy turned on or off without an interval keeps the key's: Key Protect's Go
/// client enables and disables one with `{"enabled": …}` alone.
async fn current_interval(
    state: &Kms,
    id: &str,
    policy: &Fields,
) -> Result<RotationPolicyInfo, Failure> {
    let current = state
        .keystore
        .key_policies(id)
        .await?
        .rotation
        .ok_or_else(|| {
            Failure::invalid_field(
                "`interval_month` is required: the key has no rotation policy to keep it from",
            )
        })?;
    Ok(RotationPolicyInfo {
        enabled: policy.bool("enabled")?.unwrap_or(true),
        interval_month: current.interval_month,
    })
}

fn key_policy_resources(
    state: &Kms,
    id: &str,
    policies: &KeyPolicies,
    only: Option<&str>,
) -> Vec<Value> {
    let crn = state.key_crn(id);
    let mut out = Vec::new();
    if only.is_none_or(|p| p == "rotation") {
        if let Some(r) = policies.rotation {
            out.push(json!({
                "id": format!("{id}-rotation"), "crn": crn, "type": POLICY_TYPE,
                "rotation": { "enabled": r.enabled, "interval_month": r.interval_month },
            }));
        }
    }
    if only.is_none_or(|p| p == "dualAuthDelete") {
        out.push(json!({
            "id": format!("{id}-dualAuthDelete"), "crn": crn, "type": POLICY_TYPE,
            "dualAuthDelete": { "enabled": policies.dual_auth_delete },
        }));
    }
    out
}

/// A body setting a policy other than the one `?policy=` names.
fn mismatch() -> Failure {
    Failure::new(
        StatusCode::BAD_REQUEST,
        "BODY_QUERY_PARAM_MISMATCH_ERR",
        "the body sets a policy other than the one the `policy` query parameter names",
    )
}

/// A policy PUT without a body is Key Protect's `NO_BODY_ERR`.
fn required_body(body: &axum::body::Bytes) -> Result<Fields, Failure> {
    Fields::parse(body)?.ok_or_else(|| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "NO_BODY_ERR",
            "a policy is required",
        )
    })
}

fn policy_collection(resources: Vec<Value>) -> Response {
    typed_json(
        StatusCode::OK,
        POLICY_TYPE,
        &Collection::new(POLICY_TYPE, resources),
    )
}

pub(crate) async fn key_policies(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<PolicyQuery>,
) -> Result<Response, Failure> {
    let only = query.only(&KEY_POLICY_TYPES)?;
    let policies = state.keystore.key_policies(&id).await?;
    let resources = key_policy_resources(&state, &id, &policies, only);
    Ok(policy_collection(resources))
}

pub(crate) async fn set_key_policies(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<PolicyQuery>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    let only = query.only(&KEY_POLICY_TYPES)?;
    let fields = required_body(&body)?;
    let mut request = SetKeyPoliciesRequest {
        key_id: id.clone(),
        rotation: None,
        dual_auth_delete: None,
    };
    for resource in fields.resources()? {
        for policy_type in KEY_POLICY_TYPES {
            if resource.object(policy_type)?.is_some()
                && only.is_some_and(|only| only != policy_type)
            {
                // Applied anyway, it would change a policy the caller did not name, and the
                // answer (filtered to the one named) would not show it.
                return Err(mismatch());
            }
        }
        if let Some(policy) = resource.object("rotation")? {
            request.rotation = Some(match policy.integer("interval_month")? {
                Some(_) => rotation(&policy)?,
                None => current_interval(&state, &id, &policy).await?,
            });
        }
        if let Some(policy) = resource.object("dualAuthDelete")? {
            request.dual_auth_delete = policy.bool("enabled")?;
        }
    }
    if request.rotation.is_none() && request.dual_auth_delete.is_none() {
        return Err(Failure::bad_body(
            "the policy must set `rotation` or `dualAuthDelete`",
        ));
    }
    let policies = state.keystore.set_key_policies(request).await?;
    let resources = key_policy_resources(&state, &id, &policies, only);
    Ok(policy_collection(resources))
}

pub(crate) async fn instance_policies(
    Extension(state): Extension<Kms>,
    Query(query): Query<PolicyQuery>,
) -> Result<Response, Failure> {
    let only = query.only(&INSTANCE_POLICY_TYPES)?;
    let policies = state.keystore.instance_policies().await?;
    let resources: Vec<Value> = policies
        .into_iter()
        .filter(|p| only.is_none_or(|only| only == p.policy_type))
        .map(|p| {
            let mut data = json!({ "enabled": p.enabled });
            if let Some(attributes) = p.attributes {
                data["attributes"] = attributes;
            }
            json!({
                "policy_type": p.policy_type, "policy_data": data,
                "updatedBy": p.updated_by, "lastUpdated": p.updated_at,
            })
        })
        .collect();
    Ok(policy_collection(resources))
}

pub(crate) async fn set_instance_policies(
    Extension(state): Extension<Kms>,
    Query(query): Query<PolicyQuery>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    let only = query.only(&INSTANCE_POLICY_TYPES)?;
    let fields = required_body(&body)?;
    let resources = fields.resources()?;
    if only.is_some() && resources.len() != 1 {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "NUM_COLLECTION_RESOURCE_ERR",
            "with ?policy= the body must hold exactly one policy",
        ));
    }
    let mut policies = Vec::new();
    for resource in resources {
        let policy_type = resource
            .string("policy_type")?
            .ok_or_else(|| Failure::invalid_field("the field `policy_type` is required"))?;
        if only.is_some_and(|only| strongroom_api::policy_type(&[only], &policy_type).is_none()) {
            return Err(mismatch());
        }
        let data = resource
            .object("policy_data")?
            .ok_or_else(|| Failure::invalid_field("the field `policy_data` is required"))?;
        policies.push(InstancePolicy {
            policy_type,
            enabled: data
                .bool("enabled")?
                .ok_or_else(|| Failure::invalid_field("`policy_data.enabled` is required"))?,
            attributes: data.value("attributes"),
            updated_at: None,
            updated_by: None,
        });
    }
    state.keystore.set_instance_policies(policies).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
