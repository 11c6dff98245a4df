export const PAGES = ["dashboard", "keys", "envelope"] as const;

/** The pages of the console. Authorizations, Audit log, Local server and Connections come later. */
export type Page = (typeof PAGES)[number];

export const PAGE_TITLES: Record<Page, string> = {
  dashboard: "Dashboard",
  keys: "Keys",
  envelope: "Envelope encryption",
};
