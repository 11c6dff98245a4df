import { useCallback } from "react";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend } from "../backend";
import { describe } from "../errors";

/**
 * Saves an export through the backend and tells the person where it went: the desktop names
 * the file it wrote; a browser shows its own download.
 */
export function useSaveExport(): (fileName: string, text: string, type?: string) => Promise<void> {
  const backend = useBackend();
  const notify = useNotify();
  return useCallback(
    async (fileName: string, text: string, type = "text/csv;charset=utf-8") => {
      try {
        const path = await backend.saveExport(fileName, text, type);
        if (path !== null) notify({ kind: "success", title: "Export saved", subtitle: path });
      } catch (thrown) {
        notify({ kind: "error", title: "The export was not saved", subtitle: describe(toBackendError(thrown)) });
      }
    },
    [backend, notify],
  );
}
