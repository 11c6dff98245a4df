import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyTable } from "./KeyTable";

const key = makeKey({
  name: "byok-root",
  imported: true,
  expiresAt: "2030-01-01T00:00:00Z",
  rotation: { enabled: true, intervalMonth: 3 },
  dualAuthDelete: { enabled: true, keySetForDeletion: false },
});

function showTable() {
  const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
  const view = renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, backend);
  return { view, user: userEvent.setup() };
}

/** Each header's own label, without a sortable header's instructions for screen readers. */
const headers = () =>
  screen
    .getAllByRole("columnheader")
    .map((header) => (header.querySelector(".cds--table-header-label") ?? header).textContent.trim());
const row = () => {
  const element = document.querySelector(`[data-key-name="byok-root"]`);
  if (!(element instanceof HTMLElement)) throw new Error("no row for byok-root");
  return element;
};

describe("key table column settings", () => {
  afterEach(() => window.localStorage.clear());

  it("shows Key Protect's default columns: Last rotated, not Created", async () => {
    showTable();
    await waitFor(() => expect(row()).toBeInTheDocument());
    expect(headers().slice(1, 9)).toEqual(["Status", "Name", "Key ID", "Key ring", "Aliases", "Type", "State", "Last rotated"]);
    expect(headers()).not.toContain("Created");
    expect(row().querySelector('[data-column="lastRotatedAt"]')).toHaveTextContent(/^Never$/);
  });

  it("shows when a rotated key was last rotated", async () => {
    const rotated = makeKey({ name: "byok-root", lastRotatedAt: "2026-02-01T00:00:00Z" });
    renderWithBackend(
      <KeyTable refreshToken={0} onChanged={vi.fn()} />,
      fakeBackend({ listKeys: () => Promise.resolve({ keys: [rotated], total: 1 }) }),
    );
    await waitFor(() => expect(row()).toBeInTheDocument());
    expect(row().querySelector('[data-column="lastRotatedAt"] time')).toHaveAttribute("dateTime", "2026-02-01T00:00:00Z");
  });

  it("loads a column choice stored before Last rotated existed", async () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ theme: "dark", keyColumns: ["createdAt", "versions"] }));
    showTable();
    await waitFor(() => expect(row()).toBeInTheDocument());
    expect(headers()).toContain("Created");
    expect(headers()).not.toContain("Last rotated");
  });

  it("adds and removes optional columns from the toolbar, keeping the defaults", async () => {
    const { user } = showTable();
    await waitFor(() => expect(row()).toBeInTheDocument());
    expect(headers()).not.toContain("Created");
    expect(headers()).not.toContain("Imported");

    await user.click(document.getElementById("key-table-columns") as HTMLElement);
    await user.click(screen.getByLabelText("Created"));
    await waitFor(() => expect(headers()).toContain("Created"));

    await user.click(document.getElementById("key-table-columns") as HTMLElement);
    await user.click(screen.getByLabelText("Imported"));
    await waitFor(() => expect(headers()).toContain("Imported"));
    expect(within(row()).getByText("Yes")).toHaveAttribute("data-column", "imported");

    await user.click(screen.getByLabelText("Rotation policy"));
    await waitFor(() => expect(headers()).toContain("Rotation policy"));
    expect(within(row()).getByText("Every 3 months")).toBeInTheDocument();

    await user.click(screen.getByLabelText("Created"));
    await waitFor(() => expect(headers()).not.toContain("Created"));
    await user.click(screen.getByLabelText("Last rotated"));
    await waitFor(() => expect(headers()).not.toContain("Last rotated"));
    expect(headers().slice(1, 9)).toEqual(["Status", "Name", "Key ID", "Key ring", "Aliases", "Type", "State", "Imported"]);
    await user.click(screen.getByLabelText("Imported"));
    await waitFor(() => expect(headers()).not.toContain("Imported"));
  });

  it("remembers the choice in the preferences, for the next time the table is drawn", async () => {
    const first = showTable();
    await waitFor(() => expect(row()).toBeInTheDocument());
    await first.user.click(document.getElementById("key-table-columns") as HTMLElement);
    await first.user.click(screen.getByLabelText("Created"));
    await first.user.click(screen.getByLabelText("Expiration"));
    await first.user.click(screen.getByLabelText("Dual auth"));
    await waitFor(() => expect(headers()).toContain("Dual auth"));
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "{}")).toMatchObject({
      keyColumns: ["lastRotatedAt", "createdAt", "expiresAt", "dualAuth"],
    });
    first.view.unmount();

    showTable();
    await waitFor(() => expect(row()).toBeInTheDocument());
    expect(headers()).toEqual(expect.arrayContaining(["Last rotated", "Created", "Expiration", "Dual auth"]));
    expect(within(row()).getByText("Required")).toHaveAttribute("data-column", "dualAuth");
    expect(row().querySelector('[data-column="expiresAt"] time')).toHaveAttribute("dateTime", "2030-01-01T00:00:00Z");
  });
});
