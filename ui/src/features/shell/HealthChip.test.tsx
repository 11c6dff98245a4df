import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BackendProvider } from "../../lib/backend";
import type { KeystoreInfo } from "../../lib/types";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { HEALTH_INTERVAL_MS, HealthChip, RECOVERY_INTERVAL_MS } from "./HealthChip";

const EMBEDDED: KeystoreInfo = { mode: "embedded", location: "/home/test/keystore.db", schemaVersion: 4 };
const REMOTE: KeystoreInfo = { mode: "remote", location: "https://kms.test · instance i1" };

/** An info() that answers after `ms` of (fake) time. */
const answersAfter = (ms: number, info: KeystoreInfo) => () =>
  new Promise<KeystoreInfo>((resolve) => {
    setTimeout(() => resolve(info), ms);
  });

const chip = () => {
  const element = document.getElementById("keystore-tag");
  if (element === null) throw new Error("#keystore-tag is not in the document");
  return element;
};

/** Lets fake time pass and the promises it settles run. */
const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe("HealthChip", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("times info() on load and shows the mode, the latency and the location", async () => {
    renderWithBackend(<HealthChip checkKey={0} />, fakeBackend({ info: answersAfter(3, EMBEDDED) }));
    expect(chip()).toHaveTextContent("Checking…");
    await pass(3);
    expect(chip()).toHaveTextContent("Embedded · 3 ms");
    expect(chip().closest(".cds--tag--green")).not.toBeNull();
    expect(screen.getByText(/\/home\/test\/keystore\.db\. Answered in 3 ms/)).toBeInTheDocument();
    // The tooltip describes the chip; its name stays short for screen readers.
    expect(chip()).toHaveAccessibleName("Keystore: Embedded · 3 ms. Check again");
    expect(chip()).toHaveAccessibleDescription(/Answered in 3 ms/);
  });

  it("checks again every 5 minutes, turns red when the keystore stops answering, then checks every 30 seconds", async () => {
    let reachable = true;
    const backend = fakeBackend({
      info: () => (reachable ? answersAfter(42, REMOTE)() : rejectWith("HOST_UNREACHABLE", "connection refused")),
    });
    renderWithBackend(<HealthChip checkKey={0} />, backend);
    await pass(42);
    expect(chip()).toHaveTextContent("Remote · 42 ms");
    expect(backend.info).toHaveBeenCalledTimes(1);

    reachable = false;
    await pass(HEALTH_INTERVAL_MS - 1);
    expect(backend.info).toHaveBeenCalledTimes(1);
    await pass(1);
    expect(backend.info).toHaveBeenCalledTimes(2);
    expect(chip()).toHaveTextContent("Unreachable");
    expect(chip().closest(".cds--tag--red")).not.toBeNull();
    // The tooltip keeps the last known location and says why, by the error's code.
    expect(screen.getByText(/https:\/\/kms\.test · instance i1\. The remote instance could not be reached/)).toBeInTheDocument();

    reachable = true;
    await pass(RECOVERY_INTERVAL_MS + 42);
    expect(backend.info).toHaveBeenCalledTimes(3);
    expect(chip()).toHaveTextContent("Remote · 42 ms");
  });

  it("re-checks when clicked, keeping the last answer up meanwhile", async () => {
    let latency = 5;
    const backend = fakeBackend({ info: () => answersAfter(latency, EMBEDDED)() });
    renderWithBackend(<HealthChip checkKey={0} />, backend);
    await pass(5);
    expect(chip()).toHaveTextContent("Embedded · 5 ms");

    latency = 80;
    fireEvent.click(chip());
    await pass(0);
    expect(backend.info).toHaveBeenCalledTimes(2);
    expect(chip()).toHaveTextContent("Embedded · 5 ms");
    expect(chip()).toHaveAttribute("aria-busy", "true");
    await pass(80);
    expect(chip()).toHaveTextContent("Embedded · 80 ms");
    expect(chip()).toHaveAttribute("aria-busy", "false");
  });

  it("re-checks at once when the connection changes", async () => {
    const backend = fakeBackend({ info: answersAfter(1, EMBEDDED) });
    const at = (checkKey: number) => (
      <BackendProvider backend={backend}>
        <HealthChip checkKey={checkKey} />
      </BackendProvider>
    );
    const view = render(at(0));
    await pass(1);
    backend.info.mockImplementation(answersAfter(7, REMOTE));
    view.rerender(at(1));
    await pass(7);
    expect(backend.info).toHaveBeenCalledTimes(2);
    expect(chip()).toHaveTextContent("Remote · 7 ms");
  });

  it("calls a keystore that will not open unavailable rather than unreachable", async () => {
    renderWithBackend(
      <HealthChip checkKey={0} />,
      fakeBackend({ info: () => rejectWith("KEYSTORE_UNAVAILABLE", "the system keyring is locked") }),
    );
    await pass(0);
    expect(chip()).toHaveTextContent("Unavailable");
  });
});
