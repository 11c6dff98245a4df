import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyInfo } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { ACTIVITY_LOOK_BACK } from "./KeyActivity";
import { KeyPage } from "./KeyPage";

const HOUR = 3_600_000;

function setup(key: KeyInfo, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    key: () => Promise.resolve(key),
    keyVersions: () =>
      Promise.resolve([
        { id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2025-03-01T12:00:00Z" },
        key.keyVersion,
      ]),
    ...overrides,
  });
  const onBack = vi.fn();
  const onOpenEnvelope = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(
    <KeyPage keyId={key.id} refreshToken={0} onChanged={() => undefined} onBack={onBack} onOpenEnvelope={onOpenEnvelope} />,
    backend,
  );
  return { backend, onBack, onOpenEnvelope, user };
}

describe("KeyPage", () => {
  it("heads the page with the name, state, type, copyable id and the actions", async () => {
    const key = makeKey({ name: "payments-root", state: "suspended" });
    setup(key);
    expect(await screen.findByRole("heading", { name: "payments-root", level: 1 })).toHaveFocus();
    const header = screen.getByRole("banner");
    expect(within(header).getByText("Suspended (disabled)")).toBeInTheDocument();
    expect(within(header).getByText("Root key")).toBeInTheDocument();
    expect(document.getElementById("key-page-id")).toHaveTextContent(key.id);
    expect(within(header).getByRole("button", { name: "Enable" })).toBeInTheDocument();
    expect(within(header).getByRole("button", { name: "Disable" })).toBeDisabled();
    expect(within(header).getByRole("button", { name: "Delete" })).toBeInTheDocument();
    expect(within(header).queryByRole("button", { name: "Envelope test" })).toBeNull();
  });

  it("shows the overview with the expiry as a countdown", async () => {
    const expiresAt = new Date(Date.now() + 3 * 24 * HOUR + 4 * HOUR + 30 * 60_000).toISOString();
    const key = makeKey({
      name: "payments-root",
      description: "Wraps the payments DEKs",
      keyRing: "payments",
      aliases: ["pay-main"],
      expiresAt,
    });
    setup(key);
    const overview = await waitFor(() => {
      const element = document.getElementById("key-page-overview");
      if (element === null) throw new Error("no overview yet");
      return element;
    });
    expect(overview).toHaveTextContent("Wraps the payments DEKs");
    expect(overview).toHaveTextContent("No: a root key never leaves the keystore");
    expect(overview).toHaveTextContent("pay-main");
    expect(document.getElementById("key-page-expiry")).toHaveTextContent("(expires in 3 d 4 h)");
  });

  it("warns that a deactivated key only unwraps, rewraps, rotates and deletes, and still offers rotation", async () => {
    const key = makeKey({ name: "old-root", state: "deactivated", expiresAt: "2025-01-01T00:00:00Z" });
    setup(key);
    expect(await screen.findByText("This key is deactivated (expired)")).toBeInTheDocument();
    expect(screen.getByText(/Only unwrap, rewrap, rotate and delete are allowed/)).toBeInTheDocument();
    expect(document.getElementById("key-page-expiry")).toHaveTextContent(/expired .* ago/);
    expect(within(screen.getByRole("banner")).getByRole("button", { name: "Rotate" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Envelope test" })).toBeInTheDocument();
  });

  it("lists the versions in their tab, newest first, marking the current one", async () => {
    const key = makeKey({
      name: "payments-root",
      keyVersion: { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-02-01T00:00:00Z" },
    });
    const { user } = setup(key);
    await user.click(await screen.findByRole("tab", { name: "Versions" }));
    const table = await screen.findByRole("table", { name: "Key versions, newest first" });
    await waitFor(() => expect(table.querySelectorAll("[data-version-id]")).toHaveLength(2));
    const rows = [...table.querySelectorAll("[data-version-id]")];
    expect(rows.map((row) => row.getAttribute("data-version-id"))).toEqual([
      "bbbbbbbb-0000-4000-8000-000000000002",
      "aaaaaaaa-0000-4000-8000-000000000001",
    ]);
    expect(rows[0]).toHaveTextContent("Current");
    expect(rows[1]).not.toHaveTextContent("Current");
  });

  it("counts each version's wrapped ciphertexts and unwraps where the keystore counts them", async () => {
    const key = makeKey({
      name: "payments-root",
      keyVersion: { id: "bbbbbbbb-0000-4000-8000-000000000002", createdAt: "2026-02-01T00:00:00Z", wraps: 1200, unwraps: 3, lastUsedAt: "2026-02-03T00:00:00Z" },
    });
    const { user } = setup(key, {
      keyVersions: () =>
        Promise.resolve([
          { id: "aaaaaaaa-0000-4000-8000-000000000001", createdAt: "2025-03-01T12:00:00Z", wraps: 0, unwraps: 0 },
          key.keyVersion,
        ]),
    });
    await user.click(await screen.findByRole("tab", { name: "Versions" }));
    const table = await screen.findByRole("table", { name: "Key versions, newest first" });
    await waitFor(() => expect(table.querySelectorAll("[data-version-id]")).toHaveLength(2));
    expect(within(table).getByText("Wrapped ciphertexts")).toBeInTheDocument();
    const cell = (version: string, column: string) =>
      table.querySelector(`[data-version-id="${version}"] [data-version-${column}]`);
    expect(cell("bbbbbbbb-0000-4000-8000-000000000002", "wraps")).toHaveTextContent((1200).toLocaleString());
    expect(cell("bbbbbbbb-0000-4000-8000-000000000002", "unwraps")).toHaveTextContent("3");
    expect(cell("aaaaaaaa-0000-4000-8000-000000000001", "wraps")).toHaveTextContent("0");
    expect(table.querySelector('[data-version-id="aaaaaaaa-0000-4000-8000-000000000001"]')).toHaveTextContent("Never");
  });

  it("leaves the count columns out for a keystore that does not count (IBM Key Protect)", async () => {
    const key = makeKey({ name: "payments-root" });
    const { user } = setup(key);
    await user.click(await screen.findByRole("tab", { name: "Versions" }));
    const table = await screen.findByRole("table", { name: "Key versions, newest first" });
    await waitFor(() => expect(table.querySelectorAll("[data-version-id]")).toHaveLength(2));
    expect(within(table).queryByText("Wrapped ciphertexts")).toBeNull();
  });

  it("shows registrations, reaching authorizations and this key's audit events in their tabs", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = setup(key, {
      registrations: () =>
        Promise.resolve([
          {
            keyId: key.id,
            keyName: key.name,
            resourceCrn: "crn:v1:bluemix:public:cos:us-south:a/1::bucket:b",
            service: "cloud-object-storage",
            createdBy: "cloud-object-storage",
            keyVersion: key.keyVersion.id,
            createdAt: "2025-03-01T12:00:00Z",
            updatedAt: "2025-03-01T12:00:00Z",
            description: "Invoices bucket, kept seven years",
            preventKeyDeletion: true,
          },
          {
            keyId: key.id,
            keyName: key.name,
            resourceCrn: "crn:v1:bluemix:public:cos:us-south:a/1::bucket:c",
            service: "cloud-object-storage",
            createdBy: "cloud-object-storage",
            keyVersion: key.keyVersion.id,
            createdAt: "2025-03-01T12:00:00Z",
            updatedAt: "2025-03-01T12:00:00Z",
            description: "",
            preventKeyDeletion: false,
          },
        ]),
      auditEvents: () =>
        Promise.resolve([
          {
            seq: 1,
            at: "2025-03-01T12:00:00Z",
            instance: "default",
            initiator: "svc-1",
            action: "kms.secrets.wrap",
            target: key.id,
            outcome: "success",
            correlationId: "c-1",
          },
        ]),
    });
    await user.click(await screen.findByRole("tab", { name: "Associated resources" }));
    expect(await screen.findByText("crn:v1:bluemix:public:cos:us-south:a/1::bucket:b")).toBeVisible();
    expect(screen.getByText("Invoices bucket, kept seven years")).toBeVisible();
    // Only the held resource says it prevents the key's deletion.
    expect(screen.getAllByText("Prevents deletion")).toHaveLength(1);
    expect(screen.getByText("Prevents deletion").closest("li")).toHaveTextContent("bucket:b");
    await user.click(screen.getByRole("tab", { name: "Authorizations" }));
    expect(await screen.findByText("No service is authorized to use this key.")).toBeVisible();
    await user.click(screen.getByRole("tab", { name: "Activity" }));
    expect(await screen.findByText("kms.secrets.wrap")).toBeVisible();
    expect(backend.auditEvents).toHaveBeenCalledWith({ target: key.id, limit: 50, withinLatest: ACTIVITY_LOOK_BACK });
  });

  it("goes back to the key table from the breadcrumb", async () => {
    const { onBack, user } = setup(makeKey({ name: "payments-root" }));
    await user.click(await screen.findByRole("link", { name: "Back to keys" }));
    expect(onBack).toHaveBeenCalled();
  });
});
