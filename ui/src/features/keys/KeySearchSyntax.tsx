import { Toggletip, ToggletipButton, ToggletipContent } from "@carbon/react";
import { Information } from "@carbon/icons-react";

/** The search prefixes the keystore understands, as Key Protect documents them. */
const PREFIXES: { prefix: string; meaning: string; example: string }[] = [
  { prefix: "not:", meaning: "keys that do not match the rest", example: "not:test" },
  { prefix: "exact:", meaning: "the whole name or an alias, case-sensitive", example: "exact:payments-root" },
  { prefix: "name:", meaning: "search names only", example: "name:payments" },
  { prefix: "alias:", meaning: "search aliases only; with name: too, either may match", example: "alias:pay-main" },
  { prefix: "escape:", meaning: "the rest is literal, prefixes included", example: "escape:not:" },
];

/** A cheat-sheet beside the key search box: what each prefix does, with an example query. */
export function KeySearchSyntax() {
  return (
    <Toggletip align="bottom" className="key-table__search-syntax">
      <ToggletipButton id="key-search-syntax" label="Search syntax">
        <Information />
      </ToggletipButton>
      <ToggletipContent>
        <div id="key-search-syntax-help">
          <p>
            Without a prefix, a search matches a case-insensitive part of the name or of an alias, or an exact key ID.
          </p>
          <dl className="key-table__search-prefixes">
            {PREFIXES.map(({ prefix, meaning, example }) => (
              <div key={prefix}>
                <dt>
                  <code>{prefix}</code>
                </dt>
                <dd>
                  {meaning}, e.g. <code>{example}</code>
                </dd>
              </div>
            ))}
          </dl>
          <p>
            Prefixes combine: <code>not:name:test</code> lists keys whose name does not contain “test”.
          </p>
        </div>
      </ToggletipContent>
    </Toggletip>
  );
}
