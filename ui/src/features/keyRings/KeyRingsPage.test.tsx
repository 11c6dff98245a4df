import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyRingInfo, ListKeysRequest } from "../../lib/types";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
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

describe("KeyRingsPage", () => {
  it("lists rings with the keystore's count of their keys; default cannot be deleted", async () => {
    const listKeys = vi.fn((request: ListKeysRequest) =>
      Promise.resolve({ keys: [], total: request.keyRing === "payments" ? 7 : 2 }),
    );
    renderWithBackend(<KeyRingsPage refreshToken={0} />, fakeBackend({ keyRings: () => Promise.resolve(rings), listKeys }));
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    expect(row("payments").querySelector("[data-ring-keys]")).toHaveTextContent("7");
    expect(row("default").querySelector("[data-action='delete-key-ring']")).toBeNull();
    expect(listKeys).toHaveBeenCalledWith(expect.objectContaining({ limit: 1, keyRing: "payments" }));
  });

  it("deletes a ring, moving destroyed keys to default when asked", async () => {
    const user = userEvent.setup();
    const deleteKeyRing = vi.fn(() => Promise.resolve());
    renderWithBackend(
      <KeyRingsPage refreshToken={0} />,
      fakeBackend({ keyRings: () => Promise.resolve(rings), deleteKeyRing }),
    );
    await waitFor(() => expect(row("payments")).toBeInTheDocument());
    await user.click(within(row("payments")).getByRole("button", { name: "Delete key ring payments" }));
    await user.click(await screen.findByLabelText("Move this ring's destroyed keys to default"));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(deleteKeyRing).toHaveBeenCalledWith("payments", true));
    expect(await screen.findByText("Key ring payments deleted")).toBeInTheDocument();
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
    await user.click(within(row("payments")).getByRole("button", { name: "Delete key ring payments" }));
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
    await user.click(within(row("payments")).getByRole("button", { name: "Delete key ring payments" }));
    const curl = () => document.querySelector("#delete-key-ring-curl code")?.textContent ?? "";
    expect(curl()).toContain('-X DELETE "$KMS_URL/api/v2/key_rings/payments"');
    await user.click(screen.getByLabelText("Move this ring's destroyed keys to default"));
    expect(curl()).toContain('"$KMS_URL/api/v2/key_rings/payments?force=true"');
  });
});
