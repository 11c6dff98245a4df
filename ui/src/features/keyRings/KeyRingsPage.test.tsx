import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CreateKeyRequest, KeyRingInfo, ListKeysRequest } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyRingsPage } from "./KeyRingsPage";

const rings: KeyRingInfo[] = [
  { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "IBMid-admin" },
  { id: "payments", createdAt: "2026-02-01T00:00:00Z", createdBy: "IBMid-alice" },
];

const row = (ring: string) => {
  const element = document.querySelector(`[data-key-ring="${ring}"]`);
  if (!(element instanceof HTMLElement)) throw new Error(`no row for ${ring}`);
  return element;
};

/** Opens a ring's row menu and picks an item by its text. */
async function choose(user: ReturnType<typeof userEvent.setup>, ring: string, item: string) {
  await user.click(within(row(ring)).getByRole("button", { name: `Actions for key ring ${ring}` }));
  await user.click(await screen.findByText(item));
}

describe("KeyRingsPage", () => {
  it("lists rings with the keystore's count of their keys; default cannot be deleted", async () => {
    const listKeys = vi.fn((request: ListKeysRequest) =>
      Promise.resolve({ keys: [], total: request.keyRing === "payments" ? 7 : 2 }),
    );
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(rings), listKeys }));
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    expect(row("payments").querySelector("[data-ring-keys]")).toHaveTextContent("7");
    expect(listKeys).toHaveBeenCalledWith(expect.objectContaining({ limit: 1, keyRing: "payments" }));

    const user = userEvent.setup();
    await user.click(within(row("default")).getByRole("button", { name: "Actions for key ring default" }));
    expect(await screen.findByText("Add new key")).toBeInTheDocument();
    expect(screen.queryByText("Delete")).toBeNull();
  });

  it("deletes a ring, moving destroyed keys to default when asked", async () => {
    const user = userEvent.setup();
    const deleteKeyRing = vi.fn(() => Promise.resolve());
    renderWithBackend(
      <KeyRingsPage refreshToken={0} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings), deleteKeyRing }),
    );
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await choose(user, "payments", "Delete");
    await user.click(await screen.findByLabelText("Move this ring's destroyed keys to default"));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(deleteKeyRing).toHaveBeenCalledWith("payments", true));
    expect(await screen.findByText("Key ring payments deleted")).toBeInTheDocument();
  });

  it("disables Delete while the ring holds live keys, saying how many to move or delete", async () => {
    const user = userEvent.setup();
    // payments holds 7 keys, 3 of them not destroyed.
    const listKeys = vi.fn((request: ListKeysRequest) =>
      Promise.resolve({
        keys: [],
        total: request.keyRing !== "payments" ? 0 : request.states.includes("destroyed") ? 7 : 3,
      }),
    );
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(rings), listKeys }));
    await waitFor(() => expect(row("payments").querySelector("[data-ring-keys]")).toHaveTextContent("7"));
    expect(listKeys).toHaveBeenCalledWith(
      expect.objectContaining({ keyRing: "payments", states: ["active", "suspended", "deactivated"] }),
    );
    await user.click(within(row("payments")).getByRole("button", { name: "Actions for key ring payments" }));
    const item = (await screen.findByText("Delete")).closest("button");
    expect(item).toBeDisabled();
    expect(item).toHaveAttribute("data-denied-reason", "Move or delete its 3 keys first.");
    await user.click(screen.getByText("Delete"));
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
  });

  it("lets a ring holding only destroyed keys be deleted, moving them to default", async () => {
    const user = userEvent.setup();
    const deleteKeyRing = vi.fn(() => Promise.resolve());
    const listKeys = vi.fn((request: ListKeysRequest) =>
      Promise.resolve({ keys: [], total: request.keyRing === "payments" && request.states.includes("destroyed") ? 2 : 0 }),
    );
    renderWithBackend(
      <KeyRingsPage refreshToken={0} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings), listKeys, deleteKeyRing }),
    );
    await waitFor(() => expect(row("payments").querySelector("[data-ring-keys]")).toHaveTextContent("2"));
    await choose(user, "payments", "Delete");
    await user.click(await screen.findByLabelText("Move this ring's destroyed keys to default"));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(deleteKeyRing).toHaveBeenCalledWith("payments", true));
  });

  it("keeps the dialog open with the refusal when live keys remain", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <KeyRingsPage refreshToken={0} />,
      fakeBackend({
        keyRings: () => Promise.resolve(rings),
        deleteKeyRing: () => rejectWith("KEY_RING_IN_USE", "key ring payments still holds 7 keys"),
      }),
    );
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await choose(user, "payments", "Delete");
    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(await screen.findByText(/still holds 7 keys/i)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Delete" })).toBeInTheDocument();
  });

  it("shows the create call as curl, following the id as it is typed, with the remote's URL and instance", async () => {
    const user = userEvent.setup();
    const remote = { id: "r1", name: "prod", mode: "remote" as const, endpoint: "https://kms.example", instanceId: "inst-9", hasApiKey: true };
    renderWithBackend(
      <KeyRingsPage refreshToken={0} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings), currentConnection: () => Promise.resolve(remote) }),
    );
    await user.click(await screen.findByRole("button", { name: "Create key ring" }));
    await user.type(screen.getByLabelText("Key ring ID"), "ledger");
    const curl = () => document.querySelector("#create-key-ring-curl code")?.textContent ?? "";
    await waitFor(() => expect(curl()).toContain("'https://kms.example/api/v2/key_rings/ledger'"));
    expect(curl()).toContain("curl -sS -X POST");
    expect(curl()).toContain("'Bluemix-Instance: inst-9'");
    expect(curl()).toContain('"Authorization: Bearer $TOKEN"');
    expect(screen.getByRole("heading", { name: "Copy as curl" })).toBeInTheDocument();
  });

  it("shows the delete call as curl, with force when the box is ticked", async () => {
    const user = userEvent.setup();
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(rings) }));
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await choose(user, "payments", "Delete");
    const curl = () => document.querySelector("#delete-key-ring-curl code")?.textContent ?? "";
    expect(curl()).toContain('-X DELETE "$KMS_URL/api/v2/key_rings/payments"');
    await user.click(screen.getByLabelText("Move this ring's destroyed keys to default"));
    expect(curl()).toContain('"$KMS_URL/api/v2/key_rings/payments?force=true"');
  });

  it("opens the Keys page filtered to a ring from its menu", async () => {
    const user = userEvent.setup();
    const onViewKeys = vi.fn();
    renderWithBackend(
      <KeyRingsPage refreshToken={0} onViewKeys={onViewKeys} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings) }),
    );
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await choose(user, "payments", "View keys");
    expect(onViewKeys).toHaveBeenCalledWith("payments");
  });

  it("adds a new key to a ring from its menu, with the ring filled in", async () => {
    const user = userEvent.setup();
    const onViewKeys = vi.fn();
    const createKey = vi.fn((request: CreateKeyRequest) =>
      Promise.resolve(makeKey({ name: request.name, keyRing: request.keyRing ?? "default" })),
    );
    renderWithBackend(
      <KeyRingsPage refreshToken={0} onViewKeys={onViewKeys} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings), createKey }),
    );
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await choose(user, "payments", "Add new key");

    const ringSelect = await screen.findByLabelText<HTMLSelectElement>("Key ring");
    await waitFor(() => expect(ringSelect).toBeEnabled());
    expect(ringSelect.value).toBe("payments");
    await user.type(screen.getByLabelText("Name"), "ledger-root");
    await user.click(document.getElementById("create-key-submit") as HTMLElement);

    await waitFor(() => expect(createKey).toHaveBeenCalledWith(expect.objectContaining({ name: "ledger-root", keyRing: "payments" })));
    expect(await screen.findByText("Key ledger-root created in key ring payments")).toBeInTheDocument();
    await user.click(document.getElementById("toast-view-keys") as HTMLElement);
    expect(onViewKeys).toHaveBeenCalledWith("payments");
  }, 15_000);

  it("shows how many of the 50 key rings are used", async () => {
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(rings) }));
    const meter = await screen.findByRole("progressbar", { name: "2 of 50 key rings" });
    expect(meter).toHaveAttribute("aria-valuenow", "2");
    expect(meter).toHaveAttribute("aria-valuemax", "50");
    expect(document.getElementById("key-rings-limit")).toHaveTextContent("48 more can be created.");
  });

  it("says when the limit is reached and no ring can be added", async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `ring-${i}`, createdAt: "2026-01-01T00:00:00Z", createdBy: "" }));
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(many) }));
    expect(await screen.findByRole("progressbar", { name: "50 of 50 key rings" })).toHaveAttribute("aria-valuenow", "50");
    expect(document.getElementById("key-rings-limit")).toHaveTextContent("The limit is reached");
    expect(screen.getByRole("button", { name: "Create key ring" })).toBeDisabled();
  });
});
