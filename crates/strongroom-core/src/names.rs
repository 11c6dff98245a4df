//! Caller-chosen identifiers: key rings and aliases. Both appear in URL paths, so the
//! character sets are closed and checked here, once.

use std::fmt;

use crate::CoreError;

/// Words an alias may not be, because Key Protect routes use them as path segments.
const RESERVED_ALIASES: [&str; 16] = [
    "allowed_ip",
    "key",
    "keys",
    "metadata",
    "policy",
    "policies",
    "registration",
    "registrations",
    "ring",
    "rings",
    "rotate",
    "wrap",
    "unwrap",
    "rewrap",
    "version",
    "versions",
];

/// The most aliases one key may carry.
pub const MAX_ALIASES: usize = 5;
/// The most key rings an instance may hold, `default` included.
pub const MAX_KEY_RINGS: usize = 51;

fn identifier_chars(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A key ring's id: 2–100 characters of `[A-Za-z0-9_-]`, case-sensitive. Every instance
/// has the ring `default`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyRingId(String);

impl KeyRingId {
    /// The ring every instance starts with and keys land in unless told otherwise.
    pub const DEFAULT: &'static str = "default";

    /// Validates a ring id.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let len = text.chars().count();
        if !(2..=100).contains(&len) || !identifier_chars(text) {
            return Err(CoreError::Invalid(
                "a key ring id must be 2 to 100 characters of letters, digits, '-' and '_'".into(),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The `default` ring.
    pub fn default_ring() -> Self {
        Self(Self::DEFAULT.to_owned())
    }

    /// Whether this is the `default` ring (which cannot be deleted).
    pub fn is_default(&self) -> bool {
        self.0 == Self::DEFAULT
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyRingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A second name for a key, usable wherever its id is: 2–90 characters of `[A-Za-z0-9_-]`,
/// not a UUID (so ids and aliases never collide) and not a reserved route word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Alias(String);

impl Alias {
    /// Validates an alias.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let len = text.chars().count();
        if !(2..=90).contains(&len) || !identifier_chars(text) {
            return Err(CoreError::Invalid(
                "an alias must be 2 to 90 characters of letters, digits, '-' and '_'".into(),
            ));
        }
        if uuid::Uuid::try_parse(text).is_ok() {
            return Err(CoreError::Invalid("an alias must not be a UUID".into()));
        }
        if RESERVED_ALIASES
            .iter()
            .any(|word| word.eq_ignore_ascii_case(text))
        {
            return Err(CoreError::Invalid(format!(
                "{text:?} is reserved and cannot be an alias"
            )));
        }
        Ok(Self(text.to_owned()))
    }

    /// The alias.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Alias {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The most characters of a service's own notes on a registration (`registrationMetadata`).
pub const MAX_REGISTRATION_METADATA: usize = 4096;

/// The longest resource CRN a registration takes.
const MAX_CRN_LEN: usize = 512;

/// The CRN of a resource an integrated service registers with a key:
/// `crn:v1:<cname>:<ctype>:<service>:<location>:<scope>:<instance>:<type>:<resource>`. It
/// must name at least the service instance, since whose resource it is decides who may
/// register it and who may see it. Services may add their own suffix after the instance
/// (databases append `/unique_identifier=…`), so one instance can hold many registrations.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceCrn(String);

impl ResourceCrn {
    /// Checks the shape; the message says what a CRN looks like.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let invalid = || {
            CoreError::Invalid(format!(
                "the resource CRN must name a service instance, as in \
                 crn:v1:bluemix:public:<service>:<location>:a/<account>:<instance>:<type>:<resource>, \
                 in at most {MAX_CRN_LEN} characters"
            ))
        };
        if text.len() > MAX_CRN_LEN || text.chars().any(char::is_control) {
            return Err(invalid());
        }
        let segments: Vec<&str> = text.split(':').collect();
        let named = |index: usize| segments.get(index).is_some_and(|s| !s.trim().is_empty());
        if segments.first() != Some(&"crn") || !named(4) || !named(7) {
            return Err(invalid());
        }
        Ok(Self(text.to_owned()))
    }

    /// The service that owns the resource (`cloud-object-storage`).
    pub fn service(&self) -> &str {
        self.0.split(':').nth(4).unwrap_or_default()
    }

    /// The GUID of the service instance that holds the resource.
    pub fn instance(&self) -> &str {
        self.0.split(':').nth(7).unwrap_or_default()
    }

    /// The CRN as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceCrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_resource_crn_names_its_service_and_instance() {
        let crn = ResourceCrn::parse(
            "crn:v1:bluemix:public:cloud-object-storage:global:a/acc:inst-1:bucket:photos",
        )
        .unwrap();
        assert_eq!(crn.service(), "cloud-object-storage");
        assert_eq!(crn.instance(), "inst-1");
        assert!(ResourceCrn::parse(
            "crn:v1:bluemix:public:databases-for-postgresql:us-south:a/acc:db-2::"
        )
        .is_ok());
        for bad in [
            "",
            "not-a-crn",
            "crn:v1:bluemix:public::global:a/acc:inst-1::",
            "crn:v1:bluemix:public:cos:global:a/acc",
            "crn:v1:bluemix:public:cos:global:a/acc: ::",
            "urn:v1:bluemix:public:cos:global:a/acc:inst-1::",
            "crn:v1:bluemix:public:cos:global:a/acc:inst\n1::",
        ] {
            assert!(ResourceCrn::parse(bad).is_err(), "{bad:?}");
        }
        assert!(
            ResourceCrn::parse(&format!("crn:v1:x:y:cos:z:a/acc:i::{}", "r".repeat(600))).is_err()
        );
    }

    use super::*;

    #[test]
    fn ring_ids_are_validated() {
        assert!(KeyRingId::parse("payments-eu_1").is_ok());
        assert!(KeyRingId::parse("x").is_err());
        assert!(KeyRingId::parse("../etc").is_err());
        assert!(KeyRingId::parse(&"r".repeat(101)).is_err());
        assert!(KeyRingId::default_ring().is_default());
    }

    #[test]
    fn aliases_are_validated() {
        assert!(Alias::parse("billing-db").is_ok());
        assert!(Alias::parse("wrap").is_err());
        assert!(Alias::parse("Versions").is_err());
        assert!(Alias::parse("3fa85f64-5717-4562-b3fc-2c963f66afa6").is_err());
        assert!(Alias::parse("a/b").is_err());
        assert!(Alias::parse("a").is_err());
    }
}
