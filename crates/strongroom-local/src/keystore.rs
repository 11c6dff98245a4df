use std::path::Path;
use std::sync::{Arc, OnceLock};

use strongroom_api::{
    ActivityHour, ActivityReport, AdvanceClockRequest, AliasInfo, AliasList, ApiError,
    AuditEventInfo, AuditQueryRequest, AuthorizationCheck, AuthorizationCheckRequest,
    AuthorizationInfo, CallOrigin, CallerInfo, ClockInfo, CreateAuthorizationRequest,
    CreateImportTokenRequest, CreateKeyRequest, ErrorCode, FailureCount, ImportTokenInfo,
    InstancePolicy, Instances, KeyInfo, KeyList, KeyPolicies, KeyRingInfo, KeySort, KeySortField,
    KeyStateName, KeyType, KeyVersionInfo, Keystore, KeystoreInfo, KeystoreMode,
    ListAliasesRequest, ListKeysRequest, Principal, RegistrationInfo, RegistrationRequest,
    RegistrationWrite, RewrapRequest, RewrapResponse, Rewrapped, RotateKeyRequest,
    RotationPolicyInfo, SecretString, SetKeyPoliciesRequest, UnwrapRequest, UnwrapResponse,
    UsageMinute, UsageReport, WrapRequest, WrapResponse, ACTIVITY_MAX_HOURS,
};
use strongroom_core::envelope::{self, Envelope};
use strongroom_core::import_token::{ImportAlgorithm, ImportToken, SealedImport};
use strongroom_core::{
    Alias, AuditEvent, Caller, CallerKind, Change, Clock, CoreError, CreateImportAccess,
    Description, Expiry, Grant, Key, KeyAction, KeyId, KeyKind, KeyMaterial, KeyName, KeyOrder,
    KeyOrigin, KeyQuery, KeyRepository, KeyRingId, KeySort as CoreSort, KeyVersionId, NewKey,
    Operation, Outcome, Registration, ResourceCrn, Role, RotationDue, RotationPolicy, Scope,
    Secret, Target, MAX_ALIASES, MAX_REGISTRATION_METADATA,
};
use strongroom_store::{
    AccessPolicyRecord, AliasRecord, AuditQuery, AuditReceipt, InstanceStore, KeyRingRecord,
    MasterKeySource, PrincipalRecord, RegistrationFields, RegistrationWrite as StoredWrite,
    SqliteStore,
};
use time::OffsetDateTime;

use crate::convert::{
    api_error, caller_info, counted_version_info, decode, decode_secret, encode, key_info,
    key_state, parse_time, rfc3339, state_name, version_ref,
};
use crate::import;

mod clock;

/// Every instance of the embedded store, for a server that fronts them all.
#[derive(Clone)]
pub struct LocalInstances {
    shared: Arc<Shared>,
}

/// What every instance's keystore shares.
struct Shared {
    store: Arc<SqliteStore>,
    /// Import-token reads and writes are read-modify-write; one at a time.
    import_token: std::sync::Mutex<()>,
    /// An import token's RSA-4096 key pair takes a core for a second or more. One is generated
    /// at a time, so a burst of requests waits its turn (holding no thread) instead of taking
    /// every core from the data plane. The turn is held by the blocking task that generates,
    /// not by the request: a request dropped midway (its client gone) does not end the turn
    /// while its generation goes on.
    key_generation: Arc<tokio::sync::Semaphore>,
    #[cfg(test)]
    generations: tests::Generations,
    clock: Arc<dyn Clock>,
    /// Whether callers may move the clock ahead (`serve --virtual-clock`; `keystore/clock.rs`).
    pub(crate) advanceable: bool,
    location: String,
}

impl LocalInstances {
    /// The instances of an opened store.
    pub fn new(store: Arc<SqliteStore>, clock: Arc<dyn Clock>) -> Self {
        Self::with_clock(store, clock, false)
    }

    fn with_clock(store: Arc<SqliteStore>, clock: Arc<dyn Clock>, advanceable: bool) -> Self {
        Self {
            shared: Arc::new(Shared {
                location: store.path().display().to_string(),
                store,
                import_token: std::sync::Mutex::new(()),
                key_generation: Arc::new(tokio::sync::Semaphore::new(1)),
                #[cfg(test)]
                generations: Default::default(),
                clock,
                advanceable,
            }),
        }
    }

    /// The instances of an opened store, on its clock: the system clock, or as far ahead of
    /// it as a virtual clock was moved on this store.
    pub fn over(store: Arc<SqliteStore>) -> Self {
        let clock = store.clock();
        Self::new(store, clock)
    }

    /// [`Self::over`] for a test server whose callers may move the clock ahead
    /// (`serve --virtual-clock`): the clock is the whole store's, so moving it needs Manager
    /// on every instance (`keystore/clock.rs`).
    pub fn with_virtual_clock(store: Arc<SqliteStore>) -> Self {
        let clock = store.clock();
        Self::with_clock(store, clock, true)
    }

    /// The first instance, created as `preferred` (or with a random GUID) if there is none.
    pub fn ensure_default(&self, preferred: Option<&str>) -> Result<String, ApiError> {
        self.shared
            .store
            .ensure_default_instance(preferred, self.shared.clock.now())
            .map_err(|err| api_error(err.into()))
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        self.shared.clock.now()
    }

    /// The store underneath (identities, settings, the audit trail).
    pub fn store(&self) -> &Arc<SqliteStore> {
        &self.shared.store
    }

    /// One instance as `caller` sees it.
    pub fn keystore(
        &self,
        instance: &str,
        caller: Caller,
        correlation_id: &str,
    ) -> Result<LocalKeystore, ApiError> {
        let origin = CallOrigin {
            correlation_id: correlation_id.to_owned(),
            source: String::new(),
        };
        let inner = self.inner(instance, caller, &origin)?;
        Ok(LocalKeystore {
            inner: Arc::new(Deferred {
                shared: Arc::clone(&self.shared),
                instance: instance.to_owned(),
                principal: None,
                resolved: OnceLock::from(inner),
            }),
        })
    }

    /// A keystore for `principal` on `instance` whose caller is looked up (and refused if it
    /// holds nothing there) inside its first call's blocking task: the server opens one per
    /// request, and looking the caller up beforehand cost a second trip through Tokio's
    /// blocking pool on every wrap.
    fn deferred(
        &self,
        instance: &str,
        principal: &Principal,
        origin: &CallOrigin,
    ) -> LocalKeystore {
        LocalKeystore {
            inner: Arc::new(Deferred {
                shared: Arc::clone(&self.shared),
                instance: instance.to_owned(),
                principal: Some((principal.clone(), origin.clone())),
                resolved: OnceLock::new(),
            }),
        }
    }

    /// `principal`'s view of `instance`, its grants read from the store now; none at all is
    /// [`ErrorCode::Unauthenticated`] as Key Protect answers for an instance one cannot see.
    fn resolve(
        &self,
        instance: &str,
        principal: &Principal,
        origin: &CallOrigin,
    ) -> Result<Inner, ApiError> {
        let caller = self.caller(instance, principal)?;
        if caller.grants.is_empty() {
            return Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "the caller has no access to this instance, or there is no such instance",
            ));
        }
        self.inner(instance, caller, origin)
    }

    fn inner(
        &self,
        instance: &str,
        caller: Caller,
        origin: &CallOrigin,
    ) -> Result<Inner, ApiError> {
        let repo = self
            .shared
            .store
            .instance(instance)
            .map_err(|err| match err {
                strongroom_store::StoreError::InstanceNotFound(_) => ApiError::new(
                    ErrorCode::Unauthenticated,
                    "the caller has no access to this instance, or there is no such instance",
                ),
                other => api_error(CoreError::from(other)),
            })?;
        Ok(Inner {
            shared: Arc::clone(&self.shared),
            repo,
            caller,
            origin: origin.clone(),
        })
    }

    /// The caller a principal is on `instance`: its grants, read afresh from the store so a
    /// deleted authorization stops working at the next call.
    pub fn caller(&self, instance: &str, principal: &Principal) -> Result<Caller, ApiError> {
        let (record, policies) = self
            .shared
            .store
            .grants(&principal.iam_id, instance)
            .map_err(|err| api_error(err.into()))?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::Unauthenticated, "the principal no longer exists")
            })?;
        Ok(caller_from(record, &policies))
    }
}

fn caller_from(record: PrincipalRecord, policies: &[AccessPolicyRecord]) -> Caller {
    Caller {
        iam_id: record.iam_id,
        kind: match record.service {
            Some((service, instance)) => CallerKind::Service { service, instance },
            None => CallerKind::User,
        },
        grants: policies.iter().filter_map(crate::access::grant).collect(),
    }
}

#[async_trait::async_trait]
impl Instances for LocalInstances {
    async fn open(
        &self,
        instance: &str,
        principal: &Principal,
        origin: &CallOrigin,
    ) -> Result<Arc<dyn Keystore>, ApiError> {
        // No storage here: the caller is resolved inside the first call's blocking task, so a
        // principal without grants is refused there, before anything is read or audited.
        Ok(Arc::new(self.deferred(instance, principal, origin)) as Arc<dyn Keystore>)
    }
}

