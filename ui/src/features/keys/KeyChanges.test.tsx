import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyInfo } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyDetailsPanel } from "./KeyDetailsPanel";

const rings = [
  { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" },
  { id: "payments", createdAt: "2026-01-02T00:00:00Z", createdBy: "IBMid-alice" },
];

/** The command a "Copy as CLI" snippet shows, or null when it is not there. */
const command = (id: string) => document.querySelector(`#${id} code`)?.textContent ?? null;

function setup(key: KeyInfo, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    key: () => Promise.resolve(key),
    keyVersions: () => Promise.resolve([key.keyVersion]),
    keyRings: () => Promise.resolve(rings),
    ...overrides,
  });
  renderWithBackend(<KeyDetailsPanel keyId={key.id} refreshToken={0} onChanged={vi.fn()} onClose={vi.fn()} />, backend);
  return { backend, user: userEvent.setup() };
}

describe("Copy as CLI for the changes made on a key", () => {
  it("shows the move while another ring is chosen", async () => {
    const key = makeKey({ name: "payments-root" });
    const { user } = setup(key);
    const select = await screen.findByLabelText("Key ring");
    await waitFor(() => expect(select).toBeEnabled());
    expect(command("key-details-placement-cli")).toBeNull();
    await user.selectOptions(select, "payments");
    expect(command("key-details-placement-cli")).toBe(`strongroom keys move ${key.id} payments`);
    await user.selectOptions(select, "default");
    expect(command("key-details-placement-cli")).toBeNull();
  });

  it("shows the alias being added once it is valid, then the removal just made", async () => {
    const key = makeKey({ name: "payments-root", aliases: ["old-alias"] });
    const { backend, user } = setup(key, { deleteAlias: () => Promise.resolve(key) });
    const input = await screen.findByLabelText("New alias");
    await user.type(input, "a b");
    expect(command("key-details-placement-cli")).toBeNull();
    await user.clear(input);
    await user.type(input, "pay-root");
    expect(command("key-details-placement-cli")).toBe(`strongroom keys alias add ${key.id} pay-root`);
    await user.clear(input);
    await user.click(within(document.getElementById("key-details-aliases") as HTMLElement).getByRole("button"));
    await waitFor(() => expect(backend.deleteAlias).toHaveBeenCalledWith(key.id, "old-alias"));
    await waitFor(() =>
      expect(command("key-details-placement-cli")).toBe(`strongroom keys alias remove ${key.id} old-alias`),
    );
  });

  it("shows the rotation policy being edited, and the dual authorization being turned on", async () => {
    const key = makeKey({ name: "payments-root" });
    const { user } = setup(key);
    await user.click(await screen.findByRole("switch", { name: "Automatic rotation" }));
    expect(command("key-details-rotation-cli")).toBe(`strongroom keys policies --rotation-months 3 ${key.id}`);
    const months = screen.getByLabelText("Every (months)");
    await user.clear(months);
    await user.type(months, "13");
    expect(command("key-details-rotation-cli")).toBeNull();

    await user.click(screen.getByRole("switch", { name: "Dual authorization to delete" }));
    expect(command("key-dual-auth-cli")).toBe(`strongroom keys policies --dual-auth-delete ${key.id}`);
  });

  it("shows schedule-deletion before anyone has authorized the deletion", async () => {
    const key = makeKey({ name: "payments-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } });
    setup(key);
    await screen.findByRole("button", { name: "Authorize deletion" });
    expect(command("key-details-dual-auth-cli")).toBe(`strongroom keys schedule-deletion ${key.id}`);
  });

  it("shows cancel-deletion while an authorization is pending", async () => {
    const key = makeKey({
      name: "payments-root",
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" },
    });
    setup(key);
    await screen.findByRole("button", { name: "Cancel authorization" });
    expect(command("key-details-dual-auth-cli")).toBe(`strongroom keys cancel-deletion ${key.id}`);
  });
});

describe("alias counter", () => {
  it("counts the aliases against the 5 a key may have", async () => {
    setup(makeKey({ name: "payments-root", aliases: ["one", "two"] }));
    await screen.findByLabelText("New alias");
    expect(document.getElementById("key-details-alias-count")).toHaveTextContent(/^2 \/ 5$/);
    expect(document.getElementById("key-details-alias-count")).toHaveAttribute("data-full", "false");
  });

  it("says the key is full and offers no new alias at 5", async () => {
    setup(makeKey({ name: "payments-root", aliases: ["a1", "a2", "a3", "a4", "a5"] }));
    const count = await waitFor(() => {
      const found = document.getElementById("key-details-alias-count");
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(count).toHaveTextContent(/^5 \/ 5$/);
    expect(count.parentElement).toHaveTextContent("the most a key can have. Remove one to add another.");
    expect(screen.queryByLabelText("New alias")).toBeNull();
  });
});
