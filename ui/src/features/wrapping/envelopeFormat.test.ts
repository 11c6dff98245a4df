import { describe, expect, it } from "vitest";
import { inspectEnvelope } from "./envelopeFormat";

/** Built from the documented layout outside Rust; the core crate opens the same string. */
const KNOWN_ENVELOPE =
  "U1IBDVwvHno7TJ2OHyo7TF1uf6Gio6SlpqeoqaqrrGStxS22F3wtzDzwMhaAjjEg1WhtNQcWxaDddRImWiWU17GGFN76C4zBu8ShXtZVWg==";

describe("inspectEnvelope", () => {
  it("reads the key version, nonce and DEK size of a Strongroom envelope", () => {
    expect(inspectEnvelope(KNOWN_ENVELOPE)).toEqual({
      kind: "strongroom",
      format: 1,
      keyVersion: "0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f",
      nonceHex: "a1a2a3a4a5a6a7a8a9aaabac",
      dekBytes: 32,
    });
  });

  it("tells apart text that is not base64, another KMS's ciphertext, a newer format and a cut-off one", () => {
    expect(inspectEnvelope("not base64!")).toEqual({ kind: "not-base64" });
    expect(inspectEnvelope(btoa("eyJjaXBoZXJ0ZXh0Ijoi"))).toEqual({ kind: "foreign", bytes: 20 });
    expect(inspectEnvelope(btoa("SR\u0002" + "x".repeat(60)))).toEqual({ kind: "unsupported-format", format: 2 });
    expect(inspectEnvelope(KNOWN_ENVELOPE.slice(0, 40))).toEqual({ kind: "truncated", bytes: 30 });
  });
});
