"""IBM's Python Key Protect SDK (keyprotect 3.x), unmodified, against `strongroom serve`.

Run by crates/strongroom-cli/tests/sdk.rs with STRONGROOM_URL, STRONGROOM_INSTANCE and
STRONGROOM_API_KEY set. Every step asserts; the last line is the pass/fail tally.
"""

import base64
import io
import json
import os
import sys

from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
from keyprotect.ibm_key_protect_api_v2 import IbmKeyProtectApiV2
from secure_import import import_fields

URL = os.environ["STRONGROOM_URL"]
INSTANCE = os.environ["STRONGROOM_INSTANCE"]
API_KEY = os.environ["STRONGROOM_API_KEY"]
KEY_TYPE = "application/vnd.ibm.kms.key+json"

kp = IbmKeyProtectApiV2(authenticator=IAMAuthenticator(apikey=API_KEY, url=URL))
kp.set_service_url(URL)


def body(value):
    return io.BytesIO(json.dumps(value).encode())


def as_json(result):
    """The SDK hands back a dict for application/json and a Response for vendor types."""
    return result if isinstance(result, dict) else result.json()


def key_body(name, payload=None, **extra):
    resource = {"type": KEY_TYPE, "name": name, "extractable": False, **extra}
    if payload is not None:
        resource["payload"] = payload
    return body({"metadata": {"collectionType": KEY_TYPE, "collectionTotal": 1}, "resources": [resource]})


passed = failed = 0


def step(name, check):
    global passed, failed
    try:
        check()
        passed += 1
        print(f"ok   {name}")
    except Exception as err:  # noqa: BLE001 - a conformance run reports every failure
        failed += 1
        print(f"FAIL {name}: {err!r}")


state = {}


def create_root_key():
    r = kp.create_key(bluemix_instance=INSTANCE, key_create_body=key_body("sdk-v3-root"), prefer="return=representation")
    assert r.get_status_code() == 201, r.get_status_code()
    data = r.get_result().json()  # as the SDK's README does: a vendor type, not application/json
    key = data["resources"][0]
    assert key["extractable"] is False and key["state"] == 1, key
    state["id"] = key["id"]


def import_root_key():
    material = base64.b64encode(bytes(range(32))).decode()
    r = kp.create_key(bluemix_instance=INSTANCE, key_create_body=key_body("sdk-v3-imported", material))
    key = as_json(r.get_result())["resources"][0]
    assert key["imported"] is True, key
    state["imported"] = key["id"]


def reason_code(err):
    return err.http_response.json()["resources"][0]["reasons"][0]["code"]


def import_token():
    created = as_json(kp.post_import_token(bluemix_instance=INSTANCE, expiration=600, max_allowed_retrievals=1).get_result())
    assert created["maxAllowedRetrievals"] == 1 and created["remainingRetrievals"] == 1, created
    assert "payload" not in created, "the public key comes with the retrieval only"
    token = as_json(kp.get_import_token(bluemix_instance=INSTANCE).get_result())
    assert token["remainingRetrievals"] == 0, token
    assert len(base64.b64decode(token["nonce"])) > 0
    state["token"] = token


def forged_nonce_is_400():
    forged = import_fields(state["token"], os.urandom(32), nonce=bytes(12))
    try:
        kp.create_key(bluemix_instance=INSTANCE, key_create_body=key_body("sdk-v3-forged", **forged))
    except ApiException as err:
        assert err.code == 400 and reason_code(err) == "INCORRECT_NONCE_ERR", (err.code, err.http_response.text)
        return
    raise AssertionError("a key sealed over the wrong nonce was imported")


def secure_import():
    fields = import_fields(state["token"], os.urandom(32))
    r = kp.create_key(bluemix_instance=INSTANCE, key_create_body=key_body("sdk-v3-secure", **fields))
    assert r.get_status_code() == 201, r.get_status_code()
    key = as_json(r.get_result())["resources"][0]
    assert key["imported"] is True and key["extractable"] is False, key
    state["secure"] = key["id"]


def wrap_unwrap_secure():
    dek = base64.b64encode(os.urandom(32)).decode()
    r = kp.wrap_key(
        id=state["secure"], bluemix_instance=INSTANCE, key_action_wrap_body=body({"plaintext": dek, "aad": ["byok"]})
    )
    ciphertext = as_json(r.get_result())["ciphertext"]
    r = kp.unwrap_key(
        id=state["secure"], bluemix_instance=INSTANCE, key_action_unwrap_body=body({"ciphertext": ciphertext, "aad": ["byok"]})
    )
    assert as_json(r.get_result())["plaintext"] == dek


def wrap_generated():
    r = kp.wrap_key(id=state["id"], bluemix_instance=INSTANCE, key_action_wrap_body=body({"aad": ["tenant=acme"]}))
    data = r.get_result().json()
    assert len(base64.b64decode(data["plaintext"])) == 32, data.keys()
    state["generated"] = data


def wrap_supplied():
    plaintext = base64.b64encode(b"Four score and seven years ago").decode()
    r = kp.wrap_key(
        id=state["id"], bluemix_instance=INSTANCE, key_action_wrap_body=body({"plaintext": plaintext, "aad": ["a", "b"]})
    )
    data = r.get_result().json()
    assert "plaintext" not in data
    state["supplied"] = (plaintext, data["ciphertext"], data["keyVersion"]["id"])


