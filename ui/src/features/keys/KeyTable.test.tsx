import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "../../lib/backend";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyTable } from "./KeyTable";

function setup(overrides: Partial<Backend> = {}) {
  const backend = fakeBackend(overrides);
  const onChanged = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(<KeyTable refreshToken={0} onChanged={onChanged} />, backend);
  return { backend, onChanged, user };
}

const rowFor = (name: string) => {
  const row = document.querySelector(`[data-key-name="${name}"]`);
  if (!(row instanceof HTMLElement)) throw new Error(`no row for ${name}`);
  return row;
};

describe("KeyTable", () => {
  it("lists the keys the backend returns, one row each, with the total", async () => {
    const active = makeKey({ name: "payments-root" });
    const suspended = makeKey({ name: "old-root", state: "suspended" });
    const { backend } = setup({ listKeys: () => Promise.resolve({ keys: [active, suspended], total: 27 }) });

    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    expect(rowFor("payments-root")).toHaveAttribute("data-key-id", active.id);
    expect(within(rowFor("old-root")).getByText("Suspended (disabled)")).toHaveAttribute(
      "title",
      "Key Protect state 2 (suspended)",
    );
    expect(document.getElementById("key-total")).toHaveTextContent("27");
    expect(backend.listKeys).toHaveBeenCalledWith({
      offset: 0,
      limit: 10,
      states: ["active", "suspended", "deactivated", "destroyed"],
      sort: [{ field: "creationDate", descending: true }],
    });
  });

  it("keeps Carbon's page select for small tables and a page number field for large ones", async () => {
    const { backend, user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 100_000 }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    // 10,000 pages would be 10,000 <option>s; none are rendered.
    expect(document.querySelectorAll(".cds--select__page-number option")).toHaveLength(0);
    expect(screen.getByText(/^of 10,?000 pages$/)).toBeInTheDocument();
    const page = screen.getByLabelText(/Page of 10,?000 pages/);
    await user.clear(page);
    await user.type(page, "17{Enter}");
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 160, limit: 10 })),
    );
    expect(page).toHaveValue("17");
  });

  it("lists every page in the page select while there are few", async () => {
    setup({ listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 27 }) });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    expect(document.querySelectorAll(".cds--select__page-number option")).toHaveLength(3);
    expect(document.getElementById("key-table-page")).toBeNull();
  });

  it("asks the backend to sort when a column header is clicked: ascending, descending, then newest first", async () => {
    const { backend, user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const nameHeader = () => screen.getByRole("button", { name: /^Name/ });

    await user.click(nameHeader());
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: [{ field: "name", descending: false }] }),
      ),
    );
    await user.click(nameHeader());
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: [{ field: "name", descending: true }] }),
      ),
    );
    await user.click(nameHeader());
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: [{ field: "creationDate", descending: true }] }),
      ),
    );
  });

  it("filters by key type in the backend and shows each key's ring and aliases", async () => {
    const key = makeKey({ name: "payments-root", keyRing: "payments", aliases: ["pay-main"] });
    const { backend, user } = setup({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    expect(within(rowFor("payments-root")).getByText("payments")).toBeInTheDocument();
    expect(within(rowFor("payments-root")).getByText("pay-main")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Key type"), "standard");
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 0, keyType: "standard" })),
    );
  });

  it("filters by any mix of states, all of them to start with, in lifecycle order", async () => {
    const { backend, user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const filter = document.getElementById("key-state-filter");
    if (filter === null) throw new Error("no state filter");

    await user.click(within(filter).getByRole("combobox"));
    const options = within(await screen.findByRole("listbox")).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual([
      "Active",
      "Suspended (disabled)",
      "Deactivated (expired)",
      "Destroyed (deleted)",
    ]);
    expect(options.map((option) => option.getAttribute("aria-selected"))).toEqual(["true", "true", "true", "true"]);
    expect(screen.getByTitle("Deactivated (expired) · Key Protect state 3 (deactivated)")).toBeInTheDocument();

    await user.click(screen.getByRole("option", { name: "Active" }));
    await user.click(screen.getByRole("option", { name: "Suspended (disabled)" }));
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ states: ["deactivated", "destroyed"], offset: 0 }),
      ),
    );
    // Narrowed, the count badge shows (the stylesheet hides it only in the all-states default).
    expect(filter.closest(".key-table__filter--states")).not.toHaveClass("key-table__filter--all-states");
    expect(filter.querySelector(".cds--tag--filter")).toHaveTextContent("2");
    await user.click(screen.getByRole("option", { name: "Active" }));
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ states: ["active", "deactivated", "destroyed"] }),
      ),
    );
  });

  it("asks the keystore for keys with the chosen properties, each a chip that takes it away", async () => {
    const { backend, user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const lastRequest = () => vi.mocked(backend.listKeys).mock.lastCall?.[0];
    expect(lastRequest()).not.toHaveProperty("imported");
    const filter = document.getElementById("key-property-filter");
    if (filter === null) throw new Error("no property filter");

    await user.click(within(filter).getByRole("combobox"));
    const options = within(await screen.findByRole("listbox")).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual(["Imported", "Has dual authorization", "Rotation due"]);
    await user.click(screen.getByRole("option", { name: "Rotation due" }));
    await user.click(screen.getByRole("option", { name: "Imported" }));
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(
        expect.objectContaining({ offset: 0, imported: true, rotationDue: true }),
      ),
    );
    expect(lastRequest()).not.toHaveProperty("dualAuthDelete");

    await user.keyboard("{Escape}");
    await user.click(screen.getByRole("button", { name: /Rotation due/ }));
    await waitFor(() => expect(lastRequest()).not.toHaveProperty("rotationDue"));
    expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ imported: true }));
  });

  it("says so in plain words when the instance cannot filter by a property", async () => {
    const { user } = setup({
      listKeys: (request) =>
        request.imported === undefined
          ? Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 })
          : rejectWith("NOT_SUPPORTED", "This instance cannot filter keys by `imported`"),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const filter = document.getElementById("key-property-filter");
    if (filter === null) throw new Error("no property filter");
    await user.click(within(filter).getByRole("combobox"));
    await user.click(await screen.findByRole("option", { name: "Imported" }));
    expect(await screen.findByText(/it is not a Strongroom server/)).toBeInTheDocument();
  });

  it("shows no state count badge while every state is chosen, the default", async () => {
    setup({ listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }) });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const filter = document.getElementById("key-state-filter");
    // Carbon renders the badge for any selection; this class is what the stylesheet hides it by.
    expect(filter?.closest(".key-table__filter--states")).toHaveClass("key-table__filter--all-states");
    expect(filter).toHaveTextContent("All states");
  });

  it("shows the short key ID and copies the full one, without opening the key's details", async () => {
    const key = makeKey({ name: "payments-root" });
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
    const onOpen = vi.fn();
    const user = userEvent.setup();
    renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} onOpen={onOpen} />, backend);
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();

    const shown = within(rowFor("payments-root")).getByTitle(key.id);
    expect(shown).toHaveTextContent(/^[0-9a-f]{8}$/);
    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Copy key ID" }));
    expect(writeText).toHaveBeenCalledWith(key.id);
    expect(onOpen).not.toHaveBeenCalled();
  });

  it("leads each row with a status icon for a due rotation or a near expiry, named on hover", async () => {
    const soon = new Date(Date.now() + 3.5 * 86_400_000).toISOString();
    setup({
      listKeys: () =>
        Promise.resolve({
          keys: [
            makeKey({ name: "due-root", rotationDue: true }),
            makeKey({ name: "short-lived", expiresAt: soon }),
            makeKey({ name: "calm-root" }),
          ],
          total: 3,
        }),
    });
    await waitFor(() => expect(rowFor("due-root")).toBeInTheDocument());
    const status = (name: string) => rowFor(name).querySelector("td.key-table__status");
    // The status cell comes right after the selection checkbox, before the name.
    expect(rowFor("due-root").querySelectorAll("td")[1]).toBe(status("due-root"));
    expect(within(status("due-root") as HTMLElement).getByRole("img", { name: "Rotation due" })).toHaveAttribute(
      "data-key-status",
      "rotation-due",
    );
    expect(within(status("short-lived") as HTMLElement).getByRole("img")).toHaveAttribute("title", "Expires in 3 days");
    expect(status("calm-root")).toBeEmptyDOMElement();
    expect(screen.getByRole("columnheader", { name: "Status" })).toBeInTheDocument();
  });

  it("shows a friendly empty state with the create button when there are no keys", async () => {
    setup();
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    expect(document.getElementById("create-key-button")).toHaveTextContent("Create key");
  });

  it("opens the create dialog on n and focuses the search on /, but not while typing", async () => {
    const { user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await user.keyboard("/");
    const search = screen.getByRole("searchbox");
    expect(search).toHaveFocus();
    await user.keyboard("n");
    expect(search).toHaveValue("n");
    expect(screen.queryByRole("dialog", { name: /create/i })).not.toBeInTheDocument();

    search.blur();
    await user.keyboard("n");
    expect(await screen.findByRole("dialog", { name: /create/i })).toBeInTheDocument();
  });

  it("passes the search to the backend once typing pauses, from the first page", async () => {
    const { backend, user } = setup({
      listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }),
    });
    const search = await screen.findByRole("searchbox");
    await user.type(search, "pay");

    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 0, search: "pay" })),
    );
    const searches = backend.listKeys.mock.calls.map(([request]) => request.search);
    expect(searches).not.toContain("p");
    expect(searches).not.toContain("pa");
  });

  // Every row action: the backend refuses, the refusal is said in plain words, and the table is
  // neither told to reload nor shows the key in another state.
  it("survives a refused Enable: the message is shown, nothing changes", async () => {
    const key = makeKey({ name: "payments-root", state: "suspended" });
    const { backend, onChanged, user } = setup({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      enableKey: () => rejectWith("HOST_UNREACHABLE", "The keystore at https://kms.test could not be reached."),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Actions for payments-root" }));
    await user.click(await screen.findByText("Enable"));

    expect(await screen.findByText("Could not enable key payments-root")).toBeInTheDocument();
    expect(screen.getAllByText(/could not be reached/).length).toBeGreaterThan(0);
    expect(backend.enableKey).toHaveBeenCalledWith(key.id);
    expect(onChanged).not.toHaveBeenCalled();
    expect(rowFor("payments-root").querySelector("[data-state]")).toHaveAttribute("data-state", "suspended");
  });

  // Disable and Restore ask first; a refusal stays in view in their dialog.
  it.each([
    { action: "Disable", call: "disableKey", state: "active", confirm: "disable-key-confirm" },
    { action: "Restore", call: "restoreKey", state: "destroyed", confirm: "restore-key-confirm" },
  ] as const)("survives a refused $action: the dialog says why, nothing changes", async ({ action, call, state, confirm }) => {
    const key = makeKey({ name: "payments-root", state });
    const { backend, onChanged, user } = setup({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      [call]: () => rejectWith("HOST_UNREACHABLE", "The keystore at https://kms.test could not be reached."),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Actions for payments-root" }));
    await user.click(await screen.findByText(action));
    const dialog = await screen.findByRole("dialog", { name: `${action} key payments-root?` });
    expect(backend[call]).not.toHaveBeenCalled();
    await user.click(document.getElementById(confirm) as HTMLElement);

    expect(await within(dialog).findByText("That did not work")).toBeInTheDocument();
    expect(within(dialog).getByText(/could not be reached/)).toBeInTheDocument();
    expect(backend[call]).toHaveBeenCalledWith(key.id);
    expect(onChanged).not.toHaveBeenCalled();
    expect(rowFor("payments-root").querySelector("[data-state]")).toHaveAttribute("data-state", state);
  });

  it("rotates from the row menu through the rotate panel, which keeps a refusal in view", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, onChanged, user } = setup({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      rotateKey: () => rejectWith("HOST_UNREACHABLE", "The keystore at https://kms.test could not be reached."),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Actions for payments-root" }));
    await user.click(await screen.findByText("Rotate"));
    const dialog = await screen.findByRole("dialog", { name: "Rotate key payments-root" });
    expect(backend.rotateKey).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Rotate" }));

    expect(await within(dialog).findByText("That did not work")).toBeInTheDocument();
    expect(within(dialog).getByText(/could not be reached/)).toBeInTheDocument();
    expect(backend.rotateKey).toHaveBeenCalledWith({ keyId: key.id });
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("disables an active key from its row menu and reports it", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, onChanged, user } = setup({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      disableKey: () => Promise.resolve({ ...key, state: "suspended" }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Actions for payments-root" }));
    await user.click(await screen.findByText("Disable"));
    expect(document.getElementById("disable-key-consequence")).toHaveTextContent(
      "Services can no longer wrap or unwrap with payments-root.",
    );
    expect(backend.disableKey).not.toHaveBeenCalled();
    await user.click(document.getElementById("disable-key-confirm") as HTMLElement);

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(backend.disableKey).toHaveBeenCalledWith(key.id);
    expect(await screen.findByText("Key payments-root disabled")).toBeInTheDocument();
  });

  it("asks before deleting and shows a refusal in plain words", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, onChanged, user } = setup({
      listKeys: () => Promise.resolve({ keys: [key], total: 1 }),
      deleteKey: () => rejectWith("INVALID_STATE", "This key still protects registered resources."),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(within(rowFor("payments-root")).getByRole("button", { name: "Actions for payments-root" }));
    await user.click(await screen.findByText("Delete"));
    expect(backend.deleteKey).not.toHaveBeenCalled();

    const confirm = await waitFor(() => {
      const button = document.getElementById("delete-key-confirm");
      if (button === null) throw new Error("no confirmation yet");
      return button;
    });
    expect(document.querySelector("#delete-key-cli code")).toHaveTextContent(`strongroom keys delete ${key.id}`);
    await user.click(confirm);

    expect(await screen.findByText("This key still protects registered resources.")).toBeInTheDocument();
    expect(backend.deleteKey).toHaveBeenCalledWith(key.id);
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("focuses the search field on /", async () => {
    const { user } = setup({ listKeys: () => Promise.resolve({ keys: [makeKey()], total: 1 }) });
    const search = await screen.findByRole("searchbox");
    expect(search).not.toHaveFocus();
    await user.keyboard("/");
    expect(search).toHaveFocus();
    expect(search).toHaveValue("");
  });

  it("marks a key whose deletion is authorized and pending", async () => {
    const pending = makeKey({
      name: "two-person-root",
      dualAuthDelete: {
        enabled: true,
        keySetForDeletion: true,
        authorizedBy: "IBMid-alice",
        authExpiration: new Date(Date.now() + 6.5 * 86_400_000).toISOString(),
      },
    });
    setup({ listKeys: () => Promise.resolve({ keys: [pending], total: 1 }) });
    await waitFor(() => expect(rowFor("two-person-root")).toBeInTheDocument());
    expect(rowFor("two-person-root").querySelector("[data-pending-deletion]")).toHaveTextContent(
      /^Pending deletion · by IBMid-alice · 6 days left$/,
    );
  });
});

describe("KeyTable search syntax and density", () => {
  afterEach(() => window.localStorage.clear());

  it("explains the keystore's search prefixes in a toggletip beside the search box", async () => {
    const { user } = setup({ listKeys: () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 }) });
    const button = await screen.findByRole("button", { name: "Search syntax" });
    expect(button).toHaveAttribute("id", "key-search-syntax");
    await user.click(button);
    const help = await waitFor(() => {
      const element = document.getElementById("key-search-syntax-help");
      if (element === null) throw new Error("no help");
      return element;
    });
    await waitFor(() => expect(button).toHaveAttribute("aria-expanded", "true"));
    const prefixes = [...help.querySelectorAll("dt code")].map((code) => code.textContent);
    expect(prefixes).toEqual(["not:", "exact:", "name:", "alias:", "escape:"]);
    expect(within(help).getByText("escape:not:")).toBeInTheDocument();
    expect(help).toHaveTextContent(/case-insensitive part of the name or of an alias, or an exact key ID/);
  });

  it("draws its table at medium density by default and at the chosen density otherwise", async () => {
    const keys = () => Promise.resolve({ keys: [makeKey({ name: "payments-root" })], total: 1 });
    const first = renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, fakeBackend({ listKeys: keys }));
    expect(await screen.findByRole("table", { name: "Keys" })).toHaveClass("cds--data-table--md");
    first.unmount();

    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ density: "xs" }));
    renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, fakeBackend({ listKeys: keys }));
    expect(await screen.findByRole("table", { name: "Keys" })).toHaveClass("cds--data-table--xs");
  });

  it("warns of an expiry in the status column only within the warn days chosen", async () => {
    const expiresAt = new Date(Date.now() + 10.5 * 86_400_000).toISOString();
    const keys = () => Promise.resolve({ keys: [makeKey({ name: "short-lived", expiresAt })], total: 1 });
    const first = renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, fakeBackend({ listKeys: keys }));
    await waitFor(() => expect(rowFor("short-lived").querySelector("[data-key-status]")).not.toBeNull());
    expect(rowFor("short-lived").querySelector("[data-key-status]")).toHaveAttribute("title", "Expires in 10 days");
    first.unmount();

    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ warnDays: 7 }));
    renderWithBackend(<KeyTable refreshToken={0} onChanged={vi.fn()} />, fakeBackend({ listKeys: keys }));
    await waitFor(() => expect(rowFor("short-lived")).toBeInTheDocument());
    expect(rowFor("short-lived").querySelector("[data-key-status]")).toBeNull();
  });
});
