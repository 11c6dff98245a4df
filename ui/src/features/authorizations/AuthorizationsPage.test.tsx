import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { AuthorizationInfo } from "../../lib/types";
import { AuthorizationsPage } from "./AuthorizationsPage";

const cos: AuthorizationInfo = {
  id: "p1",
  sourceService: "cloud-object-storage",
  targetInstance: "i1",
  keyRing: "payments",
  roles: ["Reader"],
  createdAt: "2026-02-01T00:00:00Z",
  createdBy: "IBMid-alice",
};

describe("AuthorizationsPage", () => {
  afterEach(() => window.localStorage.clear());

  it("draws its table at the chosen density, large rows by default", async () => {
    const backend = fakeBackend({ authorizations: () => Promise.resolve([cos]) });
    const first = renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    expect(await screen.findByRole("table", { name: "Authorizations" })).toHaveClass("cds--data-table--lg");
    first.unmount();

    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ density: "xs" }));
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    expect(await screen.findByRole("table", { name: "Authorizations" })).toHaveClass("cds--data-table--xs");
  });

  it("explains what an authorization is when there is none", async () => {
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByText("No service may use these keys yet")).toBeInTheDocument();
    expect(screen.getByText(/wrap and\s+unwrap its data encryption keys/)).toBeInTheDocument();
  });

  it("lists authorizations with source, scope and roles", async () => {
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend({ authorizations: () => Promise.resolve([cos]) }));
    const table = await screen.findByRole("table", { name: "Authorizations" });
    const row = within(table).getByText("cloud-object-storage").closest("tr");
    expect(row).not.toBeNull();
    const cells = within(row as HTMLElement);
    expect(cells.getByText("All instances")).toBeInTheDocument();
    expect(cells.getByText("Key ring payments")).toBeInTheDocument();
    expect(cells.getByText("Reader")).toBeInTheDocument();
  });

  it("authorizes a service with the Reader role by default", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ createAuthorization: () => Promise.resolve(cos) });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Authorize a service" }));
    await user.selectOptions(screen.getByLabelText("Source service"), "databases-for-postgresql");
    await user.type(screen.getByLabelText("Source instance (optional)"), "pg-1");
    await user.click(screen.getByLabelText("The keys of one key ring"));
    await user.click(screen.getByRole("button", { name: "Authorize" }));
    await waitFor(() =>
      expect(backend.createAuthorization).toHaveBeenCalledWith({
        sourceService: "databases-for-postgresql",
        sourceInstance: "pg-1",
        keyRing: "default",
        roles: ["Reader"],
      }),
    );
    expect(await screen.findByText("cloud-object-storage authorized")).toBeInTheDocument();
    expect(backend.authorizations).toHaveBeenCalledTimes(2);
  });

  it("checks a custom service name before sending it", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Authorize a service" }));
    await user.selectOptions(screen.getByLabelText("Source service"), "custom");
    await user.type(screen.getByLabelText("Service name"), "Bad Name");
    await user.click(screen.getByRole("button", { name: "Authorize" }));
    expect(screen.getByText(/lower-case letters, digits and hyphens/)).toBeInTheDocument();
    expect(backend.createAuthorization).not.toHaveBeenCalled();
  });

  it("removes an authorization after confirmation", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos]),
      deleteAuthorization: () => Promise.resolve(),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Remove the authorization of cloud-object-storage" }));
    await user.click(screen.getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(backend.deleteAuthorization).toHaveBeenCalledWith("p1"));
    expect(await screen.findByText("Authorization of cloud-object-storage removed")).toBeInTheDocument();
  });

  it("shows the IAM call as curl in the create dialog, following the form", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend());
    await user.click(await screen.findByRole("button", { name: "Authorize a service" }));
    const curl = () => document.querySelector("#create-authorization-curl code")?.textContent ?? "";
    expect(curl()).toContain('-X POST "$IAM_URL/v1/policies"');
    expect(curl()).toContain('"Authorization: Bearer $IAM_TOKEN"');
    expect(curl()).toContain('"value":"\'"$INSTANCE_ID"\'"');
    expect(curl()).not.toContain("keyRing");
    await user.click(screen.getByLabelText("The keys of one key ring"));
    expect(curl()).toContain('{"name":"keyRing","value":"default","operator":"stringEquals"}');
    await user.click(screen.getByLabelText("One key"));
    expect(curl()).toContain('"value":"<key-id>"');
  });

  it("shows the delete call as curl in the remove dialog", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend({ authorizations: () => Promise.resolve([cos]) }));
    await user.click(await screen.findByRole("button", { name: "Remove the authorization of cloud-object-storage" }));
    expect(await screen.findByRole("heading", { name: "Copy as curl" })).toBeInTheDocument();
    expect(document.querySelector("#remove-authorization-curl code")?.textContent).toContain(
      '-X DELETE "$IAM_URL/v1/policies/p1"',
    );
  });
});
