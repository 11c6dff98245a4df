import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import type { ListKeysRequest } from "../../lib/types";
import { callerWith, fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { rotationDue } from "./counts";
import { DashboardPage } from "./DashboardPage";

vi.mock("./KeysByStateChart", () => ({
  default: ({ byState }: { byState: Record<string, number> }) => (
    <div data-testid="keys-by-state">{JSON.stringify(byState)}</div>
  ),
}));

vi.mock("./ActivityChart", () => ({
  default: ({ buckets }: { buckets: { counts: Record<string, number> }[] }) => (
    <div data-testid="activity-chart">{buckets.length} hours</div>
  ),
}));

const NOW = Date.parse("2026-06-01T00:00:00Z");
const stale = makeKey({ name: "ledger-root", createdAt: "2025-01-01T00:00:00Z" });
const rotatedLongAgo = makeKey({
  name: "billing-root",
  createdAt: "2024-01-01T00:00:00Z",
  lastRotatedAt: "2025-06-01T00:00:00Z",
});
const fresh = makeKey({ name: "payments-root", createdAt: new Date(Date.now() - 86_400_000).toISOString() });

/** A keystore with 7 keys: 4 active (3 root), 1 suspended, 1 deactivated, 1 destroyed; 5 root. */
function total(request: ListKeysRequest): number {
  const { states, keyType } = request;
  if (keyType === "root") return states.length === 1 && states[0] === "active" ? 3 : 5;
  if (keyType === "standard") return 2;
  if (states.length === 1) return { active: 4, suspended: 1, deactivated: 1, destroyed: 1 }[states[0] ?? "active"];
  return 7;
}

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({
    listKeys: (request) =>
      Promise.resolve({
        keys: request.limit === 1 || request.offset > 0 ? [] : [fresh, rotatedLongAgo, stale],
        total: total(request),
      }),
    ...overrides,
  });
  const onNavigate = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(<DashboardPage refreshToken={0} onNavigate={onNavigate} />, backend);
  return { backend, onNavigate, user };
}

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

describe("DashboardPage", () => {
  it("counts keys by state and type with one-key queries", async () => {
    const { backend } = setup();
    await waitFor(() => expect(byId("dashboard-total")).toHaveTextContent("7"));
    expect(byId("dashboard-root")).toHaveTextContent("5");
    expect(byId("dashboard-standard")).toHaveTextContent("2");
    expect(byId("dashboard-active")).toHaveTextContent("4");
    expect(byId("dashboard-destroyed")).toHaveTextContent("1");
    expect(await screen.findByTestId("keys-by-state")).toHaveTextContent(
      JSON.stringify({ active: 4, suspended: 1, deactivated: 1, destroyed: 1 }),
    );
    // Counting asks for one key per figure; only the rotation and attention checks read pages, bounded.
    const limits = backend.listKeys.mock.calls.map(([request]) => request.limit ?? Infinity);
    expect(limits.filter((limit) => limit !== 1)).toContain(500);
    expect(Math.max(...limits)).toBeLessThanOrEqual(500);
  });

  it("lists root keys due for rotation, oldest first, and explains the rule", async () => {
    setup();
    const list = await waitFor(() => byId("rotation-due"));
    const names = [...list.querySelectorAll("[data-rotation-key]")].map((row) => row.getAttribute("data-rotation-key"));
    expect(names).toEqual(["ledger-root", "billing-root"]);
    expect(within(list).getByText(/never rotated/)).toBeInTheDocument();
    expect(screen.getByText(/more than 90 days old/)).toBeInTheDocument();
  });

  it("shows an empty state that leads to the keys page", async () => {
    const { user, onNavigate } = setup({ listKeys: () => Promise.resolve({ keys: [], total: 0 }) });
    expect(await screen.findByText("Create your first root key")).toBeInTheDocument();
    await user.click(byId("dashboard-go-keys"));
    expect(onNavigate).toHaveBeenCalledWith("keys");
  });

  it("adds the first key from the empty state, then goes to the keys page", async () => {
    const created = makeKey({ name: "first-root" });
    const { backend, user, onNavigate } = setup({
      listKeys: () => Promise.resolve({ keys: [], total: 0 }),
      createKey: () => Promise.resolve(created),
    });
    await user.click(await screen.findByRole("button", { name: "Add key" }));
    await user.type(await screen.findByLabelText("Name"), "first-root");
    await user.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(onNavigate).toHaveBeenCalledWith("keys"));
    expect(backend.createKey).toHaveBeenCalledWith(expect.objectContaining({ name: "first-root" }));
    expect(await screen.findByText("Key first-root created")).toBeInTheDocument();
  });

  it("offers to import a key from the empty state", async () => {
    const { user, onNavigate } = setup({ listKeys: () => Promise.resolve({ keys: [], total: 0 }) });
    await user.click(await screen.findByRole("button", { name: "Import key" }));
    expect(await screen.findByRole("heading", { name: "Import a root key" })).toBeInTheDocument();
    expect(onNavigate).not.toHaveBeenCalled();
  });

  it("disables Add key, naming the missing role, for a reader", async () => {
    setup({
      listKeys: () => Promise.resolve({ keys: [], total: 0 }),
      caller: () => Promise.resolve(callerWith(["Reader"])),
    });
    const add = await screen.findByRole("button", { name: "Add key" });
    await waitFor(() => expect(add).toBeDisabled());
    expect(add).toHaveAttribute("aria-description", expect.stringMatching(/role/));
  });

  it("says why counts are missing, in plain words", async () => {
    setup({ listKeys: () => rejectWith("UNAUTHENTICATED", "token expired") });
    expect(await screen.findByText("Key counts could not be loaded")).toBeInTheDocument();
    expect(screen.getAllByText(/did not accept the credentials/).length).toBeGreaterThan(0);
  });
});

