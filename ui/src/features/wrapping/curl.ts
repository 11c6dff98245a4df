/** A shell word in single quotes: safe for any AAD a person types. */
const quote = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;

/**
 * The Key Protect calls the envelope page makes, as curl commands for the person's own code.
 * The DEK is never written out: the command reads it from `$DEK`, so copying the snippet cannot
 * leak it. The ciphertext is not secret and is filled in when there is one.
 */
export function envelopeCurl(keyId: string, aad: string[], ciphertext: string): string {
  const aadJson = aad.length === 0 ? "" : `,"aad":${JSON.stringify(aad)}`;
  const call = (action: string, body: string) =>
    [
      `curl -sS -X POST "$KMS_URL/api/v2/keys/${keyId}/actions/${action}" \\`,
      `  -H "Authorization: Bearer $TOKEN" -H "Bluemix-Instance: $INSTANCE_ID" \\`,
      `  -H "Content-Type: application/json" \\`,
      `  -d ${body}`,
    ].join("\n");
  const wrapBody = `'{"plaintext":"'"$DEK"'"'${aadJson === "" ? "" : quote(aadJson)}'}'`;
  const unwrapBody = quote(`{"ciphertext":${JSON.stringify(ciphertext === "" ? "<ciphertext>" : ciphertext)}${aadJson}}`);
  return [
    "# Wrap: the DEK is read from $DEK (base64), never pasted here.",
    call("wrap", wrapBody),
    "",
    "# Unwrap",
    call("unwrap", unwrapBody),
  ].join("\n");
}
