import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callerWith, fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { KeyInfo } from "../../lib/types";
import { aliasProblem } from "./aliasRules";
import { ACTIVITY_LOOK_BACK } from "./KeyActivity";
import { KeyDetailsPanel } from "./KeyDetailsPanel";

const rings = [
  { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" },
  { id: "payments", createdAt: "2026-01-02T00:00:00Z", createdBy: "IBMid-alice" },
];

function setup(key: KeyInfo, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    key: () => Promise.resolve(key),
    keyVersions: () => Promise.resolve([key.keyVersion]),
    keyRings: () => Promise.resolve(rings),
    ...overrides,
  });
  const onChanged = vi.fn();
  renderWithBackend(<KeyDetailsPanel keyId={key.id} refreshToken={0} onChanged={onChanged} onClose={vi.fn()} />, backend);
  return { backend, onChanged, user: userEvent.setup() };
}

describe("alias rules", () => {
  it("follows Key Protect's rules", () => {
    expect(aliasProblem("a")).toMatch(/2 to 90/);
    expect(aliasProblem("x".repeat(91))).toMatch(/2 to 90/);
    expect(aliasProblem("has space")).toMatch(/letters, digits/);
    expect(aliasProblem("pay-root_1")).toBeUndefined();
    expect(aliasProblem("pay", ["pay"])).toMatch(/already/);
    expect(aliasProblem("six", ["a1", "a2", "a3", "a4", "a5"])).toMatch(/at most 5/);
  });
});

