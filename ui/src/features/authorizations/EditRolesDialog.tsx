import { Checkbox, CheckboxGroup } from "@carbon/react";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useCaller } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import type { AuthorizationInfo } from "../../lib/types";
import { AUTHORIZATION_ROLES, roleActions } from "./roles";
import { scopeOf } from "./scope";

interface Props {
  authorization: AuthorizationInfo;
  onClose: () => void;
  /** Called with the authorization as the keystore now holds it. */
  onSaved: (authorization: AuthorizationInfo) => void;
}

/** The roles as chosen, in the table's order, compared without case as the keystore does. */
function chosenRoles(chosen: ReadonlySet<string>): string[] {
  return AUTHORIZATION_ROLES.map((role) => role.id).filter((id) => chosen.has(id.toLowerCase()));
}

/**
 * IAM's "Edit roles": the same authorization (source, target and id stay) with other roles.
 * The keystore replaces the policy only if nobody changed it meanwhile.
 */
export function EditRolesDialog({ authorization, onClose, onSaved }: Props) {
  const backend = useBackend();
  const table = useCaller()?.actionRoles;
  const [chosen, setChosen] = useState<ReadonlySet<string>>(
    () => new Set(authorization.roles.map((role) => role.toLowerCase())),
  );
  const roles = chosenRoles(chosen);
  const unchanged =
    roles.length === authorization.roles.length &&
    authorization.roles.every((role) => chosen.has(role.toLowerCase()));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id.toLowerCase());
    else next.delete(id.toLowerCase());
    setChosen(next);
  };

  return (
    <ConfirmDialog
      title={`Edit the roles of ${authorization.sourceService}`}
      label={scopeOf(authorization)}
      primaryText="Save roles"
      primaryId="edit-roles-save"
      busyText="Saving…"
      size="md"
      confirmDisabled={roles.length === 0 || unchanged}
      onConfirm={async () => onSaved(await backend.setAuthorizationRoles(authorization.id, roles))}
      onClose={onClose}
    >
      <CheckboxGroup
        legendText="Roles"
        invalid={roles.length === 0}
        invalidText="Choose at least one role: an authorization without a role allows nothing."
        helperText="The source service gets what every chosen role allows, from its next call."
      >
        {AUTHORIZATION_ROLES.map((role) => {
          const actions = table === undefined ? undefined : roleActions(role.id, table).length;
          const count = actions === undefined ? "" : ` (${actions} ${actions === 1 ? "action" : "actions"})`;
          return (
            <Checkbox
              key={role.id}
              id={`edit-roles-${role.id.toLowerCase()}`}
              labelText={`${role.text}${count} — ${role.helper}`}
              checked={chosen.has(role.id.toLowerCase())}
              onChange={(_event, { checked }) => toggle(role.id, checked)}
            />
          );
        })}
      </CheckboxGroup>
    </ConfirmDialog>
  );
}