/// One KMS instance of the embedded store, as one caller sees it: every method checks the
/// caller's roles, applies the domain rules and appends the audit event.
#[derive(Clone)]
pub struct LocalKeystore {
    inner: Arc<Deferred>,
}

/// A keystore whose caller may not be resolved yet (see [`LocalInstances::deferred`]).
struct Deferred {
    shared: Arc<Shared>,
    instance: String,
    /// Who to resolve, and where the request came from, until `resolved` is set.
    principal: Option<(Principal, CallOrigin)>,
    resolved: OnceLock<Inner>,
}

impl Deferred {
    /// The resolved keystore, looking the caller up on first use (blocking: storage).
    fn resolve(&self) -> Result<&Inner, ApiError> {
        if let Some(inner) = self.resolved.get() {
            return Ok(inner);
        }
        let (principal, origin) = self.principal.as_ref().ok_or_else(ApiError::internal)?;
        let instances = LocalInstances {
            shared: Arc::clone(&self.shared),
        };
        let inner = instances.resolve(&self.instance, principal, origin)?;
        Ok(self.resolved.get_or_init(|| inner))
    }
}

impl Deferred {
    /// The resolved keystore if it needs no storage: already resolved, or a caller whose
    /// grants were read less than a second ago (`strongroom_store` `recent.rs`). `None` sends
    /// the call down the blocking path, which reads everything afresh.
    fn warm(&self) -> Option<&Inner> {
        if let Some(inner) = self.resolved.get() {
            return Some(inner);
        }
        let (principal, origin) = self.principal.as_ref()?;
        let store = &self.shared.store;
        let (record, policies) = store.recent_grants(&principal.iam_id, &self.instance)?;
        let repo = store.recent_instance(&self.instance)?;
        let caller = caller_from(record, &policies);
        if caller.grants.is_empty() {
            return None;
        }
        Some(self.resolved.get_or_init(|| Inner {
            shared: Arc::clone(&self.shared),
            repo,
            caller,
            origin: origin.clone(),
        }))
    }
}

struct Inner {
    shared: Arc<Shared>,
    repo: InstanceStore,
    caller: Caller,
    origin: CallOrigin,
}

/// The person at the desktop owns the machine and its keystore: every role, including purge.
pub const DESKTOP_IAM_ID: &str = "IBMid-local-administrator";

/// [`DESKTOP_IAM_ID`] with Manager and KeyPurge on the whole instance.
pub(crate) fn desktop_caller() -> Caller {
    Caller {
        iam_id: DESKTOP_IAM_ID.to_owned(),
        kind: CallerKind::User,
        grants: vec![Grant {
            roles: vec![Role::Manager, Role::KeyPurge],
            scope: Scope::Instance,
        }],
    }
}

impl LocalKeystore {
    /// Opens the embedded SQLite keystore in `dir` for the person at the desktop. Failure
    /// (keyring locked, key file missing, newer schema) is [`ErrorCode::KeystoreUnavailable`]
    /// with a sentence that says how to fix it.
    pub fn open_embedded(dir: &Path, source: &MasterKeySource) -> Result<Self, ApiError> {
        Self::over(Arc::new(open_store(dir, source)?))
    }

    /// The default instance of an opened store, for the person at the desktop, on the store's
    /// clock.
    pub fn over(store: Arc<SqliteStore>) -> Result<Self, ApiError> {
        let clock = store.clock();
        Self::administrator(store, clock)
    }

    /// The default instance with every role, on a given clock (tests drive time with it).
    pub fn administrator(store: Arc<SqliteStore>, clock: Arc<dyn Clock>) -> Result<Self, ApiError> {
        let instance = store
            .ensure_default_instance(None, clock.now())
            .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()))?;
        LocalInstances::new(store, clock).keystore(&instance, desktop_caller(), "")
    }

    /// The instance's id.
    pub fn instance_id(&self) -> &str {
        &self.inner.instance
    }

    /// Runs blocking storage work off the async runtime.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let deferred = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(deferred.resolve()?))
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "keystore task failed");
                ApiError::internal()
            })?
    }

    /// A wrap, unwrap or rewrap: the work (caller, key, crypto, queuing the audit row) runs on
    /// the blocking pool, then the answer waits for its audit commit as an async wait. Waiting
    /// inside the blocking task kept one pool thread parked per call in flight, and on two
    /// cores the wake-ups between those threads cost more than the work.
    async fn run_use<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<(T, AuditReceipt), ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (answer, receipt) = self.run(work).await?;
        receipt.await.map_err(api_error)?;
        Ok(answer)
    }

    /// A wrap, unwrap or rewrap answered from memory on the async task, when the caller's
    /// grants, the key and its material were all read within the last second. `None` (a miss,
    /// or any error) means: do it on the blocking path, which reads afresh and audits a
    /// refusal; nothing was queued for the audit trail here.
    async fn warm<T>(
        &self,
        work: impl FnOnce(&Inner) -> Result<(T, AuditReceipt), ApiError>,
    ) -> Option<Result<T, ApiError>> {
        let (answer, receipt) = work(self.inner.warm()?).ok()?;
        Some(receipt.await.map(|()| answer).map_err(api_error))
    }

    /// Runs a wrap, unwrap or rewrap and counts it for the usage report, timed from the call to
    /// the answer (the warm try, the blocking path if taken, and the audit commit).
    async fn measured<T>(
        &self,
        operation: Operation,
        call: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let started = std::time::Instant::now();
        let result = call.await;
        let shared = &self.inner.shared;
        shared.store.record_usage(
            &self.inner.instance,
            operation.event(),
            result.as_ref().err().map(|err| err.code.name()),
            shared.clock.now(),
            started.elapsed(),
        );
        result
    }

    /// A key-level change: resolve, authorize, apply `step` in one transaction with its
    /// audit event.
    async fn change(
        &self,
        id: &str,
        operation: Operation,
        step: impl FnMut(&mut Key, OffsetDateTime, &Caller) -> Result<(), CoreError> + Send + 'static,
    ) -> Result<KeyInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            let mut step = step;
            inner.audited(operation, &id, |inner| {
                let key = inner.authorized_key(&id, operation)?;
                let now = inner.now();
                let key = inner
                    .repo
                    .update(
                        key.id,
                        &mut |key| step(key, now, &inner.caller).map(|()| Change::Metadata),
                        &inner.event(operation, &key.id.to_string(), now),
                    )
                    .map_err(api_error)?;
                Ok(key_info(&key, now))
            })
        })
        .await
    }
}

impl Inner {
    /// Opens root-key material that arrived encrypted under the import token.
    fn secure_import(
        &self,
        sealed: &SecureImportFields<'_>,
        now: time::OffsetDateTime,
    ) -> Result<KeyMaterial, ApiError> {
        let missing = || ApiError::invalid("secure import needs payload, encryptedNonce and iv");
        let payload = decode("payload", sealed.payload.ok_or_else(missing)?.expose())?;
        let encrypted_nonce = decode(
            "encryptedNonce",
            sealed.encrypted_nonce.ok_or_else(missing)?,
        )?;
        let iv = decode("iv", sealed.iv.ok_or_else(missing)?)?;
        let algorithm = ImportAlgorithm::parse(sealed.algorithm).map_err(api_error)?;
        let _guard = self
            .shared
            .import_token
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let token = import::load(&self.shared.store, self.repo.id())?;
        let sealed = SealedImport {
            payload: &payload,
            encrypted_nonce: &encrypted_nonce,
            iv: &iv,
            algorithm,
        };
        token.open(&sealed, now).map_err(api_error)
    }

    /// New material for a create or rotate: generated, imported in plain base64, or
    /// imported under the import token. Returns whether it was imported.
    fn new_material(
        &self,
        key_type: KeyType,
        sealed: &SecureImportFields<'_>,
        now: time::OffsetDateTime,
    ) -> Result<(KeyMaterial, bool), ApiError> {
        if sealed.encrypted_nonce.is_none() && sealed.iv.is_none() {
            return material(key_type, sealed.payload);
        }
        if key_type != KeyType::Root {
            return Err(ApiError::invalid("secure import is for root keys"));
        }
        Ok((self.secure_import(sealed, now)?, true))
    }

    fn now(&self) -> OffsetDateTime {
        self.shared.clock.now()
    }

    fn event(&self, operation: Operation, target: &str, at: OffsetDateTime) -> AuditEvent {
        self.event_named(operation.event(), target, at)
    }

    fn event_named(&self, action: &str, target: &str, at: OffsetDateTime) -> AuditEvent {
        AuditEvent {
            at,
            instance: self.repo.id().to_owned(),
            initiator: self.caller.iam_id.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            outcome: Outcome::Success,
            correlation_id: self.origin.correlation_id.clone(),
            key_version: String::new(),
            source: self.origin.source.clone(),
        }
    }

    /// Runs `work`, and records its failure in the audit trail (a success records itself,
    /// in the transaction of its change or through [`Inner::record_use`]).
    fn audited<T>(
        &self,
        operation: Operation,
        target: &str,
        work: impl FnOnce(&Self) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.audited_as(operation, operation.event(), target, work)
    }

