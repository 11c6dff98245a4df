import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { decodeBase64, encodeBase64 } from "../../lib/base64";
import type { CreateKeyRequest, ImportTokenInfo } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { makeImportToken } from "../../test/importToken";
import { renderWithBackend } from "../../test/render";
import { ImportRootKeyModal } from "./ImportRootKeyModal";

const MATERIAL = new Uint8Array(32).map((_, i) => i + 1);
let token: ImportTokenInfo;
let privateKey: CryptoKey;

beforeAll(async () => {
  ({ token, privateKey } = await makeImportToken());
});

const tokenMetadata: ImportTokenInfo = {
  creationDate: "2026-01-01T00:00:00Z",
  expirationDate: "2026-01-01T00:10:00Z",
  maxAllowedRetrievals: 1,
  remainingRetrievals: 1,
};

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const imported = makeKey({ name: "byok-root", imported: true });
  const backend = fakeBackend({
    createImportToken: () => Promise.resolve(tokenMetadata),
    importToken: () => Promise.resolve(token),
    createKey: () => Promise.resolve(imported),
    ...overrides,
  });
  const onClose = vi.fn();
  const onImported = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(<ImportRootKeyModal onClose={onClose} onImported={onImported} />, backend);
  return { backend, onClose, onImported, user, imported };
}

async function decryptPayload(request: CreateKeyRequest): Promise<Uint8Array> {
  const sealed = decodeBase64(request.payload ?? "");
  if (sealed === null) throw new Error("payload is not base64");
  return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: "RSA-OAEP" }, privateKey, new Uint8Array(sealed)));
}

