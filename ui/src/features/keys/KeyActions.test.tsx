import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CallerInfo, KeyInfo } from "../../lib/types";
import { callerWith, fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyTable } from "./KeyTable";

const item = (action: string) => {
  const element = document.querySelector(`[data-action="${action}"]`);
  if (element === null) throw new Error(`no menu item ${action}`);
  return element;
};

async function openMenu(key: KeyInfo, caller: CallerInfo) {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
    caller: () => Promise.resolve(caller),
    enableKey: () => Promise.resolve({ ...key, state: "active" as const }),
  });
  renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, backend);
  const user = userEvent.setup();
  await user.click(await screen.findByRole("button", { name: `Actions for ${key.name}` }));
  await waitFor(() => expect(document.querySelector('[data-action="rotate"]')).not.toBeNull());
  return { backend, user };
}

describe("row menu and the key's state", () => {
  it("shows a Suspended key's Rotate disabled with the reason, and Enable enabled", async () => {
    const { backend, user } = await openMenu(makeKey({ name: "payments-root", state: "suspended" }), callerWith(["Manager"]));
    const rotate = item("rotate");
    expect(rotate).toBeDisabled();
    expect(rotate).toHaveAttribute("title", "Rotate: the key is Suspended (disabled).");
    expect(rotate).toHaveAttribute("aria-description", "Rotate: the key is Suspended (disabled).");
    expect(item("disable")).toHaveAttribute("title", "Disable: the key is Suspended (disabled).");
    expect(item("restore")).toBeDisabled();
    expect(item("purge")).toBeDisabled();
    expect(item("delete")).toBeEnabled();
    const enable = item("enable");
    expect(enable).toBeEnabled();
    expect(enable).not.toHaveAttribute("title");
    await user.click(enable);
    await waitFor(() => expect(backend.enableKey).toHaveBeenCalledTimes(1));
  });

  it("says a standard key cannot be rotated", async () => {
    await openMenu(makeKey({ name: "tokens", keyType: "standard" }), callerWith(["Manager"]));
    expect(item("rotate")).toBeDisabled();
    expect(item("rotate")).toHaveAttribute("title", "Standard keys cannot be rotated.");
  });

  it("gives the missing role first, then the state, when both forbid", async () => {
    await openMenu(makeKey({ name: "payments-root", state: "suspended" }), callerWith(["Reader"]));
    expect(item("rotate")).toHaveAttribute(
      "title",
      "This needs the Writer or Manager role on this key; you (IBMid-someone) do not have it. Rotate: the key is Suspended (disabled).",
    );
    expect(item("enable")).toHaveAttribute(
      "title",
      "This needs the Manager role on this key; you (IBMid-someone) do not have it.",
    );
  });
});

describe("row menu delete for a dual-authorization key", () => {
  it("reads Schedule deletion while no one has authorized the deletion", async () => {
    await openMenu(
      makeKey({ name: "two-person-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } }),
      callerWith(["Manager"]),
    );
    expect(item("delete")).toHaveTextContent(/^Schedule deletion$/);
    expect(item("delete")).toBeEnabled();
  });

  it("reads Delete once another person's authorization is pending", async () => {
    await openMenu(
      makeKey({
        name: "two-person-root",
        dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" },
      }),
      callerWith(["Manager"]),
    );
    expect(item("delete")).toHaveTextContent(/^Delete$/);
  });
});

describe("row menu delete after one's own authorization", () => {
  const authorizedBy = (iamId: string) =>
    makeKey({ name: "two-person-root", dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: iamId } });

  it("disables Delete for the person who authorized the deletion, saying why", async () => {
    await openMenu(authorizedBy("IBMid-someone"), callerWith(["Manager"]));
    const remove = item("delete");
    expect(remove).toBeDisabled();
    expect(remove).toHaveAttribute("title", "You authorized this deletion; a different person must delete the key.");
  });

  it("leaves Delete to a different Manager", async () => {
    await openMenu(authorizedBy("IBMid-alice"), callerWith(["Manager"]));
    expect(item("delete")).toBeEnabled();
    expect(item("delete")).not.toHaveAttribute("title");
  });
});
