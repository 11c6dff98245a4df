import { describe, expect, it } from "vitest";
import { runCurlSnippet } from "../../test/curlShell";
import { createKeyRingCurl, deleteKeyRingCurl } from "./curl";

const ENV = { KMS_URL: "https://kms.test", TOKEN: "t0k", INSTANCE_ID: "inst-env" };

describe("key ring curl", () => {
  it("creates a ring with POST on its id", () => {
    expect(runCurlSnippet(createKeyRingCurl("payments"), ENV)).toEqual([
      {
        method: "POST",
        url: "https://kms.test/api/v2/key_rings/payments",
        headers: ["Authorization: Bearer t0k", "Bluemix-Instance: inst-env"],
      },
    ]);
  });

  it("deletes a ring, with force only when asked", () => {
    expect(runCurlSnippet(deleteKeyRingCurl("payments", false), ENV)[0]).toMatchObject({
      method: "DELETE",
      url: "https://kms.test/api/v2/key_rings/payments",
    });
    expect(runCurlSnippet(deleteKeyRingCurl("payments", true), ENV)[0]?.url).toBe(
      "https://kms.test/api/v2/key_rings/payments?force=true",
    );
  });
});