describe("ImportRootKeyModal", () => {
  it("imports pasted material with secure import: token, public key, local sealing, create", async () => {
    const { backend, onImported, user, imported } = setup();
    await user.type(screen.getByLabelText("Name"), "byok-root");
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(MATERIAL));
    await user.click(screen.getByRole("button", { name: "Import" }));

    expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    expect(onImported).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(onImported).toHaveBeenCalledWith(imported);
    expect(backend.createImportToken).toHaveBeenCalledWith({ expiration: 600, maxAllowedRetrievals: 1 });
    expect(backend.importToken).toHaveBeenCalled();
    const request = backend.createKey.mock.calls[0]?.[0];
    if (request === undefined) throw new Error("createKey was not called");
    expect(request).toMatchObject({ name: "byok-root", keyType: "root", encryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(request.payload).not.toBe(encodeBase64(MATERIAL));
    expect(decodeBase64(request.iv ?? "")).toHaveLength(12);
    expect(await decryptPayload(request)).toEqual(MATERIAL);
  });

  it("says what leaves this machine before anything is sent", () => {
    setup();
    const leaves = document.getElementById("import-key-leaves");
    expect(leaves).toHaveTextContent("What leaves this machine");
    expect(leaves).toHaveTextContent(/RSA-OAEP \(SHA-256\) encrypted to the import token's public key/);
    expect(leaves).toHaveTextContent(/nonce, AES-GCM encrypted under that material/);
  });

  it("shows the token's expiry and retrievals, then the new key's ID and the CLI command, never the material", async () => {
    const expiresSoon = new Date(Date.now() + 9 * 60_000 + 30_000).toISOString();
    const { user, imported } = setup({
      importToken: () => Promise.resolve({ ...token, expirationDate: expiresSoon, maxAllowedRetrievals: 3, remainingRetrievals: 2 }),
    });
    await user.type(screen.getByLabelText("Name"), "byok root");
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(MATERIAL));
    await user.click(screen.getByRole("button", { name: "Import" }));

    expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    expect(document.getElementById("import-key-token-expiry")).toHaveTextContent(/^expires in 9 min \d+ s$/);
    expect(document.getElementById("import-key-token-retrievals")).toHaveTextContent("2 of 3 retrievals left");
    expect(document.getElementById("import-key-new-id")).toHaveTextContent(imported.id);
    const cli = document.querySelector("#import-key-cli code")?.textContent;
    expect(cli).toBe(`strongroom import --material-file "$KEY_MATERIAL_FILE" byok-root`);
    const dialogText = document.body.textContent ?? "";
    expect(dialogText).not.toContain(encodeBase64(MATERIAL));
    expect(dialogText).not.toContain(token.nonce ?? "no nonce");
  }, 15_000);

  it("reads a key file as bytes", async () => {
    const { backend, onImported, user } = setup();
    await user.type(screen.getByLabelText("Name"), "file-root");
    await user.click(screen.getByText("Choose a file"));
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error("no file input");
    await user.upload(input, new File([MATERIAL], "root.key", { type: "application/octet-stream" }));
    expect(await screen.findByText("Chosen: root.key")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Import" }));

    await user.click(await screen.findByRole("button", { name: "Done" }));
    expect(onImported).toHaveBeenCalled();
    const request = backend.createKey.mock.calls[0]?.[0];
    if (request === undefined) throw new Error("createKey was not called");
    expect(await decryptPayload(request)).toEqual(MATERIAL);
  });

  it("checks the material's size before asking the keystore for anything", async () => {
    const { backend, user } = setup();
    await user.type(screen.getByLabelText("Name"), "short-root");
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(new Uint8Array(20)));
    await user.click(screen.getByRole("button", { name: "Import" }));

    expect(await screen.findByText("Root key material must be 16, 24 or 32 bytes; this is 20.")).toBeInTheDocument();
    expect(backend.createImportToken).not.toHaveBeenCalled();
  });

  it("marks the failed step and explains the keystore's refusal by its code", async () => {
    const { onImported, user } = setup({
      createKey: () => rejectWith("INCORRECT_NONCE", "nonce mismatch"),
    });
    await user.type(screen.getByLabelText("Name"), "byok-root");
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(MATERIAL));
    await user.click(screen.getByRole("button", { name: "Import" }));

    expect(await screen.findByText("The key material did not match the import token. Start the import again.")).toBeInTheDocument();
    expect(screen.getByText("Failed")).toBeInTheDocument();
    expect(onImported).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Import" })).toBeEnabled();
  });

  describe("the import token's options", () => {
    async function fillIn(user: ReturnType<typeof userEvent.setup>) {
      await user.type(screen.getByLabelText("Name"), "byok-root");
      await user.click(screen.getByLabelText("Key material (base64)"));
      await user.paste(encodeBase64(MATERIAL));
    }

    it("start at Key Protect's defaults and send what the person sets", async () => {
      const { backend, user } = setup();
      const lifetime = screen.getByLabelText("Expires after (seconds)");
      const retrievals = screen.getByLabelText("Retrievals allowed");
      expect(lifetime).toHaveValue("600");
      expect(retrievals).toHaveValue("1");
      expect(screen.getByText(/\(10 min 0 s\); 300 to 86,400/)).toBeInTheDocument();
      await fillIn(user);
      await user.clear(lifetime);
      await user.type(lifetime, "3,600");
      await user.clear(retrievals);
      await user.type(retrievals, "3");
      expect(screen.getByText(/\(1 h 0 min\)/)).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Import" }));

      expect(await screen.findByText("Root key imported")).toBeInTheDocument();
      expect(backend.createImportToken).toHaveBeenCalledWith({ expiration: 3600, maxAllowedRetrievals: 3 });
    });

    it("say in words what is out of range, and send nothing", async () => {
      const { backend, user } = setup();
      await fillIn(user);
      const lifetime = screen.getByLabelText("Expires after (seconds)");
      await user.clear(lifetime);
      await user.type(lifetime, "120");
      const retrievals = screen.getByLabelText("Retrievals allowed");
      await user.clear(retrievals);
      await user.type(retrievals, "501");
      await user.click(screen.getByRole("button", { name: "Import" }));

      expect(screen.getByText(/^The token lives 300 to 86,400 seconds \(5 minutes to 24 hours\)\./)).toBeInTheDocument();
      expect(screen.getByText("A token may be retrieved 1 to 500 times. Enter a whole number.")).toBeInTheDocument();
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });

    it("flag an emptied field once Import is pressed", async () => {
      const { backend, user } = setup();
      await fillIn(user);
      await user.clear(screen.getByLabelText("Retrievals allowed"));
      expect(screen.queryByText(/A token may be retrieved 1 to 500 times/)).toBeNull();
      await user.click(screen.getByRole("button", { name: "Import" }));
      expect(screen.getByText(/A token may be retrieved 1 to 500 times/)).toBeInTheDocument();
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });
  });

  it("shows the token's public key fingerprint, SHA-256 of its DER, to compare out of band", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Name"), "byok-root");
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(MATERIAL));
    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("Root key imported")).toBeInTheDocument();

    const pem = new TextDecoder().decode(decodeBase64(token.payload ?? "") ?? new Uint8Array());
    const der = decodeBase64(pem.replace(/-----[A-Z ]+-----|\s/g, "")) ?? new Uint8Array();
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new Uint8Array(der)));
    const hex = Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
    const shown = screen.getByLabelText("Token public key fingerprint (SHA-256, first 16 bytes)");
    expect(shown.textContent?.replace(/ /g, "")).toBe(hex);
    expect(shown.textContent).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  });

  describe("under the create and import access policy", () => {
    const closing = (attributes: Record<string, boolean>) => ({
      instancePolicies: () => Promise.resolve([{ policyType: "keyCreateImportAccess", enabled: true, attributes }]),
    });

    it("keeps Import disabled while root key imports are forbidden, and says why", async () => {
      const { backend, user } = setup(closing({ import_root_key: false }));
      const notice = await screen.findByText(/^The instance policy forbids importing root keys\./);
      expect(notice).toHaveTextContent("A Manager can change it under Policies → “Create and import access”.");
      const submit = screen.getByRole("button", { name: "Import" });
      expect(submit).toBeDisabled();
      expect(submit).toHaveAttribute("aria-describedby", "import-key-policy");
      expect(screen.getByLabelText("Key material (base64)")).toBeDisabled();
      expect(screen.getByLabelText("Choose a file")).toBeDisabled();

      await user.type(screen.getByLabelText("Name"), "byok-root");
      await user.click(submit);
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });

    it("keeps secure import open when only plaintext import is closed (enforce_token)", async () => {
      const { backend, user } = setup(closing({ enforce_token: true, import_standard_key: false }));
      await waitFor(() => expect(backend.instancePolicies).toHaveBeenCalled());
      await user.type(screen.getByLabelText("Name"), "byok-root");
      await user.click(screen.getByLabelText("Key material (base64)"));
      await user.paste(encodeBase64(MATERIAL));
      expect(screen.getByRole("button", { name: "Import" })).toBeEnabled();
      expect(screen.queryByText(/The instance policy/)).toBeNull();
      await user.click(screen.getByRole("button", { name: "Import" }));
      expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    });
  });
});
