import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { UsageReport } from "../../lib/types";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
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

function show(usage: () => Promise<UsageReport>) {
  renderWithBackend(<UsageTile refreshToken={0} dark={false} />, fakeBackend({ usage }));
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
});
