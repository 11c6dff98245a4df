import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";
import { AUDIT_PAGE_SIZE, AuditPage } from "./AuditPage";
import { EXPORT_CAP } from "./exportEvents";
import type { Histogram } from "./histogram";
import { rfc3339 } from "./timeRange";

// The chart library draws with SVG layout APIs jsdom lacks; the bars' data is what matters here.
// Each bar is a button here; a click reports a time inside the bar, as the chart's bar-click does.
vi.mock("./AuditHistogramChart", () => ({
  default: ({ histogram, onBarClick }: { histogram: Histogram; onBarClick?: (time: number) => void }) => (
    <ol data-testid="audit-histogram-chart" data-size={histogram.size.label}>
      {histogram.buckets
        .filter((bucket) => bucket.success + bucket.failure > 0)
        .map((bucket) => (
          <li key={bucket.start.getTime()}>
            {`${bucket.start.toISOString()} ${bucket.success}/${bucket.failure}`}
            <button type="button" aria-label={`Bar at ${bucket.start.toISOString()}`} onClick={() => onBarClick?.(bucket.start.getTime() + 1)} />
          </li>
        ))}
    </ol>
  ),
}));

const event = (seq: number, outcome = "success"): AuditEventInfo => ({
  seq,
  at: "2026-03-01T10:00:00Z",
  instance: "i1",
  initiator: "IBMid-alice",
  action: "kms.secrets.wrap",
  target: `key-${seq}`,
  outcome,
  correlationId: `c${seq}`,
});

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

