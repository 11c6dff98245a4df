import { useCallback } from "react";
import { useBackend } from "../../lib/backend";
import { useRequest } from "../../lib/hooks/useRequest";
import { createImportAccess, type CreateImportAccess } from "./createImportAccess";

/**
 * The create and import access policy in force, read from the instance policies. While they load,
 * or when they cannot be read, every way in stays open: the keystore refuses with
 * CREATE_IMPORT_ACCESS anyway.
 */
export function useCreateImportAccess(): CreateImportAccess {
  const backend = useBackend();
  const loadPolicies = useCallback(() => backend.instancePolicies(), [backend]);
  return createImportAccess(useRequest(loadPolicies).data);
}