describe("the attention list", () => {
  const DAY = 86_400_000;
  const expiring = makeKey({ name: "expiring-root", expiresAt: new Date(Date.now() + 3 * DAY + 60_000).toISOString() });
  const pending = makeKey({
    name: "pending-root",
    updatedAt: new Date(Date.now() - DAY).toISOString(),
    dualAuthDelete: {
      enabled: true,
      keySetForDeletion: true,
      authorizedBy: "IBMid-alice",
      authExpiration: new Date(Date.now() + 2 * DAY + 5 * 3_600_000 + 60_000).toISOString(),
    },
  });
  const destroyed = makeKey({
    name: "destroyed-root",
    state: "destroyed",
    deletedAt: new Date(Date.now() - 27 * DAY + 60_000).toISOString(),
  });

  const rotating = makeKey({
    name: "rotating-root",
    createdAt: new Date(Date.now() - 80 * DAY).toISOString(),
    rotation: { enabled: true, intervalMonth: 3 },
  });

  afterEach(() => window.localStorage.clear());

  /** Answers each check with its keys; counts and the rotation check get empty pages. */
  function attentionBackend(overrides: Parameters<typeof fakeBackend>[0] = {}) {
    return {
      listKeys: (request: ListKeysRequest) => {
        const field = request.sort?.[0]?.field;
        const keys =
          request.offset > 0
            ? []
            : field === "expirationDate"
              ? [expiring]
              : field === "lastUpdateDate"
                ? [pending]
                : field === "deletionDate"
                  ? [destroyed]
                  : field === "lastRotateDate"
                    ? [rotating]
                    : [];
        return Promise.resolve({ keys, total: request.limit === 1 ? 3 : keys.length });
      },
      key: (id: string) => Promise.resolve([expiring, pending, destroyed].find((key) => key.id === id) ?? expiring),
      keyVersions: () => Promise.resolve([]),
      ...overrides,
    };
  }

  it("lists expiring keys, pending deletions and closing restore windows with the time left", async () => {
    setup(attentionBackend());
    const expiringRow = await waitFor(() => {
      const row = document.querySelector("[data-attention-key='expiring-root']");
      if (row === null) throw new Error("not listed yet");
      return row;
    });
    expect(expiringRow).toHaveTextContent("(in 3 d 0 h)");
    const pendingRow = document.querySelector("[data-attention-key='pending-root']");
    expect(pendingRow).toHaveTextContent("in 2 d 5 h (authorized by IBMid-alice)");
    const destroyedRow = document.querySelector("[data-attention-key='destroyed-root']");
    expect(destroyedRow).toHaveTextContent("(in 3 d 0 h)");
    expect(document.querySelector("[data-attention-key='rotating-root']")).toHaveTextContent("(in 9 d 23 h)");
    expect(byId("attention-rotating-title")).toHaveTextContent("Rotation policy due within 30 days");
    expect(byId("attention-restore-closing")).toBeInTheDocument();
    expect(document.getElementById("attention-none")).toBeNull();
  });

  it("warns of an import token about to expire with retrievals left", async () => {
    const expiresAt = new Date(Date.now() + 4 * 60_000 + 30_000).toISOString();
    setup({
      importTokenStatus: () =>
        Promise.resolve({ creationDate: new Date().toISOString(), expirationDate: expiresAt, maxAllowedRetrievals: 1, remainingRetrievals: 1 }),
    });
    const section = await waitFor(() => byId("attention-import-token"));
    expect(section).toHaveTextContent(/expires .* \(in 4 min\) with 1 of 1 retrieval left/);
    expect(document.getElementById("attention-none")).toBeNull();
  });

  it("opens a listed key in the details panel", async () => {
    const { backend, user } = setup(attentionBackend());
    await user.click(await screen.findByRole("button", { name: "pending-root" }));
    await waitFor(() => expect(backend.key).toHaveBeenCalledWith(pending.id));
    expect(await screen.findByRole("heading", { name: "pending-root" })).toBeInTheDocument();
    await user.click(byId("key-details-close"));
    await waitFor(() => expect(document.getElementById("key-details")).toBeNull());
  });

  it("says when nothing needs attention", async () => {
    setup();
    expect(
      await screen.findByText(/Nothing needs attention: no key expires or is due for a scheduled rotation within 30 days/),
    ).toBeInTheDocument();
  });

  it("looks as many days ahead as the preferences say", async () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ warnDays: 2 }));
    setup(attentionBackend());
    await waitFor(() => expect(document.querySelector("[data-attention-key='pending-root']")).not.toBeNull());
    expect(document.querySelector("[data-attention-key='expiring-root']")).toBeNull();
    expect(document.querySelector("[data-attention-key='rotating-root']")).toBeNull();
    expect(document.getElementById("attention-expiring")).toBeNull();
  });
});