    /// [`Self::audited`] for a call Key Protect names apart from the operation that authorizes
    /// it (the instance's policies are read and written as `ReadPolicies`/`WritePolicies`),
    /// so its refusals carry the same action name as its successes.
    fn audited_as<T>(
        &self,
        operation: Operation,
        action: &'static str,
        target: &str,
        work: impl FnOnce(&Self) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let started = std::time::Instant::now();
        let result = work(self);
        // Wraps, unwraps and rewraps are timed whole, audit wait included (`measured`).
        if !matches!(
            operation,
            Operation::Wrap | Operation::Unwrap | Operation::Rewrap
        ) {
            self.shared.store.record_usage(
                self.repo.id(),
                action,
                result.as_ref().err().map(|err| err.code.name()),
                self.now(),
                started.elapsed(),
            );
        }
        if let Err(err) = &result {
            let mut event = self.event_named(action, target, self.now());
            event.outcome = Outcome::Failure(err.code.name().to_owned());
            if let Err(audit) = self.shared.store.audit_writer().record(event, None) {
                tracing::error!(error = %audit, "could not audit a failed call");
            }
        }
        result
    }

    /// Records a call that changed nothing (a read) through group commit; returns once the
    /// event is committed to the WAL, which a killed process cannot lose (the writer does not
    /// wait for fsync; see `AuditWriter`).
    fn record_use(
        &self,
        operation: Operation,
        key: Option<(&Key, KeyVersionId)>,
    ) -> Result<(), ApiError> {
        self.submit_use(operation, key)?.wait().map_err(api_error)
    }

    /// Queues the audit event of a call that changed nothing (and, for a service, refreshes its
    /// registration with the key version used); the caller must await the receipt before
    /// answering.
    fn submit_use(
        &self,
        operation: Operation,
        key: Option<(&Key, KeyVersionId)>,
    ) -> Result<AuditReceipt, ApiError> {
        let now = self.now();
        let target = key.map(|(k, _)| k.id.to_string()).unwrap_or_default();
        let registration = match (&self.caller.kind, key) {
            (CallerKind::Service { service, instance }, Some((key, version))) => Some((
                self.repo.id().to_owned(),
                Registration {
                    key: key.id,
                    key_version: version,
                    resource_crn: format!(
                        "crn:v1:bluemix:public:{service}:local:a/local:{instance}::"
                    ),
                    service: self.caller.iam_id.clone(),
                    at: now,
                },
            )),
            _ => None,
        };
        // Only the data plane names a version: a metadata read has none of its own. The row
        // is also how the version's use is counted for the console (`key_version_use`): a wrap or
        // rewrap made a ciphertext with it, an unwrap opened one.
        let key_version = match (operation, key) {
            (Operation::Wrap | Operation::Rewrap | Operation::Unwrap, Some((_, version))) => {
                version.to_string()
            }
            _ => String::new(),
        };
        self.shared
            .store
            .audit_writer()
            .submit(
                AuditEvent {
                    key_version,
                    ..self.event(operation, &target, now)
                },
                registration,
            )
            .map_err(api_error)
    }

    /// The authorization `id` of this instance; any other policy (a person's access, another
    /// instance's authorization) is not found, so the authorization calls cannot reach it.
    fn authorization_record(&self, id: &str) -> Result<AccessPolicyRecord, ApiError> {
        self.shared
            .store
            .policy(id)
            .map_err(|err| api_error(err.into()))?
            .filter(|p| {
                p.policy_type == "authorization" && p.instance_id.as_deref() == Some(self.repo.id())
            })
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("authorization {id} was not found"),
                )
            })
    }

    /// A page of the keys the caller may list, audited as `action` (`kms.secrets.list`, or
    /// `kms.secrets.head` for a count).
    fn list(&self, request: ListKeysRequest, action: &'static str) -> Result<KeyList, ApiError> {
        let filter = request
            .key_ring
            .as_deref()
            .map(KeyRingId::parse)
            .transpose()
            .map_err(api_error)?;
        let key_rings = visible_rings(&self.caller, filter)?;
        let now = self.now();
        let query = KeyQuery {
            offset: request.offset,
            limit: request.limit.unwrap_or(KeyQuery::default().limit),
            states: request.states.into_iter().map(key_state).collect(),
            states_at: Some(now),
            search: request.search,
            kind: request.key_type.map(key_kind),
            key_rings,
            imported: request.imported,
            dual_auth_delete: request.dual_auth_delete,
            rotation_due: request.rotation_due.map(|due| RotationDue { at: now, due }),
            sort: request.sort.iter().map(key_sort).collect(),
        };
        let page = self.repo.list(&query).map_err(api_error)?;
        self.shared
            .store
            .audit_writer()
            .submit(self.event_named(action, "", self.now()), None)
            .and_then(AuditReceipt::wait)
            .map_err(api_error)?;
        Ok(KeyList {
            keys: page.keys.iter().map(|k| key_info(k, now)).collect(),
            total: u32::try_from(page.total).unwrap_or(u32::MAX),
        })
    }

    /// Resolves an id or alias and checks the caller may perform `operation` on the key.
    fn authorized_key(&self, id_or_alias: &str, operation: Operation) -> Result<Key, ApiError> {
        let key = self
            .repo
            .resolve(id_or_alias)
            .and_then(|id| self.repo.key(id))
            .map_err(|err| self.unseen(api_error(err), operation))?;
        self.caller
            .require(operation, Target::Key(key.id, &key.key_ring))
            .map_err(api_error)?;
        Ok(key)
    }

    fn require(&self, operation: Operation, target: Target<'_>) -> Result<(), ApiError> {
        self.caller.require(operation, target).map_err(api_error)
    }

    /// A key that is not there, told to a caller who may not `operation` on every key of the
    /// instance (a ring- or key-scoped grant, or none for this operation), would tell it which
    /// keys exist: it gets the refusal an existing key it may not use gets.
    fn unseen(&self, err: ApiError, operation: Operation) -> ApiError {
        if err.code != ErrorCode::NotFound {
            return err;
        }
        match self.caller.require(operation, Target::Instance) {
            Ok(()) => err,
            Err(refused) => api_error(refused),
        }
    }

    /// The key named by `id_or_alias`, found through `reads`, if the caller may perform
    /// `operation` on it and its state allows `action` now.
    fn usable_key(
        &self,
        reads: &impl Reads,
        id_or_alias: &str,
        operation: Operation,
        action: KeyAction,
    ) -> Result<Arc<Key>, ApiError> {
        let key = reads
            .key(self, id_or_alias)
            .map_err(|err| self.unseen(err, operation))?;
        self.caller
            .require(operation, Target::Key(key.id, &key.key_ring))
            .map_err(api_error)?;
        key.check(action, self.now()).map_err(api_error)?;
        Ok(key)
    }

    /// Unwraps `ciphertext` with `key`; the error for a version of another key is a plain
    /// "not produced by this key", never a hint about which key it was.
    fn open(
        &self,
        reads: &impl Reads,
        key: &Key,
        ciphertext: &str,
        aad: &[String],
    ) -> Result<(Secret, KeyVersionId), ApiError> {
        let bytes = decode("ciphertext", ciphertext)?;
        let envelope = Envelope::parse(&bytes).map_err(api_error)?;
        let material = reads.material(self, key.id, envelope.version())?;
        let plaintext = envelope.open(&material, aad).map_err(api_error)?;
        Ok((plaintext, envelope.version()))
    }

    fn seal(
        &self,
        reads: &impl Reads,
        key: &Key,
        plaintext: &[u8],
        aad: &[String],
    ) -> Result<String, ApiError> {
        let material = reads.material(self, key.id, key.current_version.id)?;
        envelope::wrap(&material, key.current_version.id, plaintext, aad)
            .map(|bytes| encode(&bytes))
            .map_err(api_error)
    }

    // The data plane. Each call queues its audit row last, so a call that fails, or a warm try
    // that misses, has left nothing behind; the caller answers once the receipt resolves.

    fn wrap(
        &self,
        reads: &impl Reads,
        request: &WrapRequest,
    ) -> Result<(WrapResponse, AuditReceipt), ApiError> {
        let key = self.usable_key(reads, &request.key_id, Operation::Wrap, KeyAction::Wrap)?;
        let (plaintext, generated) = match &request.plaintext {
            Some(text) => (
                Secret::from(decode_secret("plaintext", text.expose())?),
                false,
            ),
            None => (Secret::generate_dek().map_err(api_error)?, true),
        };
        let ciphertext = self.seal(reads, &key, plaintext.expose(), &request.aad)?;
        let receipt = self.submit_use(Operation::Wrap, Some((&key, key.current_version.id)))?;
        let answer = WrapResponse {
            ciphertext,
            key_version: version_ref(key.current_version.id),
            plaintext: generated.then(|| SecretString::new(encode(plaintext.expose()))),
        };
        Ok((answer, receipt))
    }

    fn unwrap(
        &self,
        reads: &impl Reads,
        request: &UnwrapRequest,
    ) -> Result<(UnwrapResponse, AuditReceipt), ApiError> {
        let key = self.usable_key(reads, &request.key_id, Operation::Unwrap, KeyAction::Unwrap)?;
        let (plaintext, wrapped_by) = self.open(reads, &key, &request.ciphertext, &request.aad)?;
        let rewrapped = if wrapped_by == key.current_version.id {
            None
        } else {
            Some(Rewrapped {
                ciphertext: self.seal(reads, &key, plaintext.expose(), &request.aad)?,
                key_version: version_ref(key.current_version.id),
            })
        };
        let receipt = self.submit_use(Operation::Unwrap, Some((&key, wrapped_by)))?;
        let answer = UnwrapResponse {
            plaintext: SecretString::new(encode(plaintext.expose())),
            key_version: version_ref(wrapped_by),
            rewrapped,
        };
        Ok((answer, receipt))
    }

    fn rewrap(
        &self,
        reads: &impl Reads,
        request: &RewrapRequest,
    ) -> Result<(RewrapResponse, AuditReceipt), ApiError> {
        let key = self.usable_key(reads, &request.key_id, Operation::Rewrap, KeyAction::Rewrap)?;
        let (plaintext, wrapped_by) = self.open(reads, &key, &request.ciphertext, &request.aad)?;
        let ciphertext = self.seal(reads, &key, plaintext.expose(), &request.aad)?;
        let receipt = self.submit_use(Operation::Rewrap, Some((&key, key.current_version.id)))?;
        let answer = RewrapResponse {
            ciphertext,
            key_version: version_ref(wrapped_by),
            rewrapped_key_version: version_ref(key.current_version.id),
        };
        Ok((answer, receipt))
    }
}

