import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AuthorizationCheckRequest, AuthorizationInfo } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { TestAsServiceModal } from "./TestAsServiceModal";

const cos: AuthorizationInfo = {
  id: "policy-1",
  sourceService: "cloud-object-storage",
  sourceInstance: "cos-1",
  targetInstance: "instance-1",
  keyRing: "payments",
  roles: ["Reader"],
  createdAt: "2026-11-01T00:00:00Z",
  createdBy: "IBMid-alice",
};

const keyBox = () => screen.getByRole("combobox", { name: "Key (ID or alias)" });

describe("TestAsServiceModal", () => {
  it("sends the service, its instance, the key and the action, and shows the keystore's verdict", async () => {
    const user = userEvent.setup();
    const checkAuthorization = vi.fn((request: AuthorizationCheckRequest) =>
      Promise.resolve({
        allowed: false,
        authorizationId: "policy-1",
        keyId: "k-1",
        keyState: "suspended" as const,
        reason: `Authorization policy-1 lets cloud-object-storage ${request.action} with key orders, but the key is suspended.`,
      }),
    );
    renderWithBackend(<TestAsServiceModal authorization={cos} onClose={() => undefined} />, fakeBackend({ checkAuthorization }));
    const check = screen.getByRole("button", { name: "Check" });
    expect(check).toBeDisabled();
    await user.type(keyBox(), "orders-root");
    await user.click(screen.getByLabelText("Unwrap"));
    await user.click(check);

    await waitFor(() =>
      expect(checkAuthorization).toHaveBeenCalledWith({
        sourceService: "cloud-object-storage",
        sourceInstance: "cos-1",
        keyId: "orders-root",
        action: "unwrap",
      }),
    );
    expect(await screen.findByText("Would be refused")).toBeInTheDocument();
    expect(screen.getByText(/but the key is suspended/)).toBeInTheDocument();
  });

  it("checks the key a typed name found, even when Check is pressed before its search answered", async () => {
    const user = userEvent.setup();
    const orders = makeKey({ name: "orders-root" });
    const checkAuthorization = vi.fn(() =>
      Promise.resolve({ allowed: true, authorizationId: "policy-1", keyId: orders.id, keyState: "active" as const, reason: "ok" }),
    );
    const backend = fakeBackend({
      checkAuthorization,
      listKeys: (request) => Promise.resolve({ keys: request.search === "orders-root" ? [orders] : [], total: 1 }),
    });
    renderWithBackend(<TestAsServiceModal authorization={cos} onClose={() => undefined} />, backend);
    // A name that could pass for an alias, checked straight on, inside the search's 250 ms pause.
    await user.type(keyBox(), "orders-root");
    await user.click(screen.getByRole("button", { name: "Check" }));
    await waitFor(() => expect(checkAuthorization).toHaveBeenCalledTimes(1));
    expect(checkAuthorization).toHaveBeenCalledWith(expect.objectContaining({ keyId: orders.id }));
  });

  it("explains a failed check in plain words", async () => {
    const user = userEvent.setup();
    const checkAuthorization = vi.fn(() => rejectWith("FORBIDDEN", "IBMid-bob is not allowed to perform kms.policies.read here"));
    renderWithBackend(
      <TestAsServiceModal authorization={{ ...cos, keyId: "k-9" }} onClose={() => undefined} />,
      fakeBackend({ checkAuthorization }),
    );
    expect(keyBox()).toHaveValue("k-9");
    await user.click(screen.getByRole("button", { name: "Check" }));
    expect(await screen.findByText("The check did not run")).toBeInTheDocument();
    expect(screen.getByText(/Ask a Manager of this instance/)).toBeInTheDocument();
  });

  it("checks a key picked from the keystore's search by its id", async () => {
    const user = userEvent.setup();
    const orders = makeKey({ name: "orders-root", keyRing: "payments" });
    const checkAuthorization = vi.fn(() =>
      Promise.resolve({ allowed: true, keyId: orders.id, keyState: "active" as const, reason: "Allowed by policy-1." }),
    );
    const listKeys = vi.fn(() => Promise.resolve({ keys: [orders], total: 1 }));
    renderWithBackend(
      <TestAsServiceModal authorization={{ ...cos, sourceInstance: undefined }} onClose={() => undefined} />,
      fakeBackend({ checkAuthorization, listKeys }),
    );
    await user.type(keyBox(), "orders");
    await waitFor(() => expect(listKeys).toHaveBeenCalledWith(expect.objectContaining({ search: "orders" })));
    await user.click(await screen.findByRole("option", { name: /orders-root/ }));
    await user.click(screen.getByRole("button", { name: "Check" }));

    await waitFor(() =>
      expect(checkAuthorization).toHaveBeenCalledWith({ sourceService: "cloud-object-storage", keyId: orders.id, action: "wrap" }),
    );
  });
});
