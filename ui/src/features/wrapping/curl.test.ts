import { describe, expect, it } from "vitest";
import { runCurlSnippet } from "../../test/curlShell";
import { envelopeCurl } from "./curl";

const ENV = { KMS_URL: "https://kms.test", INSTANCE_ID: "i-1", TOKEN: "t0k", DEK: "ZGVr" };

describe("envelopeCurl", () => {
  it("sends the DEK from $DEK and the AAD list, quoted safely for the shell", () => {
    const snippet = envelopeCurl("k1", ["tenant=acme", "it's"], "SRct");
    expect(snippet).not.toContain("ZGVr");
    const [wrap, unwrap] = runCurlSnippet(snippet, ENV);
    expect(wrap).toMatchObject({
      method: "POST",
      url: "https://kms.test/api/v2/keys/k1/actions/wrap",
      body: { plaintext: "ZGVr", aad: ["tenant=acme", "it's"] },
    });
    expect(wrap?.headers).toContain("Bluemix-Instance: i-1");
    expect(unwrap).toMatchObject({
      url: "https://kms.test/api/v2/keys/k1/actions/unwrap",
      body: { ciphertext: "SRct", aad: ["tenant=acme", "it's"] },
    });
  });

  it("leaves out aad when there is none", () => {
    expect(runCurlSnippet(envelopeCurl("k1", [], ""), ENV).map((call) => call.body)).toEqual([
      { plaintext: "ZGVr" },
      { ciphertext: "<ciphertext>" },
    ]);
  });

  it("uses the connection's URL and instance when it knows them", () => {
    const [wrap] = runCurlSnippet(envelopeCurl("k1", [], "", { kmsUrl: "https://kp.example", instanceId: "inst-2" }), ENV);
    expect(wrap?.url).toBe("https://kp.example/api/v2/keys/k1/actions/wrap");
    expect(wrap?.headers).toContain("Bluemix-Instance: inst-2");
  });
});
