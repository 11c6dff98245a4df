import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { encodeBase64 } from "../../lib/base64";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { makeImportToken } from "../../test/importToken";
import { renderWithBackend } from "../../test/render";
import { KeyDetailsPanel } from "./KeyDetailsPanel";

const key = makeKey({
  name: "payments-root",
  description: "Wraps the payments DEKs",
  lastRotatedAt: "2026-02-01T00:00:00Z",
  keyVersion: { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-02-01T00:00:00Z" },
});
const versions = [
  { id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2025-03-01T12:00:00Z" },
  { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-02-01T00:00:00Z" },
];

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    key: () => Promise.resolve(key),
    keyVersions: () => Promise.resolve(versions),
    ...overrides,
  });
  const onChanged = vi.fn();
  const onClose = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(
    <KeyDetailsPanel keyId={key.id} refreshToken={0} onChanged={onChanged} onClose={onClose} />,
    backend,
  );
  return { backend, onChanged, onClose, user };
}

describe("KeyDetailsPanel", () => {
  it("shows the key's metadata, copyable ids and its versions newest first", async () => {
    const { backend } = setup();
    expect(await screen.findByRole("heading", { name: "payments-root" })).toHaveFocus();
    expect(backend.key).toHaveBeenCalledWith(key.id);
    expect(backend.keyVersions).toHaveBeenCalledWith(key.id);
    expect(document.getElementById("key-details-id")).toHaveTextContent(key.id);
    expect(document.getElementById("key-details-version")).toHaveTextContent(key.keyVersion.id);
    expect(screen.getByRole("button", { name: "Copy key id" })).toBeInTheDocument();
    expect(screen.getByText("Wraps the payments DEKs")).toBeInTheDocument();
    expect(screen.getByText("Last rotated")).toBeInTheDocument();

    const list = await screen.findByRole("list", { name: "Key versions, newest first" });
    const ids = within(list)
      .getAllByRole("listitem")
      .map((item) => item.getAttribute("data-version-id"));
    expect(ids).toEqual([versions[1]?.id, versions[0]?.id]);
    expect(within(list).getAllByText("Current")).toHaveLength(1);
  });

  it("copies the key id", async () => {
    const { user } = setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    await user.click(await screen.findByRole("button", { name: "Copy key id" }));
    expect(writeText).toHaveBeenCalledWith(key.id);
  });

  it("runs the key's actions and reports them", async () => {
    const { backend, onChanged, user } = setup({ rotateKey: () => Promise.resolve(key) });
    await screen.findByRole("heading", { name: "payments-root" });
    expect(screen.getByRole("button", { name: "Enable" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Rotate" }));
    expect(backend.rotateKey).not.toHaveBeenCalled();
    await user.click(document.getElementById("rotate-key-confirm") as HTMLElement);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(backend.rotateKey).toHaveBeenCalledWith({ keyId: key.id });
    expect(await screen.findByText("Key payments-root rotated")).toBeInTheDocument();
    expect(document.querySelector("#key-details-cli code")).toHaveTextContent(`strongroom keys rotate ${key.id}`);
  });

  it("offers to re-enable a disabled key from the toast, from 30 s after the disable", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { backend, onChanged, user } = setup({
        disableKey: () => Promise.resolve({ ...key, state: "suspended" }),
        enableKey: () => Promise.resolve(key),
      });
      await screen.findByRole("heading", { name: "payments-root" });
      await user.click(screen.getByRole("button", { name: "Disable" }));
      await user.click(document.getElementById("disable-key-confirm") as HTMLElement);
      expect(await screen.findByText("Key payments-root disabled")).toBeInTheDocument();
      expect(document.getElementById("disable-key-confirm")).toBeNull();
      const reenable = () => document.getElementById("toast-reenable");
      expect(reenable()).toBeDisabled();
      expect(reenable()).toHaveTextContent(/^Re-enable \(in (30|29) s\)$/);
      await act(() => vi.advanceTimersByTimeAsync(15_000));
      expect(reenable()).toHaveTextContent(/\(in 1[45] s\)/);
      expect(reenable()).toBeDisabled();
      await act(() => vi.advanceTimersByTimeAsync(15_000));
      expect(reenable()).toBeEnabled();
      await user.click(reenable() as HTMLElement);
      await waitFor(() => expect(backend.enableKey).toHaveBeenCalledWith(key.id));
      expect(await screen.findByText("Key payments-root enabled")).toBeInTheDocument();
      expect(reenable()).toBeNull();
      expect(onChanged).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("counts down to the expiry in the details, without a warning while the key is active", async () => {
    const expiresAt = new Date(Date.now() + (3 * 24 + 4) * 3_600_000 + 30 * 60_000).toISOString();
    setup({ key: () => Promise.resolve({ ...key, expiresAt }) });
    expect(await screen.findByText("(expires in 3 d 4 h)")).toHaveAttribute("id", "key-details-expiry");
    expect(document.getElementById("key-details-deactivated")).toBeNull();
  });

  it("warns that a deactivated key allows only unwrap, rewrap, rotate and delete", async () => {
    setup({ key: () => Promise.resolve({ ...key, state: "deactivated", expiresAt: "2026-01-01T00:00:00Z" }) });
    expect(await screen.findByText("This key is deactivated (expired)")).toBeInTheDocument();
    expect(document.getElementById("key-details-deactivated")).toHaveTextContent(
      "Only unwrap, rewrap, rotate and delete are allowed.",
    );
    expect(document.getElementById("key-details-expiry")).toHaveTextContent(/^\(expired .* ago\)$/);
  });

  it("closes on Escape", async () => {
    const { onClose, user } = setup();
    await screen.findByRole("heading", { name: "payments-root" });
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
  });

  it("explains a key that cannot be loaded", async () => {
    setup({ key: () => rejectWith("NOT_FOUND", "no key has this id") });
    expect(await screen.findByText("No key has this id.")).toBeInTheDocument();
  });

  it("rotates an imported key with secure import, never sending the material in the clear", async () => {
    const imported = { ...key, imported: true };
    const { token } = await makeImportToken();
    const material = encodeBase64(new Uint8Array(32).fill(9));
    const { backend, onChanged, user } = setup({
      key: () => Promise.resolve(imported),
      createImportToken: () => Promise.resolve({ ...token, payload: undefined, nonce: undefined }),
      importToken: () => Promise.resolve(token),
      rotateKey: () => Promise.resolve(imported),
    });
    await screen.findByRole("heading", { name: "payments-root" });
    await user.click(screen.getByRole("button", { name: "Rotate" }));
    await user.click(await screen.findByLabelText("New key material"));
    await user.paste(material);
    const confirm = document.getElementById("rotate-key-confirm");
    if (confirm === null) throw new Error("no rotate confirmation");
    await user.click(confirm);

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    const request = backend.rotateKey.mock.calls[0]?.[0];
    expect(request).toMatchObject({ keyId: key.id, encryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(request?.payload).not.toBe(material);
    expect(request?.encryptedNonce).toBeDefined();
    expect(backend.createImportToken).toHaveBeenCalledWith({});
  });
});
