import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { EnvelopePage } from "./EnvelopePage";
import { testVectorsStorageKey, type TestVector } from "./testVectors";

const DEK = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
const CIPHERTEXT = "ZW52ZWxvcGUtdjEtb3BhcXVlLWJ5dGVz";
const root = makeKey({ name: "payments-root" });
const archive = makeKey({ name: "archive-root" });

const saved: TestVector = {
  id: "v-archive",
  label: "archive before rotation",
  keyId: archive.id,
  keyVersion: archive.keyVersion.id,
  ciphertext: "b2xkLWNpcGhlcnRleHQ=",
  aad: ["tenant=7"],
  savedAt: "2026-03-01T10:00:00.000Z",
};

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

function renderPage(profileId: string | null | undefined) {
  const backend = fakeBackend({
    listKeys: () => Promise.resolve({ keys: [root, archive], total: 2 }),
    wrap: () => Promise.resolve({ ciphertext: CIPHERTEXT, keyVersion: { id: root.keyVersion.id }, plaintext: DEK }),
    unwrap: () => Promise.resolve({ plaintext: DEK, keyVersion: { id: archive.keyVersion.id } }),
  });
  const user = userEvent.setup();
  const view = renderWithBackend(
    <EnvelopePage refreshToken={0} onChanged={() => undefined} profileId={profileId} />,
    backend,
  );
  return { backend, user, view };
}

const rows = () => [...document.querySelectorAll<HTMLElement>("[data-test-vector-id]")];

async function keysLoaded() {
  const select = await screen.findByLabelText<HTMLSelectElement>("Root key");
  await waitFor(() => expect(select.options.length).toBe(2));
  return select;
}

describe("EnvelopePage test vectors", () => {
  afterEach(() => window.localStorage.clear());

  it("saves a wrap for this connection profile without its DEK, and lists it", async () => {
    const { user } = renderPage("prod-eu");
    await keysLoaded();
    expect(byId("test-vectors-empty")).toBeInTheDocument();
    await user.click(byId("wrap-aad-add"));
    await user.type(byId("wrap-aad-0"), "tenant=42");
    await user.click(byId("wrap-button"));
    await user.type(await waitFor(() => byId("test-vector-label")), "orders");
    await user.click(byId("save-test-vector"));

    const stored = window.localStorage.getItem(testVectorsStorageKey("prod-eu")) ?? "";
    expect(stored).not.toContain(DEK);
    expect(JSON.parse(stored)).toEqual([
      expect.objectContaining({ label: "orders", keyId: root.id, keyVersion: root.keyVersion.id, ciphertext: CIPHERTEXT, aad: ["tenant=42"] }),
    ]);
    expect(window.localStorage.getItem(testVectorsStorageKey(null))).toBeNull();
    const [row] = rows();
    expect(row).toHaveTextContent("orders");
    expect(row).toHaveTextContent('"tenant=42"');
    expect(document.body).not.toHaveTextContent(DEK);
  });

  it("keeps each connection profile's vectors apart", async () => {
    window.localStorage.setItem(testVectorsStorageKey("local"), JSON.stringify([saved]));
    const local = renderPage("local");
    await waitFor(() => expect(rows()).toHaveLength(1));
    local.view.unmount();

    renderPage("prod-eu");
    expect(await screen.findByText(/None yet/)).toBeInTheDocument();
    expect(rows()).toHaveLength(0);
  });

  it("keeps one list where the console has no connection profiles, and none until the profile is known", async () => {
    window.localStorage.setItem(testVectorsStorageKey(null), JSON.stringify([saved]));
    const web = renderPage(null);
    await waitFor(() => expect(rows()).toHaveLength(1));
    web.view.unmount();

    const { user } = renderPage(undefined);
    await keysLoaded();
    await user.click(byId("wrap-button"));
    await waitFor(() => expect(byId("wrap-ciphertext")).toHaveValue(CIPHERTEXT));
    expect(document.getElementById("save-test-vector")).toBeNull();
    expect(document.getElementById("test-vectors")).toBeNull();
  });

  it("loads a vector's key, ciphertext and AAD into the panel for an unwrap", async () => {
    window.localStorage.setItem(testVectorsStorageKey("local"), JSON.stringify([saved]));
    const { backend, user } = renderPage("local");
    const [row] = await waitFor(() => {
      const found = rows();
      if (found.length === 0) throw new Error("not listed yet");
      return found;
    });

    await user.click(within(row as HTMLElement).getByRole("button", { name: "Load into unwrap" }));

    await waitFor(() => expect(screen.getByLabelText<HTMLSelectElement>("Root key").value).toBe(archive.id));
    expect(byId("wrap-ciphertext")).toHaveValue(saved.ciphertext);
    expect(byId("wrap-aad-0")).toHaveValue("tenant=7");
    await user.click(byId("unwrap-button"));
    await waitFor(() => expect(byId("unwrap-key-version")).toHaveTextContent(archive.keyVersion.id));
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: archive.id, ciphertext: saved.ciphertext, aad: ["tenant=7"] });
  });

  it("deletes a vector from the list and from storage", async () => {
    const other = { ...saved, id: "v-other", label: "other" };
    window.localStorage.setItem(testVectorsStorageKey("local"), JSON.stringify([saved, other]));
    const { user } = renderPage("local");
    await waitFor(() => expect(rows()).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Delete test vector archive before rotation" }));

    expect(rows().map((row) => row.dataset.testVectorId)).toEqual(["v-other"]);
    const stored = JSON.parse(window.localStorage.getItem(testVectorsStorageKey("local")) ?? "[]") as TestVector[];
    expect(stored.map((vector) => vector.id)).toEqual(["v-other"]);
  });

  it.each([
    ["text that is not JSON", "{not json"],
    ["an object", JSON.stringify({ hello: "world" })],
    ["entries of another shape", JSON.stringify([{ id: 1 }, "x", null])],
  ])("survives %s in storage and says it left something out", async (_name, stored) => {
    window.localStorage.setItem(testVectorsStorageKey("local"), stored);
    renderPage("local");
    await keysLoaded();
    expect(byId("test-vectors-ignored")).toHaveTextContent("Some stored test vectors could not be read");
    expect(byId("test-vectors-empty")).toBeInTheDocument();
  });

  it("reads the usable entries beside corrupt ones", async () => {
    window.localStorage.setItem(testVectorsStorageKey("local"), JSON.stringify([{ ...saved, ciphertext: 7 }, saved]));
    renderPage("local");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(byId("test-vectors-ignored")).toBeInTheDocument();
  });
});
