//! Seed files: fixed key ids, names, aliases, key rings, material and past versions, so a
//! test suite starts every run from the same keys. Applying a seed twice changes nothing.

use serde::Deserialize;
use strongroom_api::{ApiError, KeyType};
use strongroom_core::{
    Alias, AuditEvent, Description, Expiry, Key, KeyId, KeyKind, KeyMaterial, KeyName, KeyRingId,
    KeyState, KeyVersion, KeyVersionId, Outcome, RotationPolicy,
};
use time::OffsetDateTime;

use crate::convert::{api_error, decode_secret, parse_time};
use crate::LocalInstances;

/// A seed file's contents (YAML or JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The instance to seed; the first one when absent.
    #[serde(default)]
    pub instance: Option<String>,
    /// Key rings to create (besides `default`).
    #[serde(default)]
    pub key_rings: Vec<String>,
    /// Keys to create.
    #[serde(default)]
    pub keys: Vec<SeedKey>,
}

/// One key of a seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedKey {
    /// Its fixed id (UUID).
    pub id: String,
    /// Display name.
    pub name: String,
    /// `root` (default) or `standard`.
    #[serde(default, rename = "type")]
    pub key_type: Option<KeyType>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// The ring it lives in.
    #[serde(default)]
    pub key_ring: Option<String>,
    /// Aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Dual-authorization delete.
    #[serde(default)]
    pub dual_auth_delete: bool,
    /// Rotation policy in months.
    #[serde(default)]
    pub rotation_interval_months: Option<i64>,
    /// RFC 3339 expiration date. It may lie in the past (unlike on create), so a test suite
    /// can start with a key that is already deactivated.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Versions, oldest first; the last is current. Without any, one generated version.
    #[serde(default)]
    pub versions: Vec<SeedVersion>,
}

/// One version of a seeded key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedVersion {
    /// Its fixed id (UUID), so ciphertexts made in one run unwrap in the next.
    #[serde(default)]
    pub id: Option<String>,
    /// Base64 material: 16, 24 or 32 bytes for a root key. Generated when absent.
    #[serde(default)]
    pub material: Option<String>,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created_at: Option<String>,
}

/// What a seed did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Keys written.
    pub created: usize,
    /// Keys already present (left alone).
    pub existing: usize,
}

fn field(what: &str, err: ApiError) -> ApiError {
    ApiError::invalid(format!("{what}: {}", err.message))
}