/// Where a data-plane call finds its key and material.
trait Reads {
    fn key(&self, inner: &Inner, id_or_alias: &str) -> Result<Arc<Key>, ApiError>;
    fn material(
        &self,
        inner: &Inner,
        key: KeyId,
        version: KeyVersionId,
    ) -> Result<Arc<KeyMaterial>, ApiError>;
}

/// SQLite (blocking; on the blocking pool): what every call falls back to.
struct FromStore;

impl Reads for FromStore {
    fn key(&self, inner: &Inner, id_or_alias: &str) -> Result<Arc<Key>, ApiError> {
        let id = inner.repo.resolve(id_or_alias).map_err(api_error)?;
        Ok(Arc::new(inner.repo.key(id).map_err(api_error)?))
    }

    fn material(
        &self,
        inner: &Inner,
        key: KeyId,
        version: KeyVersionId,
    ) -> Result<Arc<KeyMaterial>, ApiError> {
        inner.repo.material(key, version).map_err(api_error)
    }
}

/// Only what is in memory (read within the last second, see `recent.rs` in the store), so a
/// wrap of a key in use runs on the async task. A miss is an error that is never shown: the
/// call is redone through [`FromStore`], which audits whatever it finds.
struct InMemory;

impl Reads for InMemory {
    fn key(&self, inner: &Inner, id_or_alias: &str) -> Result<Arc<Key>, ApiError> {
        inner
            .repo
            .recent_key(id_or_alias)
            .ok_or_else(ApiError::internal)
    }

    fn material(
        &self,
        inner: &Inner,
        key: KeyId,
        version: KeyVersionId,
    ) -> Result<Arc<KeyMaterial>, ApiError> {
        inner
            .repo
            .recent_material(key, version)
            .ok_or_else(ApiError::internal)
    }
}

/// Opens the embedded store, turning every failure into a sentence that says how to fix it.
pub fn open_store(dir: &Path, source: &MasterKeySource) -> Result<SqliteStore, ApiError> {
    SqliteStore::open(dir, source)
        .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()))
}

/// The import fields of a create or rotate request.
struct SecureImportFields<'a> {
    payload: Option<&'a SecretString>,
    encrypted_nonce: Option<&'a str>,
    iv: Option<&'a str>,
    algorithm: Option<&'a str>,
}

impl SecureImportFields<'_> {
    /// How the material arrives, as the create and import access policy sees it.
    fn origin(&self) -> KeyOrigin {
        if self.encrypted_nonce.is_some() || self.iv.is_some() {
            KeyOrigin::SecureImport
        } else if self.payload.is_some() {
            KeyOrigin::Imported
        } else {
            KeyOrigin::Generated
        }
    }
}

fn material(
    key_type: KeyType,
    payload: Option<&SecretString>,
) -> Result<(KeyMaterial, bool), ApiError> {
    match payload {
        None => Ok((KeyMaterial::generate().map_err(api_error)?, false)),
        Some(payload) => {
            let bytes = decode_secret("payload", payload.expose())?;
            let material = match key_type {
                KeyType::Root => KeyMaterial::root(bytes),
                KeyType::Standard => KeyMaterial::standard(bytes),
            };
            Ok((material.map_err(api_error)?, true))
        }
    }
}

/// A page of aliases or audit events: 100 unless asked, 1 to 1000. Out of range is refused
/// rather than clamped, so `limit=0` does not answer with one.
fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit {
        None => Ok(100),
        Some(limit @ 1..=1000) => Ok(limit),
        Some(_) => Err(ApiError::invalid("`limit` must be 1 to 1000")),
    }
}

/// Key Protect's action names for the instance's policies, apart from the key policies'
/// `kms.policies.*` that authorize them.
const INSTANCE_POLICIES_READ: &str = "kms.instance-policies.read";
const INSTANCE_POLICIES_WRITE: &str = "kms.instance-policies.write";

#[async_trait::async_trait]
impl Keystore for LocalKeystore {
    async fn info(&self) -> Result<KeystoreInfo, ApiError> {
        Ok(KeystoreInfo {
            mode: KeystoreMode::Embedded,
            location: self.inner.shared.location.clone(),
            schema_version: Some(strongroom_store::SCHEMA_VERSION),
        })
    }

