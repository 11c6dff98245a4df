import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callerWith, fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeysPage } from "./KeysPage";

const key = makeKey({ name: "payments-root" });

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
    key: () => Promise.resolve(key),
    keyVersions: () => Promise.resolve([key.keyVersion]),
    ...overrides,
  });
  const user = userEvent.setup();
  renderWithBackend(<KeysPage refreshToken={0} onChanged={() => undefined} />, backend);
  return { backend, user };
}

const row = () => document.querySelector<HTMLElement>('[data-key-name="payments-root"]');

describe("KeysPage", () => {
  it("opens a key's details by clicking its row and closes them again", async () => {
    const { backend, user } = setup();
    await waitFor(() => expect(row()).not.toBeNull());
    await user.click(screen.getByText("Root"));
    expect(await screen.findByRole("heading", { name: "payments-root", level: 2 })).toBeInTheDocument();
    expect(backend.key).toHaveBeenCalledWith(key.id);

    await user.click(screen.getByRole("button", { name: "Close details" }));
    expect(document.getElementById("key-details")).toBeNull();
  });

  it("opens details from the keyboard through the key's name", async () => {
    const { user } = setup();
    await waitFor(() => expect(row()).not.toBeNull());
    screen.getByRole("button", { name: "payments-root" }).focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("complementary", { name: "Key details" })).toBeInTheDocument();
  });

  it("does not open details when the row's menu is used", async () => {
    const { user } = setup();
    await waitFor(() => expect(row()).not.toBeNull());
    await user.click(screen.getByRole("button", { name: "Actions for payments-root" }));
    expect(document.getElementById("key-details")).toBeNull();
    await user.click(await screen.findByText("Details"));
    expect(await screen.findByRole("complementary", { name: "Key details" })).toBeInTheDocument();
  });

  it("opens the details at the section the row menu names, focused", async () => {
    const { user } = setup({ registrations: () => Promise.resolve([]), authorizations: () => Promise.resolve([]) });
    await waitFor(() => expect(row()).not.toBeNull());
    const choose = async (action: string) => {
      await user.click(screen.getByRole("button", { name: "Actions for payments-root" }));
      const menuItem = await waitFor(() => {
        const found = document.querySelector<HTMLElement>(`[data-action="${action}"]`);
        if (found === null) throw new Error(`no ${action}`);
        return found;
      });
      await user.click(menuItem);
    };

    await choose("edit-aliases");
    await waitFor(() => expect(document.activeElement).toBe(document.getElementById("key-details-alias")));
    expect(screen.getByRole("complementary", { name: "Key details" })).toContainElement(document.activeElement as HTMLElement);

    await choose("resources");
    await waitFor(() => expect(document.activeElement).toBe(document.getElementById("key-details-reach-title")));
    await choose("edit-rotation");
    await waitFor(() => expect(document.activeElement).toBe(document.getElementById("key-details-policies-title")));
    // Asking again for a section already shown focuses it again.
    (document.getElementById("key-details-close") as HTMLElement).focus();
    await choose("edit-rotation");
    await waitFor(() => expect(document.activeElement).toBe(document.getElementById("key-details-policies-title")));
  });

  it("hands a key to the envelope encryption page from its row menu", async () => {
    const onOpenEnvelope = vi.fn();
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
    const user = userEvent.setup();
    renderWithBackend(<KeysPage refreshToken={0} onChanged={() => undefined} onOpenEnvelope={onOpenEnvelope} />, backend);
    await user.click(await screen.findByRole("button", { name: "Actions for payments-root" }));
    await waitFor(() => expect(document.querySelector('[data-action="envelope"]')).not.toBeNull());
    await user.click(document.querySelector('[data-action="envelope"]') as HTMLElement);
    expect(onOpenEnvelope).toHaveBeenCalledWith(key);
  });

  it("opens the import dialog", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "Import a root key" }));
    expect(await screen.findByRole("heading", { name: "Import a root key" })).toBeInTheDocument();
  });

  describe("Import key under the create and import access policy", () => {
    const policy = (attributes: Record<string, boolean>) => ({
      instancePolicies: () => Promise.resolve([{ policyType: "keyCreateImportAccess", enabled: true, attributes }]),
    });
    const FORBIDS =
      "The instance policy forbids importing root keys. A Manager can change it under Policies → “Create and import access”.";

    it("is disabled with the policy's sentence while root key imports are forbidden", async () => {
      const { backend, user } = setup(policy({ import_root_key: false }));
      await waitFor(() => expect(screen.getByRole("button", { name: "Import a root key" })).toBeDisabled());
      const importKey = screen.getByRole("button", { name: "Import a root key" });
      expect(importKey).toHaveAttribute("aria-description", FORBIDS);
      expect(importKey.closest("[data-denied-reason]")).toHaveAttribute("title", FORBIDS);
      expect(backend.instancePolicies).toHaveBeenCalled();
      await user.click(importKey);
      expect(screen.queryByRole("heading", { name: "Import a root key" })).toBeNull();
    });

    it("gives the missing role first, then the policy, when both forbid", async () => {
      setup({ ...policy({ import_root_key: false }), caller: () => Promise.resolve(callerWith(["Reader"])) });
      await waitFor(() =>
        expect(screen.getByRole("button", { name: "Import a root key" })).toHaveAttribute(
          "aria-description",
          expect.stringMatching(/^This needs the .* role.* do not have it\. The instance policy forbids importing root keys\./),
        ),
      );
    });

    it("stays enabled when the policy forbids only other ways in", async () => {
      const { backend } = setup(policy({ enforce_token: true, import_standard_key: false, create_root_key: false }));
      await waitFor(() => expect(backend.instancePolicies).toHaveBeenCalled());
      await waitFor(() => expect(row()).not.toBeNull());
      expect(screen.getByRole("button", { name: "Import a root key" })).toBeEnabled();
      expect(screen.getByRole("button", { name: "Import a root key" })).not.toHaveAttribute("aria-description");
    });
  });

  it("filters the keys by key ring", async () => {
    const { backend, user } = setup({
      keyRings: () =>
        Promise.resolve([
          { id: "default", createdAt: "", createdBy: "" },
          { id: "payments", createdAt: "", createdBy: "" },
        ]),
    });
    await waitFor(() => expect(screen.getByRole("option", { name: "Ring: payments" })).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText("Key ring"), "payments");
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ keyRing: "payments", offset: 0 })),
    );
  });

  it("creates a key ring", async () => {
    const { backend, user } = setup({
      createKeyRing: (id) => Promise.resolve({ id, createdAt: "", createdBy: "" }),
    });
    await user.click(await screen.findByRole("button", { name: "Create key ring" }));
    await user.type(screen.getByLabelText("Key ring ID"), "payments");
    await user.click(document.getElementById("create-key-ring-submit") as HTMLElement);
    await waitFor(() => expect(backend.createKeyRing).toHaveBeenCalledWith("payments"));
    expect(await screen.findByText("Key ring payments created")).toBeInTheDocument();
  });
});
