import { describe, expect, it } from "vitest";
import { runCurlSnippet } from "../test/curlShell";
import { curlCommand, curlScript, pathSegment, shellQuote, shellVariable } from "./curl";

const ENV = { KMS_URL: "https://kms.test", INSTANCE_ID: "i-1", TOKEN: "t0k", IAM_URL: "https://iam.test", IAM_TOKEN: "iam-t0k" };

describe("shellQuote", () => {
  it("survives quotes, dollars and backticks", () => {
    const text = `it's $HOME and \`id\` and "x"`;
    const [call] = runCurlSnippet(`curl -d ${shellQuote(JSON.stringify({ text }))}`);
    expect(call?.body).toEqual({ text });
  });
});

describe("pathSegment", () => {
  it("percent-encodes everything the shell or a URL could read differently", () => {
    expect(pathSegment("a b/c$'!()*")).toBe("a%20b%2Fc%24%27%21%28%29%2A");
  });
});

describe("curlCommand", () => {
  it("reads the URL, instance and token from the environment when the connection does not know them", () => {
    const snippet = curlCommand({ method: "POST", api: "kms", path: "/api/v2/key_rings/payments" });
    expect(snippet).not.toContain("t0k");
    expect(runCurlSnippet(snippet, ENV)).toEqual([
      {
        method: "POST",
        url: "https://kms.test/api/v2/key_rings/payments",
        headers: ["Authorization: Bearer t0k", "Bluemix-Instance: i-1"],
      },
    ]);
  });

  it("fills in what the connection knows, and still never the token", () => {
    const snippet = curlCommand(
      { method: "PUT", api: "kms", path: "/api/v2/instance/policies?policy=rotation", body: { json: { a: "it's" } } },
      { kmsUrl: "https://kms.example/", instanceId: "inst-9" },
    );
    expect(snippet).toContain("inst-9");
    expect(runCurlSnippet(snippet, { TOKEN: "t0k" })).toEqual([
      {
        method: "PUT",
        url: "https://kms.example/api/v2/instance/policies?policy=rotation",
        headers: ["Authorization: Bearer t0k", "Bluemix-Instance: inst-9", "Content-Type: application/json"],
        body: { a: "it's" },
      },
    ]);
  });

  it("sends IAM calls with $IAM_TOKEN and no instance header", () => {
    const snippet = curlScript([
      { method: "DELETE", api: "iam", path: "/v1/policies/p1", comment: "Remove it" },
      { method: "GET", api: "iam", path: "/v1/policies?type=authorization" },
    ]);
    expect(snippet.startsWith("# Remove it\n")).toBe(true);
    expect(runCurlSnippet(snippet, ENV)).toEqual([
      { method: "DELETE", url: "https://iam.test/v1/policies/p1", headers: ["Authorization: Bearer iam-t0k"] },
      { method: "GET", url: "https://iam.test/v1/policies?type=authorization", headers: ["Authorization: Bearer iam-t0k"] },
    ]);
  });

  it("splices named variables into a JSON body, and nothing a person typed", () => {
    const snippet = curlCommand({
      method: "POST",
      api: "iam",
      path: "/v1/policies",
      contentType: "application/vnd.ibm.kms.policy+json",
      body: { json: { instance: shellVariable("INSTANCE_ID"), typed: `${shellVariable("TOKEN")} $HOME` }, variables: ["INSTANCE_ID"] },
    });
    const [call] = runCurlSnippet(snippet, ENV);
    expect(call?.body).toEqual({ instance: "i-1", typed: "@@TOKEN@@ $HOME" });
    expect(call?.headers).toContain("Content-Type: application/vnd.ibm.kms.policy+json");
  });

  it("refuses a path that the shell would expand", () => {
    expect(() => curlCommand({ method: "GET", api: "kms", path: "/api/v2/keys/$(id)" })).toThrow(/percent-encoded/);
  });
});
