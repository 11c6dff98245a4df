import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { CreateKeyModal } from "./CreateKeyModal";

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend(overrides);
  const onClose = vi.fn();
  const onCreated = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(<CreateKeyModal onClose={onClose} onCreated={onCreated} />, backend);
  const name = screen.getByLabelText("Name");
  const aliases = screen.getByLabelText("Aliases (optional)");
  const submit = () => user.click(screen.getByRole("button", { name: "Create" }));
  return { backend, onClose, onCreated, user, name, aliases, submit };
}

const tagTexts = () =>
  Array.from(document.querySelectorAll(".alias-tags__list .cds--tag__label"), (tag) => tag.textContent);

describe("CreateKeyModal", () => {
  it("rejects a one-character name without calling the backend", async () => {
    const { backend, user, name, submit } = setup();
    await user.type(name, "a");
    await submit();

    expect(await screen.findByText("Enter a name of 2 to 90 characters.")).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(backend.createKey).not.toHaveBeenCalled();
  });

  it("says beside the disabled Create why it is disabled, until the form is valid", async () => {
    const { user, name } = setup();
    const create = screen.getByRole("button", { name: "Create" });
    expect(create).toBeDisabled();
    expect(create).toHaveAccessibleDescription("To create the key: Enter a name of 2 to 90 characters.");
    await user.type(name, "payments");
    expect(create).toBeEnabled();
    expect(document.getElementById("create-key-blocked")).toBeNull();
  });

  it("rejects key material that is not base64", async () => {
    const { backend, user, name, submit } = setup();
    await user.type(name, "payments-root");
    await user.type(screen.getByLabelText("Import key material (optional)"), "not base64!");
    await submit();

    expect(await screen.findByText(/Key material must be base64/)).toBeInTheDocument();
    expect(backend.createKey).not.toHaveBeenCalled();
  });

  it("creates a root key by default and hands it back", async () => {
    const created = makeKey({ name: "payments-root" });
    const { backend, onCreated, user, name, submit } = setup({ createKey: () => Promise.resolve(created) });
    await user.type(name, "  payments-root ");
    await user.type(screen.getByLabelText("Description (optional)"), "Wraps card DEKs");
    await submit();

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(backend.createKey).toHaveBeenCalledWith({
      name: "payments-root",
      description: "Wraps card DEKs",
      keyType: "root",
    });
  });

  it("shows the backend's message and keeps the form on failure", async () => {
    const { onCreated, user, name, submit } = setup({
      createKey: () => rejectWith("INVALID_INPUT", "A key named payments-root already exists."),
    });
    await user.type(name, "payments-root");
    await submit();

    expect(await screen.findByText("A key named payments-root already exists.")).toBeInTheDocument();
    expect(name).toHaveValue("payments-root");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("creates a key in a ring with aliases, rotation and dual authorization", async () => {
    const created = makeKey({ name: "payments-root" });
    const { backend, onCreated, user, name, submit } = setup({
      createKey: () => Promise.resolve(created),
      keyRings: () =>
        Promise.resolve([
          { id: "default", createdAt: "", createdBy: "" },
          { id: "payments", createdAt: "", createdBy: "" },
        ]),
    });
    await user.type(name, "payments-root");
    await waitFor(() => expect(screen.getByLabelText("Key ring")).toBeEnabled());
    await user.selectOptions(screen.getByLabelText("Key ring"), "payments");
    await user.type(screen.getByLabelText("Aliases (optional)"), "pay-root, cards");
    await user.click(screen.getByRole("switch", { name: "Rotate automatically" }));
    await user.click(screen.getByRole("switch", { name: "Dual authorization to delete" }));
    await submit();

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(backend.createKey).toHaveBeenCalledWith({
      name: "payments-root",
      keyType: "root",
      keyRing: "payments",
      aliases: ["pay-root", "cards"],
      rotation: { enabled: true, intervalMonth: 3 },
      dualAuthDelete: true,
    });
  }, 20_000);

  it("shows the matching CLI command, rotation policy included", async () => {
    const { user, name } = setup();
    const cli = () => document.querySelector("#create-key-cli code")?.textContent;
    await user.type(name, "payments root");
    await user.type(screen.getByLabelText("Aliases (optional)"), "pay-root");
    await waitFor(() => expect(cli()).toBe("strongroom keys create --alias pay-root 'payments root'"));

    await user.click(screen.getByRole("switch", { name: "Rotate automatically" }));
    await waitFor(() => expect(cli()).toMatch(/^strongroom keys create --alias pay-root --rotation-months \d+ 'payments root'$/));
  }, 15_000);

  it("checks aliases before sending", async () => {
    const { backend, user, name, submit } = setup();
    await user.type(name, "payments-root");
    await user.type(screen.getByLabelText("Aliases (optional)"), "ok-alias, b@d");
    await submit();
    expect(await screen.findByText(/b@d: Use letters, digits/)).toBeInTheDocument();
    expect(backend.createKey).not.toHaveBeenCalled();
  }, 15_000);

  it("opens as a side panel with its heading focused, and gives focus back when it closes", async () => {
    const user = userEvent.setup();
    function Opener() {
      const [open, setOpen] = useState(false);
      return (
        <>
          <button type="button" id="create-key-button" onClick={() => setOpen(true)}>
            Create key
          </button>
          {open && <CreateKeyModal onClose={() => setOpen(false)} onCreated={() => setOpen(false)} />}
        </>
      );
    }
    renderWithBackend(<Opener />, fakeBackend());
    await user.click(screen.getByRole("button", { name: "Create key" }));

    const panel = screen.getByRole("dialog", { name: "Create a key" });
    expect(panel.tagName).toBe("ASIDE");
    expect(panel).toHaveClass("key-details");
    expect(screen.getByRole("heading", { name: "Create a key" })).toHaveFocus();
    expect(screen.getByRole("radio", { name: /Root key/ })).toBeChecked();

    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog", { name: "Create a key" })).toBeNull();
    expect(screen.getByRole("button", { name: "Create key" })).toHaveFocus();
  });

  it("closes on Escape", async () => {
    const { onClose, user, name } = setup();
    await user.click(name);
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("keeps Create disabled until the form is valid", async () => {
    const { user, name } = setup();
    const create = screen.getByRole("button", { name: "Create" });
    expect(create).toBeDisabled();
    await user.type(name, "pa");
    expect(create).toBeEnabled();
    await user.type(screen.getByLabelText("Description (optional)"), "x");
    expect(create).toBeDisabled();
  });

  describe("aliases as tags", () => {
    it("commits the typed alias as a tag on Enter, without submitting", async () => {
      const { backend, user, name, aliases } = setup();
      await user.type(name, "payments-root");
      await user.type(aliases, "pay-root{Enter}");
      expect(tagTexts()).toEqual(["pay-root"]);
      expect(aliases).toHaveValue("");
      expect(screen.getByText("1 of 5")).toBeInTheDocument();
      expect(backend.createKey).not.toHaveBeenCalled();
    });

    it("commits on a comma or a space, so typing two aliases gives two tags", async () => {
      const { user, aliases } = setup();
      await user.type(aliases, "pay-root, cards ");
      expect(tagTexts()).toEqual(["pay-root", "cards"]);
      await user.click(aliases);
      await user.paste("ledger,audit-2");
      expect(tagTexts()).toEqual(["pay-root", "cards", "ledger"]);
      expect(aliases).toHaveValue("audit-2");
    });

    it("removes a tag with its dismiss button", async () => {
      const created = makeKey({ name: "payments-root" });
      const { backend, user, name, aliases, submit } = setup({ createKey: () => Promise.resolve(created) });
      await user.type(name, "payments-root");
      await user.type(aliases, "pay-root cards{Enter}");
      await user.click(screen.getByRole("button", { name: "Remove pay-root" }));
      expect(tagTexts()).toEqual(["cards"]);
      expect(aliases).toHaveFocus();
      expect(screen.getByText("1 of 5")).toBeInTheDocument();
      await submit();
      await waitFor(() => expect(backend.createKey).toHaveBeenCalledWith({ name: "payments-root", keyType: "root", aliases: ["cards"] }));
    });

    it("sends text still in the field, with the tags, when the form is submitted", async () => {
      const created = makeKey({ name: "bucket-root" });
      const { backend, onCreated, user, name, aliases } = setup({ createKey: () => Promise.resolve(created) });
      await user.type(name, "bucket-root");
      await user.type(aliases, "first-alias{Enter}bucket-alias");
      // Straight to the button, as a WebDriver test does: no Enter, no Tab.
      await user.click(document.getElementById("create-key-submit") as HTMLElement);
      await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
      expect(backend.createKey).toHaveBeenCalledWith({
        name: "bucket-root",
        keyType: "root",
        aliases: ["first-alias", "bucket-alias"],
      });
    });

    it("commits the typed alias when the field loses focus", async () => {
      const { user, name, aliases } = setup();
      await user.type(aliases, "pay-root");
      await user.click(name);
      expect(tagTexts()).toEqual(["pay-root"]);
      expect(aliases).toHaveValue("");
    });

    it("keeps an invalid alias in the field with its reason, and Create disabled", async () => {
      const { backend, user, name, aliases } = setup();
      await user.type(name, "payments-root");
      await user.type(aliases, "b@d{Enter}");
      expect(tagTexts()).toEqual([]);
      expect(aliases).toHaveValue("b@d");
      expect(aliases).toHaveAttribute("aria-invalid", "true");
      expect(screen.getByText(/^b@d: Use letters, digits/)).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Create" })).toBeDisabled();

      await user.clear(aliases);
      await user.type(aliases, "pay-root");
      expect(screen.queryByText(/Use letters, digits/)).toBeNull();
      expect(screen.getByRole("button", { name: "Create" })).toBeEnabled();
      expect(backend.createKey).not.toHaveBeenCalled();
    });

    it("waits for a short alias to be finished before calling it too short", async () => {
      const { user, name, aliases } = setup();
      await user.type(aliases, "p");
      expect(screen.queryByText(/An alias has 2 to 90 characters/)).toBeNull();
      await user.click(name);
      expect(screen.getByText("p: An alias has 2 to 90 characters.")).toBeInTheDocument();
    });

    it("refuses a duplicate and a sixth alias", async () => {
      const { user, name, aliases } = setup();
      await user.type(name, "payments-root");
      await user.type(aliases, "one-1 two-2 one-1{Enter}");
      expect(screen.getByText("one-1: This key already has that alias.")).toBeInTheDocument();
      await user.clear(aliases);
      await user.type(aliases, "three-3 four-4 five-5 ");
      expect(tagTexts()).toHaveLength(5);
      expect(screen.getByText("5 of 5")).toBeInTheDocument();

      await user.type(aliases, "six-6{Enter}");
      expect(tagTexts()).toHaveLength(5);
      expect(aliases).toHaveValue("six-6");
      expect(screen.getByText("six-6: A key has at most 5 aliases.")).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Create" })).toBeDisabled();
    }, 15_000);
  });

  describe("under the create and import access policy", () => {
    const closing = (attributes: Record<string, boolean>) => ({
      instancePolicies: () => Promise.resolve([{ policyType: "keyCreateImportAccess", enabled: true, attributes }]),
    });

    it("refuses generating a root key the policy forbids, saying who can change it", async () => {
      const { backend, user, name } = setup(closing({ create_root_key: false }));
      await user.type(name, "payments-root");
      const notice = await screen.findByText(/The instance policy forbids generating root keys\./);
      expect(notice).toHaveTextContent("A Manager can change it under Policies → “Create and import access”.");
      expect(screen.getByRole("button", { name: "Create" })).toBeDisabled();
      expect(backend.createKey).not.toHaveBeenCalled();

      await user.click(screen.getByText("Standard key"));
      await waitFor(() => expect(screen.getByRole("button", { name: "Create" })).toBeEnabled());
      expect(screen.queryByText(/forbids generating/)).toBeNull();
    });

    it("disables plaintext import while enforce_token is on, pointing to secure import", async () => {
      const { user, name } = setup(closing({ enforce_token: true }));
      const material = screen.getByLabelText("Import key material (optional)");
      await waitFor(() => expect(material).toBeDisabled());
      expect(screen.getByText(/requires an import token: use secure import/)).toBeInTheDocument();
      await user.type(name, "payments-root");
      expect(screen.getByRole("button", { name: "Create" })).toBeEnabled();
    });
  });
});
