import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "../../lib/backend";
import type { KeyInfo, ListKeysRequest } from "../../lib/types";
import { callerWith, fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { KeyTable } from "./KeyTable";

function setup(keys: KeyInfo[], overrides: Partial<Backend> = {}) {
  const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys, total: keys.length }), ...overrides });
  const onChanged = vi.fn();
  const onOpen = vi.fn();
  const user = userEvent.setup();
  renderWithBackend(<KeyTable refreshToken={0} onChanged={onChanged} onOpen={onOpen} />, backend);
  return { backend, onChanged, onOpen, user };
}

const rowFor = (name: string) => {
  const row = document.querySelector(`[data-key-name="${name}"]`);
  if (!(row instanceof HTMLElement)) throw new Error(`no row for ${name}`);
  return row;
};
const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};
const batchButton = (name: string) => {
  const button = document.querySelector(`[data-batch="${name}"]`);
  if (!(button instanceof HTMLElement)) throw new Error(`no batch action ${name}`);
  return button;
};
const selectedText = () => document.querySelector(".cds--batch-summary__para")?.textContent ?? "";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("KeyTable batch actions", () => {
  it("selects a row with its checkbox without opening its details", async () => {
    const key = makeKey({ name: "payments-root" });
    const { onOpen, user } = setup([key]);
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());

    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));

    expect(screen.getByRole("checkbox", { name: "Select payments-root" })).toBeChecked();
    expect(selectedText()).toBe("1 key selected");
    expect(onOpen).not.toHaveBeenCalled();
  });

  it("disables the active keys of a selection, skipping the others with the reason, then sums up", async () => {
    const active = makeKey({ name: "payments-root" });
    const other = makeKey({ name: "ledger-root" });
    const suspended = makeKey({ name: "old-root", state: "suspended" });
    const { backend, onChanged, user } = setup([active, other, suspended], {
      disableKey: (id) =>
        id === other.id
          ? rejectWith("FORBIDDEN", "caller lacks Manager")
          : Promise.resolve({ ...active, state: "suspended" }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select all keys on this page" }));
    expect(selectedText()).toBe("3 keys selected");

    await user.click(batchButton("disable"));
    const dialog = await screen.findByRole("dialog", { name: "Disable 2 keys?" });
    expect(within(dialog).getByText(/Wrap and unwrap will fail/)).toBeInTheDocument();
    expect(byId("key-batch-skipped")).toHaveTextContent(
      "old-root: Disable: the key is Suspended (disabled).",
    );
    expect(backend.disableKey).not.toHaveBeenCalled();

    await user.click(byId("key-batch-confirm"));

    await waitFor(() => expect(document.getElementById("key-batch-summary")).not.toBeNull());
    expect(backend.disableKey.mock.calls).toEqual([[active.id], [other.id]]);
    expect(byId("key-batch-done")).toHaveTextContent("Disabled 1 key.");
    expect(byId("key-batch-failures")).toHaveTextContent(
      "ledger-root: Your role does not allow this. Ask a Manager of this instance for access.",
    );
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("checkbox", { name: "Select payments-root" })).not.toBeChecked();

    await user.click(byId("key-batch-close"));
    expect(document.getElementById("key-batch-dialog")).toBeNull();
  });

  it("schedules deletion of a dual-authorization key instead of deleting it, and says so first", async () => {
    const plain = makeKey({ name: "payments-root" });
    const dual = makeKey({ name: "dual-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } });
    const { backend, user } = setup([plain, dual], {
      deleteKey: () => Promise.resolve({ ...plain, state: "destroyed" }),
      setKeyForDeletion: () => Promise.resolve(dual),
    });
    await waitFor(() => expect(rowFor("dual-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));
    await user.click(screen.getByRole("checkbox", { name: "Select dual-root" }));

    await user.click(batchButton("delete"));
    await screen.findByRole("dialog", { name: "Delete 2 keys?" });
    expect(byId("key-batch-schedule")).toHaveTextContent(/1 key needs two people to delete.*only schedules deletion.*dual-root/);
    expect(document.querySelector("#key-batch-cli code")?.textContent).toBe(
      `strongroom keys delete ${plain.id}\n# dual-root: scheduling deletion has no strongroom command`,
    );

    await user.click(byId("key-batch-confirm"));
    await waitFor(() => expect(document.getElementById("key-batch-summary")).not.toBeNull());
    expect(backend.deleteKey).toHaveBeenCalledTimes(1);
    expect(backend.deleteKey).toHaveBeenCalledWith(plain.id);
    expect(backend.setKeyForDeletion).toHaveBeenCalledWith(dual.id);
    expect(byId("key-batch-done")).toHaveTextContent("Deleted 1 key. Scheduled deletion of 1 key.");
  });

  it("does not complete a deletion the caller authorized, and says why, like the row menu", async () => {
    const plain = makeKey({ name: "payments-root" });
    // The desktop caller is IBMid-local-administrator; the two-person rule keeps this one for someone else.
    const mine = makeKey({
      name: "dual-mine-root",
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-local-administrator" },
    });
    const { backend, user } = setup([plain, mine], {
      deleteKey: () => Promise.resolve({ ...plain, state: "destroyed" }),
    });
    await waitFor(() => expect(rowFor("dual-mine-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));
    await user.click(screen.getByRole("checkbox", { name: "Select dual-mine-root" }));

    await user.click(batchButton("delete"));
    await screen.findByRole("dialog", { name: "Delete 1 key?" });
    expect(byId("key-batch-skipped")).toHaveTextContent(
      "dual-mine-root: You authorized this deletion; a different person must delete the key.",
    );
    expect(document.querySelector("#key-batch-cli code")?.textContent).toBe(`strongroom keys delete ${plain.id}`);

    await user.click(byId("key-batch-confirm"));
    await waitFor(() => expect(document.getElementById("key-batch-summary")).not.toBeNull());
    expect(backend.deleteKey.mock.calls).toEqual([[plain.id]]);
  });

  it("moves the selection to the chosen key ring", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = setup([key], {
      keyRings: () =>
        Promise.resolve([
          { id: "default", createdAt: "", createdBy: "" },
          { id: "payments", createdAt: "", createdBy: "" },
        ]),
      moveKey: () => Promise.resolve({ ...key, keyRing: "payments" }),
    });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole("option", { name: "Ring: payments" })).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));

    await user.click(batchButton("move"));
    const dialog = await screen.findByRole("dialog", { name: "Move 1 key to a key ring?" });
    expect(within(dialog).getByLabelText("Key ring")).toHaveValue("payments");
    await user.click(byId("key-batch-confirm"));

    await waitFor(() => expect(backend.moveKey).toHaveBeenCalledWith(key.id, "payments"));
    expect(await screen.findByText("Moved 1 key to payments.")).toBeInTheDocument();
  });

  it("offers nothing to confirm when no selected key can take the action", async () => {
    const key = makeKey({ name: "payments-root" });
    const { backend, user } = setup([key]);
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));

    await user.click(batchButton("enable"));
    expect(await screen.findByText("None of the selected keys can be changed this way.")).toBeInTheDocument();
    expect(byId("key-batch-confirm")).toBeDisabled();
    expect(backend.enableKey).not.toHaveBeenCalled();
  });

  it("keeps the selection across pages and clears it when the filter changes", async () => {
    const first = makeKey({ name: "first-root" });
    const second = makeKey({ name: "second-root" });
    const { user } = setup([], {
      listKeys: (request: ListKeysRequest) =>
        Promise.resolve({ keys: request.offset === 0 ? [first] : [second], total: 11 }),
    });
    await waitFor(() => expect(rowFor("first-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select first-root" }));

    await user.click(screen.getByRole("button", { name: /next page/i }));
    await waitFor(() => expect(rowFor("second-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select second-root" }));
    expect(selectedText()).toBe("2 keys selected");
    expect(document.querySelector(".cds--batch-actions--active")).not.toBeNull();

    await user.selectOptions(screen.getByLabelText("Key type"), "standard");
    await waitFor(() => expect(document.querySelector(".cds--batch-actions--active")).toBeNull());
    expect(selectedText()).toBe("0 keys selected");
    await waitFor(() => expect(rowFor("first-root")).toBeInTheDocument());
    expect(screen.getByRole("checkbox", { name: "Select first-root" })).not.toBeChecked();
  });

  it("exports the selection as CSV through the backend without touching the keystore", async () => {
    const key = makeKey({ name: "payments-root", aliases: ["pay-main"] });
    const saveExport = vi.fn<Backend["saveExport"]>(() => Promise.resolve("/home/ada/Downloads/strongroom-keys.csv"));
    const { backend, user } = setup([key], { saveExport });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));

    await user.click(batchButton("export"));

    expect(saveExport).toHaveBeenCalledTimes(1);
    const [name, text, type] = saveExport.mock.calls[0] ?? [];
    expect(name).toMatch(/^strongroom-keys-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(type).toBe("text/csv;charset=utf-8");
    expect(text).toContain(`${key.id},payments-root,root,active,default,pay-main,${key.createdAt}`);
    expect(backend.key).not.toHaveBeenCalled();
    expect(await screen.findByText("Exported 1 key to CSV")).toBeInTheDocument();
    expect(screen.getByText("/home/ada/Downloads/strongroom-keys.csv")).toBeInTheDocument();
  });

  it("keeps the batch actions a Reader lacks the role for visible, disabled with the reason", async () => {
    const key = makeKey({ name: "payments-root" });
    const { user } = setup([key], { caller: () => Promise.resolve(callerWith(["Reader"])) });
    await waitFor(() => expect(rowFor("payments-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));

    for (const action of ["disable", "enable", "move", "delete"]) {
      await waitFor(() => expect(batchButton(action)).toBeDisabled());
      expect(batchButton(action).getAttribute("data-denied-reason")).toMatch(/role on this key; you \(IBMid-someone\) do not have it\.$/);
    }
    expect(batchButton("disable")).toHaveAttribute(
      "aria-description",
      "This needs the Manager role on this key; you (IBMid-someone) do not have it.",
    );
    // Reading needs no more than a Reader has.
    expect(batchButton("export")).toBeEnabled();
  });

  it("lets a ring's Manager start a batch over mixed rings; the keys elsewhere are skipped with the reason", async () => {
    const mine = makeKey({ name: "payments-root", keyRing: "payments" });
    const theirs = makeKey({ name: "ledger-root" });
    const { backend, user } = setup([mine, theirs], {
      caller: () => Promise.resolve(callerWith(["Manager"], { keyRing: "payments" })),
    });
    await waitFor(() => expect(rowFor("ledger-root")).toBeInTheDocument());
    await user.click(screen.getByRole("checkbox", { name: "Select payments-root" }));
    await user.click(screen.getByRole("checkbox", { name: "Select ledger-root" }));

    await waitFor(() => expect(batchButton("disable")).toBeEnabled());
    await user.click(batchButton("disable"));
    await waitFor(() => expect(document.body).toHaveTextContent("You hold the Manager role elsewhere, but not on this key."));
    await user.click(byId("key-batch-confirm"));
    await waitFor(() => expect(backend.disableKey).toHaveBeenCalledTimes(1));
    expect(backend.disableKey).toHaveBeenCalledWith(mine.id);
  });
});
