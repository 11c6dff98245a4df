import { curlScript, pathSegment, shellQuote, type CurlTarget } from "../../lib/curl";

/**
 * The Key Protect calls the envelope page makes, as curl commands for the person's own code.
 * The DEK is never written out: the command reads it from `$DEK`, so copying the snippet cannot
 * leak it. The ciphertext is not secret and is filled in when there is one.
 */
export function envelopeCurl(keyId: string, aad: string[], ciphertext: string, target: CurlTarget = {}): string {
  const aadJson = aad.length === 0 ? "" : `,"aad":${JSON.stringify(aad)}`;
  // The DEK is spliced in by the shell, between two single-quoted halves of the JSON.
  const wrapBody = `'{"plaintext":"'"$DEK"'"'${aadJson === "" ? "" : shellQuote(aadJson)}'}'`;
  const path = (action: string) => `/api/v2/keys/${pathSegment(keyId)}/actions/${action}`;
  return curlScript(
    [
      {
        method: "POST",
        api: "kms",
        path: path("wrap"),
        body: { shellWord: wrapBody },
        comment: "Wrap: the DEK is read from $DEK (base64), never pasted here.",
      },
      {
        method: "POST",
        api: "kms",
        path: path("unwrap"),
        body: { json: { ciphertext: ciphertext === "" ? "<ciphertext>" : ciphertext, ...(aad.length === 0 ? {} : { aad }) } },
        comment: "Unwrap",
      },
    ],
    target,
  );
}
