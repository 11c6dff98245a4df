import { useCallback } from "react";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend } from "../backend";
import { describe } from "../errors";

/**
 * Saves an export through the backend and tells the person where it went: the desktop names
 * the file it wrote; a browser shows its own download. With a `title` (e.g. "Exported 3 keys
 * to CSV"), one toast says it in both, with the path under it on the desktop. Resolves to
 * whether the export was saved.
 */
export function useSaveExport(): (fileName: string, text: string, type?: string, title?: string) => Promise<boolean> {
  const backend = useBackend();
  const notify = useNotify();
  return useCallback(
    async (fileName: string, text: string, type = "text/csv;charset=utf-8", title?: string) => {
      try {
        const path = await backend.saveExport(fileName, text, type);
        if (path !== null) notify({ kind: "success", title: title ?? "Export saved", subtitle: path });
        else if (title !== undefined) notify({ kind: "success", title });
        return true;
      } catch (thrown) {
        notify({ kind: "error", title: "The export was not saved", subtitle: describe(toBackendError(thrown)) });
        return false;
      }
    },
    [backend, notify],
  );
}