describe("AuditPage", () => {
  afterEach(() => window.localStorage.clear());

  it("draws its table small by default and at the chosen density otherwise", async () => {
    const first = renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByRole("table", { name: "Audit events" })).toHaveClass("cds--data-table--sm");
    first.unmount();

    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ density: "lg" }));
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByRole("table", { name: "Audit events" })).toHaveClass("cds--data-table--lg");
  });

  it("shows events with a red tag for failures", async () => {
    renderWithBackend(
      <AuditPage refreshToken={0} />,
      fakeBackend({ auditEvents: () => Promise.resolve([event(2), event(1, "UNDECRYPTABLE")]) }),
    );
    expect(await screen.findByText("key-2")).toBeInTheDocument();
    expect(screen.getByText("Success")).toBeInTheDocument();
    expect(screen.getByText("UNDECRYPTABLE").closest(".cds--tag--red")).not.toBeNull();
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });

  it("shows the caller's address under the initiator and the key version under the target, and nothing where an event has neither", async () => {
    const version = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
    renderWithBackend(
      <AuditPage refreshToken={0} />,
      fakeBackend({
        auditEvents: () => Promise.resolve([{ ...event(2), source: "192.0.2.7", keyVersion: version }, event(1)]),
      }),
    );
    expect(await screen.findByText("from 192.0.2.7")).toBeInTheDocument();
    const shown = document.querySelector(`[data-key-version="${version}"]`);
    expect(shown).toHaveAttribute("title", version);
    expect(shown).toHaveTextContent("0f9e8d7c");
    const older = screen.getByText("key-1").closest("tr");
    if (older === null) throw new Error("no row for key-1");
    expect(older.querySelector("[data-source], [data-key-version]")).toBeNull();
  });

  it("filters by initiator, action, target and failures", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    expect(await screen.findByText("No events match these filters.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Initiator"), "IBMid-bob");
    await user.type(screen.getByLabelText("Action starts with"), "kms.secrets");
    await user.type(screen.getByLabelText("Target"), "k1");
    await user.click(screen.getByLabelText("Failures only"));
    await waitFor(() =>
      expect(backend.auditEvents).toHaveBeenLastCalledWith({
        limit: AUDIT_PAGE_SIZE,
        initiator: "IBMid-bob",
        action: "kms.secrets",
        target: "k1",
        failuresOnly: true,
      }),
    );
  });

  it("loads older events before the oldest shown", async () => {
    const user = userEvent.setup();
    const first = Array.from({ length: AUDIT_PAGE_SIZE }, (_, index) => event(500 - index));
    const backend = fakeBackend({
      auditEvents: (query) => Promise.resolve(query.before === undefined ? first : [event(3)]),
    });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Load older" }));
    expect(await screen.findByText("key-3")).toBeInTheDocument();
    expect(backend.auditEvents).toHaveBeenLastCalledWith({ limit: AUDIT_PAGE_SIZE, before: 401 });
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });

  it("charts the returned events above the table, per bucket and outcome", async () => {
    const at = (iso: string, seq: number, outcome = "success") => ({ ...event(seq, outcome), at: iso });
    renderWithBackend(
      <AuditPage refreshToken={0} />,
      fakeBackend({
        auditEvents: () =>
          Promise.resolve([
            at("2026-03-01T10:40:00Z", 4, "FORBIDDEN"),
            at("2026-03-01T10:31:00Z", 3),
            at("2026-03-01T10:30:00Z", 2),
            at("2026-03-01T10:02:00Z", 1),
          ]),
      }),
    );
    const chart = await screen.findByTestId("audit-histogram-chart");
    const histogram = byId("audit-histogram");
    expect(histogram.compareDocumentPosition(byId("audit-table")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(chart).toHaveAttribute("data-size", "minute");
    expect([...chart.querySelectorAll("li")].map((item) => item.textContent)).toEqual([
      "2026-03-01T10:02:00.000Z 1/0",
      "2026-03-01T10:30:00.000Z 1/0",
      "2026-03-01T10:31:00.000Z 1/0",
      "2026-03-01T10:40:00.000Z 0/1",
    ]);
    expect(byId("audit-histogram-note")).toHaveTextContent("All 4 events that match the filters, per minute.");
  });

  it("narrows the time range to a clicked bar, and Clear goes back to the range before", async () => {
    const at = (iso: string, seq: number) => ({ ...event(seq), at: iso });
    const all = [at("2026-03-01T10:40:00Z", 4), at("2026-03-01T10:30:20Z", 3), at("2026-03-01T10:30:00Z", 2), at("2026-03-01T10:02:00Z", 1)];
    const backend = fakeBackend({
      auditEvents: (query) =>
        Promise.resolve(
          all.filter((item) => (query.since === undefined || item.at >= query.since) && (query.until === undefined || item.at < query.until)),
        ),
    });
    const user = userEvent.setup();
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    expect(await screen.findByText("key-1")).toBeInTheDocument();
    expect(byId("audit-histogram-note")).toHaveTextContent("Click a bar to show only its events.");

    await user.click(screen.getByRole("button", { name: "Bar at 2026-03-01T10:30:00.000Z" }));
    await waitFor(() =>
      expect(backend.auditEvents.mock.lastCall?.[0]).toMatchObject({ since: "2026-03-01T10:30:00Z", until: "2026-03-01T10:31:00Z" }),
    );
    await waitFor(() => expect(screen.queryByText("key-1")).toBeNull());
    expect(screen.getByText("key-2")).toBeInTheDocument();
    expect(screen.getByText("key-3")).toBeInTheDocument();
    expect(screen.getByLabelText("Time range")).toHaveValue("custom");
    expect(byId("audit-range-narrowed")).toHaveTextContent("Showing one bar of the chart");

    await user.click(screen.getByRole("button", { name: "Clear" }));
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].since).toBeUndefined());
    expect(backend.auditEvents.mock.lastCall?.[0].until).toBeUndefined();
    expect(await screen.findByText("key-1")).toBeInTheDocument();
    expect(screen.getByLabelText("Time range")).toHaveValue("all");
    expect(document.getElementById("audit-range-narrowed")).toBeNull();
  });

  it("says the chart counts only the loaded events while older ones remain, and has none without events", async () => {
    const first = Array.from({ length: AUDIT_PAGE_SIZE }, (_, index) => event(500 - index));
    const { unmount } = renderWithBackend(
      <AuditPage refreshToken={0} />,
      fakeBackend({ auditEvents: () => Promise.resolve(first) }),
    );
    expect(await screen.findByTestId("audit-histogram-chart")).toHaveTextContent(`${AUDIT_PAGE_SIZE}/0`);
    expect(byId("audit-histogram-note")).toHaveTextContent(`The newest ${AUDIT_PAGE_SIZE} events that match the filters`);
    unmount();

    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByText("No events match these filters.")).toBeInTheDocument();
    expect(document.getElementById("audit-histogram")).toBeNull();
  });

  it("says in its description that key material and plaintext never appear", async () => {
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByText(/Key material, data encryption keys and plaintext never appear in the trail/)).toBeInTheDocument();
  });

  it("sends a preset's window as since, counted back from now, and keeps it when loading older", async () => {
    const user = userEvent.setup();
    const first = Array.from({ length: AUDIT_PAGE_SIZE }, (_, index) => event(500 - index));
    const backend = fakeBackend({ auditEvents: (query) => Promise.resolve(query.before === undefined ? first : []) });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await screen.findByText("key-500");
    const before = Date.now();
    await user.selectOptions(screen.getByLabelText("Time range"), "Last 24 hours");
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].since).toBeDefined());
    const query = backend.auditEvents.mock.lastCall?.[0] as AuditQueryRequest;
    const since = Date.parse(query.since ?? "");
    expect(query.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(since).toBeGreaterThanOrEqual(before - 86_400_000 - 1000);
    expect(since).toBeLessThanOrEqual(Date.now() - 86_400_000);
    expect(query.until).toBeUndefined();

    await user.click(await screen.findByRole("button", { name: "Load older" }));
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].before).toBe(401));
    expect(backend.auditEvents.mock.lastCall?.[0].since).toBe(query.since);
  });

  it("sends a custom range of whole days as since and until", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await user.selectOptions(await screen.findByLabelText("Time range"), "custom");
    const from = screen.getByLabelText("From (day)");
    const to = screen.getByLabelText("To (day, included)");
    fireEvent.change(from, { target: { value: "2026-02-03" } });
    fireEvent.blur(from);
    fireEvent.change(to, { target: { value: "2026-02-05" } });
    fireEvent.blur(to);
    await waitFor(() =>
      expect(backend.auditEvents).toHaveBeenLastCalledWith({
        limit: AUDIT_PAGE_SIZE,
        since: rfc3339(new Date(2026, 1, 3).getTime()),
        until: rfc3339(new Date(2026, 1, 6).getTime()),
      }),
    );
  });

  it("shows an event's full JSON in its expanded row", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend({ auditEvents: () => Promise.resolve([event(9)]) }));
    await screen.findByText("key-9");
    expect(document.querySelector("[data-event-json]")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Show event 9 as JSON" }));
    const json = await waitFor(() => {
      const row = document.querySelector("[data-event-json='9']");
      if (row === null) throw new Error("not expanded");
      return row;
    });
    expect(JSON.parse(json.querySelector("code")?.textContent ?? "")).toEqual(event(9));
  });
});

