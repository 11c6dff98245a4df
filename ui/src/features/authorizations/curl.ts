import { iamAuthorizationPolicy } from "../../lib/backend/http";
import { curlCommand, pathSegment, shellVariable, type CurlTarget } from "../../lib/curl";
import type { CreateAuthorizationRequest } from "../../lib/types";

/** IAM's create-policy call for this authorization, as the console's web backend makes it. */
export function createAuthorizationCurl(request: CreateAuthorizationRequest, target: CurlTarget = {}): string {
  const known = target.instanceId !== undefined && target.instanceId !== "";
  return curlCommand(
    {
      method: "POST",
      api: "iam",
      path: "/v1/policies",
      body: {
        json: iamAuthorizationPolicy(request, known ? (target.instanceId ?? "") : shellVariable("INSTANCE_ID")),
        variables: known ? [] : ["INSTANCE_ID"],
      },
      comment: "Authorize the service: an IAM authorization policy on this instance",
    },
    target,
  );
}

/** IAM's delete-policy call. */
export function deleteAuthorizationCurl(id: string, target: CurlTarget = {}): string {
  return curlCommand({ method: "DELETE", api: "iam", path: `/v1/policies/${pathSegment(id)}` }, target);
}
