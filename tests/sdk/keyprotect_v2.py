"""IBM's legacy Python Key Protect SDK (keyprotect 2.x, redstone), unmodified, against
`strongroom serve`. It takes its token from /oidc/token with Basic auth and sends
`application/json` everywhere. Run by crates/strongroom-cli/tests/sdk.rs.
"""

import os
import sys

import keyprotect
from keyprotect import bxauth

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


def wrap_unwrap():
    wrapped = kp.wrap(key_id=state["id"], plaintext=b"hello from redstone", aad=["a1"])
    state["ciphertext"] = wrapped["ciphertext"]
    assert kp.unwrap(key_id=state["id"], ciphertext=wrapped["ciphertext"], aad=["a1"]) == b"hello from redstone"


def rotate_then_unwrap_old():
    kp.rotate(state["id"])
    assert kp.unwrap(key_id=state["id"], ciphertext=state["ciphertext"], aad=["a1"]) == b"hello from redstone"


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
    ("wrap and unwrap with AAD", wrap_unwrap),
    ("rotate, then unwrap an old ciphertext", rotate_then_unwrap_old),
    ("disable and enable", disable_enable),
    ("list keys", list_keys),
    ("an error carries errorMsg with the reason code", error_message),
]:
    step(name, check)

print(f"keyprotect-v2: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
