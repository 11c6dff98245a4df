/**
 * Key Protect and IAM calls written out as curl commands, for people to paste into a shell or
 * a script. No secret is ever written into one: the bearer token is read from `$TOKEN` (Key
 * Protect) or `$IAM_TOKEN` (IAM policy calls), and anything secret in a body from a variable.
 */

/** A shell word in single quotes: safe for any text. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

/**
 * One path segment, percent-encoding everything but RFC 3986's unreserved characters, so the
 * URL can sit in double quotes (beside `$KMS_URL`) without the shell reading any of it.
 */
export function pathSegment(text: string): string {
  return encodeURIComponent(text).replaceAll(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Where the calls go. What the connection knows is filled in; the rest stays a shell variable. */
export interface CurlTarget {
  /** Key Protect's base URL; `$KMS_URL` when unknown. */
  kmsUrl?: string | undefined;
  /** The instance id for `Bluemix-Instance`; `$INSTANCE_ID` when unknown. */
  instanceId?: string | undefined;
  /** IAM's base URL (policies); `$IAM_URL` when unknown. */
  iamUrl?: string | undefined;
}

/**
 * A string that stands for a shell variable inside a JSON body, e.g. the instance id in an IAM
 * policy when the connection does not know it. Only names listed in the body's `variables` are
 * replaced, so text a person typed is never expanded.
 */
export const shellVariable = (name: string): string => `@@${name}@@`;

/**
 * A request body: JSON (with {@link shellVariable}s spliced in by the shell), or a shell word
 * built by the caller.
 */
export type CurlBody = { json: unknown; variables?: string[] } | { shellWord: string };

function jsonWord(json: unknown, variables: string[] = []): string {
  let word = shellQuote(JSON.stringify(json));
  for (const name of variables) {
    // Close the single quotes, expand the variable in double quotes, reopen.
    word = word.replaceAll(shellVariable(name), `'"$${name}"'`);
  }
  return word;
}

export interface CurlCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Key Protect calls carry `Bluemix-Instance` and `$TOKEN`; IAM calls carry `$IAM_TOKEN` only. */
  api: "kms" | "iam";
  /** Path and query, each segment made with {@link pathSegment}. */
  path: string;
  body?: CurlBody;
  /** Key Protect's policy calls name their own media type; JSON otherwise. */
  contentType?: string;
  /** Shown on the line before the command. */
  comment?: string;
}

const SAFE_IN_DOUBLE_QUOTES = /^[A-Za-z0-9\-._~%/?=&]*$/;

function urlWord(base: string | undefined, variable: string, path: string): string {
  if (base !== undefined && base !== "") return shellQuote(`${base.replace(/\/+$/, "")}${path}`);
  if (!SAFE_IN_DOUBLE_QUOTES.test(path)) {
    // A raw `$` or quote here would be read by the shell; build paths with pathSegment.
    throw new Error(`curl path is not percent-encoded: ${path}`);
  }
  return `"$${variable}${path}"`;
}

/** One call as a curl command, one option per line. */
export function curlCommand(call: CurlCall, target: CurlTarget = {}): string {
  const url =
    call.api === "kms" ? urlWord(target.kmsUrl, "KMS_URL", call.path) : urlWord(target.iamUrl, "IAM_URL", call.path);
  const lines = [`curl -sS -X ${call.method} ${url}`];
  if (call.api === "kms") {
    const instance =
      target.instanceId === undefined || target.instanceId === ""
        ? `"Bluemix-Instance: $INSTANCE_ID"`
        : shellQuote(`Bluemix-Instance: ${target.instanceId}`);
    lines.push(`-H "Authorization: Bearer $TOKEN" -H ${instance}`);
  } else {
    lines.push(`-H "Authorization: Bearer $IAM_TOKEN"`);
  }
  if (call.body !== undefined) {
    lines.push(`-H ${shellQuote(`Content-Type: ${call.contentType ?? "application/json"}`)}`);
    lines.push(`-d ${"json" in call.body ? jsonWord(call.body.json, call.body.variables) : call.body.shellWord}`);
  }
  const command = lines.join(" \\\n  ");
  return call.comment === undefined ? command : `# ${call.comment}\n${command}`;
}

/** Several calls, separated by blank lines. */
export function curlScript(calls: CurlCall[], target: CurlTarget = {}): string {
  return calls.map((call) => curlCommand(call, target)).join("\n\n");
}
