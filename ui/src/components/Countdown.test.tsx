import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setKeystoreClockOffset } from "../lib/clock";
import { Countdown } from "./Countdown";

/** Lets fake time pass, and React render what it changed. */
const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe("Countdown", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
    setKeystoreClockOffset(0);
  });

  it("counts in the keystore's time where its virtual clock runs ahead", () => {
    setKeystoreClockOffset(2 * 86_400);
    render(<Countdown to={new Date("2026-03-04T13:00:00Z")} />);
    expect(screen.getByText("1 d 3 h")).toBeInTheDocument();
  });

  it("is redrawn at once when the keystore's clock is found to run ahead", () => {
    render(<Countdown to={new Date("2026-03-04T13:00:00Z")} />);
    expect(screen.getByText("3 d 3 h")).toBeInTheDocument();
    act(() => setKeystoreClockOffset(86_400));
    expect(screen.getByText("2 d 3 h")).toBeInTheDocument();
  });

  it("counts seconds down to zero in the last hour", async () => {
    render(<Countdown id="left" to={new Date("2026-03-01T10:00:30Z")} />);
    expect(screen.getByText("30 s")).toHaveAttribute("id", "left");
    await pass(3_000);
    expect(screen.getByText("27 s")).toBeInTheDocument();
    await pass(60_000);
    expect(screen.getByText("0 s")).toBeInTheDocument();
  });

  it("reads longer spans in hours and minutes, and keeps them current", async () => {
    render(<Countdown to={new Date("2026-03-01T13:12:00Z")} />);
    expect(screen.getByText("3 h 12 min")).toBeInTheDocument();
    await pass(2 * 60_000);
    expect(screen.getByText("3 h 10 min")).toBeInTheDocument();
  });
});
