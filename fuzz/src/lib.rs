//! The bodies of Strongroom's fuzz targets, as plain functions of the input bytes.
//!
//! libFuzzer calls them from `fuzz_targets/*.rs`; `tests/corpus.rs` calls them on every file of
//! the committed corpora under plain `cargo test`, so CI checks them without libFuzzer. Each
//! one drives the real code path — the embedded keystore on a real SQLite file, the facade,
//! the HTTP router — and panics when a property fails: a 5xx or internal error, an error body
//! outside Key Protect's envelope, a forged token accepted, a ciphertext that opens in one
//! layer and not the other, a seed that is not idempotent.
#![forbid(unsafe_code)]

use std::sync::{Arc, OnceLock};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use axum::body::Body;
use axum::http::{Method, Request};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::Value;
use strongroom_api::{
    ApiError, CreateImportTokenRequest, CreateKeyRequest, ErrorCode, Iam, KeyType, Keystore,
    SecretString, SecureImport, UnwrapRequest,
};
use strongroom_core::envelope::Envelope;
use strongroom_core::{KeyMaterial, SystemClock};
use strongroom_local::{LocalIam, LocalInstances, LocalKeystore, Seed, SeedKey, SeedVersion};
use strongroom_server::{router, ServerState};
use strongroom_store::{MasterKeySource, SqliteStore};
use tower::ServiceExt;
use zeroize::Zeroizing;

/// A target's body: the input bytes in, a panic when a property fails.
pub type TargetBody = fn(&[u8]);

/// Every target by name, for the corpus replay.
pub const TARGETS: &[(&str, TargetBody)] = &[
    ("envelope", envelope),
    ("request_body", request_body),
    ("import_payload", import_payload),
    ("seed_file", seed_file),
    ("jwt", jwt),
];

const INSTANCE: &str = "3f9b6a52-0c1d-4e7a-9b2f-5a6c7d8e9f01";
const API_KEY: &str = "fuzz-administrator-api-key";
/// The seeded key that unwraps: fixed id, version and material, so committed ciphertexts open.
pub const UNWRAP_KEY: &str = "5d1f0e9a-7b3c-4a2d-8e6f-1a2b3c4d5e6f";
/// The version id of [`UNWRAP_KEY`]'s only version.
pub const UNWRAP_VERSION: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d";
/// [`UNWRAP_KEY`]'s material; also the 256-bit key of the core-level check. Test data only.
pub const UNWRAP_MATERIAL: [u8; 32] = *b"strongroom-fuzz-unwrap-material!";

/// The system under test, built once per process: a keystore in a temporary directory
/// (in /dev/shm when there is one, so fsync costs nothing), its facade, IAM and router.
struct Subject {
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    instances: Arc<LocalInstances>,
    keystore: LocalKeystore,
    iam: Arc<LocalIam>,
    app: axum::Router,
    token: String,
    /// A key that state-changing routes may disable, rotate or schedule for deletion.
    victim: String,
}

/// A secure import that succeeds against the subject's import token, field by field (base64).
struct SealedFields {
    payload: String,
    encrypted_nonce: Vec<u8>,
    iv: Vec<u8>,
}

fn subject() -> &'static Subject {
    static SUBJECT: OnceLock<Subject> = OnceLock::new();
    SUBJECT.get_or_init(|| match build() {
        Ok(subject) => subject,
        Err(err) => panic!("cannot build the fuzz subject: {err}"),
    })
}

