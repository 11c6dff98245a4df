import { CodeSnippet } from "@carbon/react";

interface Props {
  /** The commands, from lib/curl: tokens are read from variables, never written in. */
  snippet: string;
  id?: string;
}

const READS: Record<string, string> = {
  TOKEN: "$TOKEN (an IAM access token for Key Protect)",
  IAM_TOKEN: "$IAM_TOKEN (an IAM access token)",
  KMS_URL: "$KMS_URL",
  IAM_URL: "$IAM_URL",
  INSTANCE_ID: "$INSTANCE_ID",
};

/** Names the variables the commands read, so nothing secret has to be pasted into them. */
function hintOf(snippet: string): string {
  const names = [...new Set([...snippet.matchAll(/\$([A-Z_]+)/g)].map((match) => match[1] ?? ""))].filter(
    (name) => name in READS,
  );
  if (names.length === 0) return "";
  const listed = names.map((name) => READS[name]);
  const last = listed.pop();
  return `Reads ${listed.length === 0 ? last : `${listed.join(", ")} and ${last}`} from the environment.`;
}

/** The same call for a terminal or a script, titled the way every dialog titles it. */
export function CurlSnippet({ snippet, id }: Props) {
  return (
    <section className="curl-snippet" id={id} aria-label="Copy as curl">
      <h3 className="curl-snippet__title">Copy as curl</h3>
      <p className="curl-snippet__hint">{hintOf(snippet)}</p>
      <CodeSnippet type="multi" feedback="Copied" wrapText aria-label="curl command">
        {snippet}
      </CodeSnippet>
    </section>
  );
}
