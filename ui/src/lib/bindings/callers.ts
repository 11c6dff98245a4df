// Generated from strongroom-local's caller_info by `cargo test -p strongroom-local --lib`. Do not edit.
import type { CallerInfo } from "./CallerInfo";

/** The person at the desktop: Manager and KeyPurge on the whole instance. */
export const DESKTOP_CALLER: CallerInfo = {
  "iamId": "IBMid-local-administrator",
  "grants": [
    {
      "roles": [
        "Manager",
        "KeyPurge"
      ],
      "actions": [
        "kms.secrets.list",
        "kms.secrets-metadata.read",
        "kms.secrets.read",
        "kms.secrets-key-versions.list",
        "kms.secrets.create",
        "kms.secrets.wrap",
        "kms.secrets.unwrap",
        "kms.secrets.rewrap",
        "kms.secrets.rotate",
        "kms.secrets.disable",
        "kms.secrets.enable",
        "kms.secrets.setkeyfordeletion",
        "kms.secrets.unsetkeyfordeletion",
        "kms.secrets.delete",
        "kms.secrets.restore",
        "kms.secrets.purge",
        "kms.secrets.patch",
        "kms.secrets.sync",
        "kms.secrets-alias.create",
        "kms.secrets-alias.delete",
        "kms.key-rings.list",
        "kms.key-rings.create",
        "kms.key-rings.delete",
        "kms.policies.read",
        "kms.policies.write",
        "kms.import-token.create",
        "kms.registrations.list",
        "kms.import-token.read",
        "kms.registrations.create",
        "kms.registrations.write",
        "kms.registrations.merge",
        "kms.registrations.delete"
      ]
    }
  ],
  "actionRoles": [
    {
      "action": "kms.secrets.list",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets-metadata.read",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.read",
      "roles": [
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets-key-versions.list",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.create",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.wrap",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.unwrap",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.rewrap",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.rotate",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.disable",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.enable",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.setkeyfordeletion",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.unsetkeyfordeletion",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.delete",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.restore",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.purge",
      "roles": [
        "KeyPurge"
      ]
    },
    {
      "action": "kms.secrets.patch",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.secrets.sync",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets-alias.create",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.secrets-alias.delete",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.key-rings.list",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.key-rings.create",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.key-rings.delete",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.policies.read",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.policies.write",
      "roles": [
        "Manager"
      ]
    },
    {
      "action": "kms.import-token.create",
      "roles": [
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.registrations.list",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.import-token.read",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.registrations.create",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.registrations.write",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.registrations.merge",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    },
    {
      "action": "kms.registrations.delete",
      "roles": [
        "Reader",
        "ReaderPlus",
        "Writer",
        "Manager"
      ]
    }
  ]
};
