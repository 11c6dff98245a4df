import type { ActionRoles } from "../../lib/types";

/**
 * Activity Tracker action names in words. Which role allows which action is the keystore's
 * table (`CallerInfo.actionRoles`, from strongroom-core's `Role::grants`); only the wording
 * lives here.
 */
export const ACTION_LABELS: Record<string, string> = {
  "kms.secrets.list": "List keys",
  "kms.secrets-metadata.read": "Read key metadata",
  "kms.secrets.read": "Read a standard key's material",
  "kms.secrets-key-versions.list": "List key versions",
  "kms.secrets.create": "Create or import keys",
  "kms.secrets.wrap": "Wrap",
  "kms.secrets.unwrap": "Unwrap",
  "kms.secrets.rewrap": "Rewrap",
  "kms.secrets.rotate": "Rotate keys",
  "kms.secrets.disable": "Disable keys",
  "kms.secrets.enable": "Enable keys",
  "kms.secrets.setkeyfordeletion": "Authorize a deletion (dual authorization)",
  "kms.secrets.unsetkeyfordeletion": "Cancel a deletion authorization",
  "kms.secrets.delete": "Delete keys",
  "kms.secrets.restore": "Restore keys",
  "kms.secrets.purge": "Purge destroyed keys",
  "kms.secrets.patch": "Move keys to another key ring",
  "kms.secrets.sync": "Sync keys",
  "kms.secrets-alias.create": "Add aliases",
  "kms.secrets-alias.delete": "Remove aliases",
  "kms.key-rings.list": "List key rings",
  "kms.key-rings.create": "Create key rings",
  "kms.key-rings.delete": "Delete key rings",
  "kms.policies.read": "Read policies",
  "kms.policies.write": "Set policies",
  "kms.import-token.create": "Create or retrieve an import token",
  "kms.registrations.list": "Read registrations",
  "kms.import-token.read": "See when the import token expires",
  "kms.registrations.create": "Register resources (services only)",
  "kms.registrations.write": "Replace registrations (services only)",
  "kms.registrations.merge": "Update registrations (services only)",
  "kms.registrations.delete": "Remove registrations",
};

/** The roles an authorization can give a source service, least first, with what each is for. */
export const AUTHORIZATION_ROLES: readonly { id: string; text: string; helper: string }[] = [
  { id: "Reader", text: "Reader", helper: "Wrap, unwrap and rewrap with the keys; enough for encryption at rest." },
  { id: "ReaderPlus", text: "ReaderPlus", helper: "Reader, plus reading a standard key's material." },
  { id: "Writer", text: "Writer", helper: "Reader, plus create, rotate and disable keys." },
  { id: "Manager", text: "Manager", helper: "Everything, including deleting keys. Rarely right for a service." },
];

export interface RoleAction {
  /** The Activity Tracker name, as audit events show it. */
  action: string;
  label: string;
}

/** A bare role name or an IAM role CRN (`…:serviceRole:Reader`), compared without case, as the keystore parses roles. */
const sameRole = (a: string, b: string) =>
  a.slice(a.lastIndexOf(":") + 1).toLowerCase() === b.slice(b.lastIndexOf(":") + 1).toLowerCase();

/** What `role` allows, in the keystore's table order. */
export function roleActions(role: string, actionRoles: readonly ActionRoles[]): RoleAction[] {
  return actionRoles
    .filter((row) => row.roles.some((allowed) => sameRole(allowed, role)))
    .map((row) => ({ action: row.action, label: ACTION_LABELS[row.action] ?? row.action }));
}
