"""IBM's legacy Python Key Protect SDK (keyprotect 2.x, redstone), unmodified, against
`strongroom serve`. It takes its token from /oidc/token with Basic auth and sends
`application/json` everywhere. Run by crates/strongroom-cli/tests/sdk.rs.
"""

import base64
import os
import sys

import keyprotect
from keyprotect import bxauth
from secure_import import import_fields

URL = os.environ["STRONGROOM_URL"]
tm = bxauth.TokenManager(api_key=os.environ["STRONGROOM_API_KEY"], iam_endpoint=URL)
kp = keyprotect.Client(
    credentials=tm, region="us-south", service_instance_id=os.environ["STRONGROOM_INSTANCE"], endpoint_url=URL
)

passed = failed = 0
state = {}


def step(name, check):
    global passed, failed
    try:
        check()
        passed += 1
        print(f"ok   {name}")
    except Exception as err:  # noqa: BLE001 - a conformance run reports every failure
        failed += 1
        print(f"FAIL {name}: {err!r}")


def create():
    key = kp.create(name="sdk-v2-root", root=True)
    assert key["extractable"] is False, key
    state["id"] = key["id"]


def import_root_key():
    key = kp.create(name="sdk-v2-imported", payload=bytes(range(32)), root=True)
    assert key["imported"] is True, key


def import_token():
    created = kp.create_import_token(expiration=600, max_allowed_retrievals=1)
    assert created["remainingRetrievals"] == 1 and "payload" not in created, created
    token = kp.get_import_token()
    assert token["remainingRetrievals"] == 0, token
    state["token"] = token


def secure_import():
    # redstone's create_key has no encryptedNonce/iv parameters, so this one request goes
    # through the client's own authenticated session, exactly as create_key would send it.
    resource = {"type": "application/vnd.ibm.kms.key+json", "name": "sdk-v2-secure", "extractable": False}
    resource.update(import_fields(state["token"], os.urandom(32)))
    body = {"metadata": {"collectionType": resource["type"], "collectionTotal": 1}, "resources": [resource]}
    resp = kp.session.post("%s/api/v2/keys" % kp.endpoint_url, json=body)
    kp._validate_resp(resp)
    key = resp.json()["resources"][0]
    assert key["imported"] is True, key
    wrapped = kp.wrap(key_id=key["id"], plaintext=b"imported securely", aad=["byok"])
    assert kp.unwrap(key_id=key["id"], ciphertext=wrapped["ciphertext"], aad=["byok"]) == b"imported securely"


def wrap_generated():
    wrapped = kp.wrap(key_id=state["id"], plaintext=None, aad=["tenant=acme"])
    dek = base64.b64decode(wrapped["plaintext"])
    assert len(dek) == 32
    assert kp.unwrap(key_id=state["id"], ciphertext=wrapped["ciphertext"], aad=["tenant=acme"]) == dek


def wrap_unwrap():
    wrapped = kp.wrap(key_id=state["id"], plaintext=b"hello from redstone", aad=["a1"])
    state["ciphertext"] = wrapped["ciphertext"]
    assert kp.unwrap(key_id=state["id"], ciphertext=wrapped["ciphertext"], aad=["a1"]) == b"hello from redstone"


def rotate_then_unwrap_old():
    kp.rotate(state["id"])
    assert kp.unwrap(key_id=state["id"], ciphertext=state["ciphertext"], aad=["a1"]) == b"hello from redstone"


def rewrap():
    rewrapped = kp.rewrap(key_id=state["id"], ciphertext=state["ciphertext"], aad=["a1"])
    assert rewrapped["keyVersion"]["id"] != rewrapped["rewrappedKeyVersion"]["id"], rewrapped
    assert kp.unwrap(key_id=state["id"], ciphertext=rewrapped["ciphertext"], aad=["a1"]) == b"hello from redstone"


def delete_restore():
    doomed = kp.create(name="sdk-v2-doomed", root=True)
    kp.delete_key(doomed["id"])
    assert kp.get(doomed["id"])["state"] == 5
    kp.restore_key(doomed["id"])
    assert kp.get(doomed["id"])["state"] == 1


def disable_enable():
    kp.disable_key(state["id"])
    assert kp.get(state["id"])["state"] == 2
    kp.enable_key(state["id"])
    assert kp.get(state["id"])["state"] == 1


def list_keys():
    assert state["id"] in {k["id"] for k in kp.keys()}


def error_message():
    try:
        kp.unwrap(key_id=state["id"], ciphertext=state["ciphertext"], aad=["wrong"])
    except Exception as err:  # redstone raises its KeyProtectError with resources[0].errorMsg
        assert "UNPROCESSABLE_CIPHERTEXT_ERR" in str(err), err
        return
    raise AssertionError("a wrong AAD unwrapped")


for name, check in [
    ("create a root key", create),
    ("import a root key", import_root_key),
    ("create and retrieve an import token", import_token),
    ("import a root key with the import token, wrap and unwrap", secure_import),
    ("wrap without plaintext, with AAD", wrap_generated),
    ("wrap and unwrap with AAD", wrap_unwrap),
    ("rotate, then unwrap an old ciphertext", rotate_then_unwrap_old),
    ("rewrap", rewrap),
    ("delete and restore", delete_restore),
    ("disable and enable", disable_enable),
    ("list keys", list_keys),
    ("an error carries errorMsg with the reason code", error_message),
]:
    step(name, check)

print(f"keyprotect-v2: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