describe("AuditPage targets and correlation ids", () => {
  const key = makeKey({ name: "payments-root" });
  const wrapped: AuditEventInfo = { ...event(3), target: key.id, correlationId: "5e1f0c2a-aaaa-4bbb-8ccc-000000000003" };
  const ringMade: AuditEventInfo = { ...event(2), action: "kms.key-rings.create", target: "payments" };

  it("opens the key an event names in the details panel; other targets stay text", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      auditEvents: () => Promise.resolve([wrapped, ringMade]),
      key: () => Promise.resolve(key),
      keyVersions: () => Promise.resolve([key.keyVersion]),
    });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await screen.findByText("payments");
    expect(screen.queryByRole("button", { name: "Open key payments" })).toBeNull();
    await user.click(screen.getByRole("button", { name: `Open key ${key.id}` }));
    await waitFor(() => expect(backend.key).toHaveBeenCalledWith(key.id));
    expect(await screen.findByRole("heading", { name: "payments-root" })).toBeInTheDocument();
  });

  it("shows each event's correlation id, short, and copies it whole from the expanded row", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend({ auditEvents: () => Promise.resolve([wrapped]) }));
    const cell = await waitFor(() => {
      const found = document.querySelector(`[data-correlation-id="${wrapped.correlationId}"]`);
      if (found === null) throw new Error("not shown yet");
      return found;
    });
    expect(cell).toHaveTextContent(/^5e1f0c2a$/);
    expect(cell).toHaveAttribute("title", wrapped.correlationId);
    expect(screen.getByRole("columnheader", { name: "Correlation ID" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Show event 3 as JSON" }));
    expect(await screen.findByRole("button", { name: `Copy correlation ID ${wrapped.correlationId}` })).toBeInTheDocument();
  });

  it("filters by a correlation id typed in, or taken from an expanded event", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ auditEvents: () => Promise.resolve([wrapped]) });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Show event 3 as JSON" }));
    await user.click(await screen.findByRole("button", { name: "Show this request's events" }));
    await waitFor(() =>
      expect(backend.auditEvents.mock.lastCall?.[0].correlationId).toBe(wrapped.correlationId),
    );
    expect(screen.getByLabelText("Correlation ID")).toHaveValue(wrapped.correlationId);
    await user.clear(screen.getByLabelText("Correlation ID"));
    await user.type(screen.getByLabelText("Correlation ID"), "  abc  ");
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].correlationId).toBe("abc"));
    await user.clear(screen.getByLabelText("Correlation ID"));
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].correlationId).toBeUndefined());
  });
});