fn build() -> Result<Subject, Box<dyn std::error::Error>> {
    // `scripts/fuzz` names a scratch directory it removes afterwards: this one never is,
    // because libFuzzer leaves with exit() and no destructor runs.
    let parent = std::env::var_os("STRONGROOM_FUZZ_SCRATCH").unwrap_or_else(|| "/dev/shm".into());
    let dir = match tempfile::Builder::new()
        .prefix("strongroom-fuzz")
        .tempdir_in(parent)
    {
        Ok(dir) => dir,
        Err(_) => tempfile::tempdir()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let source = MasterKeySource::File(dir.path().join("master.key"));
    let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source)?);
    let (iam, _) = LocalIam::open(Arc::clone(&store), Some(SecretString::new(API_KEY.into())))?;
    let iam = Arc::new(iam);
    let instances = Arc::new(LocalInstances::new(
        Arc::clone(&store),
        Arc::new(SystemClock),
    ));
    instances.ensure_default(Some(INSTANCE))?;
    instances.seed(&Seed {
        instance: None,
        key_rings: Vec::new(),
        keys: vec![SeedKey {
            id: UNWRAP_KEY.into(),
            name: "fuzz-unwrap".into(),
            key_type: None,
            description: None,
            key_ring: None,
            aliases: vec!["fuzz-unwrap".into()],
            dual_auth_delete: false,
            rotation_interval_months: None,
            expires_at: None,
            versions: vec![SeedVersion {
                id: Some(UNWRAP_VERSION.into()),
                material: Some(STANDARD.encode(UNWRAP_MATERIAL)),
                created_at: None,
            }],
        }],
    })?;
    let keystore = LocalKeystore::administrator(Arc::clone(&store), Arc::new(SystemClock))?;
    let app = router(ServerState {
        account_id: iam.account().to_owned(),
        instances: Arc::clone(&instances) as _,
        policies: Arc::clone(&instances) as _,
        iam: iam.clone(),
    });
    let (token, victim) = runtime.block_on(async {
        let token = iam
            .token(&SecretString::new(API_KEY.into()))
            .await?
            .access_token
            .expose()
            .to_owned();
        let victim = keystore
            .create_key(root_key("fuzz-victim", None, SecureImport::default()))
            .await?
            .id;
        Ok::<_, Box<dyn std::error::Error>>((token, victim))
    })?;
    Ok(Subject {
        runtime,
        _dir: dir,
        instances,
        keystore,
        iam,
        app,
        token,
        victim,
    })
}

/// The subject's import token, created on first use (an RSA-4096 key pair takes seconds, so
/// only the import target pays for it) with a smaller key swapped in, and a secure import that succeeds against it.
fn sealed_import() -> &'static SealedFields {
    static IMPORT: OnceLock<SealedFields> = OnceLock::new();
    IMPORT.get_or_init(|| match seal_import(subject()) {
        Ok(fields) => fields,
        Err(err) => panic!("cannot set up secure import: {err}"),
    })
}

fn seal_import(subject: &Subject) -> Result<SealedFields, Box<dyn std::error::Error>> {
    let info = subject.runtime.block_on(async {
        subject
            .keystore
            .create_import_token(CreateImportTokenRequest {
                expiration: Some(86_400),
                max_allowed_retrievals: Some(500),
            })
            .await?;
        subject.keystore.import_token().await
    })?;
    let (public, nonce) = fuzzing_key_pair(subject, &info)?;
    let material = [7u8; 32];
    let payload = public.encrypt(
        &mut rand_core_06::OsRng,
        rsa::Oaep::new::<sha2::Sha256>(),
        &material,
    )?;
    let iv = vec![3u8; 12];
    let encrypted_nonce = Aes256Gcm::new_from_slice(&material)
        .map_err(|_| "aes key")?
        .encrypt(Nonce::from_slice(&iv), nonce.as_slice())
        .map_err(|_| "aes seal")?;
    Ok(SealedFields {
        payload: STANDARD.encode(payload),
        encrypted_nonce,
        iv,
    })
}

/// Bits of the RSA key the harness swaps into the import token. RSA-4096 holds the fuzzer to
/// about 15 inputs a second, all of them inside the private-key operation; 1024 bits keeps the
/// same OAEP, nonce and field checks (the code under test never reads the key size) at a rate
/// that reaches millions of executions. Not a size any real token uses.
const FUZZ_RSA_BITS: usize = 1024;

/// Replaces the private key of the stored import token with a fresh `FUZZ_RSA_BITS` one,
/// keeping its nonce, expiry and retrievals, and returns the public half and the nonce.
fn fuzzing_key_pair(
    subject: &Subject,
    info: &strongroom_api::ImportTokenInfo,
) -> Result<(rsa::RsaPublicKey, Vec<u8>), Box<dyn std::error::Error>> {
    use rsa::pkcs8::EncodePrivateKey;
    let store = subject.instances.store();
    let (metadata, private_key) = (
        format!("import-token:{INSTANCE}"),
        format!("import-token-private-key:{INSTANCE}"),
    );
    let record = store
        .setting(&metadata)?
        .ok_or("the import token is not stored where the harness expects it")?;
    if store.secret_setting(&private_key)?.is_none() {
        return Err(
            "the import token's private key is not stored where the harness expects it".into(),
        );
    }
    let key = rsa::RsaPrivateKey::new(&mut rand_core_06::OsRng, FUZZ_RSA_BITS)?;
    let der = key.to_pkcs8_der()?;
    store.replace_settings(&[(&metadata, &record)], &[(&private_key, der.as_bytes())])?;
    let nonce = STANDARD.decode(info.nonce.clone().unwrap_or_default())?;
    Ok((key.to_public_key(), nonce))
}

