import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CallerInfo, KeyInfo } from "../../lib/types";
import { callerWith, fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyRingsPage } from "../keyRings/KeyRingsPage";
import { KeyDetailsPanel } from "./KeyDetailsPanel";
import { KeysPage } from "./KeysPage";
import { KeyTable } from "./KeyTable";

const READER_ROTATE = "This needs the Writer or Manager role on this key; you (IBMid-someone) do not have it.";
const READER_MANAGE = "This needs the Manager role on this key; you (IBMid-someone) do not have it.";
const HOUR = 3_600_000;

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

/** The row menu's item for `action`, once the menu is open. */
async function menuItem(user: ReturnType<typeof userEvent.setup>, name: string, action: string) {
  await user.click(await screen.findByRole("button", { name: `Actions for ${name}` }));
  await waitFor(() => expect(document.querySelector(`[data-action="${action}"]`)).not.toBeNull());
  return document.querySelector(`[data-action="${action}"]`) as HTMLElement;
}

function table(keys: KeyInfo[], caller: CallerInfo) {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys, total: keys.length }),
    caller: () => Promise.resolve(caller),
  });
  renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, backend);
  return { backend, user: userEvent.setup() };
}

describe("permission-aware key controls", () => {
  it("keeps a Reader's row menu items visible but disabled, each with the missing role", async () => {
    const { backend, user } = table([makeKey({ name: "payments-root" })], callerWith(["Reader"]));
    const rotate = await menuItem(user, "payments-root", "rotate");
    expect(rotate).toBeDisabled();
    expect(rotate).toHaveAttribute("title", READER_ROTATE);
    expect(rotate).toHaveAttribute("aria-description", READER_ROTATE);
    const disable = document.querySelector('[data-action="disable"]');
    expect(disable).toBeDisabled();
    expect(disable).toHaveAttribute("title", READER_MANAGE);
    expect(document.querySelector('[data-action="delete"]')).toBeDisabled();
    await user.click(rotate);
    expect(backend.disableKey).not.toHaveBeenCalled();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("keeps a Manager from purging: the menu names the KeyPurge role", async () => {
    const gone = makeKey({
      name: "old-root",
      state: "destroyed",
      deletedAt: new Date(Date.now() - 5 * HOUR).toISOString(),
    });
    const { user } = table([gone], callerWith(["Manager"]));
    const purge = await menuItem(user, "old-root", "purge");
    expect(purge).toBeDisabled();
    expect(purge.getAttribute("title")).toContain("the KeyPurge role");
    expect(document.querySelector('[data-action="restore"]')).toBeEnabled();
  });

  it("gives the 4-hour wait as the reason when the wait and the role both forbid a purge", async () => {
    const recent = makeKey({ name: "old-root", state: "destroyed", deletedAt: new Date(Date.now() - HOUR).toISOString() });
    const { user } = table([recent], callerWith(["Manager"]));
    const purge = await menuItem(user, "old-root", "purge");
    expect(purge).toBeDisabled();
    expect(purge.getAttribute("title")).toMatch(/^Purge is possible 4 hours after the deletion: from /);
  });

  it("leaves everything enabled for the desktop's administrator", async () => {
    const { user } = table([makeKey({ name: "payments-root" })], callerWith(["Manager", "KeyPurge"]));
    expect(await menuItem(user, "payments-root", "rotate")).toBeEnabled();
    expect(document.querySelector('[data-action="disable"]')).not.toHaveAttribute("title");
  });

  it("disables Create key without a createKey grant on the filtered ring, and `n` does not open it", async () => {
    const { user } = table([makeKey({ name: "payments-root" })], callerWith(["Reader"]));
    await waitFor(() => expect(byId("create-key-button")).toBeDisabled());
    const reason = "This needs the Writer or Manager role on key ring default; you (IBMid-someone) do not have it.";
    expect(byId("create-key-button").closest("[data-denied-reason]")).toHaveAttribute("data-denied-reason", reason);
    await user.keyboard("n");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("disables Import key and Create key ring for a Reader on the Keys page", async () => {
    const backend = fakeBackend({
      listKeys: () => Promise.resolve({ keys: [makeKey()], total: 1 }),
      caller: () => Promise.resolve(callerWith(["Reader"])),
    });
    renderWithBackend(<KeysPage refreshToken={0} onChanged={vi.fn()} />, backend);
    await waitFor(() => expect(byId("import-key-button")).toBeDisabled());
    expect(byId("create-key-ring-button")).toBeDisabled();
    expect(byId("create-key-ring-button").closest("[data-denied-reason]")?.getAttribute("data-denied-reason")).toBe(
      "This needs the Writer or Manager role on this instance; you (IBMid-someone) do not have it.",
    );
  });
});

describe("permission-aware details panel", () => {
  function panel(key: KeyInfo, caller: CallerInfo) {
    const backend = fakeBackend({
      key: () => Promise.resolve(key),
      keyVersions: () => Promise.resolve([key.keyVersion]),
      keyRings: () => Promise.resolve([{ id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" }]),
      caller: () => Promise.resolve(caller),
    });
    renderWithBackend(<KeyDetailsPanel keyId={key.id} refreshToken={0} onChanged={vi.fn()} onClose={vi.fn()} />, backend);
    return backend;
  }

  it("disables the action bar, move, aliases and policy saves for a Reader, with the reasons", async () => {
    const key = makeKey({ name: "payments-root", aliases: ["pay-main"] });
    panel(key, callerWith(["Reader"]));
    await waitFor(() => expect(byId("key-details-rotate")).toBeDisabled());
    expect(byId("key-details-rotate").getAttribute("aria-description")).toBe(READER_ROTATE);
    const bar = screen.getByRole("group", { name: "Key actions" });
    expect(within(bar).getByRole("button", { name: "Disable" })).toBeDisabled();
    expect(within(bar).getByRole("button", { name: "Delete" })).toBeDisabled();
    expect(byId("key-details-move")).toBeDisabled();
    expect(byId("key-details-alias-add")).toBeDisabled();
    expect(within(byId("key-details-aliases")).getByRole("button", { name: /role on this key/ })).toBeDisabled();
    await waitFor(() => expect(byId("key-details-rotation-save")).toBeDisabled());
    expect(byId("key-details-dual-auth")).toBeDisabled();
    expect(byId("key-details-policies-denied")).toHaveTextContent("the Manager role on this key");
  });

  it("lets a Writer rotate but not disable", async () => {
    panel(makeKey({ name: "payments-root" }), callerWith(["Writer"]));
    await waitFor(() => expect(byId("key-details-rotate")).toBeEnabled());
    const bar = screen.getByRole("group", { name: "Key actions" });
    await waitFor(() => expect(within(bar).getByRole("button", { name: "Disable" })).toBeDisabled());
  });

  it("disables the first authorization of a dual-authorization delete without the role", async () => {
    panel(makeKey({ name: "dual-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } }), callerWith(["Reader"]));
    await waitFor(() => expect(byId("key-details-authorize-deletion")).toBeDisabled());
  });
});

describe("permission-aware key rings", () => {
  it("disables creating and deleting rings and adding keys where the caller lacks the role", async () => {
    const backend = fakeBackend({
      keyRings: () =>
        Promise.resolve([
          { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" },
          { id: "payments", createdAt: "2026-02-01T00:00:00Z", createdBy: "IBMid-alice" },
        ]),
      caller: () => Promise.resolve(callerWith(["Writer"], { keyRing: "payments" })),
    });
    const user = userEvent.setup();
    renderWithBackend(<KeyRingsPage refreshToken={0} />, backend);
    await waitFor(() => expect(byId("key-rings-create")).toBeDisabled());
    const row = await waitFor(() => {
      const element = document.querySelector('[data-key-ring="payments"]');
      if (!(element instanceof HTMLElement)) throw new Error("no payments row");
      return element;
    });
    await user.click(within(row).getByRole("button", { name: "Actions for key ring payments" }));
    await waitFor(() => expect(document.querySelector('[data-action="add-key"]')).toBeEnabled());
    expect(document.querySelector('[data-action="delete-key-ring"]')).toBeDisabled();
  });
});
