import { describe, expect, it } from "vitest";
import { runCurlSnippet } from "../../test/curlShell";
import { authorizationPolicyJson, createAuthorizationCurl, deleteAuthorizationCurl } from "./curl";

const ENV = { IAM_URL: "https://iam.test", IAM_TOKEN: "iam-t0k", INSTANCE_ID: "inst-env" };
const attributes = (body: unknown, part: "subjects" | "resources") =>
  (body as Record<string, { attributes: { name: string; value: string }[] }[]>)[part]?.[0]?.attributes.map(
    (attribute) => `${attribute.name}=${attribute.value}`,
  );

describe("createAuthorizationCurl", () => {
  it("posts the IAM policy for a key ring with the instance read from $INSTANCE_ID", () => {
    const [call] = runCurlSnippet(
      createAuthorizationCurl({ sourceService: "cloud-object-storage", keyRing: "payments", roles: ["Reader"] }),
      ENV,
    );
    expect(call).toMatchObject({ method: "POST", url: "https://iam.test/v1/policies" });
    expect(call?.headers).toEqual(["Authorization: Bearer iam-t0k", "Content-Type: application/json"]);
    expect(call?.body).toMatchObject({
      type: "authorization",
      roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }],
    });
    expect(attributes(call?.body, "subjects")).toEqual(["serviceName=cloud-object-storage"]);
    expect(attributes(call?.body, "resources")).toEqual(["serviceName=kms", "serviceInstance=inst-env", "keyRing=payments"]);
  });

  it("fills in the connection's instance and IAM URL for one key and a source instance", () => {
    const [call] = runCurlSnippet(
      createAuthorizationCurl(
        { sourceService: "databases-for-postgresql", sourceInstance: "pg-1", keyId: "k-1" },
        { iamUrl: "https://iam.example", instanceId: "inst-9" },
      ),
      ENV,
    );
    expect(call?.url).toBe("https://iam.example/v1/policies");
    expect(attributes(call?.body, "subjects")).toEqual(["serviceName=databases-for-postgresql", "serviceInstance=pg-1"]);
    expect(attributes(call?.body, "resources")).toEqual([
      "serviceName=kms",
      "serviceInstance=inst-9",
      "resourceType=key",
      "resource=k-1",
    ]);
  });
});

describe("deleteAuthorizationCurl", () => {
  it("deletes the policy by its id", () => {
    expect(runCurlSnippet(deleteAuthorizationCurl("p-1"), ENV)).toEqual([
      { method: "DELETE", url: "https://iam.test/v1/policies/p-1", headers: ["Authorization: Bearer iam-t0k"] },
    ]);
  });
});

describe("authorizationPolicyJson", () => {
  const request = { sourceService: "cloud-object-storage", keyRing: "payments", roles: ["Reader"] };

  it("names this instance when the connection knows it", () => {
    const policy = JSON.parse(authorizationPolicyJson(request, "inst-1")) as unknown;
    expect(attributes(policy, "resources")).toEqual(["serviceName=kms", "serviceInstance=inst-1", "keyRing=payments"]);
    expect(attributes(policy, "subjects")).toEqual(["serviceName=cloud-object-storage"]);
  });

  it("writes $INSTANCE_ID where it does not", () => {
    expect(attributes(JSON.parse(authorizationPolicyJson(request, undefined)), "resources")).toContain(
      "serviceInstance=$INSTANCE_ID",
    );
  });
});