/// Builds what `target` needs before the first input, so libFuzzer's per-input timeout does
/// not count the set-up (the keystore, and for `import_payload` its import token).
pub fn prepare(target: &str) {
    subject();
    if target == "import_payload" {
        sealed_import();
    }
}

fn root_key(
    name: &str,
    payload: Option<SecretString>,
    secure_import: SecureImport,
) -> CreateKeyRequest {
    CreateKeyRequest {
        name: name.into(),
        description: None,
        key_type: KeyType::Root,
        expires_at: None,
        payload,
        secure_import,
        key_ring: None,
        aliases: Vec::new(),
        dual_auth_delete: None,
        rotation: None,
    }
}

/// Errors a hostile input may cause. Anything else (internal, keystore unavailable, an
/// upstream code) means the input reached a path that failed instead of refusing it.
fn assert_refusal(err: &ApiError, what: &str) {
    assert!(
        !matches!(
            err.code,
            ErrorCode::Internal | ErrorCode::KeystoreUnavailable
        ),
        "{what}: {:?} {}",
        err.code,
        err.message
    );
}

/// Splits `data` into `n` parts, each prefixed by a one-byte length (the last takes the rest).
fn parts(mut data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(n);
    for _ in 1..n {
        let Some((&len, rest)) = data.split_first() else {
            out.push(&data[..0]);
            continue;
        };
        let len = usize::from(len).min(rest.len());
        out.push(&rest[..len]);
        data = &rest[len..];
    }
    out.push(data);
    out
}

/// Ciphertext parsing and unwrap, in the core and through the facade, which must agree:
/// input = mode byte, AAD count byte, length-prefixed AAD items, ciphertext. Even modes send
/// the ciphertext base64-encoded (to reach the envelope parser), odd ones as raw text (to
/// reach the base64 decoder).
pub fn envelope(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some((&count, rest)) = rest.split_first() else {
        return;
    };
    let count = usize::from(count % 4);
    let fields = parts(rest, count + 1);
    let aad: Vec<String> = fields[..count]
        .iter()
        .map(|item| String::from_utf8_lossy(item).into_owned())
        .collect();
    let ciphertext = fields[count];

    let structurally_valid =
        ciphertext.len() > 31 + 16 && ciphertext.starts_with(b"SR") && ciphertext[2] == 1;
    let parsed = Envelope::parse(ciphertext);
    assert_eq!(
        parsed.is_ok(),
        structurally_valid,
        "the parser and the documented format disagree"
    );
    let mut core_plaintext = None;
    if let Ok(parsed) = parsed {
        for len in [16usize, 24] {
            if let Ok(material) = KeyMaterial::root(Zeroizing::new(UNWRAP_MATERIAL[..len].to_vec()))
            {
                let _ = parsed.open(&material, &aad);
            }
        }
        let material = match KeyMaterial::root(Zeroizing::new(UNWRAP_MATERIAL.to_vec())) {
            Ok(material) => material,
            Err(err) => panic!("fixed material refused: {err}"),
        };
        if parsed.version().to_string() == UNWRAP_VERSION {
            core_plaintext = parsed
                .open(&material, &aad)
                .ok()
                .map(|p| STANDARD.encode(p.expose()));
        }
    }

    let subject = subject();
    let text = if mode % 2 == 0 {
        STANDARD.encode(ciphertext)
    } else {
        String::from_utf8_lossy(ciphertext).into_owned()
    };
    let key_id = if mode & 2 == 0 {
        UNWRAP_KEY
    } else {
        "fuzz-unwrap"
    };
    let answer = subject
        .runtime
        .block_on(subject.keystore.unwrap(UnwrapRequest {
            key_id: key_id.into(),
            ciphertext: text,
            aad,
        }));
    match answer {
        Ok(unwrapped) if mode % 2 == 0 => {
            let Some(core) = &core_plaintext else {
                panic!("the facade opened what the core refused");
            };
            {
                assert!(
                    unwrapped.plaintext.expose() == core,
                    "the facade and the core open to different plaintexts"
                );
            }
        }
        Ok(_) => {}
        Err(err) => {
            assert_refusal(&err, "unwrap");
            assert!(
                mode % 2 == 1 || core_plaintext.is_none(),
                "the core opened what the facade refused: {:?}",
                err.code
            );
        }
    }
}

