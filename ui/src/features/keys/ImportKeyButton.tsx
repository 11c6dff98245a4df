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
export function ImportKeyButton({ onClick, compact = false }: { onClick: () => void; compact?: boolean }) {
  const can = useAccess();
  const policyRefusal = entryRefusal(useCreateImportAccess(), "root", "secureImport");
  // An import creates a key in the default key ring.
  const role = can(ACTIONS.createKey, { keyRing: "default" });
  const access = roleAndState(role, policyRefusal);
  if (compact) {
    // In the key table's toolbar, beside "Create key ring": an icon, so search, every filter
    // and "Create key" keep one row at 1280 px.
    return (
      <GuardedButton
        access={access}
        id="import-key-button"
        kind="ghost"
        renderIcon={Upload}
        hasIconOnly
        iconDescription="Import a root key"
        tooltipPosition="bottom"
        onClick={onClick}
      />
    );
  }
  return (
    <GuardedButton access={access} id="import-key-button" kind="tertiary" renderIcon={Upload} onClick={onClick}>
      Import key
    </GuardedButton>
  );
}
