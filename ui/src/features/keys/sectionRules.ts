import { ACTIONS, type Action } from "../../lib/access";
import { STATE_LABELS } from "../../lib/format";
import type { KeyInfo, KeyStateName } from "../../lib/types";

/** The parts of a key's details panel the row menu can open it at. */
export type KeyDetailsSection = "aliases" | "move" | "rotation" | "resources";

/** Asks the details panel to show and focus a section; each request is a new object. */
export interface SectionRequest {
  section: KeyDetailsSection;
}

/**
 * The elements that show each section in the details panel, most specific first: the first that
 * takes focus gets it (the key ring list, say, is disabled while the rings load).
 */
export const SECTION_FOCUS: Record<KeyDetailsSection, readonly string[]> = {
  aliases: ["key-details-alias", "key-details-placement-title"],
  move: ["key-details-ring", "key-details-placement-title"],
  rotation: ["key-details-policies-title"],
  resources: ["key-details-reach-title"],
};

/** The row menu's items beyond the life-cycle ones: a page or a panel section, not a change. */
export type KeyMenuItem = "envelope" | "edit-aliases" | "move" | "edit-rotation" | "resources";

/** The section each item opens the details panel at; envelope encryption has a page of its own. */
export const ITEM_SECTIONS: Record<Exclude<KeyMenuItem, "envelope">, KeyDetailsSection> = {
  "edit-aliases": "aliases",
  move: "move",
  "edit-rotation": "rotation",
  resources: "resources",
};

export const ITEM_LABELS: Record<KeyMenuItem, string> = {
  envelope: "Envelope encryption",
  "edit-aliases": "Edit aliases",
  move: "Move to key ring",
  "edit-rotation": "Edit rotation policy",
  resources: "Associated resources",
};

/**
 * The roles' actions each item needs, any one of them enough: envelope encryption wraps or
 * unwraps; editing aliases adds or removes one. Reading associated resources needs none.
 */
export const ITEM_ROLE_ACTIONS: Record<KeyMenuItem, readonly Action[]> = {
  envelope: [ACTIONS.wrap, ACTIONS.unwrap],
  "edit-aliases": [ACTIONS.createAlias, ACTIONS.deleteAlias],
  move: [ACTIONS.move],
  "edit-rotation": [ACTIONS.writePolicies],
  resources: [],
};

/**
 * The states each item works in. A deactivated (expired) root key still unwraps; a destroyed
 * key keeps its ring, aliases and policies as they were.
 */
const ALLOWED_IN: Record<KeyMenuItem, readonly KeyStateName[]> = {
  envelope: ["active", "deactivated"],
  "edit-aliases": ["active", "suspended", "deactivated"],
  move: ["active", "suspended", "deactivated"],
  "edit-rotation": ["active", "suspended", "deactivated"],
  resources: ["active", "suspended", "deactivated", "destroyed"],
};

/** Why the key's state or type forbids `item`, as a sentence; undefined when they allow it. */
export function itemRefusal(item: KeyMenuItem, key: Pick<KeyInfo, "state" | "keyType">): string | undefined {
  if (item === "envelope" && key.keyType !== "root") return "Only root keys wrap and unwrap.";
  if (item === "edit-rotation" && key.keyType !== "root") return "Standard keys cannot be rotated.";
  if (ALLOWED_IN[item].includes(key.state)) return undefined;
  return `${ITEM_LABELS[item]}: the key is ${STATE_LABELS[key.state]}.`;
}
