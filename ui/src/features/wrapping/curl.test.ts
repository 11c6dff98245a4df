/// <reference types="node" />
// Runs the snippet in a real shell: quoting is what breaks copied curl commands.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { envelopeCurl } from "./curl";

/** What the shell passes to curl as the -d argument of each command. */
function bodies(snippet: string): unknown[] {
  const script = snippet
    .replaceAll(/curl -sS[^\n]*\\\n[^\n]*\\\n[^\n]*\\\n {2}-d /g, "printf '%s\\n' ");
  const out = execFileSync("bash", ["-c", script], { env: { DEK: "ZGVr" } }).toString();
  return out
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
}

describe("envelopeCurl", () => {
  it("sends the DEK from $DEK and the AAD list, quoted safely for the shell", () => {
    const snippet = envelopeCurl("k1", ["tenant=acme", "it's"], "SRct");
    expect(snippet).toContain("/api/v2/keys/k1/actions/wrap");
    expect(snippet).toContain("/api/v2/keys/k1/actions/unwrap");
    expect(bodies(snippet)).toEqual([
      { plaintext: "ZGVr", aad: ["tenant=acme", "it's"] },
      { ciphertext: "SRct", aad: ["tenant=acme", "it's"] },
    ]);
  });

  it("leaves out aad when there is none", () => {
    expect(bodies(envelopeCurl("k1", [], ""))).toEqual([{ plaintext: "ZGVr" }, { ciphertext: "<ciphertext>" }]);
  });
});
