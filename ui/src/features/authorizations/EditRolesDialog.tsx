import { Checkbox, CheckboxGroup } from "@carbon/react";
import { useMemo, useState } from "react";
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

interface RoleChoice {
  id: string;
  text: string;
  helper: string;
}

/** The four roles offered, plus any other the authorization holds (KeyPurge), so Save never drops one unseen. */
function roleChoices(current: readonly string[]): RoleChoice[] {
  const known = new Set(AUTHORIZATION_ROLES.map((role) => role.id.toLowerCase()));
  const others = current
    .filter((role) => !known.has(role.toLowerCase()))
    .map((role) => ({ id: role, text: role, helper: "Held by this authorization." }));
  return [...AUTHORIZATION_ROLES, ...others];
}

/** The roles as chosen, in the list's order, compared without case as the keystore does. */
function chosenRoles(choices: readonly RoleChoice[], chosen: ReadonlySet<string>): string[] {
  return choices.map((role) => role.id).filter((id) => chosen.has(id.toLowerCase()));
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
  const choices = useMemo(() => roleChoices(authorization.roles), [authorization.roles]);
  const roles = chosenRoles(choices, chosen);
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
        {choices.map((role) => {
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
