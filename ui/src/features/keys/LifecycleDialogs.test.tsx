import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyInfo, RegistrationInfo } from "../../lib/types";
import { callerWith, fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyActionBar } from "./KeyActionBar";

const DAY = 86_400_000;

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

const registration = (keyInfo: KeyInfo, n: number): RegistrationInfo => ({
  keyId: keyInfo.id,
  keyName: keyInfo.name,
  resourceCrn: `crn:v1:cos:bucket-${n}`,
  service: "cloud-object-storage",
  createdBy: "cloud-object-storage",
  keyVersion: keyInfo.keyVersion.id,
  createdAt: "",
  updatedAt: "",
  description: "",
  preventKeyDeletion: false,
});

function bar(keyInfo: KeyInfo, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({ caller: () => Promise.resolve(callerWith(["Manager", "KeyPurge"])), ...overrides });
  const onChanged = vi.fn();
  renderWithBackend(<KeyActionBar keyInfo={keyInfo} onChanged={onChanged} />, backend);
  return { backend, onChanged, user: userEvent.setup() };
}

async function press(user: ReturnType<typeof userEvent.setup>, action: string) {
  const button = await waitFor(() => {
    const found = document.querySelector(`[data-panel-action="${action}"]`);
    expect(found).toBeEnabled();
    return found as HTMLElement;
  });
  await user.click(button);
}

describe("disable asks first", () => {
  it("names the consequence and the registered resources, and disables only on confirm", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, onChanged, user } = bar(key, {
      registrations: () => Promise.resolve([registration(key, 1), registration(key, 2)]),
      disableKey: () => Promise.resolve({ ...key, state: "suspended" as const }),
    });
    await press(user, "disable");
    const dialog = await screen.findByRole("dialog", { name: "Disable key payments-root?" });
    expect(byId("disable-key-consequence")).toHaveTextContent("Services can no longer wrap or unwrap with payments-root.");
    expect(await within(dialog).findByText("2 resources are registered to this key.")).toBeInTheDocument();
    expect(backend.registrations).toHaveBeenCalledWith(key.id);
    expect(byId("disable-key-cli")).toHaveTextContent(`strongroom keys disable ${key.id}`);
    expect(backend.disableKey).not.toHaveBeenCalled();

    await user.click(byId("disable-key-confirm"));
    await waitFor(() => expect(backend.disableKey).toHaveBeenCalledWith(key.id));
    expect(onChanged).toHaveBeenCalled();
    expect(await screen.findByText("Key payments-root disabled")).toBeInTheDocument();
    expect(document.getElementById("toast-reenable")).not.toBeNull();
  });

  it("says nothing about resources when none are registered, and Cancel disables nothing", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = bar(key);
    await press(user, "disable");
    await screen.findByRole("dialog", { name: "Disable key payments-root?" });
    await waitFor(() => expect(backend.registrations).toHaveBeenCalled());
    expect(document.getElementById("disable-key-registrations")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.getElementById("disable-key-confirm")).toBeNull());
    expect(backend.disableKey).not.toHaveBeenCalled();
  });
});

describe("restore explains the window", () => {
  it("states the 30-day rule and the deadline, and restores only on confirm", async () => {
    const deletedAt = new Date(Date.now() - 2 * DAY).toISOString();
    const key = makeKey({ name: "old-root", state: "destroyed", deletedAt });
    const { backend, onChanged, user } = bar(key, { restoreKey: () => Promise.resolve({ ...key, state: "active" as const }) });
    await press(user, "restore");
    await screen.findByRole("dialog", { name: "Restore key old-root?" });
    expect(byId("restore-key-rule")).toHaveTextContent("restored for 30 days after its deletion");
    expect(byId("restore-key-until")).toHaveAttribute(
      "data-restorable-until",
      new Date(Date.parse(deletedAt) + 30 * DAY).toISOString(),
    );
    expect(byId("restore-key-until")).toHaveTextContent(/closes in 2[78] d/);
    expect(byId("restore-key-cli")).toHaveTextContent(`strongroom keys restore ${key.id}`);
    expect(backend.restoreKey).not.toHaveBeenCalled();

    await user.click(byId("restore-key-confirm"));
    await waitFor(() => expect(backend.restoreKey).toHaveBeenCalledWith(key.id));
    expect(onChanged).toHaveBeenCalled();
    expect(await screen.findByText("Key old-root restored")).toBeInTheDocument();
  });
});

describe("purge: type the key's name", () => {
  it("keeps Purge disabled until the name matches exactly, and shows the command", async () => {
    const key = makeKey({ name: "old-root", state: "destroyed", deletedAt: new Date(Date.now() - DAY).toISOString() });
    const { backend, onChanged, user } = bar(key, { purgeKey: () => Promise.resolve(key) });
    await press(user, "purge");
    await screen.findByRole("dialog", { name: "Purge key old-root?" });
    const confirm = byId("purge-key-confirm");
    const name = byId("purge-key-name");
    expect(byId("purge-key-cli")).toHaveTextContent(`strongroom keys purge ${key.id}`);
    expect(confirm).toBeDisabled();
    await user.type(name, "old-roo");
    expect(confirm).toBeDisabled();
    await user.type(name, "t ");
    expect(confirm).toBeDisabled();
    await user.clear(name);
    await user.type(name, "OLD-ROOT");
    expect(confirm).toBeDisabled();
    await user.clear(name);
    await user.type(name, "old-root");
    expect(confirm).toBeEnabled();
    expect(backend.purgeKey).not.toHaveBeenCalled();

    await user.click(confirm);
    await waitFor(() => expect(backend.purgeKey).toHaveBeenCalledWith(key.id));
    expect(onChanged).toHaveBeenCalled();
  });
});