describe("AuditPage export", () => {
  /** Exports go through the backend: the desktop writes them to Downloads, a browser downloads them. */
  const saving = (path: string | null = null) => {
    const saved: { name: string; text: string; type: string }[] = [];
    const saveExport = vi.fn((name: string, text: string, type: string) => {
      saved.push({ name, text, type });
      return Promise.resolve(path);
    });
    return { saved, saveExport };
  };

  /** A trail of `size` failures, newest first, answering `before` and `limit`. */
  const trail = (size: number) => (query: AuditQueryRequest) => {
    const top = query.before === undefined ? size : query.before - 1;
    const count = Math.max(0, Math.min(query.limit ?? AUDIT_PAGE_SIZE, top));
    return Promise.resolve(Array.from({ length: count }, (_, index) => event(top - index, "UNDECRYPTABLE")));
  };

  it("downloads every matching event as CSV, with the filters applied, in a file named for the time", async () => {
    const user = userEvent.setup();
    const { saved, saveExport } = saving();
    const backend = fakeBackend({ auditEvents: trail(1200), saveExport });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await user.click(screen.getByLabelText("Failures only"));
    await waitFor(() => expect(backend.auditEvents.mock.lastCall?.[0].failuresOnly).toBe(true));
    await screen.findByText("key-1200");
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const file = saved[0];
    expect(file?.name).toMatch(/^strongroom-audit-\d{8}T\d{6}Z\.csv$/);
    expect(file?.type).toBe("text/csv;charset=utf-8");
    const lines = file?.text.trimEnd().split("\r\n") ?? [];
    expect(lines[0]).toBe("seq,at,instance,initiator,action,target,outcome,correlationId,source,keyVersion");
    expect(lines).toHaveLength(1201);
    const exportCalls = backend.auditEvents.mock.calls.map(([query]) => query).filter((query) => query.limit === 1000);
    expect(exportCalls.every((query) => query.failuresOnly === true)).toBe(true);
    expect(await screen.findByText("Exported 1,200 audit events")).toBeInTheDocument();
  });

  it("downloads JSON and says when the cap cut the export off", async () => {
    const user = userEvent.setup();
    const { saved, saveExport } = saving();
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend({ auditEvents: trail(EXPORT_CAP + 50), saveExport }));
    await screen.findByText(`key-${EXPORT_CAP + 50}`);
    await user.click(screen.getByRole("button", { name: "Export JSON" }));
    const notice = await screen.findByText(`The export stopped at ${EXPORT_CAP.toLocaleString()} events`, undefined, {
      timeout: 10_000,
    });
    expect(within(notice.closest(".cds--inline-notification") as HTMLElement).getByText(/older ones were left out/)).toBeInTheDocument();
    expect(saved[0]?.name).toMatch(/\.json$/);
    const body = JSON.parse(saved[0]?.text ?? "") as { truncated: boolean; events: unknown[] };
    expect(body.truncated).toBe(true);
    expect(body.events).toHaveLength(EXPORT_CAP);
  });

  it("names the file the desktop wrote in the export's toast", async () => {
    const user = userEvent.setup();
    const { saveExport } = saving("/home/ada/Downloads/strongroom-audit.csv");
    renderWithBackend(<AuditPage refreshToken={0} />, fakeBackend({ auditEvents: trail(3), saveExport }));
    await screen.findByText("key-3");
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Exported 3 audit events")).toBeInTheDocument();
    expect(screen.getByText("/home/ada/Downloads/strongroom-audit.csv")).toBeInTheDocument();
  });
});