    async fn caller(&self) -> Result<CallerInfo, ApiError> {
        // The caller's own grants: readable by any authenticated caller, and not an
        // operation of the role table, so not audited.
        self.run(|inner| Ok(caller_info(&inner.caller))).await
    }

    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ListKeys, "", |inner| {
                inner.list(request, Operation::ListKeys.event())
            })
        })
        .await
    }

    async fn count_keys(&self, request: ListKeysRequest) -> Result<u32, ApiError> {
        self.run(move |inner| {
            inner.audited_as(Operation::ListKeys, HEAD_EVENT, "", |inner| {
                let request = ListKeysRequest {
                    offset: 0,
                    limit: Some(0),
                    ..request
                };
                inner.list(request, HEAD_EVENT).map(|page| page.total)
            })
        })
        .await
    }

    async fn create_key(&self, request: CreateKeyRequest) -> Result<KeyInfo, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::CreateKey, "", |inner| {
                let now = inner.now();
                let key_ring = match request.key_ring.as_deref() {
                    Some(ring) if !ring.is_empty() => KeyRingId::parse(ring).map_err(api_error)?,
                    _ => KeyRingId::default_ring(),
                };
                inner.require(Operation::CreateKey, Target::KeyRing(&key_ring))?;
                let kind = key_kind(request.key_type);
                let defaults = InstanceDefaults::read(&inner.repo)?;
                let inherited_rotation = match kind {
                    KeyKind::Root if request.payload.is_none() => defaults.rotation,
                    _ => None,
                };
                let rotation = match request.rotation {
                    Some(policy) => Some(
                        RotationPolicy::new(policy.enabled, policy.interval_month)
                            .map_err(api_error)?,
                    ),
                    None => inherited_rotation,
                };
                let new = NewKey {
                    name: KeyName::parse(&request.name).map_err(api_error)?,
                    description: request
                        .description
                        .as_deref()
                        .filter(|d| !d.is_empty())
                        .map(Description::parse)
                        .transpose()
                        .map_err(api_error)?,
                    kind,
                    expiry: request
                        .expires_at
                        .as_deref()
                        .map(|text| parse_time("the expiration date", text))
                        .transpose()?
                        .map(|at| Expiry::parse(at, now))
                        .transpose()
                        .map_err(api_error)?,
                    key_ring,
                    aliases: parse_aliases(&request.aliases)?,
                    created_by: inner.caller.iam_id.clone(),
                    dual_auth_delete: request
                        .dual_auth_delete
                        .unwrap_or(defaults.dual_auth_delete),
                    rotation,
                };
                if new.rotation.is_some() && kind != KeyKind::Root {
                    return Err(api_error(CoreError::PolicyNeedsRootKey(KeyId::random())));
                }
                // A key's policies are a Manager's to set, at creation too: a Writer creates
                // keys with the instance's own (docs/access.md), or could opt out of dual
                // authorization the instance requires.
                if new.rotation != inherited_rotation
                    || new.dual_auth_delete != defaults.dual_auth_delete
                {
                    inner.require(Operation::WritePolicies, Target::KeyRing(&new.key_ring))?;
                }
                let sealed = SecureImportFields {
                    payload: request.payload.as_ref(),
                    encrypted_nonce: request.secure_import.encrypted_nonce.as_deref(),
                    iv: request.secure_import.iv.as_deref(),
                    algorithm: request.secure_import.encryption_algorithm.as_deref(),
                };
                defaults
                    .create_import
                    .allows_create(kind, sealed.origin())
                    .map_err(api_error)?;
                let (material, imported) = inner.new_material(request.key_type, &sealed, now)?;
                let key = Key::create(new, imported, now);
                let event = inner.event(Operation::CreateKey, &key.id.to_string(), now);
                inner
                    .repo
                    .insert(&key, &material, &event)
                    .map_err(api_error)?;
                tracing::info!(key_id = %key.id, imported, "created key");
                Ok(key_info(&key, now))
            })
        })
        .await
    }

    async fn key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::ReadMetadata, &id, |inner| {
                let key = inner.authorized_key(&id, Operation::ReadMetadata)?;
                inner.record_use(
                    Operation::ReadMetadata,
                    Some((&key, key.current_version.id)),
                )?;
                Ok(key_info(&key, inner.now()))
            })
        })
        .await
    }

    async fn read_key(&self, id: &str) -> Result<(KeyInfo, Option<SecretString>), ApiError> {
        let id = id.to_owned();
        let key = self
            .run(move |inner| {
                inner.audited(Operation::ReadPayload, &id, |inner| {
                    let key = inner.authorized_key(&id, Operation::ReadPayload)?;
                    if key.kind == KeyKind::Root {
                        inner.record_use(
                            Operation::ReadPayload,
                            Some((&key, key.current_version.id)),
                        )?;
                    }
                    Ok(key_info(&key, inner.now()))
                })
            })
            .await?;
        let payload = if key.key_type == KeyType::Standard && key.state != KeyStateName::Destroyed {
            Some(self.key_payload(&key.id).await?)
        } else {
            None
        };
        Ok((key, payload))
    }

    async fn key_payload(&self, id: &str) -> Result<SecretString, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::ReadPayload, &id, |inner| {
                let key = inner.authorized_key(&id, Operation::ReadPayload)?;
                if key.kind != KeyKind::Standard {
                    return Err(ApiError::invalid(
                        "only standard keys have a retrievable payload; root key material never leaves the keystore",
                    ));
                }
                if key.state == strongroom_core::KeyState::Destroyed {
                    return Err(ApiError::new(
                        ErrorCode::InvalidState,
                        format!("key {} is destroyed", key.id),
                    ));
                }
                let material = inner
                    .repo
                    .material(key.id, key.current_version.id)
                    .map_err(api_error)?;
                inner.record_use(Operation::ReadPayload, Some((&key, key.current_version.id)))?;
                tracing::info!(key_id = %key.id, "standard key payload read");
                Ok(SecretString::new(encode(material.expose())))
            })
        })
        .await
    }

    async fn key_versions(&self, id: &str) -> Result<Vec<KeyVersionInfo>, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::ReadVersions, &id, |inner| {
                let key = inner.authorized_key(&id, Operation::ReadVersions)?;
                let versions = inner.repo.versions(key.id).map_err(api_error)?;
                let uses = inner.repo.version_uses(key.id).map_err(api_error)?;
                inner.record_use(
                    Operation::ReadVersions,
                    Some((&key, key.current_version.id)),
                )?;
                Ok(versions
                    .iter()
                    .map(|version| {
                        counted_version_info(version, uses.iter().find(|u| u.version == version.id))
                    })
                    .collect())
            })
        })
        .await
    }

    async fn rotate_key(&self, request: RotateKeyRequest) -> Result<KeyInfo, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::Rotate, &request.key_id, |inner| {
                let now = inner.now();
                let current = inner.authorized_key(&request.key_id, Operation::Rotate)?;
                let key_type = match current.kind {
                    KeyKind::Root => KeyType::Root,
                    KeyKind::Standard => KeyType::Standard,
                };
                let sealed = SecureImportFields {
                    payload: request.payload.as_ref(),
                    encrypted_nonce: request.secure_import.encrypted_nonce.as_deref(),
                    iv: request.secure_import.iv.as_deref(),
                    algorithm: request.secure_import.encryption_algorithm.as_deref(),
                };
                current
                    .check_rotate(now, sealed.origin() != KeyOrigin::Generated)
                    .map_err(api_error)?;
                if current.imported {
                    InstanceDefaults::read(&inner.repo)?
                        .create_import
                        .allows_rotate(sealed.origin())
                        .map_err(api_error)?;
                }
                let (material, imported) = inner.new_material(key_type, &sealed, now)?;
                let mut material = Some(material);
                let id = current.id;
                let key = inner
                    .repo
                    .update(
                        id,
                        &mut |key| {
                            let version = key.rotate(now, imported)?;
                            let material = material.take().ok_or(CoreError::Conflict(id))?;
                            Ok(Change::NewVersion(version, material))
                        },
                        &inner.event(Operation::Rotate, &id.to_string(), now),
                    )
                    .map_err(api_error)?;
                tracing::info!(key_id = %id, version = %key.current_version.id, "rotated key");
                Ok(key_info(&key, now))
            })
        })
        .await
    }

    async fn disable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.change(id, Operation::Disable, |key, now, _| key.disable(now))
            .await
    }

    async fn enable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.change(id, Operation::Enable, |key, now, _| key.enable(now))
            .await
    }

    async fn sync_key(&self, id: &str) -> Result<(), ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::Sync, &id, |inner| {
                inner.authorized_key(&id, Operation::Sync).map(|_| ())
            })
        })
        .await
    }

    async fn delete_key(&self, id: &str, force: bool) -> Result<KeyInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::Delete, &id, |inner| {
                if inner.caller.is_service() {
                    return Err(api_error(CoreError::ServiceCannotDelete));
                }
                let key = inner.authorized_key(&id, Operation::Delete)?;
                let live = key.state != strongroom_core::KeyState::Destroyed;
                // Asked first, and asked again by the store in the transaction that destroys
                // the key, so a hold written meanwhile still counts.
                if live && inner.repo.has_deletion_hold(key.id).map_err(api_error)? {
                    return Err(api_error(CoreError::DeletionPrevented(key.id)));
                }
                let registered = !inner
                    .repo
                    .registrations(Some(key.id))
                    .map_err(api_error)?
                    .is_empty();
                if registered && !force && live {
                    return Err(ApiError::new(
                        ErrorCode::ProtectedResource,
                        format!(
                            "key {} protects registered resources; delete it with force to proceed",
                            key.id
                        ),
                    ));
                }
                let now = inner.now();
                let by = inner.caller.iam_id.clone();
                let key = inner
                    .repo
                    .update(
                        key.id,
                        &mut |key| key.delete(now, &by).map(|()| Change::Metadata),
                        &inner.event(Operation::Delete, &key.id.to_string(), now),
                    )
                    .map_err(api_error)?;
                Ok(key_info(&key, now))
            })
        })
        .await
    }

    async fn set_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.change(id, Operation::SetForDeletion, |key, now, caller| {
            key.set_for_deletion(now, &caller.iam_id)
        })
        .await
    }

    async fn unset_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.change(id, Operation::UnsetForDeletion, |key, now, _| {
            key.unset_for_deletion(now)
        })
        .await
    }

    async fn restore_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.change(id, Operation::Restore, |key, now, _| key.restore(now))
            .await
    }

    async fn purge_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::Purge, &id, |inner| {
                let key = inner.authorized_key(&id, Operation::Purge)?;
                let now = inner.now();
                let purged = inner
                    .repo
                    .purge(
                        key.id,
                        &mut |key| key.check_purge(now),
                        &inner.event(Operation::Purge, &key.id.to_string(), now),
                    )
                    .map_err(api_error)?;
                tracing::info!(key_id = %purged.id, "purged key");
                Ok(key_info(&purged, now))
            })
        })
        .await
    }

    async fn move_key(&self, id: &str, key_ring: &str) -> Result<KeyInfo, ApiError> {
        let ring = KeyRingId::parse(key_ring).map_err(api_error)?;
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::MoveKey, &id, |inner| {
                inner.require(Operation::MoveKey, Target::KeyRing(&ring))?;
                let key = inner.authorized_key(&id, Operation::MoveKey)?;
                let now = inner.now();
                let key = inner
                    .repo
                    .update(
                        key.id,
                        &mut |key| {
                            key.move_to(ring.clone(), now);
                            Ok(Change::Metadata)
                        },
                        &inner.event(Operation::MoveKey, &key.id.to_string(), now),
                    )
                    .map_err(api_error)?;
                Ok(key_info(&key, now))
            })
        })
        .await
    }

    async fn create_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError> {
        let alias = Alias::parse(alias).map_err(api_error)?;
        self.change(id, Operation::CreateAlias, move |key, now, _| {
            key.add_alias(alias.clone(), now)
        })
        .await
    }

    async fn delete_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError> {
        let alias = Alias::parse(alias).map_err(api_error)?;
        self.change(id, Operation::DeleteAlias, move |key, now, _| {
            key.remove_alias(&alias, now)
        })
        .await
    }

    async fn key_policies(&self, id: &str) -> Result<KeyPolicies, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::ReadPolicies, &id, |inner| {
                let key = inner.authorized_key(&id, Operation::ReadPolicies)?;
                inner.record_use(
                    Operation::ReadPolicies,
                    Some((&key, key.current_version.id)),
                )?;
                Ok(key_policies(&key))
            })
        })
        .await
    }

    async fn set_key_policies(
        &self,
        request: SetKeyPoliciesRequest,
    ) -> Result<KeyPolicies, ApiError> {
        let rotation = request
            .rotation
            .map(|r| RotationPolicy::new(r.enabled, r.interval_month))
            .transpose()
            .map_err(api_error)?;
        let dual_auth = request.dual_auth_delete;
        let key = self
            .change(
                &request.key_id,
                Operation::WritePolicies,
                move |key, now, _| {
                    if let Some(policy) = rotation {
                        key.set_rotation(policy, now)?;
                    }
                    if let Some(enabled) = dual_auth {
                        key.set_dual_auth_delete(enabled, now)?;
                    }
                    Ok(())
                },
            )
            .await?;
        Ok(KeyPolicies {
            rotation: key.rotation,
            dual_auth_delete: key.dual_auth_delete.enabled,
        })
    }

    async fn list_aliases(&self, request: ListAliasesRequest) -> Result<AliasList, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ListKeys, "", |inner| {
                inner.require(Operation::ListKeys, Target::Instance)?;
                let limit = page_limit(request.limit)?;
                let (rows, total) = inner
                    .repo
                    .aliases(request.prefix.as_deref(), request.offset, limit)
                    .map_err(api_error)?;
                inner.record_use(Operation::ListKeys, None)?;
                Ok(AliasList {
                    aliases: rows.iter().map(alias_info).collect(),
                    total,
                })
            })
        })
        .await
    }

    async fn key_rings(&self) -> Result<Vec<KeyRingInfo>, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ListKeyRings, "", |inner| {
                inner.require(Operation::ListKeyRings, Target::Instance)?;
                let rings = inner.repo.key_rings().map_err(api_error)?;
                inner.record_use(Operation::ListKeyRings, None)?;
                Ok(rings.iter().map(ring_info).collect())
            })
        })
        .await
    }

    async fn create_key_ring(&self, id: &str) -> Result<KeyRingInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::CreateKeyRing, &id, |inner| {
                let ring = KeyRingId::parse(&id).map_err(api_error)?;
                inner.require(Operation::CreateKeyRing, Target::Instance)?;
                let now = inner.now();
                inner
                    .repo
                    .create_key_ring(&ring, &inner.event(Operation::CreateKeyRing, &id, now))
                    .map_err(api_error)?;
                Ok(KeyRingInfo {
                    id: ring.to_string(),
                    created_at: rfc3339(now),
                    created_by: inner.caller.iam_id.clone(),
                })
            })
        })
        .await
    }

    async fn delete_key_ring(&self, id: &str, force: bool) -> Result<(), ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::DeleteKeyRing, &id, |inner| {
                let ring = KeyRingId::parse(&id).map_err(api_error)?;
                inner.require(Operation::DeleteKeyRing, Target::Instance)?;
                let event = inner.event(Operation::DeleteKeyRing, &id, inner.now());
                inner
                    .repo
                    .delete_key_ring(&ring, force, &event)
                    .map_err(api_error)
            })
        })
        .await
    }

    async fn instance_policies(&self) -> Result<Vec<InstancePolicy>, ApiError> {
        self.run(move |inner| {
            inner.audited_as(
                Operation::ReadPolicies,
                INSTANCE_POLICIES_READ,
                "",
                |inner| {
                    inner.require(Operation::ReadPolicies, Target::Instance)?;
                    let policies = inner.repo.instance_policies().map_err(api_error)?;
                    let read = inner.event_named(INSTANCE_POLICIES_READ, "", inner.now());
                    inner
                        .shared
                        .store
                        .audit_writer()
                        .record(read, None)
                        .map_err(api_error)?;
                    Ok(policies
                        .iter()
                        .map(crate::access::instance_policy)
                        .collect())
                },
            )
        })
        .await
    }

    async fn set_instance_policies(
        &self,
        policies: Vec<InstancePolicy>,
    ) -> Result<Vec<InstancePolicy>, ApiError> {
        self.run(move |inner| {
            inner.audited_as(
                Operation::WritePolicies,
                INSTANCE_POLICIES_WRITE,
                "",
                |inner| {
                    inner.require(Operation::WritePolicies, Target::Instance)?;
                    let rows = policies
                        .iter()
                        .map(crate::access::validate_instance_policy)
                        .collect::<Result<Vec<_>, _>>()?;
                    let event = inner.event_named(INSTANCE_POLICIES_WRITE, "", inner.now());
                    inner
                        .repo
                        .set_instance_policies(&rows, &event)
                        .map_err(api_error)?;
                    let stored = inner.repo.instance_policies().map_err(api_error)?;
                    Ok(stored.iter().map(crate::access::instance_policy).collect())
                },
            )
        })
        .await
    }

    async fn registrations(&self, id: Option<&str>) -> Result<Vec<RegistrationInfo>, ApiError> {
        let id = id.map(str::to_owned);
        self.run(move |inner| {
            let target = id.clone().unwrap_or_default();
            inner.audited(Operation::ReadRegistrations, &target, |inner| {
                let key = match &id {
                    Some(id) => Some(inner.authorized_key(id, Operation::ReadRegistrations)?.id),
                    None => {
                        inner.require(Operation::ReadRegistrations, Target::Instance)?;
                        None
                    }
                };
                let rows = match &inner.caller.kind {
                    CallerKind::User => inner.repo.registrations(key),
                    CallerKind::Service { service, instance } => {
                        inner.repo.registrations_of(key, service, instance)
                    }
                }
                .map_err(api_error)?;
                Ok(rows
                    .iter()
                    .filter(|row| inner.caller.sees_registration(&row.resource_crn))
                    .map(|row| crate::access::registration_info(row, &inner.caller))
                    .collect())
            })
        })
        .await
    }

    async fn write_registration(
        &self,
        id: &str,
        resource_crn: &str,
        write: RegistrationWrite,
        request: RegistrationRequest,
    ) -> Result<RegistrationInfo, ApiError> {
        let (id, resource_crn) = (id.to_owned(), resource_crn.to_owned());
        let (operation, write) = match write {
            RegistrationWrite::Create => (Operation::CreateRegistration, StoredWrite::Create),
            RegistrationWrite::Replace => (Operation::ReplaceRegistration, StoredWrite::Replace),
            RegistrationWrite::Update => (Operation::UpdateRegistration, StoredWrite::Update),
        };
        self.run(move |inner| {
            inner.audited(operation, &id, |inner| {
                if !inner.caller.is_service() {
                    return Err(api_error(CoreError::ServiceOnly(operation)));
                }
                let crn = ResourceCrn::parse(&resource_crn).map_err(api_error)?;
                inner
                    .caller
                    .require_registrant(operation, &crn)
                    .map_err(api_error)?;
                let fields = RegistrationFields {
                    description: request
                        .description
                        .map(|text| Description::parse(&text).map(|d| d.as_str().to_owned()))
                        .transpose()
                        .map_err(api_error)?,
                    prevent_key_deletion: request.prevent_key_deletion,
                    metadata: request
                        .registration_metadata
                        .map(|notes| registration_metadata(notes).map_err(api_error))
                        .transpose()?,
                };
                let key = inner.authorized_key(&id, operation)?;
                let now = inner.now();
                let record = inner
                    .repo
                    .write_registration(
                        key.id,
                        crn.as_str(),
                        write,
                        &fields,
                        &mut |key| key.check(KeyAction::Register, now),
                        &inner.event(operation, &key.id.to_string(), now),
                    )
                    .map_err(api_error)?;
                Ok(crate::access::registration_info(&record, &inner.caller))
            })
        })
        .await
    }

    async fn delete_registration(&self, id: &str, resource_crn: &str) -> Result<(), ApiError> {
        let (id, resource_crn) = (id.to_owned(), resource_crn.to_owned());
        let operation = Operation::DeleteRegistration;
        self.run(move |inner| {
            inner.audited(operation, &id, |inner| {
                let crn = ResourceCrn::parse(&resource_crn).map_err(api_error)?;
                // The registering service removes its own; a person who may delete the key
                // (a Manager) may remove any, so a hold whose service has gone (its
                // authorization deleted) cannot keep the key for ever.
                let key = if inner.caller.is_service() {
                    inner
                        .caller
                        .require_registrant(operation, &crn)
                        .map_err(api_error)?;
                    inner.authorized_key(&id, operation)?
                } else {
                    inner.authorized_key(&id, Operation::Delete)?
                };
                let now = inner.now();
                inner
                    .repo
                    .delete_registration(
                        key.id,
                        crn.as_str(),
                        &mut |key| key.check(KeyAction::Unregister, now),
                        &inner.event(operation, &key.id.to_string(), now),
                    )
                    .map_err(api_error)
            })
        })
        .await
    }

    async fn authorizations(&self) -> Result<Vec<AuthorizationInfo>, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ReadPolicies, "", |inner| {
                inner.require(Operation::ReadPolicies, Target::Instance)?;
                crate::access::authorizations(&inner.shared.store, inner.repo.id())
            })
        })
        .await
    }

    async fn check_authorization(
        &self,
        request: AuthorizationCheckRequest,
    ) -> Result<AuthorizationCheck, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ReadPolicies, &request.key_id, |inner| {
                inner.require(Operation::ReadPolicies, Target::Instance)?;
                let id = inner.repo.resolve(&request.key_id).map_err(api_error)?;
                let key = inner.repo.key(id).map_err(api_error)?;
                crate::access::check_authorization(
                    &inner.shared.store,
                    inner.repo.id(),
                    &key,
                    &request,
                )
            })
        })
        .await
    }

    async fn create_authorization(
        &self,
        request: CreateAuthorizationRequest,
    ) -> Result<AuthorizationInfo, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::WritePolicies, "", |inner| {
                inner.require(Operation::WritePolicies, Target::Instance)?;
                let now = inner.now();
                let record = crate::access::new_authorization(
                    &request,
                    inner.repo.id(),
                    &inner.caller.iam_id,
                    now,
                )?;
                let event = inner.event_named("iam.authorization.create", &record.id, now);
                inner
                    .shared
                    .store
                    .create_policy(&record, &event)
                    .map_err(|err| api_error(err.into()))?;
                Ok(crate::access::authorization_info(&record))
            })
        })
        .await
    }

    async fn delete_authorization(&self, id: &str) -> Result<(), ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::WritePolicies, &id, |inner| {
                inner.require(Operation::WritePolicies, Target::Instance)?;
                let store = &inner.shared.store;
                inner.authorization_record(&id)?;
                let event = inner.event_named("iam.authorization.delete", &id, inner.now());
                store
                    .delete_policy(&id, &event)
                    .map_err(|err| api_error(err.into()))?;
                Ok(())
            })
        })
        .await
    }

    async fn set_authorization_roles(
        &self,
        id: &str,
        roles: Vec<String>,
    ) -> Result<AuthorizationInfo, ApiError> {
        let id = id.to_owned();
        self.run(move |inner| {
            inner.audited(Operation::WritePolicies, &id, |inner| {
                inner.require(Operation::WritePolicies, Target::Instance)?;
                let store = &inner.shared.store;
                let mut record = inner.authorization_record(&id)?;
                record.roles = crate::access::authorization_roles(&roles)?;
                let now = inner.now();
                let expected = record.revision;
                record.revision += 1;
                record.updated_at = now;
                record.updated_by = inner.caller.iam_id.clone();
                let event = inner.event_named("iam.authorization.update", &id, now);
                if !store
                    .update_policy(&record, expected, &event)
                    .map_err(|err| api_error(err.into()))?
                {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "the authorization changed meanwhile; reload it and try again",
                    ));
                }
                Ok(crate::access::authorization_info(&record))
            })
        })
        .await
    }

    async fn usage(&self) -> Result<UsageReport, ApiError> {
        self.run(move |inner| {
            // Who may read the audit trail may read these counts of it.
            inner.require(Operation::ReadPolicies, Target::Instance)?;
            let now = inner.now();
            let minutes = inner
                .shared
                .store
                .usage(inner.repo.id(), now)
                .into_iter()
                .map(|record| UsageMinute {
                    at: OffsetDateTime::from_unix_timestamp(record.minute * 60)
                        .map(rfc3339)
                        .unwrap_or_default(),
                    action: record.action.to_owned(),
                    calls: record.calls,
                    failures: record.failures,
                    failure_codes: record
                        .failure_codes
                        .iter()
                        .map(|(code, count)| FailureCount {
                            code: (*code).to_owned(),
                            count: *count,
                        })
                        .collect(),
                    p50_ms: record.p50_ms,
                    p99_ms: record.p99_ms,
                })
                .collect();
            Ok(UsageReport {
                window_minutes: u32::try_from(strongroom_store::USAGE_WINDOW_MINUTES).unwrap_or(60),
                until: rfc3339(now),
                minutes,
            })
        })
        .await
    }

    async fn activity(&self, hours: u32) -> Result<ActivityReport, ApiError> {
        self.run(move |inner| {
            // Counts of the audit trail, for whoever may read the trail.
            inner.require(Operation::ReadPolicies, Target::Instance)?;
            if !(1..=ACTIVITY_MAX_HOURS).contains(&hours) {
                return Err(ApiError::invalid(format!(
                    "hours must be between 1 and {ACTIVITY_MAX_HOURS}"
                )));
            }
            let now = inner.now();
            let current = now.unix_timestamp().div_euclid(3600);
            let entries = inner
                .shared
                .store
                .activity(inner.repo.id(), current - i64::from(hours) + 1, current)
                .map_err(|err| api_error(err.into()))?
                .into_iter()
                .map(|record| ActivityHour {
                    at: OffsetDateTime::from_unix_timestamp(record.hour * 3600)
                        .map(rfc3339)
                        .unwrap_or_default(),
                    action: record.action,
                    calls: record.calls,
                    failures: record.failures,
                })
                .collect();
            Ok(ActivityReport {
                hours,
                until: rfc3339(now),
                entries,
            })
        })
        .await
    }

    async fn audit_events(
        &self,
        query: AuditQueryRequest,
    ) -> Result<Vec<AuditEventInfo>, ApiError> {
        self.run(move |inner| {
            inner.require(Operation::ReadPolicies, Target::Instance)?;
            let since = query
                .since
                .as_deref()
                .map(|at| parse_time("since", at))
                .transpose()?;
            let until = query
                .until
                .as_deref()
                .map(|at| parse_time("until", at))
                .transpose()?;
            let rows = inner
                .shared
                .store
                .audit_events(&AuditQuery {
                    instance: Some(inner.repo.id().to_owned()),
                    initiator: query.initiator,
                    action_prefix: query.action,
                    target: query.target,
                    failures_only: query.failures_only,
                    // An empty id would match every embedded call, which carries none.
                    correlation_id: query.correlation_id.filter(|id| !id.trim().is_empty()),
                    before: query.before,
                    within_latest: query.within_latest,
                    since,
                    until,
                    limit: page_limit(query.limit)?,
                })
                .map_err(|err| api_error(err.into()))?;
            Ok(rows.iter().map(crate::access::audit_info).collect())
        })
        .await
    }

    async fn create_import_token(
        &self,
        request: CreateImportTokenRequest,
    ) -> Result<ImportTokenInfo, ApiError> {
        let turn = Arc::clone(&self.inner.shared.key_generation)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal())?;
        self.run(move |inner| {
            let _turn = turn;
            inner.audited(Operation::ImportToken, "", |inner| {
                inner.require(Operation::ImportToken, Target::Instance)?;
                #[cfg(test)]
                let _counted = inner.shared.generations.start();
                let token = ImportToken::create(
                    inner.now(),
                    request.expiration.map(i64::from),
                    request.max_allowed_retrievals,
                )
                .map_err(api_error)?;
                let _guard = inner
                    .shared
                    .import_token
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                import::save(&inner.shared.store, inner.repo.id(), &token)?;
                inner.record_use(Operation::ImportToken, None)?;
                tracing::info!(expires = %token.expires_at, "created an import token");
                import::info(&token, false)
            })
        })
        .await
    }

    async fn import_token(&self) -> Result<ImportTokenInfo, ApiError> {
        self.run(move |inner| {
            // Key Protect's name for the retrieval, refused or not, is the read's; taking the
            // token (a retrieval spent) needs what creating one needs.
            inner.audited(Operation::ReadImportToken, "", |inner| {
                inner.require(Operation::ImportToken, Target::Instance)?;
                let _guard = inner
                    .shared
                    .import_token
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                let mut token = import::load(&inner.shared.store, inner.repo.id())?;
                token.retrieve(inner.now()).map_err(api_error)?;
                import::save_counters(&inner.shared.store, inner.repo.id(), &token)?;
                inner.record_use(Operation::ReadImportToken, None)?;
                import::info(&token, true)
            })
        })
        .await
    }

    async fn import_token_status(&self) -> Result<ImportTokenInfo, ApiError> {
        self.run(move |inner| {
            inner.audited(Operation::ReadImportToken, "", |inner| {
                inner.require(Operation::ReadImportToken, Target::Instance)?;
                // The stored dates and counts only: the private key is not even unsealed, and
                // no retrieval is spent.
                let status = import::status(&inner.shared.store, inner.repo.id())?;
                inner.record_use(Operation::ReadImportToken, None)?;
                Ok(status)
            })
        })
        .await
    }

    async fn wrap(&self, request: WrapRequest) -> Result<WrapResponse, ApiError> {
        self.measured(Operation::Wrap, async move {
            if let Some(answer) = self.warm(|inner| inner.wrap(&InMemory, &request)).await {
                return answer;
            }
            self.run_use(move |inner| {
                inner.audited(Operation::Wrap, &request.key_id, |inner| {
                    inner.wrap(&FromStore, &request)
                })
            })
            .await
        })
        .await
    }

    async fn unwrap(&self, request: UnwrapRequest) -> Result<UnwrapResponse, ApiError> {
        self.measured(Operation::Unwrap, async move {
            if let Some(answer) = self.warm(|inner| inner.unwrap(&InMemory, &request)).await {
                return answer;
            }
            self.run_use(move |inner| {
                inner.audited(Operation::Unwrap, &request.key_id, |inner| {
                    inner.unwrap(&FromStore, &request)
                })
            })
            .await
        })
        .await
    }

    async fn clock(&self) -> Result<ClockInfo, ApiError> {
        self.run(move |inner| inner.clock_info()).await
    }

    async fn advance_clock(&self, request: AdvanceClockRequest) -> Result<ClockInfo, ApiError> {
        self.run(move |inner| inner.advance_clock(&request)).await
    }

    async fn rewrap(&self, request: RewrapRequest) -> Result<RewrapResponse, ApiError> {
        self.measured(Operation::Rewrap, async move {
            if let Some(answer) = self.warm(|inner| inner.rewrap(&InMemory, &request)).await {
                return answer;
            }
            self.run_use(move |inner| {
                inner.audited(Operation::Rewrap, &request.key_id, |inner| {
                    inner.rewrap(&FromStore, &request)
                })
            })
            .await
        })
        .await
    }
}

