import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyInfo, KeyPolicies } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { RotateKeyDialog } from "./RotateKeyDialog";

const DAY = 86_400_000;

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

/** A key created `ageDays` ago, so its next rotation is in the future for short ages. */
function keyCreated(ageDays: number, overrides: Partial<KeyInfo> = {}): KeyInfo {
  const createdAt = new Date(Date.now() - ageDays * DAY).toISOString();
  return makeKey({
    name: "payments-root",
    createdAt,
    keyVersion: { id: "cccccccc-0000-4000-8000-000000000003", createdAt },
    ...overrides,
  });
}

function setup(key: KeyInfo, policies: KeyPolicies, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    keyPolicies: () => Promise.resolve(policies),
    rotateKey: () => Promise.resolve(key),
    ...overrides,
  });
  const onRotated = vi.fn();
  const onChanged = vi.fn();
  const onClose = vi.fn();
  renderWithBackend(
    <RotateKeyDialog keyInfo={key} onClose={onClose} onRotated={onRotated} onChanged={onChanged} />,
    backend,
  );
  return { backend, onRotated, onChanged, user: userEvent.setup() };
}

describe("RotateKeyDialog", () => {
  it("shows the current version, that it was never rotated, and the next rotation counted from creation", async () => {
    const key = keyCreated(10);
    const { backend, onRotated, user } = setup(key, {
      dualAuthDelete: false,
      rotation: { enabled: true, intervalMonth: 1 },
    });
    expect(byId("key-rotate-version")).toHaveTextContent("cccccccc-0000-4000-8000-000000000003");
    expect(byId("key-rotate-last")).toHaveTextContent(/^Never \(created /);

    // One month is 30 days: 20 days after a creation 10 days ago.
    const next = await waitFor(() => byId("key-rotate-next-date"));
    const expected = new Date(Date.parse(key.createdAt) + 30 * DAY).toISOString();
    expect(next).toHaveAttribute("data-next-rotation", expected);
    expect(next).toHaveTextContent(/in (19|20) d \d+ h \(1 × 30 days after its creation\)/);
    expect(byId("rotate-key-cli")).toHaveTextContent(`strongroom keys rotate ${key.id}`);

    await user.click(byId("rotate-key-confirm"));
    await waitFor(() => expect(onRotated).toHaveBeenCalledWith(false));
    expect(backend.rotateKey).toHaveBeenCalledWith({ keyId: key.id });
  });

  it("counts from the last rotation, and says when the key is already due", async () => {
    const lastRotatedAt = new Date(Date.now() - 100 * DAY).toISOString();
    setup(keyCreated(400, { lastRotatedAt }), { dualAuthDelete: false, rotation: { enabled: true, intervalMonth: 3 } });
    const next = await waitFor(() => byId("key-rotate-next-date"));
    expect(next).toHaveAttribute("data-next-rotation", new Date(Date.parse(lastRotatedAt) + 90 * DAY).toISOString());
    expect(next).toHaveTextContent(/^Next rotation: due since .* \(3 × 30 days after its last rotation\)/);
    expect(next).toHaveTextContent(/The keystore rotates due keys on its own, within the hour/);
    expect(byId("key-rotate-last")).not.toHaveTextContent("Never");
  });

  it("says a due imported key waits for new material from the person", async () => {
    const lastRotatedAt = new Date(Date.now() - 100 * DAY).toISOString();
    setup(keyCreated(400, { lastRotatedAt, imported: true }), {
      dualAuthDelete: false,
      rotation: { enabled: true, intervalMonth: 3 },
    });
    const next = await waitFor(() => byId("key-rotate-next-date"));
    expect(next).toHaveTextContent(/An imported key is rotated with new material from you/);
    expect(next).not.toHaveTextContent(/on its own/);
  });

  it("edits the rotation policy in the panel, showing the next date the edit would give before saving it", async () => {
    const key = keyCreated(10);
    const { backend, onChanged, user } = setup(key, { dualAuthDelete: false }, {
      setKeyPolicies: () => Promise.resolve({ dualAuthDelete: false, rotation: { enabled: true, intervalMonth: 6 } }),
    });
    const next = await waitFor(() => byId("key-rotate-next-date"));
    expect(next).toHaveTextContent("No automatic rotation");

    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("switch", { name: "Automatic rotation" }));
    const months = within(dialog).getByLabelText("Every (months)");
    await user.clear(months);
    await user.type(months, "6");
    expect(byId("key-rotate-next-date")).toHaveAttribute(
      "data-next-rotation",
      new Date(Date.parse(key.createdAt) + 180 * DAY).toISOString(),
    );
    expect(byId("key-rotate-next-date")).toHaveTextContent("6 × 30 days after its creation, once saved");

    await user.click(byId("key-rotate-policy-save"));
    await waitFor(() =>
      expect(backend.setKeyPolicies).toHaveBeenCalledWith({ keyId: key.id, rotation: { enabled: true, intervalMonth: 6 } }),
    );
    expect(onChanged).toHaveBeenCalled();
    expect(backend.rotateKey).not.toHaveBeenCalled();
  }, 15_000);

  it("explains that an imported key needs new material, and waits for it", async () => {
    const key = keyCreated(10, { imported: true });
    setup(key, { dualAuthDelete: false });
    expect(byId("key-rotate-imported")).toHaveTextContent("This key needs new key material");
    expect(byId("key-rotate-imported")).toHaveTextContent("secure import");
    expect(screen.getByLabelText("New key material")).toBeInTheDocument();
    expect(byId("rotate-key-confirm")).toBeDisabled();
    expect(byId("rotate-key-cli")).toHaveTextContent(`strongroom import --rotate ${key.id}`);
    await waitFor(() => expect(byId("key-rotate-next-date")).toBeInTheDocument());
  });

  it("refuses material of the wrong size before calling the keystore", async () => {
    const key = keyCreated(10, { imported: true });
    const { backend, user } = setup(key, { dualAuthDelete: false });
    await user.click(screen.getByLabelText("New key material"));
    await user.paste("c2hvcnQ=");
    await user.click(byId("rotate-key-confirm"));
    expect(await screen.findByText("New key material must be base64 of 16, 24 or 32 bytes.")).toBeInTheDocument();
    expect(backend.rotateKey).not.toHaveBeenCalled();
  });
});
