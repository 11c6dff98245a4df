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

describe("row menu items that open a page or a section", () => {
  async function openFullMenu(key: KeyInfo, caller: CallerInfo) {
    const backend = fakeBackend({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      caller: () => Promise.resolve(caller),
    });
    const onOpen = vi.fn();
    const onOpenEnvelope = vi.fn();
    renderWithBackend(
      <KeyTable refreshToken={0} onChanged={vi.fn()} onOpen={onOpen} onOpenEnvelope={onOpenEnvelope} />,
      backend,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: `Actions for ${key.name}` }));
    await waitFor(() => expect(document.querySelector('[data-action="envelope"]')).not.toBeNull());
    return { onOpen, onOpenEnvelope, user };
  }
  const actions = () => [...document.querySelectorAll("[data-action]")].map((element) => element.getAttribute("data-action"));

  it("follows Details with Key Protect's items, each opening its page or section", async () => {
    const key = makeKey({ name: "payments-root" });
    const { onOpen, onOpenEnvelope, user } = await openFullMenu(key, callerWith(["Manager"]));
    expect(actions().slice(0, 7)).toEqual([
      "details",
      "envelope",
      "edit-aliases",
      "move",
      "edit-rotation",
      "resources",
      "rotate",
    ]);
    expect(item("edit-rotation")).toHaveTextContent("Edit rotation policy");
    for (const action of ["envelope", "edit-aliases", "move", "edit-rotation", "resources"]) {
      expect(item(action)).toBeEnabled();
    }

    await user.click(item("envelope"));
    expect(onOpenEnvelope).toHaveBeenCalledWith(key);
    expect(onOpen).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Actions for payments-root" }));
    await waitFor(() => expect(item("move")).toHaveTextContent("Move to key ring"));
    await user.click(item("move"));
    expect(onOpen).toHaveBeenLastCalledWith(key, "move");
  });

  it("disables what a suspended key cannot do, with the reason, and keeps its resources", async () => {
    await openFullMenu(makeKey({ name: "old-root", state: "suspended" }), callerWith(["Manager"]));
    expect(item("envelope")).toBeDisabled();
    expect(item("envelope")).toHaveAttribute("title", "Envelope encryption: the key is Suspended (disabled).");
    expect(item("edit-aliases")).toBeEnabled();
    expect(item("resources")).toBeEnabled();
  });

  it("disables the editing items of a destroyed key and what a standard key lacks", async () => {
    await openFullMenu(makeKey({ name: "gone", keyType: "standard", state: "destroyed" }), callerWith(["Manager"]));
    expect(item("envelope")).toHaveAttribute("title", "Only root keys wrap and unwrap.");
    expect(item("edit-rotation")).toHaveAttribute("title", "Standard keys cannot be rotated.");
    expect(item("edit-aliases")).toHaveAttribute("title", "Edit aliases: the key is Destroyed (deleted).");
    expect(item("move")).toHaveAttribute("title", "Move to key ring: the key is Destroyed (deleted).");
    expect(item("resources")).toBeEnabled();
  });

  it("names the missing role for a Reader, who may still wrap and see the resources", async () => {
    await openFullMenu(makeKey({ name: "payments-root" }), callerWith(["Reader"]));
    expect(item("envelope")).toBeEnabled();
    expect(item("resources")).toBeEnabled();
    expect(item("edit-aliases")).toHaveAttribute(
      "title",
      "This needs the Writer or Manager role on this key; you (IBMid-someone) do not have it.",
    );
    expect(item("move")).toBeDisabled();
    expect(item("edit-rotation")).toHaveAttribute(
      "title",
      "This needs the Manager role on this key; you (IBMid-someone) do not have it.",
    );
  });
});