/// Which rings a listing may show: all for an instance-wide grant, else the rings the
/// caller holds list rights on (keys reachable only by key-level grants are left out, as in
/// Key Protect), intersected with the ring asked for.
fn visible_rings(
    caller: &Caller,
    filter: Option<KeyRingId>,
) -> Result<Option<Vec<KeyRingId>>, ApiError> {
    if caller.lists_all() {
        return Ok(filter.map(|ring| vec![ring]));
    }
    let mut rings: Vec<KeyRingId> = caller
        .grants
        .iter()
        .filter_map(|grant| match &grant.scope {
            Scope::KeyRing(ring) if grant.roles.iter().any(|r| r.grants(Operation::ListKeys)) => {
                Some(ring.clone())
            }
            _ => None,
        })
        .collect();
    let may_list_somewhere = caller
        .grants
        .iter()
        .any(|grant| grant.roles.iter().any(|r| r.grants(Operation::ListKeys)));
    if !may_list_somewhere {
        return Err(api_error(CoreError::Forbidden {
            iam_id: caller.iam_id.clone(),
            operation: Operation::ListKeys,
        }));
    }
    if let Some(filter) = filter {
        rings.retain(|ring| *ring == filter);
    }
    Ok(Some(rings))
}

fn key_kind(key_type: KeyType) -> KeyKind {
    match key_type {
        KeyType::Root => KeyKind::Root,
        KeyType::Standard => KeyKind::Standard,
    }
}

