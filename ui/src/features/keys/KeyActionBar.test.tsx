import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CallerInfo, KeyInfo } from "../../lib/types";
import { callerWith, fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyActionBar } from "./KeyActionBar";

const button = (action: string) => {
  const element = document.querySelector(`[data-panel-action="${action}"]`);
  if (element === null) throw new Error(`no button ${action}`);
  return element;
};

/** The bar for `key`, once the caller's roles have loaded. */
async function showBar(key: KeyInfo, caller: CallerInfo = callerWith(["Manager"])) {
  const backend = fakeBackend({
    caller: () => Promise.resolve(caller),
    enableKey: () => Promise.resolve({ ...key, state: "active" as const }),
  });
  renderWithBackend(<KeyActionBar keyInfo={key} onChanged={vi.fn()} />, backend);
  await waitFor(() => expect(backend.caller).toHaveBeenCalled());
  return { backend, user: userEvent.setup() };
}

describe("key action bar and the key's state", () => {
  it("shows a Suspended key's Rotate disabled with the reason, and Enable enabled", async () => {
    const { backend, user } = await showBar(makeKey({ name: "payments-root", state: "suspended" }));
    const enable = screen.getByRole("button", { name: "Enable" });
    await waitFor(() => expect(enable).toBeEnabled());
    const rotate = screen.getByRole("button", { name: "Rotate" });
    expect(rotate).toBeDisabled();
    expect(rotate).toHaveAttribute("aria-description", "Rotate: the key is Suspended (disabled).");
    expect(rotate.closest("[data-denied-reason]")).toHaveAttribute("title", "Rotate: the key is Suspended (disabled).");
    expect(button("disable")).toHaveAttribute("aria-description", "Disable: the key is Suspended (disabled).");
    expect(button("restore")).toBeDisabled();
    expect(button("purge")).toBeDisabled();
    expect(button("delete")).toBeEnabled();
    expect(enable).not.toHaveAttribute("aria-description");
    await user.click(enable);
    await waitFor(() => expect(backend.enableKey).toHaveBeenCalledWith(expect.stringContaining("-0000-4000")));
  });

  it("gives the missing role first, then the state, when both forbid", async () => {
    await showBar(makeKey({ state: "suspended" }), callerWith(["Reader"]));
    await waitFor(() =>
      expect(button("rotate")).toHaveAttribute(
        "aria-description",
        "This needs the Writer or Manager role on this key; you (IBMid-someone) do not have it. Rotate: the key is Suspended (disabled).",
      ),
    );
  });

  it("keeps the ids and data attributes the end-to-end tests click", async () => {
    await showBar(
      makeKey({ state: "destroyed", deletedAt: new Date(Date.now() - 5 * 3_600_000).toISOString() }),
      callerWith(["Manager", "KeyPurge"]),
    );
    expect(document.getElementById("key-details-rotate")).toHaveAttribute("data-panel-action", "rotate");
    expect(document.getElementById("key-details-purge")).toHaveAttribute("data-panel-action", "purge");
    await waitFor(() => expect(button("purge")).toBeEnabled());
    expect(button("rotate")).toHaveAttribute("aria-description", "Rotate: the key is Destroyed (deleted).");
  });
});

describe("delete for a dual-authorization key", () => {
  it("reads Schedule deletion until someone has authorized the deletion", async () => {
    await showBar(makeKey({ dualAuthDelete: { enabled: true, keySetForDeletion: false } }));
    expect(button("delete")).toHaveTextContent(/^Schedule deletion$/);
  });

  it("reads Delete once another person's authorization is pending", async () => {
    await showBar(makeKey({ dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" } }));
    expect(button("delete")).toHaveTextContent(/^Delete$/);
  });

  it("reads Delete for a key without dual authorization", async () => {
    await showBar(makeKey());
    expect(button("delete")).toHaveTextContent(/^Delete$/);
  });
});

describe("delete after one's own authorization", () => {
  it("disables Delete for the approver, with the reason, and not for someone else", async () => {
    const mine = makeKey({ dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-someone" } });
    await showBar(mine);
    await waitFor(() =>
      expect(button("delete")).toHaveAttribute(
        "aria-description",
        "You authorized this deletion; a different person must delete the key.",
      ),
    );
    expect(button("delete")).toBeDisabled();
  });

  it("enables Delete when a different person authorized the deletion", async () => {
    await showBar(makeKey({ dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" } }));
    await waitFor(() => expect(button("delete")).toBeEnabled());
    expect(button("delete")).not.toHaveAttribute("aria-description");
  });
});
