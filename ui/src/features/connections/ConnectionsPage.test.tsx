import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeBackend } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { ConnectionProfile } from "../../lib/types";
import { ConnectionsPage } from "./ConnectionsPage";
import { ConnectionSwitcher } from "./ConnectionSwitcher";
import { defaultTokenUrl, peerFacts, verdictSentence } from "./profile";

const local: ConnectionProfile = { id: "local", name: "This computer", mode: "embedded", hasApiKey: false };
const remote: ConnectionProfile = {
  id: "r1",
  name: "us-south prod",
  mode: "remote",
  endpoint: "https://us-south.kms.cloud.ibm.com",
  tokenUrl: "https://iam.cloud.ibm.com/identity/token",
  instanceId: "inst-1",
  hasApiKey: true,
};
const SECRET = "sr-api-key-do-not-show";

function setup(overrides: Parameters<typeof fakeBackend>[0] = {}) {
  const backend = fakeBackend({ connections: () => Promise.resolve([local, remote]), ...overrides });
  const onChanged = vi.fn();
  const onSwitch = vi.fn();
  renderWithBackend(<ConnectionsPage refreshToken={0} activeId="local" onChanged={onChanged} onSwitch={onSwitch} />, backend);
  return { backend, onChanged, onSwitch, user: userEvent.setup() };
}

describe("ConnectionsPage", () => {
  it("lists this computer first and marks remotes and the active one", async () => {
    setup();
    const table = await screen.findByRole("table", { name: "Connections" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("This computer");
    expect(rows[0]).toHaveTextContent("Active");
    expect(rows[1]).toHaveTextContent("us-south prod");
    expect(rows[1]).toHaveTextContent("Remote");
    expect(rows[1]).toHaveTextContent("Stored in keyring");
  });

  it("adds a remote with the token URL defaulting to the base URL's, and forgets the API key", async () => {
    const { backend, onChanged, user } = setup({ saveConnection: (request) => Promise.resolve(request.profile) });
    await user.click(await screen.findByRole("button", { name: "Add remote" }));
    await user.type(screen.getByLabelText("Name"), "staging");
    await user.type(screen.getByLabelText("Base URL"), "https://kms.staging.test/");
    await user.type(screen.getByLabelText("Instance ID"), "inst-2");
    await user.type(screen.getByLabelText("API key"), SECRET);
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    const request = backend.saveConnection.mock.calls[0]?.[0];
    expect(request?.apiKey).toBe(SECRET);
    expect(request?.profile).toMatchObject({
      name: "staging",
      mode: "remote",
      endpoint: "https://kms.staging.test",
      tokenUrl: "https://kms.staging.test/identity/token",
      instanceId: "inst-2",
    });
    expect(document.body).not.toHaveTextContent(SECRET);
  }, 20_000);

  it("keeps the stored API key when editing without a new one, and never shows it", async () => {
    const { backend, user } = setup({ saveConnection: (request) => Promise.resolve(request.profile) });
    const row = (await screen.findByText("us-south prod")).closest("tr") as HTMLElement;
    await user.click(within(row).getByRole("button", { name: "Edit" }));
    expect(screen.getByLabelText("API key")).toHaveValue("");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(backend.saveConnection).toHaveBeenCalled());
    expect(backend.saveConnection.mock.calls[0]?.[0]).not.toHaveProperty("apiKey");
  });

  it("tests a connection and explains the verdict by its code", async () => {
    const { backend, user } = setup({
      testConnection: () => Promise.resolve({ ok: false, code: "WRONG_INSTANCE", message: "instance not found" }),
    });
    const row = (await screen.findByText("us-south prod")).closest("tr") as HTMLElement;
    await user.click(within(row).getByRole("button", { name: "Edit" }));
    await user.click(screen.getByRole("button", { name: "Test connection" }));
    expect(await screen.findByText(/not for this instance/)).toBeInTheDocument();
    expect(backend.testConnection).toHaveBeenCalledWith({ profile: expect.objectContaining({ id: "r1" }) as unknown });
  });

  it("switches and deletes remotes", async () => {
    const { backend, onSwitch, user } = setup({ deleteConnection: () => Promise.resolve() });
    const row = (await screen.findByText("us-south prod")).closest("tr") as HTMLElement;
    await user.click(within(row).getByRole("button", { name: "Switch to" }));
    expect(onSwitch).toHaveBeenCalledWith(remote);
    await user.click(within(row).getByRole("button", { name: "Delete" }));
    await user.click(document.getElementById("delete-connection-confirm") as HTMLElement);
    await waitFor(() => expect(backend.deleteConnection).toHaveBeenCalledWith("r1"));
  });
});

describe("connection helpers and switcher", () => {
  it("derives the token URL and the verdict sentences", () => {
    expect(defaultTokenUrl("https://kms.test/")).toBe("https://kms.test/identity/token");
    expect(verdictSentence({ ok: true, message: "ok", keyCount: 3 })).toBe("Connected. 3 keys are visible.");
    expect(verdictSentence({ ok: false, code: "HOST_UNREACHABLE", message: "x" })).toMatch(/could not be reached/);
    expect(verdictSentence({ ok: false, code: "TLS_FAILURE", message: "x" })).toMatch(/certificate/);
    expect(verdictSentence({ ok: false, code: "BAD_API_KEY", message: "x" })).toMatch(/API key/);
  });

  it("shows what answered: server, TLS protocol and certificate fingerprint; plain HTTP is named", () => {
    const fingerprint = "AB:CD:EF";
    expect(
      peerFacts(
        { ok: true, message: "ok", server: "strongroom/0.1.0", tls: { protocol: "TLS 1.3", certificateSha256: fingerprint } },
        "https://kms.test",
      ),
    ).toEqual([
      { label: "Server", value: "strongroom/0.1.0" },
      { label: "Encryption", value: "TLS 1.3" },
      { label: "Certificate SHA-256", value: fingerprint },
    ]);
    const plain = peerFacts({ ok: true, message: "ok", server: "strongroom/0.1.0" }, "http://127.0.0.1:8080");
    expect(plain[1]).toMatchObject({ label: "Encryption", warning: true });
    expect(plain[1]?.value).toMatch(/plain HTTP/);
    expect(peerFacts({ ok: false, code: "HOST_UNREACHABLE", message: "x" }, "https://kms.test")).toEqual([]);
  });

  it("offers this computer and the remotes, marks a remote, and switches", async () => {
    const onSwitch = vi.fn();
    const user = userEvent.setup();
    const { rerender } = renderWithBackend(
      <ConnectionSwitcher connections={[local, remote]} activeId="local" busy={false} onSwitch={onSwitch} />,
      fakeBackend(),
    );
    expect(screen.getByRole("option", { name: "This computer" })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Connection"), "r1");
    expect(onSwitch).toHaveBeenCalledWith(remote);
    rerender(<ConnectionSwitcher connections={[local, remote]} activeId="r1" busy={false} onSwitch={onSwitch} />);
    expect(screen.getByText("Remote")).toBeInTheDocument();
  });
});
