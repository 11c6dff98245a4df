/// <reference types="node" />
// Runs curl snippets in a real bash with curl replaced by a recorder: quoting is what breaks
// copied commands, so tests check what the shell would hand to curl.
import { execFileSync } from "node:child_process";

export interface CurlInvocation {
  method: string;
  url: string;
  headers: string[];
  /** The -d argument, parsed as JSON. */
  body?: unknown;
}

const RECORD_END = "\u001e";

function parse(args: string[]): CurlInvocation {
  const invocation: CurlInvocation = { method: "GET", url: "", headers: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? "";
    if (arg === "-X") invocation.method = args[++i] ?? "";
    else if (arg === "-H") invocation.headers.push(args[++i] ?? "");
    else if (arg === "-d") invocation.body = JSON.parse(args[++i] ?? "") as unknown;
    else if (!arg.startsWith("-")) invocation.url = arg;
  }
  return invocation;
}

/** Every curl call the snippet makes, as bash would run it with `env`. */
export function runCurlSnippet(snippet: string, env: Record<string, string> = {}): CurlInvocation[] {
  const recorder = `curl() { printf '%s\\0' "$@"; printf '${RECORD_END}\\0'; }`;
  const out = execFileSync("bash", ["-c", `${recorder}\n${snippet}`], { env: { PATH: process.env.PATH ?? "", ...env } })
    .toString();
  const invocations: CurlInvocation[] = [];
  let args: string[] = [];
  for (const word of out.split("\0")) {
    if (word === RECORD_END) {
      invocations.push(parse(args));
      args = [];
    } else if (word !== "") {
      args.push(word);
    }
  }
  return invocations;
}
