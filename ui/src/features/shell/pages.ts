import type { BackendCapabilities } from "../../lib/backend";

export const PAGES = [
  "dashboard",
  "keys",
  "key-rings",
  "aliases",
  "envelope",
  "authorizations",
  "policies",
  "audit",
  "connections",
  "local-server",
  "preferences",
] as const;

/** The pages of the console. */
export type Page = (typeof PAGES)[number];

export const PAGE_TITLES: Record<Page, string> = {
  dashboard: "Dashboard",
  keys: "Keys",
  "key-rings": "Key rings",
  aliases: "Aliases",
  envelope: "Envelope encryption",
  authorizations: "Authorizations",
  policies: "Policies",
  audit: "Audit log",
  connections: "Connections",
  "local-server": "Local server",
  preferences: "Preferences",
};

/**
 * A key's own page is reached from the key table's details panel, not from the side navigation,
 * which keeps this page marked while it shows.
 */
export const KEY_PAGE_PARENT: Page = "keys";

/** The pages this transport can show: connections and the local server exist on the desktop only. */
export function pagesFor(capabilities: BackendCapabilities): Page[] {
  return PAGES.filter(
    (page) => (page !== "connections" || capabilities.connections) && (page !== "local-server" || capabilities.localServer),
  );
}
