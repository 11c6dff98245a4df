import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { UNDECRYPTABLE_SENTENCE } from "../../lib/errors";
import { callerWith, fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { TestWrapPanel } from "./TestWrapPanel";

const DEK = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
const OTHER_DEK = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const CIPHERTEXT = "ZW52ZWxvcGUtdjEtb3BhcXVlLWJ5dGVz";

const rootA = makeKey({ name: "payments-root" });
const rootB = makeKey({ name: "archive-root", state: "deactivated" });
const standard = makeKey({ name: "api-token", keyType: "standard" });

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys: [rootA, standard, rootB], total: 3 }),
    wrap: (request) =>
      Promise.resolve({
        ciphertext: CIPHERTEXT,
        keyVersion: { id: rootA.keyVersion.id },
        ...(request.plaintext === undefined ? { plaintext: DEK } : {}),
      }),
    unwrap: () => Promise.resolve({ plaintext: DEK, keyVersion: { id: rootA.keyVersion.id } }),
    ...overrides,
  });
  const user = userEvent.setup();
  renderWithBackend(<TestWrapPanel refreshToken={0} />, backend);
  return { backend, user };
}

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

async function keysLoaded() {
  const select = await screen.findByLabelText<HTMLSelectElement>("Root key");
  await waitFor(() => expect(select.options.length).toBeGreaterThan(0));
  return select;
}

