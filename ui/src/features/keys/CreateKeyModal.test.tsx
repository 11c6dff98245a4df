import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
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
  const submit = () => user.click(screen.getByRole("button", { name: "Create" }));
  return { backend, onClose, onCreated, user, name, submit };
}

describe("CreateKeyModal", () => {
  it("rejects a one-character name without calling the backend", async () => {
    const { backend, user, name, submit } = setup();
    await user.type(name, "a");
    await submit();

    expect(await screen.findByText("Enter a name of 2 to 90 characters.")).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(backend.createKey).not.toHaveBeenCalled();
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
      setup(closing({ enforce_token: true }));
      const material = screen.getByLabelText("Import key material (optional)");
      await waitFor(() => expect(material).toBeDisabled());
      expect(screen.getByText(/requires an import token: use secure import/)).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Create" })).toBeEnabled();
    });
  });
});