def unwrap():
    plaintext, ciphertext, _ = state["supplied"]
    r = kp.unwrap_key(
        id=state["id"], bluemix_instance=INSTANCE, key_action_unwrap_body=body({"ciphertext": ciphertext, "aad": ["a", "b"]})
    )
    assert as_json(r.get_result())["plaintext"] == plaintext
    generated = state["generated"]
    r = kp.unwrap_key(
        id=state["id"],
        bluemix_instance=INSTANCE,
        key_action_unwrap_body=body({"ciphertext": generated["ciphertext"], "aad": ["tenant=acme"]}),
    )
    assert as_json(r.get_result())["plaintext"] == generated["plaintext"]


def wrong_aad_is_422():
    _, ciphertext, _ = state["supplied"]
    try:
        kp.unwrap_key(
            id=state["id"], bluemix_instance=INSTANCE, key_action_unwrap_body=body({"ciphertext": ciphertext, "aad": ["x"]})
        )
    except ApiException as err:
        assert err.code == 422, err.code
        return
    raise AssertionError("a wrong AAD unwrapped")


def rotate_and_unwrap_old():
    r = kp.rotate_key(id=state["id"], bluemix_instance=INSTANCE, key_action_rotate_body=body({}))
    assert r.get_status_code() == 204, r.get_status_code()
    plaintext, ciphertext, old_version = state["supplied"]
    r = kp.unwrap_key(
        id=state["id"], bluemix_instance=INSTANCE, key_action_unwrap_body=body({"ciphertext": ciphertext, "aad": ["a", "b"]})
    )
    data = as_json(r.get_result())
    assert data["plaintext"] == plaintext
    assert data["keyVersion"]["id"] == old_version
    assert data["rewrappedKeyVersion"]["id"] != old_version and data["ciphertext"], data.keys()
    state["newest"] = data["rewrappedKeyVersion"]["id"]


def rewrap():
    _, ciphertext, old_version = state["supplied"]
    r = kp.rewrap_key(
        id=state["id"], bluemix_instance=INSTANCE, key_action_rewrap_body=body({"ciphertext": ciphertext, "aad": ["a", "b"]})
    )
    data = as_json(r.get_result())
    assert data["keyVersion"]["id"] == old_version and data["rewrappedKeyVersion"]["id"] == state["newest"], data


def disable_enable():
    assert kp.disable_key(id=state["id"], bluemix_instance=INSTANCE).get_status_code() == 204
    try:
        kp.wrap_key(id=state["id"], bluemix_instance=INSTANCE, key_action_wrap_body=body({}))
        raise AssertionError("a disabled key wrapped")
    except ApiException as err:
        assert err.code == 409, err.code
    assert kp.enable_key(id=state["id"], bluemix_instance=INSTANCE).get_status_code() == 204


def delete_restore():
    r = kp.delete_key(id=state["imported"], bluemix_instance=INSTANCE, prefer="return=representation")
    assert as_json(r.get_result())["resources"][0]["state"] == 5
    r = kp.restore_key(id=state["imported"], bluemix_instance=INSTANCE)
    assert r.get_status_code() == 201, r.get_status_code()
    meta = as_json(kp.get_key_metadata(id=state["imported"], bluemix_instance=INSTANCE).get_result())
    assert meta["resources"][0]["state"] == 1


def list_and_head():
    data = as_json(kp.get_keys(bluemix_instance=INSTANCE, limit=10, state=[1]).get_result())
    ids = {k["id"] for k in data["resources"]}
    assert {state["id"], state["imported"]} <= ids, ids
    assert data["metadata"]["collectionTotal"] == len(data["resources"])
    head = kp.get_key_collection_metadata(bluemix_instance=INSTANCE)
    assert int(head.get_headers()["Key-Total"]) >= 2, head.get_headers()


def error_reason_code():
    try:
        kp.get_key(id="6f1c1a9e-2d0b-4a7e-9a51-0c1d2e3f4a5b", bluemix_instance=INSTANCE)
    except ApiException as err:
        assert err.code == 404 and reason_code(err) == "KEY_NOT_FOUND_ERR", (err.code, err.http_response.text)
        return
    raise AssertionError("a missing key was found")


for name, check in [
    ("create a root key", create_root_key),
    ("import a root key", import_root_key),
    ("create and retrieve an import token", import_token),
    ("a nonce sealed wrong is 400 INCORRECT_NONCE_ERR", forged_nonce_is_400),
    ("import a root key with the import token", secure_import),
    ("wrap and unwrap with the securely imported key", wrap_unwrap_secure),
    ("wrap without plaintext, with AAD", wrap_generated),
    ("wrap a supplied plaintext with AAD", wrap_supplied),
    ("unwrap", unwrap),
    ("unwrap with the wrong AAD is 422", wrong_aad_is_422),
    ("rotate, then unwrap an old ciphertext", rotate_and_unwrap_old),
    ("rewrap", rewrap),
    ("disable and enable", disable_enable),
    ("delete and restore", delete_restore),
    ("list and HEAD", list_and_head),
    ("an error with its status and reason code", error_reason_code),
]:
    step(name, check)

print(f"keyprotect-v3: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