describe("KeyDetailsPanel: ring, aliases, policies, dual authorization, reach", () => {
  it("moves the key to another ring", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, onChanged, user } = setup(key, { moveKey: () => Promise.resolve({ ...key, keyRing: "payments" }) });
    const select = await screen.findByLabelText("Key ring");
    await waitFor(() => expect(select).toBeEnabled());
    await user.selectOptions(select, "payments");
    await user.click(screen.getByRole("button", { name: "Move" }));
    await waitFor(() => expect(backend.moveKey).toHaveBeenCalledWith(key.id, "payments"));
    expect(onChanged).toHaveBeenCalled();
  });

  it("validates, adds and removes aliases", async () => {
    const key = makeKey({ name: "payments-root", aliases: ["old-alias"] });
    const { backend, user } = setup(key, {
      createAlias: () => Promise.resolve(key),
      deleteAlias: () => Promise.resolve(key),
    });
    const input = await screen.findByLabelText("New alias");
    await user.type(input, "a b");
    expect(screen.getByText(/letters, digits, hyphens/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add alias" }));
    expect(backend.createAlias).not.toHaveBeenCalled();
    await user.clear(input);
    await user.type(input, "pay-root{Enter}");
    await waitFor(() => expect(backend.createAlias).toHaveBeenCalledWith(key.id, "pay-root"));
    await user.click(within(document.getElementById("key-details-aliases") as HTMLElement).getByRole("button"));
    await waitFor(() => expect(backend.deleteAlias).toHaveBeenCalledWith(key.id, "old-alias"));
  }, 15_000);

  it("saves a rotation policy of 1 to 12 months", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = setup(key, {
      setKeyPolicies: () => Promise.resolve({ dualAuthDelete: false, rotation: { enabled: true, intervalMonth: 6 } }),
    });
    await user.click(await screen.findByRole("switch", { name: "Automatic rotation" }));
    const months = screen.getByLabelText("Every (months)");
    await user.clear(months);
    await user.type(months, "13");
    expect(screen.getByText("Choose 1 to 12 months.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await user.clear(months);
    await user.type(months, "6");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(backend.setKeyPolicies).toHaveBeenCalledWith({ keyId: key.id, rotation: { enabled: true, intervalMonth: 6 } }),
    );
  }, 15_000);

  it("turns dual authorization on after a warning that it cannot be undone", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = setup(key, { setKeyPolicies: () => Promise.resolve({ dualAuthDelete: true }) });
    await user.click(await screen.findByRole("switch", { name: "Dual authorization to delete" }));
    expect(screen.getByText("This cannot be turned off.")).toBeInTheDocument();
    await user.click(document.getElementById("key-dual-auth-confirm") as HTMLElement);
    await waitFor(() => expect(backend.setKeyPolicies).toHaveBeenCalledWith({ keyId: key.id, dualAuthDelete: true }));
  });

  it("authorizes deletion, and shows a pending one with who and until when", async () => {
    const key = makeKey({ name: "payments-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } });
    const { backend, user } = setup(key, { setKeyForDeletion: () => Promise.resolve(key) });
    await user.click(await screen.findByRole("button", { name: "Authorize deletion" }));
    await waitFor(() => expect(backend.setKeyForDeletion).toHaveBeenCalledWith(key.id));
  });

  it("shows a pending deletion and cancels it", async () => {
    const key = makeKey({
      name: "payments-root",
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice", authExpiration: "2026-03-08T00:00:00Z" },
    });
    const { backend, user } = setup(key, { unsetKeyForDeletion: () => Promise.resolve(key) });
    expect(await screen.findByText("Pending deletion · by IBMid-alice · lapsed")).toHaveAttribute(
      "title",
      expect.stringContaining("Deletion authorized by IBMid-alice until"),
    );
    expect(screen.getByText("IBMid-alice")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel authorization" }));
    await waitFor(() => expect(backend.unsetKeyForDeletion).toHaveBeenCalledWith(key.id));
  });

  it("Schedule deletion is the first authorization of a dual-authorization key, not a delete", async () => {
    const key = makeKey({ name: "payments-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } });
    const { backend, user } = setup(key, { setKeyForDeletion: () => Promise.resolve(key) });
    await user.click(await screen.findByRole("button", { name: "Schedule deletion" }));
    expect(document.getElementById("delete-key-dual-auth")).toHaveTextContent("Scheduling is the first authorization");
    await user.click(document.getElementById("schedule-deletion-confirm") as HTMLElement);
    await waitFor(() => expect(backend.setKeyForDeletion).toHaveBeenCalledWith(key.id));
    expect(backend.deleteKey).not.toHaveBeenCalled();
    expect(await screen.findByText("Key payments-root scheduled for deletion")).toBeInTheDocument();
  });

  it("deleting after someone else's authorization is the second authorization", async () => {
    const key = makeKey({
      name: "payments-root",
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" },
    });
    const { backend, user } = setup(key, { deleteKey: () => rejectWith("AUTHORIZATIONS_NOT_MET", "not met") });
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    expect(document.getElementById("delete-key-dual-auth")).toHaveTextContent("authorized by IBMid-alice");
    await user.click(document.getElementById("delete-key-confirm") as HTMLElement);
    await waitFor(() => expect(backend.deleteKey).toHaveBeenCalled());
    expect(await screen.findByText(/another user must first authorize/)).toBeInTheDocument();
  });

  it("offers a forced delete only after PROTECTED_RESOURCE, naming the registrations", async () => {
    const key = makeKey({ name: "payments-root" });
    const deleteKey = vi.fn((_id: string, force?: boolean) =>
      force === true ? Promise.resolve({ ...key, state: "destroyed" as const }) : rejectWith("PROTECTED_RESOURCE", "registered"),
    );
    const { backend, onChanged, user } = setup(key, {
      deleteKey,
      registrations: () =>
        Promise.resolve([
          { keyId: key.id, keyName: key.name, resourceCrn: "crn:v1:cos:bucket-1", service: "cloud-object-storage", createdBy: "cloud-object-storage", keyVersion: "v", createdAt: "", updatedAt: "", description: "", preventKeyDeletion: false },
        ]),
    });
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    expect(document.getElementById("force-delete-key-confirm")).toBeNull();
    await user.click(document.getElementById("delete-key-confirm") as HTMLElement);
    const forced = await waitFor(() => {
      const button = document.getElementById("force-delete-key-confirm");
      if (button === null) throw new Error("no force yet");
      return button;
    });
    expect(within(document.getElementById("delete-key-protected") as HTMLElement).getByText("crn:v1:cos:bucket-1")).toBeInTheDocument();
    await user.click(forced);
    await waitFor(() => expect(backend.deleteKey).toHaveBeenLastCalledWith(key.id, true));
    expect(onChanged).toHaveBeenCalled();
  });

  it("offers no forced delete when a registration holds the key, and says why", async () => {
    const key = makeKey({ name: "invoices-root" });
    const { backend, user } = setup(key, { deleteKey: () => rejectWith("DELETION_PREVENTED", "held") });
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    await user.click(document.getElementById("delete-key-confirm") as HTMLElement);
    expect(await screen.findByText(/cannot be deleted, not even by force/)).toBeInTheDocument();
    expect(document.getElementById("force-delete-key-confirm")).toBeNull();
    expect(backend.deleteKey).toHaveBeenCalledTimes(1);
    expect(backend.deleteKey).toHaveBeenCalledWith(key.id);
  });

  it("lets a Manager remove a registration, warning when it lifts a retention hold", async () => {
    const key = makeKey({ name: "invoices-root" });
    const held = {
      keyId: key.id,
      keyName: key.name,
      resourceCrn: "crn:v1:bluemix:public:cos:global:a/1:cos-1:bucket:invoices",
      service: "cloud-object-storage",
      createdBy: "cloud-object-storage",
      keyVersion: "v",
      createdAt: "",
      updatedAt: "",
      description: "Invoices, kept seven years",
      preventKeyDeletion: true,
    };
    let listed = [held];
    const deleteRegistration = vi.fn(() => {
      listed = [];
      return Promise.resolve();
    });
    const { backend, user } = setup(key, { registrations: () => Promise.resolve(listed), deleteRegistration });
    const list = await screen.findByRole("list", { name: "Registered resources" });
    expect(within(list).getByText("Prevents deletion")).toBeInTheDocument();
    await user.click(within(list).getByRole("button", { name: "Remove" }));
    expect(document.getElementById("remove-registration-hold")).toHaveTextContent("This lifts a retention hold.");
    await user.click(document.getElementById("remove-registration-confirm") as HTMLElement);
    await waitFor(() => expect(backend.deleteRegistration).toHaveBeenCalledWith(key.id, held.resourceCrn));
    expect(await screen.findByText("No resources of other services are registered to this key.")).toBeInTheDocument();
  });

  it("keeps a Reader from removing a registration, saying which role it needs", async () => {
    const key = makeKey({ name: "invoices-root" });
    setup(key, {
      caller: () => Promise.resolve(callerWith(["Reader"])),
      registrations: () =>
        Promise.resolve([
          { keyId: key.id, keyName: key.name, resourceCrn: "crn:v1:cos:bucket-1", service: "cloud-object-storage", createdBy: "cloud-object-storage", keyVersion: "v", createdAt: "", updatedAt: "", description: "", preventKeyDeletion: false },
        ]),
    });
    const list = await screen.findByRole("list", { name: "Registered resources" });
    await waitFor(() => expect(within(list).getByRole("button", { name: "Remove" })).toBeDisabled());
    expect(within(list).getByRole("button", { name: "Remove" })).toHaveAttribute("title", expect.stringContaining("Manager"));
  });

  it("purges a destroyed key and explains a refusal within 4 hours", async () => {
    const key = makeKey({ name: "old-root", state: "destroyed", deletedAt: "2026-03-01T00:00:00Z" });
    const { backend, user } = setup(key, { purgeKey: () => rejectWith("PURGE_TOO_EARLY", "too early") });
    await user.click(await screen.findByRole("button", { name: "Purge" }));
    expect(document.getElementById("purge-key-rule")).toHaveTextContent("4 hours after its deletion");
    const confirm = document.getElementById("purge-key-confirm") as HTMLElement;
    expect(confirm).toBeDisabled();
    await user.type(screen.getByLabelText("Type old-root to confirm"), "old-root");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByText("A deleted key can be purged only 4 hours after its deletion.")).toBeInTheDocument();
    expect(backend.purgeKey).toHaveBeenCalledWith(key.id);
  });

  it("lists the registrations and the authorizations that reach this key", async () => {
    const key = makeKey({ name: "payments-root", keyRing: "payments" });
    setup(key, {
      registrations: () =>
        Promise.resolve([
          { keyId: key.id, keyName: key.name, resourceCrn: "crn:v1:pg:db-1", service: "databases-for-postgresql", createdBy: "databases-for-postgresql", keyVersion: "v", createdAt: "", updatedAt: "", description: "", preventKeyDeletion: false },
        ]),
      authorizations: () =>
        Promise.resolve([
          { id: "a1", sourceService: "cloud-object-storage", targetInstance: "i", roles: ["Reader"], createdAt: "", createdBy: "" },
          { id: "a2", sourceService: "containers-kubernetes", targetInstance: "i", keyRing: "payments", roles: ["Reader"], createdAt: "", createdBy: "" },
          { id: "a3", sourceService: "cloudantnosqldb", targetInstance: "i", keyRing: "other", roles: ["Reader"], createdAt: "", createdBy: "" },
          { id: "a4", sourceService: "server-protect", targetInstance: "i", keyId: "someone-else", roles: ["Reader"], createdAt: "", createdBy: "" },
        ]),
    });
    const reach = await screen.findByRole("list", { name: "Authorized services" });
    expect(reach).toHaveTextContent("cloud-object-storage");
    expect(reach).toHaveTextContent("containers-kubernetes");
    expect(reach).not.toHaveTextContent("cloudantnosqldb");
    expect(reach).not.toHaveTextContent("server-protect");
    expect(await screen.findByText("crn:v1:pg:db-1")).toBeInTheDocument();
  });

  it("shows the key's recent audit events", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend } = setup(key, {
      auditEvents: () =>
        Promise.resolve([
          { seq: 7, at: "2026-03-01T10:00:00Z", instance: "i", initiator: "IBMid-bob", action: "kms.secrets.unwrap", target: key.id, outcome: "UNDECRYPTABLE", correlationId: "c" },
        ]),
    });
    const list = await screen.findByRole("list", { name: "Recent activity, newest first" });
    expect(list).toHaveTextContent("kms.secrets.unwrap");
    expect(within(list).getByText("UNDECRYPTABLE")).toBeInTheDocument();
    expect(backend.auditEvents).toHaveBeenCalledWith({ target: key.id, limit: 10, withinLatest: ACTIVITY_LOOK_BACK });
    // Fewer than a page: older events may lie beyond the look-back, and the panel says where to look.
    expect(screen.getByText(/From the latest 200,000 events of the audit trail/)).toBeInTheDocument();
  });

  it("says how far back it looked when it found nothing", async () => {
    const key = makeKey({ name: "idle-root" });
    setup(key, { auditEvents: () => Promise.resolve([]) });
    expect(await screen.findByText(/No activity among the latest 200,000 events of the audit trail/)).toBeInTheDocument();
  });

  it("leaves the look-back unsaid when a full page was found", async () => {
    const key = makeKey({ name: "busy-root" });
    const events = Array.from({ length: 10 }, (_, i) => ({
      seq: 100 - i,
      at: "2026-03-01T10:00:00Z",
      instance: "i",
      initiator: "IBMid-bob",
      action: "kms.secrets.wrap",
      target: key.id,
      outcome: "success",
      correlationId: `c${i}`,
    }));
    setup(key, { auditEvents: () => Promise.resolve(events) });
    const list = await screen.findByRole("list", { name: "Recent activity, newest first" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(10);
    expect(screen.queryByText(/events of the audit trail/)).not.toBeInTheDocument();
  });
});
