import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DrawingFailure } from "./DrawingFailure";

let broken = true;

function Chart({ label }: { label: string }) {
  if (broken) throw new RangeError("invalid language tag: C");
  return <p>{label}</p>;
}

describe("DrawingFailure", () => {
  beforeEach(() => {
    broken = true;
    // React and the boundary report the error on the console; keep the test output readable.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it("says in a sentence what could not be drawn, and keeps the rest of the window", () => {
    render(
      <main>
        <h1>Dashboard</h1>
        <DrawingFailure what="the chart" id="chart-failure">
          <Chart label="drawn" />
        </DrawingFailure>
      </main>,
    );
    expect(screen.getByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(document.getElementById("chart-failure")).toHaveTextContent("Strongroom could not draw the chart.");
    // The error's own words are for developers: they stay in the console.
    expect(document.body).not.toHaveTextContent("invalid language tag");
    expect(console.error).toHaveBeenCalledWith(
      "Strongroom could not draw the chart:",
      expect.any(RangeError),
      expect.any(String),
    );
  });

  it("draws it afresh on Try again", () => {
    render(
      <DrawingFailure what="this page" id="page-failure">
        <Chart label="drawn" />
      </DrawingFailure>,
    );
    expect(screen.queryByText("drawn")).not.toBeInTheDocument();
    broken = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("drawn")).toBeInTheDocument();
    expect(document.getElementById("page-failure")).not.toBeInTheDocument();
  });

  it("starts over when what it draws changes, and fails again if it still throws", () => {
    const page = (name: string) => (
      <DrawingFailure what="this page" id="page-failure" resetKey={name}>
        <Chart label={name} />
      </DrawingFailure>
    );
    const { rerender } = render(page("keys"));
    expect(document.getElementById("page-failure")).toBeInTheDocument();
    broken = false;
    rerender(page("dashboard"));
    expect(screen.getByText("dashboard")).toBeInTheDocument();
    broken = true;
    rerender(page("audit"));
    expect(document.getElementById("page-failure")).toBeInTheDocument();
  });
});
