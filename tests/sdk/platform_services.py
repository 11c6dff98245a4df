"""IBM's Python platform SDK (ibm-platform-services 0.77.1), unmodified: IAM Policy Management
authorization policies against `strongroom serve`, and what they do to a service identity.

Run by crates/strongroom-cli/tests/sdk.rs with STRONGROOM_URL, STRONGROOM_INSTANCE,
STRONGROOM_API_KEY (the administrator's), and STRONGROOM_SERVICE_API_KEY,
STRONGROOM_SOURCE_SERVICE and STRONGROOM_SOURCE_INSTANCE (a service identity registered with
`strongroom services register`). The service side speaks plain HTTP through `requests`, as a
data service calling Key Protect would. Every step asserts; the last line is the tally.
"""

import os
import sys

import jwt
import requests
from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
from ibm_platform_services import IamPolicyManagementV1
from ibm_platform_services.iam_policy_management_v1 import (
    PolicyResource,
    PolicyRole,
    PolicySubject,
    ResourceAttribute,
    SubjectAttribute,
)

URL = os.environ["STRONGROOM_URL"]
INSTANCE = os.environ["STRONGROOM_INSTANCE"]
SOURCE_SERVICE = os.environ["STRONGROOM_SOURCE_SERVICE"]
SOURCE_INSTANCE = os.environ["STRONGROOM_SOURCE_INSTANCE"]
READER = "crn:v1:bluemix:public:iam::::serviceRole:Reader"
KEY_TYPE = "application/vnd.ibm.kms.key+json"

iam = IamPolicyManagementV1(authenticator=IAMAuthenticator(apikey=os.environ["STRONGROOM_API_KEY"], url=URL))
iam.set_service_url(URL)


def token(api_key):
    r = requests.post(
        f"{URL}/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": api_key},
        timeout=30,
    )
    assert r.status_code == 200, r.status_code
    return r.json()["access_token"]


def kp(access_token, method, path, body=None):
    return requests.request(
        method,
        f"{URL}/api/v2{path}",
        headers={"Authorization": f"Bearer {access_token}", "Bluemix-Instance": INSTANCE},
        json=body,
        timeout=30,
    )


admin = token(os.environ["STRONGROOM_API_KEY"])
service = token(os.environ["STRONGROOM_SERVICE_API_KEY"])
# The account the tokens belong to, from the (unverified) JWT, as IAM's own clients read it.
ACCOUNT = jwt.decode(admin, options={"verify_signature": False})["account"]["bss"]

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


def refused_before():
    body = {"metadata": {"collectionType": KEY_TYPE, "collectionTotal": 1},
            "resources": [{"type": KEY_TYPE, "name": "bucket-root", "extractable": False}]}
    r = kp(admin, "POST", "/keys", body)
    assert r.status_code == 201, r.status_code
    state["key"] = r.json()["resources"][0]["id"]
    r = kp(service, "POST", f"/keys/{state['key']}/actions/wrap", {})
    assert r.status_code in (401, 403), r.status_code


def create_policy():
    r = iam.create_policy(
        type="authorization",
        subjects=[PolicySubject(attributes=[
            SubjectAttribute(name="accountId", value=ACCOUNT),
            SubjectAttribute(name="serviceName", value=SOURCE_SERVICE),
            SubjectAttribute(name="serviceInstance", value=SOURCE_INSTANCE),
        ])],
        roles=[PolicyRole(role_id=READER)],
        resources=[PolicyResource(attributes=[
            ResourceAttribute(name="accountId", value=ACCOUNT, operator="stringEquals"),
            ResourceAttribute(name="serviceName", value="kms", operator="stringEquals"),
            ResourceAttribute(name="serviceInstance", value=INSTANCE, operator="stringEquals"),
        ])],
        description=f"{SOURCE_SERVICE} -> kms",
    )
    assert r.get_status_code() == 201, r.get_status_code()
    policy = r.get_result()
    assert isinstance(policy, dict), type(policy)
    assert policy["type"] == "authorization" and policy["roles"][0]["role_id"] == READER, policy
    assert policy["roles"][0]["display_name"] == "Reader", policy["roles"]
    state["policy"] = policy["id"]


def service_wraps():
    r = kp(service, "POST", f"/keys/{state['key']}/actions/wrap", {"aad": ["bucket=b1"]})
    assert r.status_code == 200, (r.status_code, r.text)
    wrapped = r.json()
    r = kp(service, "POST", f"/keys/{state['key']}/actions/unwrap", {"ciphertext": wrapped["ciphertext"], "aad": ["bucket=b1"]})
    assert r.status_code == 200 and r.json()["plaintext"] == wrapped["plaintext"], r.status_code
    r = kp(service, "POST", f"/keys/{state['key']}/actions/rotate", {})
    assert r.status_code == 403, ("Reader may not rotate", r.status_code)


def list_policies():
    r = iam.list_policies(account_id=ACCOUNT, type="authorization")
    ids = [p["id"] for p in r.get_result()["policies"]]
    assert state["policy"] in ids, ids


def get_policy():
    r = iam.get_policy(policy_id=state["policy"])
    policy = r.get_result()
    assert policy["id"] == state["policy"] and policy["state"] == "active", policy
    etag = r.get_headers().get("ETag")
    assert etag, r.get_headers()
    # The ETag guards a replace: a stale one is refused, the current one accepted.
    def replace(if_match):
        return iam.replace_policy(
            policy_id=state["policy"],
            if_match=if_match,
            type="authorization",
            subjects=[PolicySubject.from_dict(s) for s in policy["subjects"]],
            roles=[PolicyRole(role_id=READER)],
            resources=[PolicyResource.from_dict(x) for x in policy["resources"]],
            description="replaced",
        )

    try:
        replace('"stale"')
        raise AssertionError("a stale ETag replaced the policy")
    except ApiException as err:
        assert err.code == 412, err.code
    r = replace(etag)
    assert r.get_status_code() == 200 and r.get_result()["description"] == "replaced", r.get_status_code()


def delete_policy():
    r = iam.delete_policy(policy_id=state["policy"])
    assert r.get_status_code() == 204, r.get_status_code()
    try:
        iam.get_policy(policy_id=state["policy"])
        raise AssertionError("a deleted policy was found")
    except ApiException as err:
        assert err.code == 404, err.code


def service_refused_after():
    r = kp(service, "POST", f"/keys/{state['key']}/actions/wrap", {})
    assert r.status_code in (401, 403), r.status_code


for name, check in [
    ("a service identity without an authorization cannot wrap", refused_before),
    ("create a Reader authorization policy", create_policy),
    ("the service identity wraps and unwraps, and may not rotate", service_wraps),
    ("list authorization policies", list_policies),
    ("get the policy with its ETag", get_policy),
    ("delete the policy", delete_policy),
    ("the service identity can no longer wrap", service_refused_after),
]:
    step(name, check)

print(f"platform-services: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
