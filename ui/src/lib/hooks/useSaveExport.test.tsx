import { act, renderHook, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { NotificationsProvider } from "../../components/notifications";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
import { BackendProvider, type Backend } from "../backend";
import { useSaveExport } from "./useSaveExport";

function saveWith(backend: Backend) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <BackendProvider backend={backend}>
      <NotificationsProvider>{children}</NotificationsProvider>
    </BackendProvider>
  );
  return renderHook(() => useSaveExport(), { wrapper }).result;
}

describe("useSaveExport", () => {
  it("names the file the desktop wrote", async () => {
    const saveExport = vi.fn(() => Promise.resolve("/home/ada/Downloads/audit (2).csv"));
    const save = saveWith(fakeBackend({ saveExport }));
    await act(() => save.current("audit.csv", "a,b\n"));
    expect(saveExport).toHaveBeenCalledWith("audit.csv", "a,b\n", "text/csv;charset=utf-8");
    expect(await screen.findByText("/home/ada/Downloads/audit (2).csv")).toBeInTheDocument();
  });

  it("gives one toast with the caller's title: with the path on the desktop, alone in a browser", async () => {
    const desktop = saveWith(fakeBackend({ saveExport: () => Promise.resolve("/home/ada/Downloads/keys.csv") }));
    let saved = false;
    await act(async () => {
      saved = await desktop.current("keys.csv", "a\n", undefined, "Exported 2 keys to CSV");
    });
    expect(saved).toBe(true);
    expect(await screen.findByText("Exported 2 keys to CSV")).toBeInTheDocument();
    expect(screen.getByText("/home/ada/Downloads/keys.csv")).toBeInTheDocument();
    expect(screen.queryByText("Export saved")).not.toBeInTheDocument();
  });

  it("says nothing for a browser download without a title", async () => {
    const save = saveWith(fakeBackend({ saveExport: () => Promise.resolve(null) }));
    await act(() => save.current("audit.csv", "a\n"));
    expect(screen.queryByText("Export saved")).not.toBeInTheDocument();
  });

  it("says in plain words when the export was not saved", async () => {
    const save = saveWith(fakeBackend({ saveExport: () => rejectWith("INVALID_INPUT", "the export is larger than 64 MB") }));
    await act(() => save.current("audit.json", "[]", "application/json"));
    expect(await screen.findByText("The export was not saved")).toBeInTheDocument();
    expect(screen.getByText("The export is larger than 64 MB.")).toBeInTheDocument();
  });
});
