import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { KeyInfo } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyDetailsPanel } from "./KeyDetailsPanel";
import { KeyPage } from "./KeyPage";
import { KeyTable } from "./KeyTable";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

/** A key destroyed `ago` milliseconds before now. */
const destroyed = (ago: number, overrides: Partial<KeyInfo> = {}) =>
  makeKey({ name: "old-root", state: "destroyed", deletedAt: new Date(Date.now() - ago).toISOString(), ...overrides });

const restoreDeadline = (key: KeyInfo) => new Date(Date.parse(key.deletedAt ?? "") + 30 * DAY).toISOString();

function showDetails(key: KeyInfo) {
  const backend = fakeBackend({ key: () => Promise.resolve(key), keyVersions: () => Promise.resolve([key.keyVersion]) });
  renderWithBackend(<KeyDetailsPanel keyId={key.id} refreshToken={0} onChanged={vi.fn()} onClose={vi.fn()} />, backend);
  return { backend, user: userEvent.setup() };
}

describe("restore window and purge wait", () => {
  afterEach(() => vi.useRealTimers());

  it("shows until when a destroyed key can be restored, in its details", async () => {
    const key = destroyed(2 * DAY, { deletedBy: "IBMid-bob" });
    showDetails(key);
    const until = await waitFor(() => byId("key-details-restorable-until"));
    expect(until).toHaveAttribute("data-restorable-until", restoreDeadline(key));
    expect(until).toHaveTextContent(/\(closes in 2[78] d \d+ h\)/);
    expect(screen.getByText("By IBMid-bob.")).toBeInTheDocument();
  });

  it("says when the restore window has closed", async () => {
    showDetails(destroyed(31 * DAY));
    expect(await waitFor(() => byId("key-details-restorable-until"))).toHaveTextContent(
      "(closed: it can no longer be restored)",
    );
  });

  it("keeps Purge disabled for 4 hours after the deletion, saying why and counting down, then enables it", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const key = destroyed(HOUR);
    showDetails(key);
    const purge = await screen.findByRole("button", { name: "Purge" });
    expect(purge).toBeDisabled();
    const wait = byId("key-purge-wait");
    expect(purge).toHaveAttribute("aria-describedby", "key-purge-wait");
    expect(wait).toHaveTextContent(/^Purge is possible 4 hours after the deletion: from .*, in (3 h 0 min|2 h 59 min)\.$/);

    await act(() => vi.advanceTimersByTimeAsync(HOUR));
    expect(byId("key-purge-wait")).toHaveTextContent(/in (2 h 0 min|1 h 59 min)/);
    await act(() => vi.advanceTimersByTimeAsync(2 * HOUR + 60_000));
    expect(screen.getByRole("button", { name: "Purge" })).toBeEnabled();
    expect(document.getElementById("key-purge-wait")).toBeNull();
  });

  it("offers Purge at once for a key deleted more than 4 hours ago", async () => {
    showDetails(destroyed(5 * HOUR));
    expect(await screen.findByRole("button", { name: "Purge" })).toBeEnabled();
    expect(document.getElementById("key-purge-wait")).toBeNull();
  });

  it("disables Purge in the row menu with the time left", async () => {
    const key = destroyed(HOUR);
    const user = userEvent.setup();
    renderWithBackend(
      <KeyTable refreshToken={0} onChanged={vi.fn()} />,
      fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) }),
    );
    await user.click(await screen.findByRole("button", { name: "Actions for old-root" }));
    const purge = (await screen.findByText(/^Purge/)).closest("button");
    expect(purge).toBeDisabled();
    expect(purge).toHaveTextContent(/^Purge \(in (3 h 0 min|2 h 59 min)\)$/);
    expect(purge).toHaveAttribute("title", expect.stringMatching(/^Purge is possible 4 hours after the deletion: from /));
  });

  it("adds a Restorable until column while the table lists destroyed keys only", async () => {
    const key = destroyed(2 * DAY);
    const user = userEvent.setup();
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
    renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, backend);
    await screen.findByRole("button", { name: "Actions for old-root" });
    expect(screen.queryByRole("columnheader", { name: /Restorable until/ })).toBeNull();

    const filter = byId("key-state-filter");
    await user.click(within(filter).getByRole("combobox"));
    // Every state is chosen to start with: leaving Destroyed alone takes the other three away.
    for (const name of ["Active", "Suspended (disabled)", "Deactivated (expired)"]) {
      await user.click(await screen.findByRole("option", { name }));
    }
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ states: ["destroyed"] })),
    );
    expect(await screen.findByRole("columnheader", { name: /Restorable until/ })).toBeInTheDocument();
    const cell = document.querySelector(`[data-key-id="${key.id}"] [data-restorable-until]`);
    expect(cell?.querySelector(".restore-window")).toHaveAttribute("data-restorable-until", restoreDeadline(key));
    expect(cell).toHaveTextContent(/closes in 2[78] d/);

    // Sorting by it asks the keystore for deletion order.
    await user.click(screen.getByRole("button", { name: /Restorable until/ }));
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: [{ field: "deletionDate", descending: false }] }),
      ),
    );
  });

  it("shows the deletion and the restore deadline on the key page", async () => {
    const key = destroyed(2 * DAY, { deletedBy: "IBMid-bob" });
    renderWithBackend(
      <KeyPage keyId={key.id} refreshToken={0} onChanged={vi.fn()} onBack={vi.fn()} />,
      fakeBackend({ key: () => Promise.resolve(key) }),
    );
    const until = await waitFor(() => byId("key-page-restorable-until"));
    expect(until).toHaveAttribute("data-restorable-until", restoreDeadline(key));
    expect(byId("key-page-overview")).toHaveTextContent("by IBMid-bob");
  });
});
