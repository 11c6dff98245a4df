import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { UsageReport } from "../../lib/types";
import { callerWith, fakeBackend, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { UsageTile } from "./UsageTile";

vi.mock("./UsageCharts", () => ({
  default: ({ report }: { report: UsageReport }) => <div data-testid="usage-charts">{report.minutes.length} entries</div>,
}));

const busy: UsageReport = {
  windowMinutes: 60,
  until: "2026-06-01T10:02:30Z",
  minutes: [
    { at: "2026-06-01T10:00:00Z", action: "kms.secrets.wrap", calls: 1200, failures: 3, p50Ms: 0.4, p99Ms: 3.25 },
    { at: "2026-06-01T10:01:00Z", action: "kms.secrets.unwrap", calls: 40, failures: 0, p50Ms: 0.5, p99Ms: 14 },
  ],
};

function show(usage: () => Promise<UsageReport>, overrides: Parameters<typeof fakeBackend>[0] = {}) {
  renderWithBackend(<UsageTile refreshToken={0} dark={false} />, fakeBackend({ usage, ...overrides }));
}

describe("UsageTile", () => {
  it("shows the hour's calls, refusals and worst data-plane p99, and the charts", async () => {
    show(() => Promise.resolve(busy));
    expect(await screen.findByTestId("usage-charts")).toHaveTextContent("2 entries");
    expect(document.getElementById("usage-calls")).toHaveTextContent((1240).toLocaleString());
    expect(document.getElementById("usage-failures")).toHaveTextContent("3");
    expect(document.getElementById("usage-p99")).toHaveTextContent("14 ms");
  });

  it("says so when nothing was called, without empty charts", async () => {
    show(() => Promise.resolve({ ...busy, minutes: [] }));
    expect(await screen.findByText(/No calls in the last hour/)).toBeInTheDocument();
    expect(screen.queryByTestId("usage-charts")).toBeNull();
    expect(document.getElementById("usage-p99")).toHaveTextContent("—");
  });

  it("explains that IBM Key Protect reports elsewhere", async () => {
    show(() => rejectWith("NOT_FOUND", "no such route"));
    expect(await screen.findByText(/IBM Cloud Monitoring/)).toBeInTheDocument();
  });

  it("tells a Reader which role the figures need, calmly rather than as a failure", async () => {
    // The keystore never answers, so only the caller's grants can produce the sentence.
    show(() => new Promise(() => {}), { caller: () => Promise.resolve(callerWith(["Reader"])) });
    expect(await screen.findByText(/Usage figures are counted from the audit trail/)).toHaveTextContent(
      "This needs the Manager role on this instance; you (IBMid-someone) do not have it.",
    );
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
    expect(screen.queryByTestId("usage-charts")).toBeNull();
  });

  it("takes the keystore's refusal the same way when it cannot say who the caller is", async () => {
    show(() => rejectWith("FORBIDDEN", "not allowed"), { caller: () => rejectWith("NOT_FOUND", "no caller endpoint") });
    expect(await screen.findByText(/Usage figures are counted from the audit trail/)).toHaveTextContent(
      "Ask a Manager of this instance if you need them.",
    );
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
  });

  it("still reports other failures", async () => {
    show(() => rejectWith("KEYSTORE_UNAVAILABLE", "the keystore is closed"));
    expect(await screen.findByText(/The calls of the last hour could not be loaded/)).toBeInTheDocument();
  });
});
