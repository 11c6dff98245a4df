import { describe, expect, it } from "vitest";
import { runCurlSnippet } from "../../test/curlShell";
import { savePolicyCurl } from "./curl";

describe("savePolicyCurl", () => {
  it("puts one instance policy in Key Protect's collection, with its media type", () => {
    const [call] = runCurlSnippet(
      savePolicyCurl({ policyType: "rotation", enabled: true, attributes: { interval_month: 6 } }, { kmsUrl: "https://kp.example", instanceId: "inst-9" }),
      { TOKEN: "t0k" },
    );
    expect(call).toEqual({
      method: "PUT",
      url: "https://kp.example/api/v2/instance/policies?policy=rotation",
      headers: [
        "Authorization: Bearer t0k",
        "Bluemix-Instance: inst-9",
        "Content-Type: application/vnd.ibm.kms.policy+json",
      ],
      body: {
        metadata: { collectionType: "application/vnd.ibm.kms.policy+json", collectionTotal: 1 },
        resources: [{ policy_type: "rotation", policy_data: { enabled: true, attributes: { interval_month: 6 } } }],
      },
    });
  });
});
