import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyTable } from "./KeyTable";

const rings = [
  { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" },
  { id: "payments", createdAt: "2026-01-02T00:00:00Z", createdBy: "" },
];

function setup() {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    keyRings: () => Promise.resolve(rings),
  });
  const user = userEvent.setup();
  renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} initialKeyRing="payments" />, backend);
  return { backend, user };
}

const chips = () => screen.queryByRole("group", { name: "Active filters" });
const lastRequest = (backend: ReturnType<typeof setup>["backend"]) => backend.listKeys.mock.lastCall?.[0];

describe("KeyTable filter chips", () => {
  it("shows each filter in force as a chip, and dismissing one asks the keystore without it", async () => {
    const { backend, user } = setup();
    await waitFor(() => expect(lastRequest(backend)).toMatchObject({ keyRing: "payments" }));
    expect(within(chips() as HTMLElement).getByText("Key ring: payments")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Key type"), "root");
    await user.type(screen.getByRole("searchbox"), "pay");
    await waitFor(() => expect(lastRequest(backend)).toMatchObject({ keyRing: "payments", keyType: "root", search: "pay" }));
    const group = chips() as HTMLElement;
    expect([...group.querySelectorAll(".cds--tag__label")].map((label) => label.textContent)).toEqual([
      "Type: Root keys",
      "Key ring: payments",
      "Search: “pay”",
    ]);

    await user.click(within(group).getByRole("button", { name: "Remove filter Key ring: payments" }));
    await waitFor(() => expect(lastRequest(backend)?.keyRing).toBeUndefined());
    expect(lastRequest(backend)).toMatchObject({ keyType: "root", search: "pay", offset: 0 });
    expect(screen.getByLabelText<HTMLSelectElement>("Key ring").value).toBe("");
    expect(document.getElementById("key-filter-chip-keyRing")).toBeNull();

    await user.click(within(group).getByRole("button", { name: "Remove filter Search: “pay”" }));
    expect(screen.getByRole("searchbox")).toHaveValue("");
    await waitFor(() => expect(lastRequest(backend)?.search).toBeUndefined());
    expect(lastRequest(backend)?.keyType).toBe("root");
  });

  it("shows a chip per state chosen, each removing its state, and clears every filter at once", async () => {
    const { backend, user } = setup();
    await screen.findByText("Key ring: payments");
    const filter = document.getElementById("key-state-filter") as HTMLElement;
    await user.click(within(filter).getByRole("combobox"));
    await user.click(await screen.findByRole("option", { name: "Active" }));
    await user.click(screen.getByRole("option", { name: "Deactivated (expired)" }));
    await waitFor(() =>
      expect(lastRequest(backend)).toMatchObject({ states: ["suspended", "destroyed"], keyRing: "payments" }),
    );
    expect(document.getElementById("key-filter-chip-state-suspended")).toHaveTextContent("State: Suspended (disabled)");
    expect(document.getElementById("key-filter-chip-state-destroyed")).toHaveTextContent("State: Destroyed (deleted)");
    expect(document.getElementById("key-filter-chip-state-active")).toBeNull();

    const group = chips() as HTMLElement;
    await user.click(within(group).getByRole("button", { name: "Remove filter State: Destroyed (deleted)" }));
    await waitFor(() => expect(lastRequest(backend)).toMatchObject({ states: ["suspended"] }));
    expect(document.getElementById("key-filter-chip-state-destroyed")).toBeNull();

    // Taking the last state away is no state filter: every non-purged key again.
    await user.click(within(group).getByRole("button", { name: "Remove filter State: Suspended (disabled)" }));
    await waitFor(() =>
      expect(lastRequest(backend)).toMatchObject({ states: ["active", "suspended", "deactivated", "destroyed"] }),
    );
    expect(document.getElementById("key-filter-chip-state-suspended")).toBeNull();

    await user.click(within(filter).getByRole("combobox"));
    await user.click(await screen.findByRole("option", { name: "Active" }));
    await waitFor(() => expect(document.getElementById("key-filter-chip-state-suspended")).not.toBeNull());
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() =>
      expect(lastRequest(backend)).toEqual({
        offset: 0,
        limit: 10,
        states: ["active", "suspended", "deactivated", "destroyed"],
        sort: [{ field: "creationDate", descending: true }],
      }),
    );
    expect(chips()).toBeNull();
  });
});
