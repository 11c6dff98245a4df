import { CodeSnippet } from "@carbon/react";
import { MATERIAL_FILE_VARIABLE, type CliTarget } from "../lib/cli";
import { useCliTarget } from "../lib/hooks/useCliTarget";

interface Props {
  /** Builds the command for where the console is connected; null when the CLI has no equivalent. */
  command: (target: CliTarget | undefined) => string | null;
  id?: string;
}

/** "Copy as CLI": the `strongroom` command that does what this dialog or panel does. */
export function CliSnippet({ command, id }: Props) {
  const { target, remote } = useCliTarget();
  const text = command(target);
  if (text === null) return null;
  const multi = text.includes("\n");
  const notes: string[] = [];
  if (remote) {
    notes.push(
      target === undefined
        ? "The CLI takes the instance from IBM_KEY_PROTECT_API_URL and IBM_KEY_PROTECT_INSTANCE_ID, and the API key from IBM_KEY_PROTECT_API_APIKEY."
        : "The CLI takes the API key from IBM_KEY_PROTECT_API_APIKEY.",
    );
  }
  if (text.includes(MATERIAL_FILE_VARIABLE)) {
    notes.push(`Set ${MATERIAL_FILE_VARIABLE} to the file that holds the key material (raw bytes or base64).`);
  }
  return (
    <section className="cli-snippet" aria-label="Copy as CLI" id={id}>
      <h4 className="cds--label cli-snippet__title">Copy as CLI</h4>
      <CodeSnippet
        type={multi ? "multi" : "single"}
        feedback="Copied"
        copyButtonDescription="Copy command"
        aria-label="Command line"
        wrapText={multi}
      >
        {text}
      </CodeSnippet>
      {notes.length > 0 && <p className="cli-snippet__note">{notes.join(" ")}</p>}
    </section>
  );
}
