//! Writes the small committed seed corpora (`cargo test -- --ignored make_corpus`): a few
//! valid inputs per target, so fuzzing starts deep inside each parser, and a few broken ones.
//! Ciphertexts are wrapped under the fixed test material of `strongroom_fuzz::UNWRAP_KEY`.

use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use strongroom_core::{envelope, KeyMaterial, KeyVersionId};
use strongroom_fuzz::{ROUTES, UNWRAP_MATERIAL, UNWRAP_VERSION};
use zeroize::Zeroizing;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn route(path: &str) -> u8 {
    ROUTES.iter().position(|(_, p)| *p == path).unwrap() as u8
}

fn prefixed(mode: u8, fields: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![mode];
    let (last, init) = fields.split_last().unwrap();
    for field in init {
        out.push(field.len() as u8);
        out.extend_from_slice(field);
    }
    out.extend_from_slice(last);
    out
}

#[test]
#[ignore = "writes the committed corpora; run by hand"]
fn make_corpus() {
    let material = KeyMaterial::root(Zeroizing::new(UNWRAP_MATERIAL.to_vec())).unwrap();
    let version: KeyVersionId = UNWRAP_VERSION.parse().unwrap();
    let dek = [0x42u8; 32];
    let plain = envelope::wrap::<&str>(&material, version, &dek, &[]).unwrap();
    let with_aad = envelope::wrap(&material, version, &dek, &["tenant-7", "bucket"]).unwrap();

    // envelope: mode, AAD count, length-prefixed AAD items, ciphertext.
    let mut aad_input = vec![0u8, 2];
    for item in ["tenant-7", "bucket"] {
        aad_input.push(item.len() as u8);
        aad_input.extend_from_slice(item.as_bytes());
    }
    aad_input.extend_from_slice(&with_aad);
    write("envelope", "valid", &[&[0u8, 0][..], &plain].concat());
    write("envelope", "valid-with-aad", &aad_input);
    write(
        "envelope",
        "valid-base64-text",
        &[&[1u8, 0][..], STANDARD.encode(&plain).as_bytes()].concat(),
    );
    write(
        "envelope",
        "valid-by-alias",
        &[&[2u8, 0][..], &plain].concat(),
    );
    write(
        "envelope",
        "truncated",
        &[&[0u8, 0][..], &plain[..40]].concat(),
    );
    let mut flipped = plain.clone();
    flipped[40] ^= 1;
    write(
        "envelope",
        "flipped-bit",
        &[&[0u8, 0][..], &flipped].concat(),
    );
    write("envelope", "not-base64", &[1u8, 0, b'%', b'%', b'=']);

    // request_body: route, content type, body.
    let body = |path: &str, content_type: u8, body: &str| {
        [&[route(path), content_type][..], body.as_bytes()].concat()
    };
    write(
        "request_body",
        "create",
        &body(
            "/api/v2/keys",
            0,
            r#"{"metadata":{"collectionType":"application/vnd.ibm.kms.key+json","collectionTotal":1},"resources":[{"type":"application/vnd.ibm.kms.key+json","name":"corpus-key","extractable":false,"aliases":["corpus-alias"]}]}"#,
        ),
    );
    write(
        "request_body",
        "create-imported-standard",
        &body(
            "/api/v2/keys",
            0,
            r#"{"resources":[{"name":"corpus-standard","extractable":true,"payload":"c2VjcmV0LXBheWxvYWQ="}]}"#,
        ),
    );
    write(
        "request_body",
        "wrap",
        &body(
            "/api/v2/keys/{unwrap}/actions/wrap",
            0,
            r#"{"plaintext":"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=","aad":["a","b"]}"#,
        ),
    );
    write(
        "request_body",
        "unwrap",
        &body(
            "/api/v2/keys/{unwrap}/actions/unwrap",
            0,
            &format!(r#"{{"ciphertext":"{}"}}"#, STANDARD.encode(&plain)),
        ),
    );
    write(
        "request_body",
        "unwrap-by-query",
        &body(
            "/api/v2/keys/fuzz-unwrap?action=unwrap",
            0,
            &format!(
                r#"{{"ciphertext":"{}","aad":["tenant-7","bucket"]}}"#,
                STANDARD.encode(&with_aad)
            ),
        ),
    );
    write(
        "request_body",
        "rewrap",
        &body(
            "/api/v2/keys/{unwrap}/actions/rewrap",
            3,
            &format!(r#"{{"ciphertext":"{}"}}"#, STANDARD.encode(&plain)),
        ),
    );
    write(
        "request_body",
        "rotate",
        &body("/api/v2/keys/{victim}/actions/rotate", 2, ""),
    );
    write(
        "request_body",
        "key-policies",
        &body(
            "/api/v2/keys/{victim}/policies",
            0,
            r#"{"metadata":{"collectionType":"application/vnd.ibm.kms.policy+json","collectionTotal":1},"resources":[{"type":"application/vnd.ibm.kms.policy+json","rotation":{"enabled":true,"interval_month":3}}]}"#,
        ),
    );
    write(
        "request_body",
        "instance-policies",
        &body(
            "/api/v2/instance/policies",
            0,
            r#"{"metadata":{"collectionType":"application/vnd.ibm.kms.policy+json","collectionTotal":1},"resources":[{"policy_type":"dualAuthDelete","policy_data":{"enabled":false}}]}"#,
        ),
    );
    write(
        "request_body",
        "token-form",
        &body(
            "/identity/token",
            1,
            "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=not-the-key",
        ),
    );
    write(
        "request_body",
        "iam-policy",
        &body(
            "/v1/policies",
            0,
            r#"{"type":"authorization","subjects":[{"attributes":[{"name":"serviceName","value":"cloud-object-storage"},{"name":"serviceInstance","value":"cos-1"}]}],"roles":[{"role_id":"crn:v1:bluemix:public:iam::::serviceRole:Reader"}],"resources":[{"attributes":[{"name":"serviceName","value":"kms"}]}]}"#,
        ),
    );
    write(
        "request_body",
        "deep-nesting",
        &body("/api/v2/keys", 0, &"[".repeat(5000)),
    );

    // import_payload: mode, length-prefixed fields.
    write(
        "import_payload",
        "valid",
        &prefixed(3, &[b"RSAES_OAEP_SHA_256"]),
    );
    write(
        "import_payload",
        "valid-sha1-name",
        &prefixed(3, &[b"RSAES_OAEP_SHA_1"]),
    );
    write(
        "import_payload",
        "nonce-and-iv",
        &prefixed(1, &[b"", &[9u8; 28], &[3u8; 12]]),
    );
    write(
        "import_payload",
        "short-iv",
        &prefixed(1, &[b"", &[9u8; 28], &[3u8; 5]]),
    );
    write(
        "import_payload",
        "rsa-garbage",
        &prefixed(2, &[&[0x5au8; 512], b"", b""]),
    );
    write(
        "import_payload",
        "text",
        &prefixed(0, &[b"not base64!", b"AAAA", b"=="]),
    );

    // seed_file: YAML or JSON.
    write("seed_file", "yaml", format!(
        "key_rings: [corpus-ring]\nkeys:\n  - id: 11111111-2222-4333-8444-555555555555\n    name: corpus seeded\n    key_ring: corpus-ring\n    aliases: [corpus-seeded]\n    versions:\n      - id: 66666666-7777-4888-9999-aaaaaaaaaaaa\n        material: {}\n        created_at: 2024-01-01T00:00:00Z\n      - material: {}\n",
        STANDARD.encode([1u8; 16]), STANDARD.encode([2u8; 24])).as_bytes());
    write("seed_file", "json", br#"{"keys":[{"id":"bbbbbbbb-cccc-4ddd-8eee-ffffffffffff","name":"corpus standard","type":"standard","dual_auth_delete":true,"rotation_interval_months":2}]}"#);
    write("seed_file", "unknown-field", b"keys: []\nextra: 1\n");
    write("seed_file", "bad-material", b"keys:\n  - id: 12121212-3434-4545-8656-787878787878\n    name: bad\n    versions: [{material: 'AAAA'}]\n");

    // jwt: mode, then the token (mode 0) or one replaced segment.
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    write(
        "jwt",
        "alg-none-header",
        &[&[1u8][..], none.as_bytes()].concat(),
    );
    write(
        "jwt",
        "edited-claims",
        &[
            &[2u8][..],
            URL_SAFE_NO_PAD
                .encode(r#"{"iam_id":"IBMid-someone","exp":99999999999}"#)
                .as_bytes(),
        ]
        .concat(),
    );
    write("jwt", "empty-signature", &[3u8]);
    write("jwt", "garbage", b"\x00a.b.c");
    write(
        "jwt",
        "four-segments",
        b"\x00eyJhbGciOiJIUzI1NiJ9.e30.AAAA.AAAA",
    );
}