fn key_sort(sort: &KeySort) -> CoreSort {
    let by = match sort.field {
        KeySortField::Id => KeyOrder::Id,
        KeySortField::Name => KeyOrder::Name,
        KeySortField::KeyType => KeyOrder::Kind,
        KeySortField::State => KeyOrder::State,
        KeySortField::Imported => KeyOrder::Imported,
        KeySortField::CreationDate => KeyOrder::CreationDate,
        KeySortField::LastUpdateDate => KeyOrder::LastUpdateDate,
        KeySortField::LastRotateDate => KeyOrder::LastRotateDate,
        KeySortField::DeletionDate => KeyOrder::DeletionDate,
        KeySortField::ExpirationDate => KeyOrder::ExpirationDate,
    };
    CoreSort {
        by,
        descending: sort.descending,
    }
}

fn parse_aliases(aliases: &[String]) -> Result<Vec<Alias>, ApiError> {
    if aliases.len() > MAX_ALIASES {
        return Err(ApiError::invalid(format!(
            "a key can have at most {MAX_ALIASES} aliases"
        )));
    }
    let mut parsed: Vec<Alias> = Vec::new();
    for text in aliases {
        let alias = Alias::parse(text).map_err(api_error)?;
        if !parsed.contains(&alias) {
            parsed.push(alias);
        }
    }
    Ok(parsed)
}

