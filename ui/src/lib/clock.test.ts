import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBackend, rejectWith } from "../test/fakeBackend";
import { keystoreNow, loadKeystoreClock, setKeystoreClockOffset } from "./clock";

describe("the keystore's clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    setKeystoreClockOffset(0);
  });

  it("runs as far ahead as the keystore says, and never behind", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
    expect(keystoreNow()).toBe(Date.parse("2026-03-01T10:00:00Z"));
    setKeystoreClockOffset(31 * 86_400);
    expect(new Date(keystoreNow()).toISOString()).toBe("2026-04-01T10:00:00.000Z");
    setKeystoreClockOffset(-60);
    expect(keystoreNow()).toBe(Date.parse("2026-03-01T10:00:00Z"));
  });

  it("reads the offset from the keystore, and none where it publishes no clock", async () => {
    const ahead = fakeBackend({
      clock: () => Promise.resolve({ now: "2026-04-01T10:00:00Z", offsetSeconds: 86_400, advanceable: true }),
    });
    expect(await loadKeystoreClock(ahead)).toEqual({ offsetSeconds: 86_400, mayMove: true });
    const keyProtect = fakeBackend({ clock: () => rejectWith("NOT_FOUND", "no such path") });
    expect(await loadKeystoreClock(keyProtect)).toEqual({ offsetSeconds: 0, mayMove: false });
  });
});