describe("TestWrapPanel", () => {
  it("offers root keys that can wrap or unwrap, first one selected, and lists the others disabled with the reason", async () => {
    const suspended = makeKey({ name: "frozen-root", state: "suspended" });
    const destroyed = makeKey({ name: "gone-root", state: "destroyed" });
    const { backend } = setup({
      listKeys: (request) =>
        Promise.resolve(
          request.states.includes("suspended")
            ? { keys: [suspended, destroyed], total: 2 }
            : { keys: [standard, rootA, rootB], total: 3 },
        ),
    });
    const select = await keysLoaded();
    expect(backend.listKeys).toHaveBeenCalledWith({ offset: 0, limit: 200, states: ["active", "deactivated"] });
    expect(backend.listKeys).toHaveBeenCalledWith({ offset: 0, limit: 100, states: ["suspended", "destroyed"] });
    const options = [...select.options].map((option) => [option.text, option.disabled]);
    expect(options).toEqual([
      ["payments-root", false],
      ["archive-root (deactivated: unwrap only)", false],
      ["api-token (standard key: only root keys wrap)", true],
      ["frozen-root (suspended: enable it to wrap or unwrap)", true],
      ["gone-root (destroyed: it no longer wraps or unwraps)", true],
    ]);
    expect(select.value).toBe(rootA.id);
    // The desktop end-to-end test finds a refused key's option by its name.
    const frozen = select.querySelector<HTMLOptionElement>("option[data-key-name='frozen-root']");
    expect(frozen?.disabled).toBe(true);
    expect(frozen).toHaveAttribute("data-refusal", "suspended: enable it to wrap or unwrap");
  });

  it("explains why the key to start with cannot be used, and starts with a usable one", async () => {
    const suspended = makeKey({ name: "frozen-root", state: "suspended" });
    const backend = fakeBackend({
      listKeys: (request) =>
        Promise.resolve(request.states.includes("suspended") ? { keys: [suspended], total: 1 } : { keys: [rootA], total: 1 }),
    });
    renderWithBackend(<TestWrapPanel refreshToken={0} initialKeyId={suspended.id} />, backend);
    const select = await keysLoaded();
    expect(select.value).toBe(rootA.id);
    const warning = await waitFor(() => byId("wrap-key-missing"));
    expect(warning).toHaveTextContent("Key frozen-root cannot wrap or unwrap");
    expect(warning).toHaveTextContent("Suspended: enable it to wrap or unwrap.");
  });

  it("wraps a generated DEK, keeps it masked, and unwraps it to a Match", async () => {
    const { backend, user } = setup();
    await keysLoaded();
    expect(byId("unwrap-button")).toBeDisabled();
    expect(byId("rewrap-button")).toBeDisabled();

    await user.click(byId("wrap-aad-add"));
    await user.type(byId("wrap-aad-0"), "tenant=42");
    await user.click(byId("wrap-button"));

    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    expect(backend.wrap).toHaveBeenCalledWith({ keyId: rootA.id, aad: ["tenant=42"] });
    expect(byId("wrap-key-version")).toHaveTextContent(rootA.keyVersion.id);
    expect(byId("wrap-dek")).toHaveTextContent("•••• 32 bytes");
    expect(document.body).not.toHaveTextContent(DEK);

    await user.click(byId("unwrap-button"));

    await waitFor(() => expect(byId("match-verdict").textContent).toBe("Match"));
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: rootA.id, ciphertext: CIPHERTEXT, aad: ["tenant=42"] });
    expect(byId("unwrap-plaintext")).toHaveTextContent("•••• 32 bytes");
    expect(document.body).not.toHaveTextContent(DEK);

    await user.click(screen.getByRole("button", { name: "Show DEK" }));
    expect(byId("wrap-dek")).toHaveTextContent(DEK);
  });

  it("says Mismatch when the unwrapped bytes differ from the pasted DEK", async () => {
    const { backend, user } = setup({
      unwrap: () => Promise.resolve({ plaintext: OTHER_DEK, keyVersion: { id: rootA.keyVersion.id } }),
    });
    await keysLoaded();

    await user.click(byId("wrap-dek-paste"));
    await user.type(byId("wrap-dek-input"), DEK);
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    expect(backend.wrap).toHaveBeenCalledWith({ keyId: rootA.id, aad: [], plaintext: DEK });

    await user.click(byId("unwrap-button"));
    await waitFor(() => expect(byId("match-verdict").textContent).toBe("Mismatch"));
  });

  it("explains an UNDECRYPTABLE rejection in plain words", async () => {
    const { user } = setup({
      unwrap: () => rejectWith("UNDECRYPTABLE", "aead::Error"),
    });
    await keysLoaded();

    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    await user.click(byId("unwrap-button"));

    const error = await waitFor(() => byId("wrap-error"));
    expect(error).toHaveTextContent(UNDECRYPTABLE_SENTENCE);
    expect(error).not.toHaveTextContent("aead::Error");
    expect(document.getElementById("match-verdict")).toBeNull();
  });

  it("reports a rotation noticed during unwrap", async () => {
    const { user } = setup({
      unwrap: () =>
        Promise.resolve({
          plaintext: DEK,
          keyVersion: { id: rootA.keyVersion.id },
          rewrapped: { ciphertext: "bmV3", keyVersion: { id: "new-version-id" } },
        }),
    });
    await keysLoaded();
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    await user.click(byId("unwrap-button"));

    await waitFor(() => expect(byId("unwrap-rewrapped")).toHaveTextContent("The key was rotated since; re-wrapped with version new-version-id"));
  });

  it("replaces the ciphertext on rewrap and shows both versions", async () => {
    const { backend, user } = setup({
      rewrap: () =>
        Promise.resolve({
          ciphertext: "cmV3cmFwcGVk",
          keyVersion: { id: rootA.keyVersion.id },
          rewrappedKeyVersion: { id: "new-version-id" },
        }),
    });
    await keysLoaded();
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));

    await user.click(byId("rewrap-button"));

    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue("cmV3cmFwcGVk"));
    expect(backend.rewrap).toHaveBeenCalledWith({ keyId: rootA.id, ciphertext: CIPHERTEXT, aad: [] });
    const versions = byId("rewrap-versions");
    expect(within(versions).getByText(rootA.keyVersion.id)).toBeInTheDocument();
    expect(within(versions).getByText("new-version-id")).toBeInTheDocument();
    expect(byId("wrap-key-version")).toHaveTextContent("new-version-id");
  });

  it("asks for a DEK before wrapping an empty paste", async () => {
    const { backend, user } = setup();
    await keysLoaded();
    await user.click(byId("wrap-dek-paste"));
    await user.click(byId("wrap-button"));
    expect(await screen.findByText("Paste a base64 DEK, or choose Generate.")).toBeInTheDocument();
    expect(backend.wrap).not.toHaveBeenCalled();
  });
});

