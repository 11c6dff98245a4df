import { BackendError, toBackendError, type Backend } from "../../lib/backend";
import { sameBytes } from "../../lib/base64";
import type { WrapResponse } from "../../lib/types";

export type RoundTripOutcome =
  /** The unwrapped bytes equal the generated DEK. */
  | { kind: "passed"; keyVersion: string; unwrapVersion: string }
  /** Both calls succeeded, but the bytes differ. */
  | { kind: "mismatch"; keyVersion: string; unwrapVersion: string }
  /** A call was refused; `keyVersion` is known once the wrap succeeded. */
  | { kind: "failed"; step: "wrap" | "unwrap"; error: BackendError; keyVersion?: string };

/**
 * Wraps a DEK the keystore generates, unwraps the result with the same AAD, and compares the
 * bytes. The DEK lives only in this function's locals: it is never returned or shown.
 */
export async function roundTrip(backend: Backend, keyId: string, aad: readonly string[]): Promise<RoundTripOutcome> {
  let wrapped: WrapResponse;
  try {
    wrapped = await backend.wrap({ keyId, aad: [...aad] });
  } catch (thrown) {
    return { kind: "failed", step: "wrap", error: toBackendError(thrown) };
  }
  const keyVersion = wrapped.keyVersion.id;
  const dek = wrapped.plaintext;
  if (dek === undefined) {
    return {
      kind: "failed",
      step: "wrap",
      keyVersion,
      error: new BackendError("INTERNAL", "the keystore wrapped a DEK but did not return the one it generated"),
    };
  }
  try {
    const unwrapped = await backend.unwrap({ keyId, ciphertext: wrapped.ciphertext, aad: [...aad] });
    const unwrapVersion = unwrapped.keyVersion.id;
    return sameBytes(unwrapped.plaintext, dek)
      ? { kind: "passed", keyVersion, unwrapVersion }
      : { kind: "mismatch", keyVersion, unwrapVersion };
  } catch (thrown) {
    return { kind: "failed", step: "unwrap", keyVersion, error: toBackendError(thrown) };
  }
}
