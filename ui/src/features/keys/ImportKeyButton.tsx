import { Upload } from "@carbon/icons-react";
import { GuardedButton } from "../../components/GuardedButton";
import { ACTIONS, useAccess } from "../../lib/access";
import { entryRefusal } from "./createImportAccess";
import { roleAndState } from "./stateRules";
import { useCreateImportAccess } from "./useCreateImportAccess";

/**
 * Opens the secure import of a root key. Disabled, with the reason, when the caller lacks the
 * role or the create and import access policy forbids importing root keys (the missing role first).
 */
export function ImportKeyButton({ onClick }: { onClick: () => void }) {
  const can = useAccess();
  const policyRefusal = entryRefusal(useCreateImportAccess(), "root", "secureImport");
  // An import creates a key in the default key ring.
  const role = can(ACTIONS.createKey, { keyRing: "default" });
  return (
    <GuardedButton
      access={roleAndState(role, policyRefusal)}
      id="import-key-button"
      kind="tertiary"
      renderIcon={Upload}
      onClick={onClick}
    >
      Import key
    </GuardedButton>
  );
}
