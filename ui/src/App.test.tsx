import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App, PAGE_STORAGE_KEY } from "./App";
import { setKeystoreClockOffset } from "./lib/clock";
import { PREFERENCES_STORAGE_KEY } from "./lib/preferences";
import type { ConnectionProfile } from "./lib/types";
import { fakeBackend, makeKey, rejectWith } from "./test/fakeBackend";
import { renderWithBackend } from "./test/render";

// The chart library draws with SVG layout APIs jsdom lacks; its own tests cover it.
vi.mock("./features/dashboard/KeysByStateChart", () => ({ default: () => <div data-testid="keys-by-state" /> }));

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

describe("App", () => {
  beforeEach(() => window.localStorage.clear());
  afterEach(() => document.documentElement.classList.remove("cds--g10", "cds--g100"));

  it("shows the keystore's kind and latency in the header, its location on hover, and starts on the key table", async () => {
    renderWithBackend(<App />, fakeBackend());
    await waitFor(() => expect(byId("keystore-tag")).toHaveTextContent(/^Embedded · \d+ ms$/));
    expect(screen.getByText(/^\/home\/test\/\.local\/share\/strongroom\/keys\.db\. Answered in/)).toBeInTheDocument();
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    expect(byId("nav-keys")).toHaveAttribute("aria-current", "page");
  });

  it("says in the header how far a test server's clock runs ahead", async () => {
    const backend = fakeBackend({
      clock: () => Promise.resolve({ now: "2026-04-01T00:00:00Z", offsetSeconds: 31 * 86_400, advanceable: true }),
    });
    renderWithBackend(<App />, backend);
    await waitFor(() => expect(byId("header-clock")).toHaveTextContent("Clock +31 d"));
    expect(backend.clock).toHaveBeenCalledTimes(1);
    setKeystoreClockOffset(0);
  });

  it("says nothing of the clock where the keystore publishes none", async () => {
    const backend = fakeBackend({ clock: () => rejectWith("NOT_FOUND", "no such path") });
    renderWithBackend(<App />, backend);
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    await waitFor(() => expect(backend.clock).toHaveBeenCalled());
    expect(document.getElementById("header-clock")).toBeNull();
  });

  it("moves between pages from the side navigation and remembers the last one", async () => {
    const user = userEvent.setup();
    const first = renderWithBackend(<App />, fakeBackend());
    await user.click(await screen.findByRole("link", { name: "Keys" }));
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    expect(byId("create-key-button")).toBeInTheDocument();
    expect(window.localStorage.getItem(PAGE_STORAGE_KEY)).toBe("keys");

    await user.click(byId("nav-envelope"));
    expect(await screen.findByRole("heading", { name: "Envelope encryption" })).toBeInTheDocument();
    expect(byId("wrap-panel")).toBeInTheDocument();
    first.unmount();

    renderWithBackend(<App />, fakeBackend());
    expect(await screen.findByRole("heading", { name: "Envelope encryption" })).toBeInTheDocument();
    expect(byId("nav-envelope")).toHaveAttribute("aria-current", "page");
  });

  it("opens the envelope page with the key chosen from its details", async () => {
    window.localStorage.setItem(PAGE_STORAGE_KEY, "keys");
    const first = makeKey({ name: "first-root" });
    const second = makeKey({ name: "second-root" });
    const user = userEvent.setup();
    renderWithBackend(
      <App />,
      fakeBackend({
        listKeys: () => Promise.resolve({ keys: [first, second], total: 2 }),
        key: () => Promise.resolve(second),
        keyVersions: () => Promise.resolve([second.keyVersion]),
      }),
    );
    await user.click(await screen.findByRole("button", { name: "second-root" }));
    await user.click(await screen.findByRole("button", { name: "Try envelope encryption with this key" }));

    expect(await screen.findByRole("heading", { name: "Envelope encryption" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText<HTMLSelectElement>("Root key").value).toBe(second.id));
  });

  it("opens a key's own page from its details, and goes back to the table", async () => {
    window.localStorage.setItem(PAGE_STORAGE_KEY, "keys");
    const key = makeKey({ name: "payments-root" });
    const user = userEvent.setup();
    renderWithBackend(
      <App />,
      fakeBackend({
        listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
        key: () => Promise.resolve(key),
        keyVersions: () => Promise.resolve([key.keyVersion]),
      }),
    );
    await user.click(await screen.findByRole("button", { name: "payments-root" }));
    await user.click(await screen.findByRole("link", { name: "Open full page" }));

    expect(await screen.findByRole("heading", { name: "payments-root", level: 1 })).toBeInTheDocument();
    expect(document.querySelector("[data-key-name]")).toBeNull();
    expect(byId("nav-keys")).toHaveAttribute("aria-current", "page");

    await user.click(screen.getByRole("link", { name: "Back to keys" }));
    await waitFor(() => expect(document.querySelector('[data-key-name="payments-root"]')).not.toBeNull());
    expect(document.getElementById("key-page")).toBeNull();
  }, 15_000);

  it("opens the key table filtered to a key ring from the Key rings page, and clears it from the navigation", async () => {
    window.localStorage.setItem(PAGE_STORAGE_KEY, "key-rings");
    const key = makeKey({ name: "payments-root", keyRing: "payments" });
    const user = userEvent.setup();
    const backend = fakeBackend({
      keyRings: () =>
        Promise.resolve([
          { id: "default", createdAt: "2026-01-01T00:00:00Z", createdBy: "" },
          { id: "payments", createdAt: "2026-01-02T00:00:00Z", createdBy: "IBMid-alice" },
        ]),
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
    });
    renderWithBackend(<App />, backend);
    await user.click(await screen.findByRole("button", { name: "Actions for key ring payments" }));
    await user.click(await screen.findByText("View keys"));

    await waitFor(() => expect(byId("nav-keys")).toHaveAttribute("aria-current", "page"));
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ keyRing: "payments", offset: 0, limit: 10 })),
    );
    await waitFor(() => expect(screen.getByLabelText<HTMLSelectElement>("Key ring").value).toBe("payments"));

    await user.click(byId("nav-keys"));
    await waitFor(() => expect(backend.listKeys.mock.lastCall?.[0].keyRing).toBeUndefined());
  }, 15_000);

  it("ignores a remembered page it does not know", async () => {
    window.localStorage.setItem(PAGE_STORAGE_KEY, "audit-log");
    renderWithBackend(<App />, fakeBackend());
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
  });

  it("switches to the dark theme and remembers it", async () => {
    const user = userEvent.setup();
    renderWithBackend(<App />, fakeBackend());
    expect(document.documentElement).toHaveClass("cds--g10");

    await user.click(screen.getByRole("button", { name: "Switch to dark theme" }));

    expect(document.documentElement).toHaveClass("cds--g100");
    expect(document.documentElement).not.toHaveClass("cds--g10");
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "{}")).toMatchObject({ theme: "dark" });
    expect(screen.getByRole("button", { name: "Switch to light theme" })).toBeInTheDocument();
  });

  it("opens Preferences from the header, where the theme can follow the system again", async () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ theme: "dark" }));
    const user = userEvent.setup();
    renderWithBackend(<App />, fakeBackend());
    expect(document.documentElement).toHaveClass("cds--g100");

    await user.click(byId("header-preferences"));

    expect(await screen.findByRole("heading", { name: "Preferences", level: 1 })).toBeInTheDocument();
    expect(byId("nav-preferences")).toHaveAttribute("aria-current", "page");
    await user.click(byId("preferences-theme-system"));
    // jsdom's system is light.
    expect(document.documentElement).toHaveClass("cds--g10");
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "{}")).toMatchObject({ theme: "system" });
  });

  it("writes the header's check time in the format chosen in Preferences, at once and after a restart", async () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ locale: "en-US" }));
    const user = userEvent.setup();
    const first = renderWithBackend(<App />, fakeBackend());
    // The health chip's description ends with the time of the check, to the second.
    const checkedAt = () => screen.getByText(/Answered in/).textContent ?? "";
    await waitFor(() => expect(checkedAt()).toMatch(/ at \d{2}:\d{2}:\d{2}\s[AP]M\. Select to check again\.$/));

    await user.click(byId("header-preferences"));
    await user.selectOptions(await screen.findByLabelText("Dates and numbers"), "de-DE");

    // Re-rendered in place, without a reload or another check: a 24-hour clock.
    expect(checkedAt()).toMatch(/ at \d{2}:\d{2}:\d{2}\. Select to check again\.$/);
    expect(JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "{}")).toMatchObject({ locale: "de-DE" });
    first.unmount();

    renderWithBackend(<App />, fakeBackend());
    await waitFor(() => expect(checkedAt()).toMatch(/ at \d{2}:\d{2}:\d{2}\. Select to check again\.$/));
  });

  it("replaces every page with the keystore's explanation when it is unavailable", async () => {
    window.localStorage.setItem(PAGE_STORAGE_KEY, "keys");
    const backend = fakeBackend({
      info: () => rejectWith("KEYSTORE_UNAVAILABLE", "The system keyring is locked. Unlock it and try again."),
    });
    renderWithBackend(<App />, backend);

    await waitFor(() =>
      expect(byId("keystore-error")).toHaveTextContent("The system keyring is locked. Unlock it and try again."),
    );
    expect(document.getElementById("wrap-panel")).toBeNull();
    expect(document.querySelector("table")).toBeNull();
    expect(backend.listKeys).not.toHaveBeenCalled();
  });

  it("shows connections and the local server on the desktop only", async () => {
    const first = renderWithBackend(<App />, fakeBackend());
    expect(await screen.findByRole("link", { name: "Connections" })).toBeInTheDocument();
    expect(byId("nav-local-server")).toBeInTheDocument();
    expect(byId("nav-authorizations")).toBeInTheDocument();
    expect(byId("nav-audit")).toBeInTheDocument();
    first.unmount();

    window.localStorage.setItem(PAGE_STORAGE_KEY, "connections");
    renderWithBackend(<App />, fakeBackend({}, { connections: false, localServer: false }));
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    expect(document.getElementById("nav-connections")).toBeNull();
    expect(document.getElementById("nav-local-server")).toBeNull();
    expect(document.getElementById("connection-switcher")).toBeNull();
  });

  it("switches connection from the header and reloads everything", async () => {
    const user = userEvent.setup();
    const local = { id: "local", name: "This computer", mode: "embedded" as const, hasApiKey: false };
    const remote = { id: "r1", name: "prod", mode: "remote" as const, endpoint: "https://kms.test", instanceId: "i", hasApiKey: true };
    let active: ConnectionProfile = local;
    const backend = fakeBackend({
      connections: () => Promise.resolve([local, remote]),
      currentConnection: () => Promise.resolve(active),
      selectConnection: (id) => {
        active = id === "r1" ? remote : local;
        return Promise.resolve({ mode: active.mode, location: "https://kms.test · instance i" });
      },
    });
    renderWithBackend(<App />, backend);
    const switcher = await screen.findByLabelText("Connection");
    expect(screen.getByRole("option", { name: "This computer" })).toBeInTheDocument();
    // This computer's keystore has no instance id; the switcher alone names the mode.
    expect(document.getElementById("header-instance-id")).toBeNull();
    expect(document.getElementById("header-mode")).toBeNull();
    const infoCalls = backend.info.mock.calls.length;
    await user.selectOptions(switcher, "r1");
    await waitFor(() => expect(backend.selectConnection).toHaveBeenCalledWith("r1"));
    await waitFor(() => expect(backend.info.mock.calls.length).toBeGreaterThan(infoCalls));
    expect(await screen.findByText("Now using prod (remote)")).toBeInTheDocument();
    expect(byId("connection-remote-tag")).toHaveTextContent("Remote");
    await waitFor(() => expect(byId("header-instance-id")).toHaveAttribute("data-instance-id", "i"));
    expect(screen.getByRole("button", { name: "Copy the instance ID i" })).toBeInTheDocument();
  });

  it("opens About from the header with the keyboard and closes it with Escape", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <App />,
      fakeBackend({ info: () => Promise.resolve({ mode: "embedded", location: "/home/test/keys.db", schemaVersion: 4 }) }),
    );
    const about = await screen.findByRole("button", { name: "About Strongroom" });
    about.focus();
    await user.keyboard("{Enter}");
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Version 4");
    expect(dialog).toHaveTextContent("/home/test/keys.db");
    // The first Escape hides the tooltip of the close button, which has the focus.
    await user.keyboard("{Escape}{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});
