use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::{Alias, CoreError, KeyId, KeyRingId, KeyVersionId, MAX_ALIASES};

/// Key Protect allows one rotation per key per hour.
pub const ROTATION_INTERVAL: Duration = Duration::hours(1);
/// A deleted key can be restored for 30 days.
pub const RESTORE_WINDOW: Duration = Duration::days(30);
/// A destroyed key may be purged only this long after its deletion.
pub const PURGE_DELAY: Duration = Duration::hours(4);
/// The first authorization of a dual-authorization delete lapses after this long.
pub const DELETION_AUTHORIZATION_LIFETIME: Duration = Duration::days(7);

/// Root keys wrap data encryption keys and never leave the keystore; standard keys are
/// payloads an application may read back (Key Protect's `extractable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// Wraps and unwraps; material is never returned.
    Root,
    /// Holds a payload the caller may retrieve.
    Standard,
}

/// Key Protect's key states, with their wire numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyState {
    /// 1: usable for everything.
    Active,
    /// 2: disabled by an administrator; nothing but enable, delete and reads.
    Suspended,
    /// 3: expired; may still unwrap, rewrap and rotate so data stays readable.
    Deactivated,
    /// 5: deleted; only restore within the window, or purge.
    Destroyed,
}

impl KeyState {
    /// The number Key Protect uses on the wire.
    pub fn code(self) -> u8 {
        match self {
            KeyState::Active => 1,
            KeyState::Suspended => 2,
            KeyState::Deactivated => 3,
            KeyState::Destroyed => 5,
        }
    }

    /// The state for a wire number.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(KeyState::Active),
            2 => Some(KeyState::Suspended),
            3 => Some(KeyState::Deactivated),
            5 => Some(KeyState::Destroyed),
            _ => None,
        }
    }

    /// Key Protect's table "Key states and service actions": whether `action` is allowed.
    /// Registrations follow IBM's table for integrated services (written only while the key
    /// is active), except that one may also be removed from an expired key: a retention hold
    /// left on it would otherwise keep the key from ever being deleted.
    pub fn allows(self, action: KeyAction) -> bool {
        use KeyAction::*;
        use KeyState::*;
        matches!(
            (self, action),
            (
                Active,
                Rotate | Wrap | Unwrap | Rewrap | Disable | Delete | Register | Unregister
            ) | (Suspended, Enable | Delete | Unregister)
                | (Deactivated, Rotate | Unwrap | Rewrap | Delete | Unregister)
                | (Destroyed, Restore | Purge)
        )
    }
}

impl fmt::Display for KeyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyState::Active => "active",
            KeyState::Suspended => "suspended",
            KeyState::Deactivated => "deactivated",
            KeyState::Destroyed => "destroyed",
        })
    }
}

/// The actions whose permission depends on a key's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAction {
    /// Create a new key version.
    Rotate,
    /// Encrypt a DEK.
    Wrap,
    /// Decrypt a DEK.
    Unwrap,
    /// Re-encrypt a DEK under the newest version.
    Rewrap,
    /// Suspend the key.
    Disable,
    /// Reactivate a suspended key.
    Enable,
    /// Move the key to the destroyed state.
    Delete,
    /// Bring a destroyed key back.
    Restore,
    /// Remove a destroyed key for good.
    Purge,
    /// Record, replace or update a resource a service protects with the key.
    Register,
    /// Remove a resource's registration.
    Unregister,
}

impl KeyAction {
    /// Every action, for exhaustive tests and tables.
    pub const ALL: [KeyAction; 11] = [
        KeyAction::Rotate,
        KeyAction::Wrap,
        KeyAction::Unwrap,
        KeyAction::Rewrap,
        KeyAction::Disable,
        KeyAction::Enable,
        KeyAction::Delete,
        KeyAction::Restore,
        KeyAction::Purge,
        KeyAction::Register,
        KeyAction::Unregister,
    ];
}

impl fmt::Display for KeyAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyAction::Rotate => "rotate",
            KeyAction::Wrap => "wrap",
            KeyAction::Unwrap => "unwrap",
            KeyAction::Rewrap => "rewrap",
            KeyAction::Disable => "disable",
            KeyAction::Enable => "enable",
            KeyAction::Delete => "delete",
            KeyAction::Restore => "restore",
            KeyAction::Purge => "purge",
            KeyAction::Register => "register a resource",
            KeyAction::Unregister => "remove a resource's registration",
        })
    }
}