/// Routes that parse a request body; `{victim}` and `{unwrap}` name the subject's keys.
/// `POST /api/v2/import_token` is left out: a valid body (an empty one is) generates an
/// RSA-4096 key pair, which would hold the fuzzer at about one input a second; its two
/// number fields are covered by Schemathesis and `hostile.rs`.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v2/keys"),
    ("POST", "/api/v2/keys_with_policy_overrides"),
    ("PATCH", "/api/v2/keys/{victim}"),
    ("POST", "/api/v2/keys/{unwrap}/actions/wrap"),
    ("POST", "/api/v2/keys/{unwrap}/actions/unwrap"),
    ("POST", "/api/v2/keys/{unwrap}/actions/rewrap"),
    ("POST", "/api/v2/keys/fuzz-unwrap?action=unwrap"),
    ("POST", "/api/v2/keys/{victim}/actions/rotate"),
    ("POST", "/api/v2/keys/{victim}/actions/disable"),
    ("POST", "/api/v2/keys/{victim}/actions/enable"),
    ("POST", "/api/v2/keys/{victim}/actions/restore"),
    ("POST", "/api/v2/keys/{victim}/actions/setKeyForDeletion"),
    ("PUT", "/api/v2/keys/{victim}/policies"),
    ("PUT", "/api/v2/instance/policies"),
    ("POST", "/api/v2/key_rings/fuzz-ring"),
    ("POST", "/api/v2/keys/{victim}/aliases/fuzz-alias"),
    ("POST", "/identity/token"),
    ("POST", "/oidc/token"),
    ("POST", "/v1/policies"),
    ("PUT", "/v1/policies/00000000-0000-4000-8000-000000000000"),
    // Refused to the fuzzer (a person), but only after the body is read.
    (
        "POST",
        "/api/v2/keys/{unwrap}/registrations/crn%3Av1%3Ax%3Ay%3Afuzz%3Al%3Aa%2F1%3Ai%3A%3A",
    ),
    (
        "PUT",
        "/api/v2/keys/{unwrap}/registrations/crn%3Av1%3Ax%3Ay%3Afuzz%3Al%3Aa%2F1%3Ai%3A%3A",
    ),
    (
        "PATCH",
        "/api/v2/keys/{unwrap}/registrations/crn%3Av1%3Ax%3Ay%3Afuzz%3Al%3Aa%2F1%3Ai%3A%3A",
    ),
    // The subject's server keeps to the system clock: a duration that parses is refused.
    ("POST", "/api/v2/clock"),
];

pub const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "",
    "text/plain; charset=utf-8",
];

/// Every JSON (or form) body the server parses: input = route byte, content-type byte, body.
/// Never a 5xx; every refusal in the envelope of the API it belongs to.
pub fn request_body(data: &[u8]) {
    let [route, content_type, body @ ..] = data else {
        return;
    };
    let subject = subject();
    let (method, path) = ROUTES[usize::from(*route) % ROUTES.len()];
    let path = path
        .replace("{victim}", &subject.victim)
        .replace("{unwrap}", UNWRAP_KEY);
    let mut request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST))
        .uri(&path)
        .header("authorization", format!("Bearer {}", subject.token))
        .header("bluemix-instance", INSTANCE);
    let content_type = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()];
    if !content_type.is_empty() {
        request = request.header("content-type", content_type);
    }
    let request = match request.body(Body::from(body.to_vec())) {
        Ok(request) => request,
        Err(err) => panic!("cannot build a request: {err}"),
    };
    let (status, answer) = subject.runtime.block_on(async {
        let response = match subject.app.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        let bytes = match response.into_body().collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(err) => panic!("unreadable response body: {err}"),
        };
        (status, bytes)
    });
    assert!(
        !status.is_server_error(),
        "{method} {path} answered {status}"
    );
    if status.is_client_error() {
        let answer: Value = match serde_json::from_slice(&answer) {
            Ok(value) => value,
            Err(_) => panic!("{method} {path}: a {status} without a JSON body"),
        };
        let key_protect = answer["resources"][0]["reasons"][0]["code"].is_string()
            && answer["metadata"]["collectionType"] == "application/vnd.ibm.kms.error+json";
        let enveloped = if path.starts_with("/identity") || path.starts_with("/oidc") {
            answer["errorCode"].is_string() || key_protect
        } else if path.starts_with("/v1/") {
            answer["errors"][0]["code"].is_string() || key_protect
        } else {
            key_protect
        };
        assert!(
            enveloped,
            "{method} {path}: a {status} outside the error envelope: {answer}"
        );
    }
}