fn key_policies(key: &Key) -> KeyPolicies {
    KeyPolicies {
        rotation: key.rotation.map(|r| RotationPolicyInfo {
            enabled: r.enabled,
            interval_month: i64::from(r.interval_months),
        }),
        dual_auth_delete: key.dual_auth_delete,
    }
}

fn alias_info(row: &AliasRecord) -> AliasInfo {
    AliasInfo {
        alias: row.alias.to_string(),
        key_id: row.key_id.to_string(),
        key_name: row.key_name.clone(),
        key_state: state_name(row.key_state),
        created_at: rfc3339(row.created_at),
        created_by: row.created_by.clone(),
    }
}

fn ring_info(ring: &KeyRingRecord) -> KeyRingInfo {
    KeyRingInfo {
        id: ring.id.to_string(),
        created_at: rfc3339(ring.created_at),
        created_by: ring.created_by.clone(),
    }
}

/// What new keys inherit from the instance policies, and how they may arrive.
struct InstanceDefaults {
    dual_auth_delete: bool,
    rotation: Option<RotationPolicy>,
    create_import: CreateImportAccess,
}

impl InstanceDefaults {
    fn read(repo: &InstanceStore) -> Result<Self, ApiError> {
        let policies = repo.instance_policies().map_err(api_error)?;
        let enabled = |name: &str| policies.iter().find(|p| p.policy_type == name && p.enabled);
        let rotation = enabled("rotation")
            .and_then(|p| p.attributes.as_deref())
            .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
            .and_then(|v| v.get("interval_month").and_then(serde_json::Value::as_i64))
            .and_then(|months| RotationPolicy::new(true, months).ok());
        let create_import = enabled("keyCreateImportAccess")
            .and_then(|p| p.attributes.as_deref())
            .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
            .map(|v| {
                // Validated when set; an attribute left out keeps Key Protect's default.
                let switch = |name: &str, default: bool| {
                    v.get(name)
                        .and_then(serde_json::Value::as_bool)
                        .unwrap_or(default)
                };
                let open = CreateImportAccess::default();
                CreateImportAccess {
                    create_root_key: switch("create_root_key", open.create_root_key),
                    create_standard_key: switch("create_standard_key", open.create_standard_key),
                    import_root_key: switch("import_root_key", open.import_root_key),
                    import_standard_key: switch("import_standard_key", open.import_standard_key),
                    enforce_token: switch("enforce_token", open.enforce_token),
                }
            })
            .unwrap_or_default();
        Ok(Self {
            dual_auth_delete: enabled("dualAuthDelete").is_some(),
            rotation,
            create_import,
        })
    }
}

/// Key Protect's action name for `HEAD /keys`: a count, authorized as a listing.
const HEAD_EVENT: &str = "kms.secrets.head";

/// A service's own notes on a registration, within bounds: they are stored and shown back.
fn registration_metadata(notes: String) -> Result<String, CoreError> {
    if notes.chars().count() > MAX_REGISTRATION_METADATA {
        return Err(CoreError::Invalid(format!(
            "`registrationMetadata` must be at most {MAX_REGISTRATION_METADATA} characters long"
        )));
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use strongroom_core::{Grant, Role, Scope};
    use strongroom_store::MasterKeySource;

    use super::*;

    /// Key pairs being generated now, and the most ever generated at once.
    #[derive(Default)]
    pub(super) struct Generations {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    pub(super) struct Generating<'a>(&'a Generations);

    impl Generations {
        pub(super) fn start(&self) -> Generating<'_> {
            let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            Generating(self)
        }
    }

    impl Drop for Generating<'_> {
        fn drop(&mut self) {
            self.0.now.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// A keystore in a temporary directory, and its default instance.
    fn instances() -> (tempfile::TempDir, LocalInstances, String) {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let instances = LocalInstances::over(store);
        let instance = instances.ensure_default(None).unwrap();
        (dir, instances, instance)
    }

    fn manager(instances: &LocalInstances, instance: &str) -> LocalKeystore {
        let caller = Caller {
            iam_id: "IBMid-admin".into(),
            kind: CallerKind::User,
            grants: vec![Grant {
                roles: vec![Role::Manager],
                scope: Scope::Instance,
            }],
        };
        instances.keystore(instance, caller, "c").unwrap()
    }

    fn new_token() -> CreateImportTokenRequest {
        CreateImportTokenRequest {
            expiration: None,
            max_allowed_retrievals: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn import_token_key_pairs_are_generated_one_at_a_time() {
        let (_dir, instances, instance) = instances();
        let keystore = manager(&instances, &instance);
        let create = || keystore.create_import_token(new_token());
        let (a, b, c) = tokio::join!(create(), create(), create());
        for created in [a, b, c] {
            created.unwrap();
        }
        assert_eq!(instances.shared.generations.most.load(Ordering::SeqCst), 1);
        assert_eq!(instances.shared.generations.now.load(Ordering::SeqCst), 0);
    }

    /// A request dropped while its key pair is being generated (its client went away) keeps
    /// the turn until the generation ends: the next request waits for it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_request_keeps_its_turn_until_its_key_pair_is_made() {
        let (_dir, instances, instance) = instances();
        let first = manager(&instances, &instance);
        let dropped = tokio::spawn(async move { first.create_import_token(new_token()).await });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while instances.shared.generations.now.load(Ordering::SeqCst) == 0 {
            assert!(std::time::Instant::now() < deadline, "never started");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        dropped.abort();
        let second = manager(&instances, &instance);
        second.create_import_token(new_token()).await.unwrap();
        assert_eq!(instances.shared.generations.most.load(Ordering::SeqCst), 1);
    }
}
