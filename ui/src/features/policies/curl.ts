import { kpInstancePolicies, POLICY_TYPE } from "../../lib/backend/http";
import { curlCommand, pathSegment, type CurlTarget } from "../../lib/curl";
import type { InstancePolicy } from "../../lib/types";

/** Key Protect's call that sets one instance policy, named in `?policy=` as Key Protect documents it. */
export function savePolicyCurl(policy: InstancePolicy, target: CurlTarget = {}): string {
  return curlCommand(
    {
      method: "PUT",
      api: "kms",
      path: `/api/v2/instance/policies?policy=${pathSegment(policy.policyType)}`,
      contentType: POLICY_TYPE,
      body: { json: kpInstancePolicies([policy]) },
    },
    target,
  );
}
