import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
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

/** The token as retrieved, alive for ten more minutes unless a test says otherwise. */
const liveToken = (overrides: Partial<ImportTokenInfo> = {}): ImportTokenInfo => ({
  ...token,
  expirationDate: new Date(Date.now() + 10 * 60_000).toISOString(),
  ...overrides,
});

type User = ReturnType<typeof userEvent.setup>;

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const imported = makeKey({ name: "byok-root", imported: true });
  const backend = fakeBackend({
    createImportToken: () => Promise.resolve(tokenMetadata),
    importToken: () => Promise.resolve(liveToken()),
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

async function getToken(user: User) {
  await user.click(screen.getByRole("button", { name: "Get import token" }));
  await screen.findByLabelText("Token public key fingerprint (SHA-256, first 16 bytes)");
}

async function toMaterial(user: User) {
  await getToken(user);
  await user.click(screen.getByRole("button", { name: "Next" }));
}

async function giveMaterial(user: User, name = "byok-root", material: Uint8Array = MATERIAL) {
  await user.type(screen.getByLabelText("Name"), name);
  await user.click(screen.getByLabelText("Key material (base64)"));
  await user.paste(encodeBase64(material));
}

async function toReview(user: User, name?: string) {
  await toMaterial(user);
  await giveMaterial(user, name);
  await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
  await screen.findByRole("button", { name: "Import" });
}

function createKeyRequest(backend: ReturnType<typeof setup>["backend"]): CreateKeyRequest {
  const request = backend.createKey.mock.calls[0]?.[0];
  if (request === undefined) throw new Error("createKey was not called");
  return request;
}

const currentStep = () => document.querySelector("#import-key-progress .cds--progress-step--current")?.textContent ?? "";

describe("ImportRootKeyModal", () => {
  it("walks token, material, local encryption and review, and imports only on the last step", async () => {
    const { backend, onImported, user, imported } = setup();
    expect(currentStep()).toContain("Import token");
    expect(screen.queryByLabelText("Key material (base64)")).toBeNull();

    await getToken(user);
    expect(backend.createImportToken).toHaveBeenCalledWith({ expiration: 600, maxAllowedRetrievals: 1 });
    expect(backend.importToken).toHaveBeenCalledTimes(1);
    // The fingerprint, and the request to check it, come before any material is asked for.
    expect(screen.getByLabelText("Token public key fingerprint (SHA-256, first 16 bytes)")).toBeVisible();
    expect(document.getElementById("import-key-token-compare")).toHaveTextContent(
      /Compare this fingerprint with the one your key owner expects/,
    );
    expect(screen.queryByLabelText("Key material (base64)")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(currentStep()).toContain("Key material");
    await giveMaterial(user);
    expect(backend.createKey).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    expect(await screen.findByRole("button", { name: "Import" })).toBeEnabled();
    expect(currentStep()).toContain("Review & import");
    const review = document.getElementById("import-key-review");
    expect(review).toHaveTextContent("byok-root");
    expect(review).toHaveTextContent("32 bytes (AES-256), encrypted in this window");
    expect(backend.createKey).not.toHaveBeenCalled();
    expect(backend.importToken).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    expect(onImported).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(onImported).toHaveBeenCalledWith(imported);
    const request = createKeyRequest(backend);
    expect(request).toMatchObject({ name: "byok-root", keyType: "root", encryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(request.payload).not.toBe(encodeBase64(MATERIAL));
    expect(decodeBase64(request.iv ?? "")).toHaveLength(12);
    expect(await decryptPayload(request)).toEqual(MATERIAL);
  });

  it("says what leaves this machine on the review, before anything is sent", async () => {
    const { backend, user } = setup();
    expect(document.getElementById("import-key-leaves")).toBeNull();
    await toReview(user);
    const leaves = document.getElementById("import-key-leaves");
    expect(leaves).toHaveTextContent("What leaves this machine");
    expect(leaves).toHaveTextContent(/RSA-OAEP \(SHA-256\) encrypted to the import token's public key/);
    expect(leaves).toHaveTextContent(/nonce, AES-GCM encrypted under that material/);
    expect(backend.createKey).not.toHaveBeenCalled();
  });

  it("shows the token's expiry and retrievals, then the new key's ID and the CLI command, never the material", async () => {
    const expiresSoon = new Date(Date.now() + 9 * 60_000 + 30_000).toISOString();
    const { user, imported } = setup({
      importToken: () => Promise.resolve(liveToken({ expirationDate: expiresSoon, maxAllowedRetrievals: 3, remainingRetrievals: 2 })),
    });
    await getToken(user);
    expect(document.getElementById("import-key-token-expiry")).toHaveTextContent(/^expires in 9 min \d+ s$/);
    expect(document.getElementById("import-key-token-retrievals")).toHaveTextContent("2 of 3 retrievals left");
    await user.click(screen.getByRole("button", { name: "Next" }));
    await giveMaterial(user, "byok root");
    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    await user.click(await screen.findByRole("button", { name: "Import" }));

    expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    expect(document.getElementById("import-key-new-id")).toHaveTextContent(imported.id);
    const cli = document.querySelector("#import-key-cli code")?.textContent;
    expect(cli).toBe(`strongroom import --material-file "$KEY_MATERIAL_FILE" byok-root`);
    const dialogText = document.body.textContent ?? "";
    expect(dialogText).not.toContain(encodeBase64(MATERIAL));
    expect(dialogText).not.toContain(token.nonce ?? "no nonce");
  }, 15_000);

  it("warns once the token has expired, and does not go on with it", async () => {
    const { user } = setup({ importToken: () => Promise.resolve(liveToken({ expirationDate: "2026-01-01T00:10:00Z" })) });
    await getToken(user);
    expect(await screen.findByText("The import token has expired")).toBeInTheDocument();
    expect(document.getElementById("import-key-token-expiry")).toHaveTextContent("has expired");
    expect(document.getElementById("import-key-token-expired")).toHaveTextContent(
      /This import token expired at \d{2}:\d{2}\. Get a new token to continue\./,
    );
    expect(document.getElementById("import-key-token-expired")).toHaveTextContent(/the keystore is the final judge/);
    const next = screen.getByRole("button", { name: "Next" });
    expect(next).toBeDisabled();
    expect(next).toHaveAttribute("aria-describedby", "import-key-token-expired");
    await user.click(screen.getByRole("button", { name: "Get a different token" }));
    expect(screen.getByRole("button", { name: "Get import token" })).toBeEnabled();
  });

  describe("when the token expires during the wizard", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Time runs as usual, but a test can jump it forward past the token's expiry. */
    const fakeClock = () =>
      vi.useFakeTimers({
        shouldAdvanceTime: true,
        toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
      });
    const expire = () => {
      act(() => {
        vi.advanceTimersByTime(11 * 60_000);
      });
    };

    it("disables Encrypt, says when it expired, and starts again keeping the name but not the material", async () => {
      fakeClock();
      const { backend, user } = setup();
      await toMaterial(user);
      await giveMaterial(user);
      const encrypt = screen.getByRole("button", { name: "Encrypt locally" });
      expect(encrypt).toBeEnabled();

      expire();
      expect(encrypt).toBeDisabled();
      expect(encrypt).toHaveAttribute("aria-describedby", "import-key-token-expired");
      expect(document.getElementById("import-key-token-expired")).toHaveTextContent(
        /This import token expired at \d{2}:\d{2}\. Get a new token to continue\./,
      );
      // Enter in a field submits the form: it does not encrypt either.
      await user.type(screen.getByLabelText("Name"), "{Enter}");
      expect(screen.queryByRole("button", { name: "Import" })).toBeNull();

      await user.click(screen.getByRole("button", { name: "Get a new token" }));
      expect(currentStep()).toContain("Import token");
      expect(screen.queryByText("The import token has expired")).toBeNull();
      await getToken(user);
      expect(backend.createImportToken).toHaveBeenCalledTimes(2);
      await user.click(screen.getByRole("button", { name: "Next" }));
      expect(screen.getByLabelText("Name")).toHaveValue("byok-root");
      expect(screen.getByLabelText("Key material (base64)")).toHaveValue("");
      expect(backend.createKey).not.toHaveBeenCalled();
    }, 20_000);

    it("disables Import on the review, so nothing is sent for an expired token", async () => {
      fakeClock();
      const { backend, user } = setup();
      await toReview(user);
      const importButton = screen.getByRole("button", { name: "Import" });
      expect(importButton).toBeEnabled();

      expire();
      expect(importButton).toBeDisabled();
      expect(screen.getByText("The import token has expired")).toBeInTheDocument();
      await user.click(importButton);
      expect(backend.createKey).not.toHaveBeenCalled();

      await user.click(screen.getByRole("button", { name: "Get a new token" }));
      expect(screen.getByRole("button", { name: "Get import token" })).toBeEnabled();
    }, 20_000);
  });

  it("reads a key file as bytes", async () => {
    const { backend, onImported, user } = setup();
    await toMaterial(user);
    await user.type(screen.getByLabelText("Name"), "file-root");
    await user.click(screen.getByText("Choose a file"));
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error("no file input");
    await user.upload(input, new File([MATERIAL], "root.key", { type: "application/octet-stream" }));
    expect(await screen.findByText("Chosen: root.key (32 bytes: AES-256.)")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    await user.click(await screen.findByRole("button", { name: "Import" }));

    await user.click(await screen.findByRole("button", { name: "Done" }));
    expect(onImported).toHaveBeenCalled();
    expect(await decryptPayload(createKeyRequest(backend))).toEqual(MATERIAL);
  });

  it("checks the material's size as it is typed, and encrypts nothing until it fits", async () => {
    const { backend, user } = setup();
    await toMaterial(user);
    await giveMaterial(user, "short-root", new Uint8Array(20));
    expect(screen.getByText("Root key material must be 16, 24 or 32 bytes; this is 20.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    expect(screen.queryByRole("button", { name: "Import" })).toBeNull();

    await user.clear(screen.getByLabelText("Key material (base64)"));
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(new Uint8Array(16)));
    expect(screen.queryByText(/Root key material must be/)).toBeNull();
    expect(screen.getByText("16 bytes: AES-128.")).toBeInTheDocument();
    expect(backend.createKey).not.toHaveBeenCalled();
  });

  it("asks for a name before encrypting", async () => {
    const { user } = setup();
    await toMaterial(user);
    await user.click(screen.getByLabelText("Key material (base64)"));
    await user.paste(encodeBase64(MATERIAL));
    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    expect(screen.getByText("Enter a name of 2 to 90 characters.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Import" })).toBeNull();
  });

  it("keeps the name and material when going back from the review, and seals again", async () => {
    const { backend, user } = setup();
    await toReview(user);
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByLabelText("Name")).toHaveValue("byok-root");
    await user.click(screen.getByRole("button", { name: "Encrypt locally" }));
    await user.click(await screen.findByRole("button", { name: "Import" }));
    expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    expect(backend.importToken).toHaveBeenCalledTimes(1);
    expect(await decryptPayload(createKeyRequest(backend))).toEqual(MATERIAL);
  });

  it("gets a different token when asked, with the options open again", async () => {
    const { backend, user } = setup();
    await getToken(user);
    expect(screen.getByLabelText("Retrievals allowed")).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Get a different token" }));
    expect(screen.queryByLabelText("Token public key fingerprint (SHA-256, first 16 bytes)")).toBeNull();
    expect(screen.getByLabelText("Retrievals allowed")).toBeEnabled();
    await getToken(user);
    expect(backend.createImportToken).toHaveBeenCalledTimes(2);
  });

  it("explains a refused token and stays on the first step", async () => {
    const { user } = setup({ createImportToken: () => rejectWith("FORBIDDEN", "no") });
    await user.click(screen.getByRole("button", { name: "Get import token" }));
    expect(await screen.findByText("Your role does not allow this. Ask a Manager of this instance for access.")).toBeInTheDocument();
    expect(screen.getByText("Failed")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Next" })).toBeNull();
  });

  it("marks the failed step and explains the keystore's refusal by its code", async () => {
    const { onImported, user } = setup({
      createKey: () => rejectWith("INCORRECT_NONCE", "nonce mismatch"),
    });
    await toReview(user);
    await user.click(screen.getByRole("button", { name: "Import" }));

    expect(await screen.findByText("The key material did not match the import token. Start the import again.")).toBeInTheDocument();
    expect(screen.getByText("Failed")).toBeInTheDocument();
    expect(onImported).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Import" })).toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Start again with a different token" }));
    expect(screen.getByRole("button", { name: "Get import token" })).toBeEnabled();
  });

  describe("the import token's options", () => {
    it("start at Key Protect's defaults and send what the person sets", async () => {
      const { backend, user } = setup();
      const lifetime = screen.getByLabelText("Expires after (seconds)");
      const retrievals = screen.getByLabelText("Retrievals allowed");
      expect(lifetime).toHaveValue("600");
      expect(retrievals).toHaveValue("1");
      expect(screen.getByText(/\(10 min 0 s\); 300 to 86,400/)).toBeInTheDocument();
      await user.clear(lifetime);
      await user.type(lifetime, "3,600");
      await user.clear(retrievals);
      await user.type(retrievals, "3");
      expect(screen.getByText(/\(1 h 0 min\)/)).toBeInTheDocument();
      await getToken(user);
      expect(backend.createImportToken).toHaveBeenCalledWith({ expiration: 3600, maxAllowedRetrievals: 3 });
    });

    it("say in words what is out of range, and send nothing", async () => {
      const { backend, user } = setup();
      const lifetime = screen.getByLabelText("Expires after (seconds)");
      await user.clear(lifetime);
      await user.type(lifetime, "120");
      const retrievals = screen.getByLabelText("Retrievals allowed");
      await user.clear(retrievals);
      await user.type(retrievals, "501");
      await user.click(screen.getByRole("button", { name: "Get import token" }));

      expect(screen.getByText(/^The token lives 300 to 86,400 seconds \(5 minutes to 24 hours\)\./)).toBeInTheDocument();
      expect(screen.getByText("A token may be retrieved 1 to 500 times. Enter a whole number.")).toBeInTheDocument();
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });

    it("flag an emptied field once the token is asked for", async () => {
      const { backend, user } = setup();
      await user.clear(screen.getByLabelText("Retrievals allowed"));
      expect(screen.queryByText(/A token may be retrieved 1 to 500 times/)).toBeNull();
      await user.click(screen.getByRole("button", { name: "Get import token" }));
      expect(screen.getByText(/A token may be retrieved 1 to 500 times/)).toBeInTheDocument();
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });
  });

  it("shows the token's public key fingerprint, SHA-256 of its DER, to compare out of band", async () => {
    const { user } = setup();
    await getToken(user);

    const pem = new TextDecoder().decode(decodeBase64(token.payload ?? "") ?? new Uint8Array());
    const der = decodeBase64(pem.replace(/-----[A-Z ]+-----|\s/g, "")) ?? new Uint8Array();
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new Uint8Array(der)));
    const hex = Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
    const shown = screen.getByLabelText("Token public key fingerprint (SHA-256, first 16 bytes)");
    expect(shown.textContent?.replace(/ /g, "")).toBe(hex);
    expect(shown.textContent).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  });

  it("does not go on without a fingerprint to compare", async () => {
    const { user } = setup({ importToken: () => Promise.resolve(liveToken({ payload: encodeBase64(new TextEncoder().encode("not a key")) })) });
    await user.click(screen.getByRole("button", { name: "Get import token" }));
    expect(await screen.findByText("No fingerprint to check")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
  });

  describe("under the create and import access policy", () => {
    const closing = (attributes: Record<string, boolean>) => ({
      instancePolicies: () => Promise.resolve([{ policyType: "keyCreateImportAccess", enabled: true, attributes }]),
    });

    it("keeps the wizard at its first step while root key imports are forbidden, and says why", async () => {
      const { backend, user } = setup(closing({ import_root_key: false }));
      const notice = await screen.findByText(/^The instance policy forbids importing root keys\./);
      expect(notice).toHaveTextContent("A Manager can change it under Policies → “Create and import access”.");
      const submit = screen.getByRole("button", { name: "Get import token" });
      expect(submit).toBeDisabled();
      expect(submit).toHaveAttribute("aria-describedby", "import-key-policy");
      expect(screen.getByLabelText("Retrievals allowed")).toBeDisabled();

      await user.click(submit);
      expect(backend.createImportToken).not.toHaveBeenCalled();
    });

    it("keeps secure import open when only plaintext import is closed (enforce_token)", async () => {
      const { backend, user } = setup(closing({ enforce_token: true, import_standard_key: false }));
      await waitFor(() => expect(backend.instancePolicies).toHaveBeenCalled());
      expect(screen.queryByText(/The instance policy/)).toBeNull();
      await toReview(user);
      await user.click(screen.getByRole("button", { name: "Import" }));
      expect(await screen.findByText("Root key imported")).toBeInTheDocument();
    });
  });
});