describe("rotationDue", () => {
  it("reads only the oldest page of active root keys", async () => {
    const backend = fakeBackend({
      listKeys: (request) => Promise.resolve({ keys: request.limit === 1 ? [] : [stale], total: 1234 }),
    });
    const due = await rotationDue(backend, NOW);
    expect(backend.listKeys).toHaveBeenLastCalledWith({ offset: 734, limit: 500, states: ["active"], keyType: "root" });
    expect(due).toMatchObject({ activeRootKeys: 1234, checked: 1 });
    expect(due.keys.map((key) => key.name)).toEqual(["ledger-root"]);
  });
});

describe("the activity tile", () => {
  it("counts the last day's wraps, unwraps and refusals from the keystore's hourly counts", async () => {
    const now = Date.now();
    const hourOf = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
    const entry = (action: string, at: string, calls: number, failures = 0) => ({ at, action, calls, failures });
    const { backend } = setup({
      activity: (hours) =>
        Promise.resolve({
          hours,
          until: new Date(now).toISOString(),
          entries: [
            entry("kms.secrets.wrap", hourOf(now - 3 * 86_400_000), 50),
            entry("kms.secrets.wrap", hourOf(now - 5 * 3_600_000), 1200, 1),
            entry("kms.secrets.create", hourOf(now), 7),
            entry("kms.secrets.wrap", hourOf(now), 2, 1),
            entry("kms.secrets.unwrap", hourOf(now), 1),
            entry("kms.secrets.rewrap", hourOf(now), 3),
          ],
        }),
    });
    await waitFor(() => expect(byId("dashboard-wraps")).toHaveTextContent("1,202"));
    expect(byId("dashboard-unwraps")).toHaveTextContent("4");
    expect(byId("dashboard-failures")).toHaveTextContent("2");
    expect(await screen.findByTestId("activity-chart")).toHaveTextContent("24 hours");
    expect(backend.activity).toHaveBeenCalledWith(24);
    expect(backend.auditEvents).not.toHaveBeenCalled();
  });

  it("says why there is no chart when the keystore does not count its activity", async () => {
    setup({ activity: () => rejectWith("NOT_FOUND", "Key Protect does not serve activity.") });
    expect(await screen.findByText(/does not share its activity per hour/)).toBeInTheDocument();
  });
});