impl LocalInstances {
    /// Applies a seed. Every key ring and key is checked before anything is written (their
    /// fields, that each key's ring exists or is created by the seed, that no alias is given
    /// twice), so a mistake in the file changes nothing. A conflict with what the store holds
    /// (an alias taken by a key outside the seed) can still stop it part-way; keys that exist
    /// are left alone, so the same seed applied again after the fix completes it.
    pub fn seed(&self, seed: &Seed) -> Result<SeedReport, ApiError> {
        let instance = match &seed.instance {
            Some(id) => id.clone(),
            None => self.ensure_default(None)?,
        };
        let repo = self
            .store()
            .instance(&instance)
            .map_err(|err| ApiError::invalid(err.to_string()))?;
        let now = self.now();
        let event = |action: &str, target: &str| AuditEvent {
            at: now,
            instance: instance.clone(),
            initiator: "seed".into(),
            action: action.into(),
            target: target.into(),
            outcome: Outcome::Success,
            correlation_id: String::new(),
            key_version: String::new(),
            source: String::new(),
        };
        let rings = seed
            .key_rings
            .iter()
            .map(|ring| KeyRingId::parse(ring).map_err(api_error))
            .collect::<Result<Vec<_>, _>>()?;
        let keys = seed
            .keys
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let what = format!("keys[{index}] ({})", entry.name);
                match seed_key(entry, now) {
                    Ok(planned) => Ok((what, planned)),
                    Err(err) => Err(field(&what, err)),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let known_rings = repo.key_rings().map_err(api_error)?;
        let mut aliases = std::collections::HashSet::new();
        for (what, (key, _)) in &keys {
            let ring_known = key.key_ring == KeyRingId::default_ring()
                || rings.contains(&key.key_ring)
                || known_rings.iter().any(|known| known.id == key.key_ring);
            if !ring_known {
                return Err(ApiError::invalid(format!(
                    "{what}: key ring {:?} is neither in the store nor in the seed's key_rings",
                    key.key_ring.as_str()
                )));
            }
            for alias in &key.aliases {
                if !aliases.insert(alias.clone()) {
                    return Err(ApiError::invalid(format!(
                        "{what}: alias {:?} is given to another key of the seed too",
                        alias.as_str()
                    )));
                }
            }
        }
        for ring in &rings {
            repo.ensure_key_ring(ring, &event("kms.key-rings.create", ring.as_str()))
                .map_err(api_error)?;
        }
        let mut report = SeedReport::default();
        for (what, (key, versions)) in keys {
            if repo
                .seed_key(
                    &key,
                    &versions,
                    &event("kms.secrets.create", &key.id.to_string()),
                )
                .map_err(|err| field(&what, api_error(err)))?
            {
                report.created += 1;
            } else {
                report.existing += 1;
            }
        }
        Ok(report)
    }
}

fn seed_key(
    entry: &SeedKey,
    now: OffsetDateTime,
) -> Result<(Key, Vec<(KeyVersion, KeyMaterial)>), ApiError> {
    let kind = match entry.key_type.unwrap_or(KeyType::Root) {
        KeyType::Root => KeyKind::Root,
        KeyType::Standard => KeyKind::Standard,
    };
    let mut versions = Vec::new();
    let mut imported = false;
    let planned: Vec<&SeedVersion> = entry.versions.iter().collect();
    if planned.is_empty() {
        versions.push((
            KeyVersion {
                id: KeyVersionId::random(),
                created_at: now,
            },
            KeyMaterial::generate().map_err(api_error)?,
        ));
    }
    for version in planned {
        let material = match &version.material {
            Some(text) => {
                imported = true;
                let bytes = decode_secret("material", text)?;
                match kind {
                    KeyKind::Root => KeyMaterial::root(bytes),
                    KeyKind::Standard => KeyMaterial::standard(bytes),
                }
                .map_err(api_error)?
            }
            None => KeyMaterial::generate().map_err(api_error)?,
        };
        versions.push((
            KeyVersion {
                id: match &version.id {
                    Some(id) => id.parse::<KeyVersionId>().map_err(api_error)?,
                    None => KeyVersionId::random(),
                },
                created_at: match &version.created_at {
                    Some(text) => parse_time("created_at", text)?,
                    None => now,
                },
            },
            material,
        ));
    }
    let created_at = versions.first().map_or(now, |(v, _)| v.created_at);
    let current = versions
        .last()
        .map(|(v, _)| *v)
        .ok_or_else(ApiError::internal)?;
    let key = Key {
        id: entry.id.parse::<KeyId>().map_err(api_error)?,
        name: KeyName::parse(&entry.name).map_err(api_error)?,
        description: entry
            .description
            .as_deref()
            .map(Description::parse)
            .transpose()
            .map_err(api_error)?,
        kind,
        state: KeyState::Active,
        imported,
        created_at,
        updated_at: current.created_at,
        rotated_at: (versions.len() > 1).then_some(current.created_at),
        deleted_at: None,
        expiry: entry
            .expires_at
            .as_deref()
            .map(|text| parse_time("expires_at", text).map(Expiry::from_stored))
            .transpose()?,
        current_version: current,
        key_ring: match &entry.key_ring {
            Some(ring) => KeyRingId::parse(ring).map_err(api_error)?,
            None => KeyRingId::default_ring(),
        },
        aliases: entry
            .aliases
            .iter()
            .map(|a| Alias::parse(a))
            .collect::<Result<_, _>>()
            .map_err(api_error)?,
        created_by: "seed".into(),
        deleted_by: None,
        dual_auth_delete: entry.dual_auth_delete,
        deletion_authorization: None,
        rotation: entry
            .rotation_interval_months
            .map(|m| RotationPolicy::new(true, m))
            .transpose()
            .map_err(api_error)?,
    };
    Ok((key, versions))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use strongroom_core::KeyRepository;
    use strongroom_store::{MasterKeySource, SqliteStore};

    use super::*;

    #[test]
    fn a_seed_with_a_mistake_in_its_last_key_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let instances = LocalInstances::over(Arc::clone(&store));
        let seed: Seed = serde_json::from_str(
            r#"{"key_rings": ["payments"], "keys": [
                {"id": "5eed0000-0000-4000-8000-000000000001", "name": "fine"},
                {"id": "5eed0000-0000-4000-8000-000000000002", "name": "broken",
                 "versions": [{"material": "not base64 %%%"}]}]}"#,
        )
        .unwrap();
        let err = instances.seed(&seed).unwrap_err();
        assert!(err.message.contains("keys[1] (broken)"), "{}", err.message);

        let instance = store.instances().unwrap()[0].id.clone();
        let repo = store.instance(&instance).unwrap();
        let fine = "5eed0000-0000-4000-8000-000000000001".parse().unwrap();
        assert!(
            repo.key(fine).is_err(),
            "the valid key before it was not written"
        );
        let rings = repo.key_rings().unwrap();
        assert!(
            rings.iter().all(|ring| ring.id.as_str() != "payments"),
            "nor its key ring"
        );

        for (mistake, keys) in [
            (
                "neither in the store",
                r#"[{"id": "5eed0000-0000-4000-8000-000000000003", "name": "ring-less", "key_ring": "nowhere"}]"#,
            ),
            (
                "given to another key",
                r#"[{"id": "5eed0000-0000-4000-8000-000000000004", "name": "first-twin", "aliases": ["twice"]},
                    {"id": "5eed0000-0000-4000-8000-000000000005", "name": "second-twin", "aliases": ["twice"]}]"#,
            ),
        ] {
            let seed: Seed =
                serde_json::from_str(&format!(r#"{{"key_rings": ["payments"], "keys": {keys}}}"#))
                    .unwrap();
            let err = instances.seed(&seed).unwrap_err();
            assert!(err.message.contains(mistake), "{}", err.message);
            let rings = repo.key_rings().unwrap();
            assert!(rings.iter().all(|ring| ring.id.as_str() != "payments"));
            let first = "5eed0000-0000-4000-8000-000000000004".parse().unwrap();
            assert!(repo.key(first).is_err());
        }
    }
}