describe("TestWrapPanel with a ciphertext from elsewhere", () => {
  it("unwraps a pasted ciphertext without claiming a round trip", async () => {
    const { backend, user } = setup();
    await keysLoaded();
    await user.click(byId("wrap-ciphertext"));
    await user.paste(CIPHERTEXT);
    await user.click(byId("unwrap-button"));

    await waitFor(() => expect(byId("match-verdict").textContent).toBe("Unwrapped"));
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: rootA.id, ciphertext: CIPHERTEXT, aad: [] });
    expect(byId("unwrap-plaintext")).toHaveTextContent("•••• 32 bytes");
  });

  it("rewraps a pasted ciphertext and shows the versions before and after", async () => {
    const { user } = setup({
      rewrap: () =>
        Promise.resolve({ ciphertext: "cmV3cmFwcGVk", keyVersion: { id: "old-version" }, rewrappedKeyVersion: { id: "new-version" } }),
    });
    await keysLoaded();
    await user.click(byId("wrap-ciphertext"));
    await user.paste(CIPHERTEXT);
    await user.click(byId("rewrap-button"));

    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue("cmV3cmFwcGVk"));
    expect(byId("rewrap-versions")).toHaveTextContent("old-version → new-version");
  });

  it("rotates the chosen key so a rewrap can move onto the new version", async () => {
    const onChanged = vi.fn();
    const backend = fakeBackend({
      listKeys: () => Promise.resolve({ keys: [rootA], total: 1 }),
      rotateKey: () => Promise.resolve(rootA),
    });
    const user = userEvent.setup();
    renderWithBackend(<TestWrapPanel refreshToken={0} onChanged={onChanged} />, backend);
    await keysLoaded();

    await user.click(byId("wrap-rotate"));

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(backend.rotateKey).toHaveBeenCalledWith({ keyId: rootA.id });
    expect(await screen.findByText("Key payments-root rotated")).toBeInTheDocument();
  });

  it("does not offer rotation for a deactivated key", async () => {
    const { user } = setup();
    const select = await keysLoaded();
    await user.selectOptions(select, rootB.id);
    expect(byId("wrap-rotate")).toBeDisabled();
  });
});

describe("TestWrapPanel round-trip test", () => {
  it("wraps a generated DEK with the AAD rows, unwraps it, and passes, naming the key version; the DEK never shows", async () => {
    const { backend, user } = setup();
    await keysLoaded();
    await user.click(byId("wrap-aad-add"));
    await user.type(byId("wrap-aad-0"), "tenant=42");

    await user.click(byId("wrap-round-trip"));

    const result = await waitFor(() => byId("wrap-round-trip-result"));
    expect(result).toHaveAttribute("data-outcome", "passed");
    expect(result).toHaveTextContent("Round trip passed");
    expect(result).toHaveTextContent(`wrapped with 1 AAD item by key version ${rootA.keyVersion.id} unwrapped to the same bytes`);
    expect(backend.wrap).toHaveBeenCalledWith({ keyId: rootA.id, aad: ["tenant=42"] });
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: rootA.id, ciphertext: CIPHERTEXT, aad: ["tenant=42"] });
    expect(document.body).not.toHaveTextContent(DEK);
    // The test leaves the panel's own wrap result and ciphertext alone.
    expect(byId("wrap-ciphertext")).toHaveValue("");
    expect(document.getElementById("wrap-dek")).toBeNull();
  });

  it("fails when the unwrapped bytes differ", async () => {
    const { user } = setup({
      unwrap: () => Promise.resolve({ plaintext: OTHER_DEK, keyVersion: { id: rootA.keyVersion.id } }),
    });
    await keysLoaded();
    await user.click(byId("wrap-round-trip"));
    const result = await waitFor(() => byId("wrap-round-trip-result"));
    expect(result).toHaveAttribute("data-outcome", "mismatch");
    expect(result).toHaveTextContent("Round trip failed");
    expect(result).toHaveTextContent(`wrapped by key version ${rootA.keyVersion.id} unwrapped to different bytes`);
    expect(document.body).not.toHaveTextContent(OTHER_DEK);
  });

  it("says which call was refused, in words chosen by the error code", async () => {
    const { user } = setup({ unwrap: () => rejectWith("UNDECRYPTABLE", "aead::Error") });
    await keysLoaded();
    await user.click(byId("wrap-round-trip"));
    const result = await waitFor(() => byId("wrap-round-trip-result"));
    expect(result).toHaveTextContent("Round trip failed at unwrap");
    expect(result).toHaveTextContent(UNDECRYPTABLE_SENTENCE);
    expect(result).toHaveTextContent(`It had been wrapped by key version ${rootA.keyVersion.id}.`);
    expect(result).not.toHaveTextContent("aead::Error");
  });

  it("is not offered for a deactivated key, which cannot wrap", async () => {
    const { user } = setup();
    const select = await keysLoaded();
    expect(byId("wrap-round-trip")).toBeEnabled();
    await user.selectOptions(select, rootB.id);
    expect(byId("wrap-round-trip")).toBeDisabled();
    expect(screen.getByText("This key is deactivated: it can unwrap, but no longer wrap.")).toBeInTheDocument();
  });
});

