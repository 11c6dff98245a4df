import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AuthorizationInfo, CreateAuthorizationRequest } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { CreateAuthorizationModal } from "./CreateAuthorizationModal";

const orders = makeKey({ name: "orders-root", keyRing: "payments", aliases: ["orders"] });

function setup() {
  const createAuthorization = vi.fn((request: CreateAuthorizationRequest) =>
    Promise.resolve<AuthorizationInfo>({
      id: "policy-9",
      sourceService: request.sourceService,
      targetInstance: "instance-1",
      ...(request.keyId === undefined ? {} : { keyId: request.keyId }),
      roles: request.roles ?? [],
      createdAt: "2026-11-01T00:00:00Z",
      createdBy: "IBMid-alice",
    }),
  );
  const backend = fakeBackend({
    createAuthorization,
    listKeys: () => Promise.resolve({ keys: [orders], total: 1 }),
  });
  const onCreated = vi.fn();
  renderWithBackend(<CreateAuthorizationModal onClose={() => undefined} onCreated={onCreated} />, backend);
  return { backend, createAuthorization, onCreated, user: userEvent.setup() };
}

const keyBox = () => screen.getByRole("combobox", { name: "Key" });

describe("CreateAuthorizationModal, one key", () => {
  it("targets the key picked from the search by its id, keeping the e2e id on the box", async () => {
    const { backend, createAuthorization, user } = setup();
    await user.click(screen.getByLabelText("One key"));
    expect(keyBox()).toHaveAttribute("id", "authorization-key-id");
    await user.type(keyBox(), "orders");
    await waitFor(() =>
      expect(backend.listKeys).toHaveBeenCalledWith(expect.objectContaining({ search: "orders", limit: 20 })),
    );
    await user.click(await screen.findByRole("option", { name: /orders-root/ }));
    await user.click(screen.getByRole("button", { name: "Review" }));
    await user.click(screen.getByRole("button", { name: "Authorize" }));

    await waitFor(() =>
      expect(createAuthorization).toHaveBeenCalledWith({
        sourceService: "cloud-object-storage",
        keyId: orders.id,
        roles: ["Reader"],
      }),
    );
  });

  it("accepts a pasted key id that no search offers", async () => {
    const { createAuthorization, user } = setup();
    const pasted = "0badc0de-0000-4000-8000-000000000000";
    await user.click(screen.getByLabelText("One key"));
    await user.click(keyBox());
    await user.paste(pasted);
    await user.click(screen.getByRole("button", { name: "Review" }));
    await user.click(screen.getByRole("button", { name: "Authorize" }));
    await waitFor(() => expect(createAuthorization).toHaveBeenCalledWith(expect.objectContaining({ keyId: pasted })));
  });

  it("asks for a key rather than sending text that names none", async () => {
    const { createAuthorization, user } = setup();
    await user.click(screen.getByLabelText("One key"));
    await user.click(keyBox());
    await user.paste("not a key");
    await user.click(screen.getByRole("button", { name: "Review" }));
    expect(await screen.findByText("Pick a key from the list, or paste its ID or alias.")).toBeInTheDocument();
    expect(createAuthorization).not.toHaveBeenCalled();
  });
});

describe("CreateAuthorizationModal, review", () => {
  it("sums up source → target, role and scope, with the IAM policy as JSON, before anything is sent", async () => {
    const { createAuthorization, user } = setup();
    await user.type(screen.getByLabelText("Source instance (optional)"), "cos-7");
    await user.click(screen.getByLabelText("One key"));
    await user.type(keyBox(), "orders");
    await waitFor(() => expect(screen.getByRole("option", { name: /orders-root/ })).toBeInTheDocument());
    await user.click(screen.getByRole("option", { name: /orders-root/ }));
    await user.click(screen.getByRole("button", { name: "Review" }));

    const summary = screen.getByRole("region", { name: "Access summary" });
    expect(summary).toHaveTextContent(/cloud-object-storage\s*\(instance cos-7\)/);
    expect(document.getElementById("authorization-review-scope")).toHaveTextContent(
      `Key orders-root (${orders.id}, key ring payments)`,
    );
    expect(document.getElementById("authorization-review-role")).toHaveTextContent(/^Reader — Wrap, unwrap and rewrap/);
    const json = JSON.parse(document.querySelector("#authorization-review-json code")?.textContent ?? "null") as {
      subjects: { attributes: { name: string; value: string }[] }[];
      roles: { role_id: string }[];
      resources: { attributes: { name: string; value: string }[] }[];
    };
    expect(json.subjects[0]?.attributes).toContainEqual({ name: "serviceInstance", value: "cos-7" });
    expect(json.roles[0]?.role_id).toMatch(/Reader$/);
    expect(json.resources[0]?.attributes).toContainEqual(expect.objectContaining({ name: "resource", value: orders.id }));
    expect(createAuthorization).not.toHaveBeenCalled();
  });

  it("goes back to the form with what was entered", async () => {
    const { createAuthorization, user } = setup();
    await user.type(screen.getByLabelText("Source instance (optional)"), "cos-7");
    await user.click(screen.getByLabelText("The keys of one key ring"));
    await user.click(screen.getByRole("button", { name: "Review" }));
    expect(document.getElementById("authorization-review-scope")).toHaveTextContent("The keys of key ring default");
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByLabelText("Source instance (optional)")).toHaveValue("cos-7");
    expect(screen.getByLabelText("The keys of one key ring")).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Review" }));
    await user.click(screen.getByRole("button", { name: "Authorize" }));
    await waitFor(() =>
      expect(createAuthorization).toHaveBeenCalledWith({
        sourceService: "cloud-object-storage",
        sourceInstance: "cos-7",
        keyRing: "default",
        roles: ["Reader"],
      }),
    );
  });
});
