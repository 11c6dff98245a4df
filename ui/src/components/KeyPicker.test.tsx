import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { ListKeysRequest } from "../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../test/fakeBackend";
import { renderWithBackend } from "../test/render";
import { KeyPicker } from "./KeyPicker";
import { keyReference } from "./keyReference";

const orders = makeKey({ name: "orders-root", keyRing: "payments", aliases: ["orders"] });
const ledger = makeKey({ name: "ledger root", keyRing: "default" });

function setup(listKeys = (request: ListKeysRequest) => Promise.resolve({ keys: [orders, ledger], total: request.limit ?? 0 })) {
  const backend = fakeBackend({ listKeys });
  const onChange = vi.fn<(reference: string) => void>();
  renderWithBackend(<KeyPicker id="picker" labelText="Key" onChange={onChange} />, backend);
  const box = screen.getByRole("combobox", { name: "Key" });
  return { backend, onChange, box, user: userEvent.setup() };
}

const lastReference = (onChange: ReturnType<typeof vi.fn>) => onChange.mock.lastCall?.[0] as string | undefined;

describe("KeyPicker", () => {
  it("searches the keystore with the typed text, once typing pauses, 20 keys at most", async () => {
    const { backend, box, user } = setup();
    await user.type(box, "ord");
    expect(screen.getByText("Searching keys…")).toBeInTheDocument();
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenLastCalledWith({ offset: 0, limit: 20, states: [], search: "ord" }),
    );
    // Debounced: no search for "o" or "or" on the way.
    const searches = backend.listKeys.mock.calls.map(([request]) => request.search);
    expect(searches).not.toContain("o");
    expect(searches).not.toContain("or");
  });

  it("offers each key with its name, short id and key ring; picking one gives its id", async () => {
    const { onChange, box, user } = setup();
    await user.type(box, "orders");
    const option = await screen.findByRole("option", { name: /orders-root/ });
    expect(option).toHaveTextContent(orders.id.split("-")[0] ?? "");
    expect(option).toHaveTextContent("payments");
    await user.click(option);
    expect(box).toHaveValue("orders-root");
    await waitFor(() => expect(lastReference(onChange)).toBe(orders.id));
    expect(screen.getByText(`Key ID ${orders.id}`)).toBeInTheDocument();
  });

  it("takes a pasted key id that the search does not offer, as it is", async () => {
    const { onChange, box, user } = setup(() => Promise.resolve({ keys: [], total: 0 }));
    const pasted = "0badc0de-0000-4000-8000-000000000000";
    await user.click(box);
    await user.paste(pasted);
    await waitFor(() => expect(lastReference(onChange)).toBe(pasted));
  });

  it("says in words that a failed search still lets an id be pasted", async () => {
    const { onChange, box, user } = setup(() => rejectWith("KEYSTORE_UNAVAILABLE", "the keystore is not answering"));
    await user.click(box);
    await user.paste("orders");
    expect(await screen.findByText(/Keys could not be searched/)).toHaveTextContent("A pasted ID or alias still works.");
    expect(lastReference(onChange)).toBe("orders");
    expect(box).toBeEnabled();
  });
});

describe("KeyPicker in a form", () => {
  /** A form that sends whatever reference the picker last gave it, as a dialog would. */
  function Sending({ onSend }: { onSend: (reference: string) => void }) {
    const [reference, setReference] = useState("");
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSend(reference);
        }}
      >
        <KeyPicker id="picker" labelText="Key" onChange={setReference} />
        <button type="submit">Send</button>
      </form>
    );
  }

  it("sends the id of a key typed by name and submitted before its search answered", async () => {
    const backend = fakeBackend({
      listKeys: (request) => Promise.resolve({ keys: request.search === "orders-root" ? [orders] : [], total: 1 }),
    });
    const onSend = vi.fn<(reference: string) => void>();
    renderWithBackend(<Sending onSend={onSend} />, backend);
    const user = userEvent.setup();
    await waitFor(() => expect(backend.listKeys).toHaveBeenCalled());

    // Typed and sent at once: well inside the search's 250 ms pause.
    await user.type(screen.getByRole("combobox", { name: "Key" }), "orders-root");
    await user.click(screen.getByRole("button", { name: "Send" }));

    await waitFor(() => expect(onSend).toHaveBeenCalledTimes(1));
    expect(onSend).toHaveBeenCalledWith(orders.id);
    expect(backend.listKeys).toHaveBeenCalledWith(expect.objectContaining({ search: "orders-root" }));
  });

  it("sends at once when the search has already answered", async () => {
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [orders], total: 1 }) });
    const onSend = vi.fn<(reference: string) => void>();
    renderWithBackend(<Sending onSend={onSend} />, backend);
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox", { name: "Key" }), "orders-root");
    await waitFor(() => expect(backend.listKeys).toHaveBeenLastCalledWith(expect.objectContaining({ search: "orders-root" })));
    await waitFor(() => expect(screen.queryByText("Searching keys…")).toBeNull());
    const searches = backend.listKeys.mock.calls.length;

    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(onSend).toHaveBeenCalledWith(orders.id);
    expect(backend.listKeys).toHaveBeenCalledTimes(searches);
  });
});

describe("keyReference", () => {
  it("uses the picked key's id, an id or alias as typed, or a found key's exact name as its id", () => {
    expect(keyReference("orders-root", [orders], orders)).toBe(orders.id);
    expect(keyReference(" orders ", [orders], null)).toBe("orders");
    expect(keyReference("ledger root", [orders, ledger], null)).toBe(ledger.id);
  });

  it("refuses text that names no key and cannot be an id or alias", () => {
    expect(keyReference("ledger root", [], null)).toBe("");
    expect(keyReference("x", [], null)).toBe("");
    expect(keyReference("   ", [orders], null)).toBe("");
    expect(keyReference("some-alias", [], null)).toBe("some-alias");
  });
});