/// Secure import: the payload, encryptedNonce, iv and algorithm fields of a create. Input =
/// mode byte, then up to three length-prefixed fields. Mode 0 sends the fields as raw text;
/// modes 1 to 3 keep the rest of a valid import and replace one field with the input, so the
/// nonce check and the RSA decryption see well-formed neighbours. Only the exact valid
/// import may succeed.
pub fn import_payload(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let fields = parts(rest, 3);
    let subject = subject();
    let valid = sealed_import();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let (payload, encrypted_nonce, iv, algorithm, may_succeed) = match mode % 4 {
        0 => (
            text(fields[0]),
            text(fields[1]),
            text(fields[2]),
            Some("RSAES_OAEP_SHA_256".to_owned()),
            false,
        ),
        1 => (
            valid.payload.clone(),
            STANDARD.encode(fields[1]),
            STANDARD.encode(fields[2]),
            None,
            fields[1] == valid.encrypted_nonce.as_slice() && fields[2] == valid.iv.as_slice(),
        ),
        2 => (
            STANDARD.encode(fields[0]),
            STANDARD.encode(&valid.encrypted_nonce),
            STANDARD.encode(&valid.iv),
            None,
            false,
        ),
        _ => (
            valid.payload.clone(),
            STANDARD.encode(&valid.encrypted_nonce),
            STANDARD.encode(&valid.iv),
            Some(text(fields[0])),
            true,
        ),
    };
    let created = subject
        .runtime
        .block_on(subject.keystore.create_key(root_key(
            "fuzz-import",
            Some(SecretString::new(payload)),
            SecureImport {
                encrypted_nonce: Some(encrypted_nonce),
                iv: Some(iv),
                encryption_algorithm: algorithm,
            },
        )));
    match created {
        Ok(_) => assert!(may_succeed, "a secure import succeeded with altered fields"),
        Err(err) => assert_refusal(&err, "secure import"),
    }
}

/// Seed files, YAML or JSON as `strongroom serve --seed` reads them (JSON when the input
/// starts with `{`), applied to the keystore. Applying an accepted seed again creates nothing.
pub fn seed_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seed: Seed = if text.trim_start().starts_with('{') {
        match serde_json::from_str(text) {
            Ok(seed) => seed,
            Err(_) => return,
        }
    } else {
        match serde_yaml::from_str(text) {
            Ok(seed) => seed,
            Err(_) => return,
        }
    };
    let subject = subject();
    match subject.instances.seed(&seed) {
        Ok(_) => match subject.instances.seed(&seed) {
            Ok(again) => assert_eq!(again.created, 0, "a seed applied twice created keys twice"),
            Err(err) => panic!(
                "a seed accepted once is refused the second time: {:?} {}",
                err.code, err.message
            ),
        },
        Err(err) => assert_refusal(&err, "seed"),
    }
}

/// Bearer tokens: the input as a token (mode 0), or a valid token with one of its three
/// segments replaced by the input (modes 1 to 3). Only the untouched valid token verifies.
pub fn jwt(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let subject = subject();
    let input = String::from_utf8_lossy(rest).into_owned();
    let token = match mode % 4 {
        0 => input,
        segment => {
            let mut segments: Vec<String> = subject.token.split('.').map(str::to_owned).collect();
            if let Some(slot) = segments.get_mut(usize::from(segment) - 1) {
                *slot = input;
            }
            segments.join(".")
        }
    };
    match subject.runtime.block_on(subject.iam.authenticate(&token)) {
        Ok(_) => assert!(token == subject.token, "an altered token was accepted"),
        Err(err) => assert_eq!(
            err.code,
            ErrorCode::Unauthenticated,
            "a bad token must be refused as unauthenticated: {}",
            err.message
        ),
    }
}