describe("TestWrapPanel test vectors", () => {
  function renderPanel(props: Partial<Parameters<typeof TestWrapPanel>[0]> = {}) {
    const backend = fakeBackend({
      listKeys: () => Promise.resolve({ keys: [rootA, rootB], total: 2 }),
      wrap: () => Promise.resolve({ ciphertext: CIPHERTEXT, keyVersion: { id: rootA.keyVersion.id }, plaintext: DEK }),
      unwrap: () => Promise.resolve({ plaintext: DEK, keyVersion: { id: rootA.keyVersion.id } }),
    });
    const user = userEvent.setup();
    renderWithBackend(<TestWrapPanel refreshToken={0} {...props} />, backend);
    return { backend, user };
  }

  it("saves the wrap's key, version, ciphertext, AAD and label, never its DEK", async () => {
    const onSaveVector = vi.fn(() => true);
    const { user } = renderPanel({ onSaveVector });
    await keysLoaded();
    expect(document.getElementById("save-test-vector")).toBeNull();
    await user.click(byId("wrap-aad-add"));
    await user.type(byId("wrap-aad-0"), "tenant=42");
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    // A later edit of the AAD rows does not change what the wrap used.
    await user.type(byId("wrap-aad-0"), "-edited");
    await user.type(byId("test-vector-label"), "orders");

    await user.click(byId("save-test-vector"));

    expect(onSaveVector).toHaveBeenCalledWith({
      label: "orders",
      keyId: rootA.id,
      keyVersion: rootA.keyVersion.id,
      ciphertext: CIPHERTEXT,
      aad: ["tenant=42"],
    });
    expect(JSON.stringify(onSaveVector.mock.calls)).not.toContain(DEK);
    expect(byId("save-test-vector")).toBeDisabled();
    expect(byId("save-test-vector")).toHaveTextContent("Saved as test vector");
  });

  it("labels a vector with the key's name when none is typed, and says when it could not be kept", async () => {
    const onSaveVector = vi.fn(() => false);
    const { user } = renderPanel({ onSaveVector });
    await keysLoaded();
    await user.click(byId("wrap-button"));
    await user.click(await waitFor(() => byId("save-test-vector")));
    expect(onSaveVector).toHaveBeenCalledWith(expect.objectContaining({ label: rootA.name }));
    expect(screen.getByText("It could not be kept: this browser's storage is full or blocked.")).toBeInTheDocument();
    expect(byId("save-test-vector")).toBeEnabled();
  });

  it("starts from a loaded vector's key, ciphertext and AAD, ready to unwrap", async () => {
    const { backend, user } = renderPanel({ initialKeyId: rootB.id, initialCiphertext: CIPHERTEXT, initialAad: ["tenant=42", "eu"] });
    const select = await keysLoaded();
    await waitFor(() => expect(select.value).toBe(rootB.id));
    expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT);
    expect(byId("wrap-aad-0")).toHaveValue("tenant=42");
    expect(byId("wrap-aad-1")).toHaveValue("eu");

    await user.click(byId("unwrap-button"));

    await waitFor(() => expect(byId("match-verdict").textContent).toBe("Unwrapped"));
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: rootB.id, ciphertext: CIPHERTEXT, aad: ["tenant=42", "eu"] });
  });

  it("warns when the key to start with cannot wrap or unwrap here", async () => {
    renderPanel({ initialKeyId: "gone-key-id", initialCiphertext: CIPHERTEXT });
    const warning = await waitFor(() => byId("wrap-key-missing"));
    expect(warning).toHaveTextContent("Key gone-key-id is not an active or deactivated root key of this keystore");
  });
});