/// A key's display name: 2 to 90 characters, as Key Protect requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    /// Validates a name.
    pub fn parse(name: &str) -> Result<Self, CoreError> {
        let trimmed = name.trim();
        let chars = trimmed.chars().count();
        if !(2..=90).contains(&chars) {
            return Err(CoreError::Invalid(
                "a key name must be 2 to 90 characters long".into(),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(CoreError::Invalid(
                "a key name must not contain control characters".into(),
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A free-text description of at most 240 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    /// Validates a description.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        if text.chars().count() > 240 {
            return Err(CoreError::Invalid(
                "a description must be at most 240 characters long".into(),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When a key stops being usable for new wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry(OffsetDateTime);

impl Expiry {
    /// An expiry must lie in the future when it is set.
    pub fn parse(at: OffsetDateTime, now: OffsetDateTime) -> Result<Self, CoreError> {
        if at <= now {
            return Err(CoreError::Invalid(
                "the expiration date must be in the future".into(),
            ));
        }
        Ok(Self(at))
    }

    /// Rebuilds a stored expiry without the "in the future" check.
    pub fn from_stored(at: OffsetDateTime) -> Self {
        Self(at)
    }

    /// The instant.
    pub fn at(self) -> OffsetDateTime {
        self.0
    }
}

/// One generation of a key's material. Old versions stay to unwrap what they wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyVersion {
    /// Named by every envelope this version seals.
    pub id: KeyVersionId,
    /// When the version was made.
    pub created_at: OffsetDateTime,
}

/// What a caller supplies to create a key; the id, times and first version are assigned.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// Display name.
    pub name: KeyName,
    /// Optional description.
    pub description: Option<Description>,
    /// Root or standard.
    pub kind: KeyKind,
    /// Optional expiry.
    pub expiry: Option<Expiry>,
    /// The ring the key is created in.
    pub key_ring: KeyRingId,
    /// Aliases to create with it.
    pub aliases: Vec<Alias>,
    /// The creator's IAM id.
    pub created_by: String,
    /// Whether deletion needs two people (inherited from the instance policy or asked for).
    pub dual_auth_delete: bool,
    /// Automatic rotation, root keys only.
    pub rotation: Option<RotationPolicy>,
}

/// How often a root key should rotate. Strongroom reports keys due for rotation; it does not
/// rotate behind the administrator's back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    /// Whether the policy is on.
    pub enabled: bool,
    /// 1 to 12 months.
    pub interval_months: u8,
}

impl RotationPolicy {
    /// Validates the interval (Key Protect accepts 1–12 months).
    pub fn new(enabled: bool, interval_months: i64) -> Result<Self, CoreError> {
        match u8::try_from(interval_months) {
            Ok(months @ 1..=12) => Ok(Self {
                enabled,
                interval_months: months,
            }),
            _ => Err(CoreError::Invalid(
                "interval_month must be between 1 and 12".into(),
            )),
        }
    }
}

/// The first of the two authorizations a dual-auth key needs before it can be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionAuthorization {
    /// Who authorized; the deleter must be someone else.
    pub by: String,
    /// When the authorization lapses.
    pub expires_at: OffsetDateTime,
}

/// A managed key's metadata. The material lives in storage, sealed, one per [`KeyVersion`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Stable id.
    pub id: KeyId,
    /// Display name.
    pub name: KeyName,
    /// Optional description.
    pub description: Option<Description>,
    /// Root or standard.
    pub kind: KeyKind,
    /// The state an administrator set; see [`Key::state_at`] for the effective one.
    pub state: KeyState,
    /// Whether the material came from the caller rather than our RNG.
    pub imported: bool,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change of metadata or state.
    pub updated_at: OffsetDateTime,
    /// Last rotation, if any.
    pub rotated_at: Option<OffsetDateTime>,
    /// When the key was deleted, while it is destroyed.
    pub deleted_at: Option<OffsetDateTime>,
    /// After this instant the key is deactivated.
    pub expiry: Option<Expiry>,
    /// The version new wraps use.
    pub current_version: KeyVersion,
    /// The ring the key belongs to.
    pub key_ring: KeyRingId,
    /// Other names for the key, at most [`MAX_ALIASES`].
    pub aliases: Vec<Alias>,
    /// The creator's IAM id.
    pub created_by: String,
    /// Who deleted the key, while it is destroyed.
    pub deleted_by: Option<String>,
    /// Whether deleting needs a prior [`DeletionAuthorization`] by someone else. Once on, it
    /// stays on.
    pub dual_auth_delete: bool,
    /// A pending first authorization of a delete.
    pub deletion_authorization: Option<DeletionAuthorization>,
    /// The rotation policy, if one was set.
    pub rotation: Option<RotationPolicy>,
}

impl Key {
    /// A new active key with its first version.
    pub fn create(new: NewKey, imported: bool, now: OffsetDateTime) -> Self {
        Key {
            id: KeyId::random(),
            name: new.name,
            description: new.description,
            kind: new.kind,
            state: KeyState::Active,
            imported,
            created_at: now,
            updated_at: now,
            rotated_at: None,
            deleted_at: None,
            expiry: new.expiry,
            current_version: KeyVersion {
                id: KeyVersionId::random(),
                created_at: now,
            },
            key_ring: new.key_ring,
            aliases: new.aliases,
            created_by: new.created_by,
            deleted_by: None,
            dual_auth_delete: new.dual_auth_delete,
            deletion_authorization: None,
            rotation: new.rotation,
        }
    }

    /// The state that governs what the key may do at `now`: an expired key that was active
    /// or suspended counts as deactivated, without anyone having to write that down.
    pub fn state_at(&self, now: OffsetDateTime) -> KeyState {
        match (self.state, self.expiry) {
            (KeyState::Active | KeyState::Suspended, Some(expiry)) if expiry.at() <= now => {
                KeyState::Deactivated
            }
            (state, _) => state,
        }
    }

    /// Writes an expiry that has passed into the stored state: an active or suspended key past
    /// its expiration date becomes deactivated, as [`Key::state_at`] already treats it, and
    /// counts as changed when it expired. So listings by state and their counters see it
    /// without judging the date. `false` when there is nothing to write.
    pub fn record_expiry(&mut self, now: OffsetDateTime) -> bool {
        let Some(expiry) = self.expiry else {
            return false;
        };
        let live = matches!(self.state, KeyState::Active | KeyState::Suspended);
        if !live || self.state_at(now) != KeyState::Deactivated {
            return false;
        }
        self.state = KeyState::Deactivated;
        self.updated_at = self.updated_at.max(expiry.at());
        true
    }

    /// Fails with a typed error unless the key's state at `now` allows `action`.
    pub fn check(&self, action: KeyAction, now: OffsetDateTime) -> Result<(), CoreError> {
        if matches!(
            action,
            KeyAction::Wrap
                | KeyAction::Unwrap
                | KeyAction::Rewrap
                | KeyAction::Rotate
                | KeyAction::Register
                | KeyAction::Unregister
        ) && self.kind != KeyKind::Root
        {
            return Err(CoreError::NotARootKey(self.id, action));
        }
        let state = self.state_at(now);
        if state.allows(action) {
            Ok(())
        } else {
            Err(CoreError::InvalidState {
                key: self.id,
                state,
                action,
            })
        }
    }

    /// Suspends the key (1 → 2).
    pub fn disable(&mut self, now: OffsetDateTime) -> Result<(), CoreError> {
        self.transition(KeyAction::Disable, KeyState::Suspended, now)
    }

    /// Reactivates a suspended key (2 → 1).
    pub fn enable(&mut self, now: OffsetDateTime) -> Result<(), CoreError> {
        self.transition(KeyAction::Enable, KeyState::Active, now)
    }

    /// Destroys the key (1, 2 or 3 → 5) on behalf of `by`. Its material stays sealed for the
    /// restore window. A dual-auth key needs a live authorization by someone other than `by`.
    pub fn delete(&mut self, now: OffsetDateTime, by: &str) -> Result<(), CoreError> {
        self.check(KeyAction::Delete, now)?;
        if self.dual_auth_delete {
            match &self.deletion_authorization {
                Some(auth) if auth.expires_at > now && auth.by != by => {}
                _ => return Err(CoreError::AuthorizationsNotMet(self.id)),
            }
        }
        self.state = KeyState::Destroyed;
        self.updated_at = now;
        self.deleted_at = Some(now);
        self.deleted_by = Some(by.to_owned());
        self.deletion_authorization = None;
        Ok(())
    }

    /// The first authorization of a dual-authorization delete; a repeat replaces it.
    pub fn set_for_deletion(&mut self, now: OffsetDateTime, by: &str) -> Result<(), CoreError> {
        self.require_dual_auth(now)?;
        self.deletion_authorization = Some(DeletionAuthorization {
            by: by.to_owned(),
            expires_at: now + DELETION_AUTHORIZATION_LIFETIME,
        });
        self.updated_at = now;
        Ok(())
    }

    /// Withdraws the first authorization.
    pub fn unset_for_deletion(&mut self, now: OffsetDateTime) -> Result<(), CoreError> {
        self.require_dual_auth(now)?;
        self.deletion_authorization = None;
        self.updated_at = now;
        Ok(())
    }

    fn require_dual_auth(&self, now: OffsetDateTime) -> Result<(), CoreError> {
        if self.state_at(now) == KeyState::Destroyed {
            return Err(CoreError::InvalidState {
                key: self.id,
                state: KeyState::Destroyed,
                action: KeyAction::Delete,
            });
        }
        if !self.dual_auth_delete {
            return Err(CoreError::NotDualAuth(self.id));
        }
        Ok(())
    }

    /// While the key is destroyed, the last moment [`Key::restore`] accepts: [`RESTORE_WINDOW`]
    /// after its deletion.
    pub fn restorable_until(&self) -> Option<OffsetDateTime> {
        (self.state == KeyState::Destroyed)
            .then(|| self.deleted_at.unwrap_or(self.updated_at) + RESTORE_WINDOW)
    }

    /// While the key is destroyed, the first moment [`Key::check_purge`] accepts:
    /// [`PURGE_DELAY`] after its deletion.
    pub fn purgeable_from(&self) -> Option<OffsetDateTime> {
        match (self.state, self.deleted_at) {
            (KeyState::Destroyed, Some(at)) => Some(at + PURGE_DELAY),
            _ => None,
        }
    }

    /// Whether the key may be erased for good: destroyed, at least [`PURGE_DELAY`] ago.
    pub fn check_purge(&self, now: OffsetDateTime) -> Result<(), CoreError> {
        match (self.state, self.purgeable_from()) {
            (KeyState::Destroyed, Some(from)) if now >= from => Ok(()),
            (KeyState::Destroyed, _) => Err(CoreError::PurgeTooEarly(self.id)),
            (state, _) => Err(CoreError::InvalidState {
                key: self.id,
                state,
                action: KeyAction::Purge,
            }),
        }
    }

    /// Sets or clears the rotation policy (root keys only).
    pub fn set_rotation(
        &mut self,
        policy: RotationPolicy,
        now: OffsetDateTime,
    ) -> Result<(), CoreError> {
        if self.kind != KeyKind::Root {
            return Err(CoreError::PolicyNeedsRootKey(self.id));
        }
        self.rotation = Some(policy);
        self.updated_at = now;
        Ok(())
    }

    /// Turns dual-authorization delete on. It cannot be turned off again.
    pub fn set_dual_auth_delete(
        &mut self,
        enabled: bool,
        now: OffsetDateTime,
    ) -> Result<(), CoreError> {
        if self.dual_auth_delete && !enabled {
            return Err(CoreError::Invalid(
                "dual authorization for deletion cannot be turned off once it is on".into(),
            ));
        }
        self.dual_auth_delete = enabled;
        self.updated_at = now;
        Ok(())
    }

    /// Adds an alias; storage enforces that no other key of the instance has it.
    pub fn add_alias(&mut self, alias: Alias, now: OffsetDateTime) -> Result<(), CoreError> {
        if self.aliases.contains(&alias) {
            return Ok(());
        }
        if self.aliases.len() >= MAX_ALIASES {
            return Err(CoreError::Invalid(format!(
                "a key can have at most {MAX_ALIASES} aliases"
            )));
        }
        self.aliases.push(alias);
        self.updated_at = now;
        Ok(())
    }

    /// Removes an alias.
    pub fn remove_alias(&mut self, alias: &Alias, now: OffsetDateTime) -> Result<(), CoreError> {
        let before = self.aliases.len();
        self.aliases.retain(|a| a != alias);
        if self.aliases.len() == before {
            return Err(CoreError::AliasNotFound(alias.as_str().to_owned()));
        }
        self.updated_at = now;
        Ok(())
    }

    /// Moves the key to another ring; storage checks that the ring exists.
    pub fn move_to(&mut self, ring: KeyRingId, now: OffsetDateTime) {
        self.key_ring = ring;
        self.updated_at = now;
    }

    /// Whether a rotation policy says the key is due at `now`.
    pub fn rotation_due(&self, now: OffsetDateTime) -> bool {
        match self.rotation {
            Some(policy) if policy.enabled && self.kind == KeyKind::Root => {
                let last = self.rotated_at.unwrap_or(self.created_at);
                now - last >= Duration::days(30 * i64::from(policy.interval_months))
            }
            _ => false,
        }
    }

    /// Brings a destroyed key back within [`RESTORE_WINDOW`] of its deletion.
    pub fn restore(&mut self, now: OffsetDateTime) -> Result<(), CoreError> {
        self.check(KeyAction::Restore, now)?;
        if self.restorable_until().is_none_or(|until| now > until) {
            return Err(CoreError::RestoreExpired(self.id));
        }
        self.state = KeyState::Active;
        self.deleted_at = None;
        self.deleted_by = None;
        self.updated_at = now;
        Ok(())
    }

    /// Whether the key may rotate now, to material the caller supplies (`imported_material`)
    /// or to material generated here. Callers check before they decrypt or generate any.
    pub fn check_rotate(
        &self,
        now: OffsetDateTime,
        imported_material: bool,
    ) -> Result<(), CoreError> {
        self.check(KeyAction::Rotate, now)?;
        if self.imported && !imported_material {
            return Err(CoreError::PayloadRequired(self.id));
        }
        if !self.imported && imported_material {
            // Its material would then be known outside the keystore, while the key still
            // said it was generated here.
            return Err(CoreError::Invalid(format!(
                "key {} was generated here; it rotates to new generated material and takes no payload",
                self.id
            )));
        }
        match self.rotated_at {
            Some(last) if now - last < ROTATION_INTERVAL => {
                Err(CoreError::RotationTooSoon(self.id))
            }
            _ => Ok(()),
        }
    }

    /// Starts a new version. The caller stores `new_version`'s material in the same
    /// transaction; `imported_material` says whether the caller supplied it.
    pub fn rotate(
        &mut self,
        now: OffsetDateTime,
        imported_material: bool,
    ) -> Result<KeyVersion, CoreError> {
        self.check_rotate(now, imported_material)?;
        let version = KeyVersion {
            id: KeyVersionId::random(),
            created_at: now,
        };
        self.current_version = version;
        self.rotated_at = Some(now);
        self.updated_at = now;
        Ok(version)
    }

    fn transition(
        &mut self,
        action: KeyAction,
        to: KeyState,
        now: OffsetDateTime,
    ) -> Result<(), CoreError> {
        self.check(action, now)?;
        self.state = to;
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 12:00 UTC);

    fn key(kind: KeyKind) -> Key {
        Key::create(
            NewKey {
                name: KeyName::parse("payments").unwrap(),
                description: None,
                kind,
                expiry: None,
                key_ring: KeyRingId::default_ring(),
                aliases: Vec::new(),
                created_by: "alice".into(),
                dual_auth_delete: false,
                rotation: None,
            },
            false,
            NOW,
        )
    }

    /// The table of spec §3, written out cell by cell so a change to `allows` must change it.
    #[test]
    fn state_table_matches_key_protect() {
        use KeyAction::*;
        let expected: [(KeyState, &[KeyAction]); 4] = [
            (
                KeyState::Active,
                &[
                    Rotate, Wrap, Unwrap, Rewrap, Disable, Delete, Register, Unregister,
                ],
            ),
            (KeyState::Suspended, &[Enable, Delete, Unregister]),
            (
                KeyState::Deactivated,
                &[Rotate, Unwrap, Rewrap, Delete, Unregister],
            ),
            (KeyState::Destroyed, &[Restore, Purge]),
        ];
        for (state, allowed) in expected {
            for action in KeyAction::ALL {
                assert_eq!(
                    state.allows(action),
                    allowed.contains(&action),
                    "{state} / {action} disagrees with Key Protect's table"
                );
            }
        }
    }

    #[test]
    fn state_codes_round_trip() {
        for state in [
            KeyState::Active,
            KeyState::Suspended,
            KeyState::Deactivated,
            KeyState::Destroyed,
        ] {
            assert_eq!(KeyState::from_code(state.code()), Some(state));
        }
        assert_eq!(KeyState::from_code(4), None);
        assert_eq!(KeyState::from_code(0), None);
    }

    #[test]
    fn disabled_key_cannot_wrap_but_can_be_enabled() {
        let mut k = key(KeyKind::Root);
        k.disable(NOW).unwrap();
        assert_eq!(k.state, KeyState::Suspended);
        assert!(matches!(
            k.check(KeyAction::Wrap, NOW),
            Err(CoreError::InvalidState {
                state: KeyState::Suspended,
                action: KeyAction::Wrap,
                ..
            })
        ));
        assert!(matches!(
            k.disable(NOW),
            Err(CoreError::InvalidState { .. })
        ));
        k.enable(NOW).unwrap();
        k.check(KeyAction::Wrap, NOW).unwrap();
    }

    #[test]
    fn expired_key_is_deactivated_unwraps_but_does_not_wrap() {
        let mut k = key(KeyKind::Root);
        k.expiry = Some(Expiry::parse(NOW + Duration::days(1), NOW).unwrap());
        k.check(KeyAction::Wrap, NOW).unwrap();
        let later = NOW + Duration::days(2);
        assert_eq!(k.state_at(later), KeyState::Deactivated);
        assert!(k.check(KeyAction::Wrap, later).is_err());
        k.check(KeyAction::Unwrap, later).unwrap();
        k.check(KeyAction::Rewrap, later).unwrap();
    }

    #[test]
    fn a_passed_expiry_is_recorded_once_as_of_the_expiration_date() {
        let expires = NOW + Duration::days(1);
        let mut k = key(KeyKind::Root);
        k.expiry = Some(Expiry::parse(expires, NOW).unwrap());
        assert!(!k.record_expiry(NOW), "not expired yet");
        assert_eq!(k.state, KeyState::Active);

        let later = NOW + Duration::days(3);
        assert!(k.record_expiry(later));
        assert_eq!(k.state, KeyState::Deactivated);
        assert_eq!(
            k.updated_at, expires,
            "changed when it expired, not when recorded"
        );
        assert!(!k.record_expiry(later), "recorded once");

        let mut suspended = key(KeyKind::Root);
        suspended.expiry = Some(Expiry::parse(expires, NOW).unwrap());
        suspended.disable(NOW).unwrap();
        assert!(suspended.record_expiry(later));
        assert_eq!(suspended.state, KeyState::Deactivated);

        let mut deleted = key(KeyKind::Root);
        deleted.expiry = Some(Expiry::parse(expires, NOW).unwrap());
        deleted.delete(NOW, "alice").unwrap();
        assert!(!deleted.record_expiry(later), "a deleted key stays deleted");
        // Restored, it is stored as live again, and its expiry is recorded (and audited) anew.
        deleted.restore(later).unwrap();
        assert_eq!(deleted.state_at(later), KeyState::Deactivated);
        assert!(deleted.record_expiry(later));
        assert!(
            !key(KeyKind::Root).record_expiry(later),
            "no expiration date"
        );
    }

    #[test]
    fn expiry_must_be_in_the_future() {
        assert!(Expiry::parse(NOW, NOW).is_err());
    }

    #[test]
    fn standard_keys_do_not_wrap() {
        let k = key(KeyKind::Standard);
        assert!(matches!(
            k.check(KeyAction::Wrap, NOW),
            Err(CoreError::NotARootKey(_, KeyAction::Wrap))
        ));
    }

    #[test]
    fn delete_then_restore_within_window_only() {
        let mut k = key(KeyKind::Root);
        k.delete(NOW, "alice").unwrap();
        assert!(matches!(
            k.delete(NOW, "alice"),
            Err(CoreError::InvalidState { .. })
        ));
        k.restore(NOW + Duration::days(29)).unwrap();
        assert_eq!(k.state, KeyState::Active);

        k.delete(NOW, "alice").unwrap();
        assert!(matches!(
            k.restore(NOW + Duration::days(31)),
            Err(CoreError::RestoreExpired(_))
        ));
    }

    #[test]
    fn rotation_is_limited_to_once_an_hour() {
        let mut k = key(KeyKind::Root);
        let first = k.current_version;
        let v2 = k.rotate(NOW, false).unwrap();
        assert_ne!(v2.id, first.id);
        assert_eq!(k.current_version, v2);
        assert!(matches!(
            k.rotate(NOW + Duration::minutes(59), false),
            Err(CoreError::RotationTooSoon(_))
        ));
        k.rotate(NOW + Duration::minutes(60), false).unwrap();
    }

    #[test]
    fn imported_keys_rotate_only_with_new_material() {
        let mut k = key(KeyKind::Root);
        k.imported = true;
        assert!(matches!(
            k.rotate(NOW, false),
            Err(CoreError::PayloadRequired(_))
        ));
        k.rotate(NOW, true).unwrap();
    }

    #[test]
    fn dual_auth_delete_needs_a_second_person_within_seven_days() {
        let mut k = key(KeyKind::Root);
        assert!(matches!(
            k.set_for_deletion(NOW, "alice"),
            Err(CoreError::NotDualAuth(_))
        ));
        k.set_dual_auth_delete(true, NOW).unwrap();
        assert!(k.set_dual_auth_delete(false, NOW).is_err());
        assert!(matches!(
            k.delete(NOW, "bob"),
            Err(CoreError::AuthorizationsNotMet(_))
        ));
        k.set_for_deletion(NOW, "alice").unwrap();
        assert!(matches!(
            k.delete(NOW, "alice"),
            Err(CoreError::AuthorizationsNotMet(_))
        ));
        assert!(matches!(
            k.delete(NOW + Duration::days(8), "bob"),
            Err(CoreError::AuthorizationsNotMet(_))
        ));
        k.unset_for_deletion(NOW).unwrap();
        assert!(k.delete(NOW, "bob").is_err());
        k.set_for_deletion(NOW, "alice").unwrap();
        k.delete(NOW + Duration::days(1), "bob").unwrap();
        assert_eq!(k.state, KeyState::Destroyed);
        assert_eq!(k.deleted_by.as_deref(), Some("bob"));
    }

    #[test]
    fn purge_waits_four_hours_after_delete() {
        let mut k = key(KeyKind::Root);
        assert!(matches!(
            k.check_purge(NOW),
            Err(CoreError::InvalidState { .. })
        ));
        k.delete(NOW, "alice").unwrap();
        assert!(matches!(
            k.check_purge(NOW + Duration::hours(3)),
            Err(CoreError::PurgeTooEarly(_))
        ));
        k.check_purge(NOW + Duration::hours(4)).unwrap();
    }

    #[test]
    fn policies_and_aliases() {
        let mut std_key = key(KeyKind::Standard);
        let policy = RotationPolicy::new(true, 3).unwrap();
        assert!(matches!(
            std_key.set_rotation(policy, NOW),
            Err(CoreError::PolicyNeedsRootKey(_))
        ));
        assert!(RotationPolicy::new(true, 0).is_err());
        assert!(RotationPolicy::new(true, 13).is_err());
        let mut k = key(KeyKind::Root);
        k.set_rotation(policy, NOW).unwrap();
        assert!(!k.rotation_due(NOW + Duration::days(89)));
        assert!(k.rotation_due(NOW + Duration::days(90)));
        for n in 0..MAX_ALIASES {
            k.add_alias(Alias::parse(&format!("alias-{n}")).unwrap(), NOW)
                .unwrap();
        }
        assert!(k.add_alias(Alias::parse("one-more").unwrap(), NOW).is_err());
        k.remove_alias(&Alias::parse("alias-0").unwrap(), NOW)
            .unwrap();
        assert!(matches!(
            k.remove_alias(&Alias::parse("alias-0").unwrap(), NOW),
            Err(CoreError::AliasNotFound(_))
        ));
    }

    #[test]
    fn names_are_validated() {
        assert!(KeyName::parse("a").is_err());
        assert!(KeyName::parse(&"x".repeat(91)).is_err());
        assert!(KeyName::parse("bad\nname").is_err());
        assert_eq!(KeyName::parse("  ok  ").unwrap().as_str(), "ok");
        assert!(Description::parse(&"d".repeat(241)).is_err());
    }
}
