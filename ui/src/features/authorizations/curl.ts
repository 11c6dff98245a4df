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

/** The IAM authorization policy as it will be sent, with `$INSTANCE_ID` where the instance is not known. */
export function authorizationPolicyJson(request: CreateAuthorizationRequest, instanceId: string | undefined): string {
  const instance = instanceId === undefined || instanceId === "" ? "$INSTANCE_ID" : instanceId;
  return JSON.stringify(iamAuthorizationPolicy(request, instance), null, 2);
}

/** IAM's delete-policy call. */
export function deleteAuthorizationCurl(id: string, target: CurlTarget = {}): string {
  return curlCommand({ method: "DELETE", api: "iam", path: `/v1/policies/${pathSegment(id)}` }, target);
}