describe("TestWrapPanel access", () => {
  it("lets a Reader wrap, unwrap and rewrap, but not rotate, naming the roles that may", async () => {
    const { user } = setup({ caller: () => Promise.resolve(callerWith(["Reader"])) });
    await keysLoaded();
    await waitFor(() => expect(byId("wrap-rotate")).toBeDisabled());
    expect(byId("wrap-rotate")).toHaveAttribute("aria-description", expect.stringContaining("Writer or Manager"));
    expect(byId("wrap-button")).toBeEnabled();
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    expect(byId("unwrap-button")).toBeEnabled();
    expect(byId("rewrap-button")).toBeEnabled();
  });

  it("disables wrap, unwrap, rewrap and the round trip where the caller's grant does not reach the key", async () => {
    setup({
      caller: () => Promise.resolve(callerWith(["Writer"], { keyRing: "other-ring" })),
      unwrap: () => Promise.resolve({ plaintext: DEK, keyVersion: { id: rootA.keyVersion.id } }),
    });
    await keysLoaded();
    await waitFor(() => expect(byId("wrap-button")).toBeDisabled());
    for (const id of ["wrap-button", "unwrap-button", "rewrap-button", "wrap-round-trip"]) {
      expect(byId(id)).toBeDisabled();
    }
    expect(byId("wrap-button")).toHaveAttribute("aria-description", "You hold the Reader, ReaderPlus, Writer or Manager role elsewhere, but not on this key.");
    expect(screen.getByText("You hold the Reader, ReaderPlus, Writer or Manager role elsewhere, but not on this key.")).toBeInTheDocument();
  });

  it("does not let a deactivated key wrap, saying why, while it still unwraps", async () => {
    const { user } = setup();
    const select = await keysLoaded();
    await user.selectOptions(select, rootB.id);
    expect(byId("wrap-button")).toBeDisabled();
    expect(byId("wrap-button")).toHaveAttribute("aria-description", "This key is deactivated: it can unwrap, but no longer wrap.");
    await user.type(byId("wrap-ciphertext"), CIPHERTEXT);
    expect(byId("unwrap-button")).toBeEnabled();
  });
});

describe("TestWrapPanel unwrapped plaintext", () => {
  it("shows the plaintext as base64, hex or UTF-8 when it is text", async () => {
    const { user } = setup({ unwrap: () => Promise.resolve({ plaintext: "aGVsbG8=", keyVersion: { id: rootA.keyVersion.id } }) });
    await keysLoaded();
    await user.type(byId("wrap-ciphertext"), CIPHERTEXT);
    await user.click(byId("unwrap-button"));
    await waitFor(() => expect(byId("unwrap-plaintext")).toHaveTextContent("•••• 5 bytes"));
    await user.click(screen.getByRole("button", { name: "Show unwrapped DEK" }));
    expect(byId("unwrap-plaintext")).toHaveTextContent("aGVsbG8=");
    await user.click(screen.getByRole("tab", { name: "Hex" }));
    expect(byId("unwrap-plaintext")).toHaveTextContent("68656c6c6f");
    await user.click(screen.getByRole("tab", { name: "UTF-8" }));
    expect(byId("unwrap-plaintext")).toHaveTextContent(/^hello$/);
  });

  it("offers no UTF-8 view for bytes that are not text", async () => {
    const { user } = setup();
    await keysLoaded();
    await user.type(byId("wrap-ciphertext"), CIPHERTEXT);
    await user.click(byId("unwrap-button"));
    await user.click(await screen.findByRole("button", { name: "Show unwrapped DEK" }));
    expect(screen.getByRole("tab", { name: "Hex" })).toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "UTF-8" })).toBeNull();
  });
});
