import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
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
    expect(within(document.getElementById("authorizations-empty") as HTMLElement).getByRole("button", { name: "Authorize a service" })).toBeEnabled();
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
    expect(row?.querySelector("time")).toHaveAttribute("dateTime", "2026-02-01T00:00:00Z");
    expect(row?.querySelector("[data-created-by]")).toHaveTextContent("by IBMid-alice");
    expect(cells.getByText("No use recorded")).toBeInTheDocument();
  });

  it("shows when each authorization was last used", async () => {
    const used: AuthorizationInfo = { ...cos, lastUsedAt: "2026-11-30T10:00:00Z" };
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend({ authorizations: () => Promise.resolve([used]) }));
    await screen.findByRole("table", { name: "Authorizations" });
    expect(screen.getByRole("columnheader", { name: "Last used" })).toBeInTheDocument();
    expect(document.querySelector("[data-last-used='2026-11-30T10:00:00Z']")).not.toBeNull();
    expect(screen.queryByText("No use recorded")).toBeNull();
  });

  it("leaves out the creator or the date when the keystore does not send them", async () => {
    const unknown: AuthorizationInfo = { ...cos, createdAt: "", createdBy: "" };
    const dated: AuthorizationInfo = { ...cos, id: "p2", sourceService: "cloudantnosqldb", createdBy: "" };
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend({ authorizations: () => Promise.resolve([unknown, dated]) }));
    await screen.findByRole("table", { name: "Authorizations" });
    const row = (id: string) => document.querySelector(`[data-authorization-id='${id}']`);
    expect(row("p1")?.querySelector("time")).toBeNull();
    expect(row("p1")?.querySelector("[data-created-by]")).toBeNull();
    expect(row("p2")?.querySelector("time")).not.toBeNull();
    expect(row("p2")?.querySelector("[data-created-by]")).toBeNull();
  });

  it("authorizes a service with the Reader role by default", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ createAuthorization: () => Promise.resolve(cos) });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Authorize a service" }));
    await user.selectOptions(screen.getByLabelText("Source service"), "databases-for-postgresql");
    await user.type(screen.getByLabelText("Source instance (optional)"), "pg-1");
    await user.click(screen.getByLabelText("The keys of one key ring"));
    await user.click(screen.getByRole("button", { name: "Review" }));
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
    await user.click(screen.getByRole("button", { name: "Review" }));
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

  it("edits an authorization's roles in place, with what each role allows", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos]),
      setAuthorizationRoles: (_id, roles) => Promise.resolve({ ...cos, roles }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Edit the roles of cloud-object-storage" }));
    const save = screen.getByRole("button", { name: "Save roles" });
    expect(save).toBeDisabled();
    expect(screen.getByRole("checkbox", { name: /^Reader \(\d+ actions\)/ })).toBeChecked();

    await user.click(screen.getByRole("checkbox", { name: /^Reader \(/ }));
    expect(save).toBeDisabled();
    expect(screen.getByText(/Choose at least one role/)).toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: /^ReaderPlus/ }));
    await user.click(screen.getByRole("checkbox", { name: /^Reader \(/ }));
    await user.click(save);
    await waitFor(() => expect(backend.setAuthorizationRoles).toHaveBeenCalledWith("p1", ["Reader", "ReaderPlus"]));
    expect(await screen.findByText("cloud-object-storage now has Reader, ReaderPlus")).toBeInTheDocument();
  });

  it("lists a role outside the usual four that the authorization holds, so saving keeps it", async () => {
    const user = userEvent.setup();
    const purger: AuthorizationInfo = { ...cos, roles: ["Reader", "KeyPurge"] };
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([purger]),
      setAuthorizationRoles: (_id, roles) => Promise.resolve({ ...purger, roles }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Edit the roles of cloud-object-storage" }));
    expect(screen.getByRole("checkbox", { name: /^KeyPurge/ })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: /^Writer/ }));
    await user.click(screen.getByRole("button", { name: "Save roles" }));
    await waitFor(() => expect(backend.setAuthorizationRoles).toHaveBeenCalledWith("p1", ["Reader", "Writer", "KeyPurge"]));
  });

  it("keeps the roles dialog open with the keystore's refusal in plain words", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <AuthorizationsPage refreshToken={0} />,
      fakeBackend({
        authorizations: () => Promise.resolve([cos]),
        setAuthorizationRoles: () => rejectWith("CONFLICT", "the authorization changed meanwhile; reload it and try again"),
      }),
    );
    await user.click(await screen.findByRole("button", { name: "Edit the roles of cloud-object-storage" }));
    await user.click(screen.getByRole("checkbox", { name: /^Writer/ }));
    await user.click(screen.getByRole("button", { name: "Save roles" }));
    expect(await screen.findByText("The authorization changed meanwhile; reload it and try again.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save roles" })).toBeEnabled();
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

describe("AuthorizationsPage removal", () => {
  const dialog = () => screen.getByRole("dialog", { name: "Remove the authorization of cloud-object-storage?" });
  const losing = () =>
    Array.from(document.querySelectorAll("#remove-authorization-keys [data-losing-key]")).map((item) =>
      item.getAttribute("data-losing-key"),
    );
  const openRemove = async (user: ReturnType<typeof userEvent.setup>) =>
    user.click(await screen.findByRole("button", { name: "Remove the authorization of cloud-object-storage" }));

  it("names the one root key a key-scoped authorization reaches", async () => {
    const user = userEvent.setup();
    const key = makeKey({ name: "bucket-root" });
    const onKey: AuthorizationInfo = { ...cos, keyId: key.id };
    delete onKey.keyRing;
    const backend = fakeBackend({ authorizations: () => Promise.resolve([onKey]), key: () => Promise.resolve(key) });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await openRemove(user);
    await waitFor(() => expect(losing()).toEqual(["bucket-root"]));
    expect(dialog()).toHaveTextContent("cloud-object-storage can no longer wrap or unwrap with this root key:");
    expect(backend.key).toHaveBeenCalledWith(key.id);
  });

  it("lists a key ring's root keys and says how many more there are", async () => {
    const user = userEvent.setup();
    const keys = [makeKey({ name: "a-root", keyRing: "payments" }), makeKey({ name: "b-root", keyRing: "payments" })];
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos]),
      listKeys: () => Promise.resolve({ keys, total: 14 }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await openRemove(user);
    await waitFor(() => expect(losing()).toEqual(["a-root", "b-root"]));
    expect(dialog()).toHaveTextContent("can no longer wrap or unwrap with any of its 14 root keys in key ring payments.");
    expect(within(dialog()).getByText("and 12 more.")).toBeInTheDocument();
    expect(backend.listKeys).toHaveBeenCalledWith(expect.objectContaining({ keyRing: "payments", keyType: "root", offset: 0 }));
  });

  it("counts an instance-wide authorization's keys and names the ones another authorization does not cover", async () => {
    const user = userEvent.setup();
    const everywhere: AuthorizationInfo = { ...cos, id: "p0" };
    delete everywhere.keyRing;
    const kept = makeKey({ name: "kept-root", keyRing: "payments" });
    const lost = makeKey({ name: "lost-root", keyRing: "default" });
    const backend = fakeBackend({
      // The ring-scoped one is listed first, so its Remove button is not the one clicked.
      authorizations: () => Promise.resolve([everywhere, cos]),
      listKeys: () => Promise.resolve({ keys: [kept, lost], total: 240 }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    const [first] = await screen.findAllByRole("button", { name: "Remove the authorization of cloud-object-storage" });
    await user.click(first as HTMLElement);
    await waitFor(() => expect(losing()).toEqual(["lost-root"]));
    expect(dialog()).toHaveTextContent(
      "can no longer wrap or unwrap with any of its 240 root keys in this instance, except those another authorization still covers.",
    );
    expect(document.getElementById("remove-authorization-kept")).toHaveTextContent(
      "Another authorization of cloud-object-storage still covers key ring payments; those keys keep working.",
    );
    expect(within(dialog()).getByText("and 238 more.")).toBeInTheDocument();
  });

  it("does not draw an empty list when every listed key is still covered", async () => {
    const user = userEvent.setup();
    const everywhere: AuthorizationInfo = { ...cos, id: "p0" };
    delete everywhere.keyRing;
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([everywhere, cos]),
      listKeys: () => Promise.resolve({ keys: [makeKey({ keyRing: "payments" })], total: 9 }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    const [first] = await screen.findAllByRole("button", { name: "Remove the authorization of cloud-object-storage" });
    await user.click(first as HTMLElement);
    expect(await within(dialog()).findByText(/working; the other/)).toHaveTextContent(
      "The newest key keeps working; the other 8 are not listed here.",
    );
    expect(document.getElementById("remove-authorization-keys")).toBeNull();
  });

  it("says nothing stops working when another authorization of the same source covers it all", async () => {
    const user = userEvent.setup();
    const everywhere: AuthorizationInfo = { ...cos, id: "p0" };
    delete everywhere.keyRing;
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos, everywhere]),
      listKeys: () => Promise.resolve({ keys: [makeKey({ keyRing: "payments" })], total: 1 }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    const [first] = await screen.findAllByRole("button", { name: "Remove the authorization of cloud-object-storage" });
    await user.click(first as HTMLElement);
    expect(await within(dialog()).findByText(/No key stops working/)).toHaveTextContent(
      "No key stops working: another authorization of cloud-object-storage still covers all keys of this instance.",
    );
    expect(document.getElementById("remove-authorization-keys")).toBeNull();
  });

  it("removes at once, before the keys are listed, and still when they cannot be", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos]),
      listKeys: () => new Promise(() => {}),
      deleteAuthorization: () => Promise.resolve(),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await openRemove(user);
    await user.click(document.getElementById("remove-authorization-confirm") as HTMLElement);
    await waitFor(() => expect(backend.deleteAuthorization).toHaveBeenCalledWith("p1"));
  });

  it("warns, without blocking, when the keys cannot be listed", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <AuthorizationsPage refreshToken={0} />,
      fakeBackend({ authorizations: () => Promise.resolve([cos]), listKeys: () => rejectWith("FORBIDDEN", "no") }),
    );
    await openRemove(user);
    expect(await within(dialog()).findByText("The keys it reaches could not be listed")).toBeInTheDocument();
    expect(document.getElementById("remove-authorization-confirm")).toBeEnabled();
  });
});

describe("AuthorizationsPage details", () => {
  const byId = (id: string) => {
    const element = document.getElementById(id);
    if (element === null) throw new Error(`#${id} is not in the document`);
    return element;
  };
  const payments = makeKey({ name: "payments-root", keyRing: "payments" });
  const ledger = makeKey({ name: "ledger-root", keyRing: "payments", state: "suspended" });

  it("opens from the row with the source, the target, what Reader allows and the keys it reaches", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([cos]),
      listKeys: () => Promise.resolve({ keys: [payments, ledger], total: 2 }),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Details of the authorization of cloud-object-storage" }));

    const panel = byId("authorization-details");
    expect(within(panel).getByRole("heading", { name: "cloud-object-storage", level: 2 })).toHaveFocus();
    expect(panel).toHaveTextContent("cloud-object-storage, every instance");
    expect(panel).toHaveTextContent("Key ring payments of instance i1");
    expect(panel).toHaveTextContent("No use recorded");
    const reader = within(panel).getByRole("list", { name: "What Reader allows" });
    expect(within(reader).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "List keys",
      "Read key metadata",
      "List key versions",
      "Wrap",
      "Unwrap",
      "Rewrap",
      "List key rings",
      "Read registrations",
      "See when the import token expires",
      "Register resources (services only)",
      "Replace registrations (services only)",
      "Update registrations (services only)",
      "Remove registrations",
    ]);
    await waitFor(() => expect(panel.querySelector("[data-reached-key='ledger-root']")).not.toBeNull());
    expect(panel.querySelector("[data-reached-key='payments-root']")).toHaveTextContent("payments-root Active");
    expect(backend.listKeys).toHaveBeenCalledWith(expect.objectContaining({ keyRing: "payments" }));

    await user.keyboard("{Escape}");
    expect(document.getElementById("authorization-details")).toBeNull();
  });

  it("runs the keystore's dry run from the panel", async () => {
    const user = userEvent.setup();
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, fakeBackend({ authorizations: () => Promise.resolve([cos]) }));
    await user.click(await screen.findByRole("button", { name: "Details of the authorization of cloud-object-storage" }));
    await user.click(byId("authorization-details-test"));
    expect(await screen.findByRole("heading", { name: "Test as cloud-object-storage" })).toBeInTheDocument();
  });

  it("lists the roles without actions when the keystore does not describe its caller", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <AuthorizationsPage refreshToken={0} />,
      fakeBackend({
        authorizations: () => Promise.resolve([cos]),
        caller: () => rejectWith("NOT_FOUND", "no caller endpoint"),
      }),
    );
    await user.click(await screen.findByRole("button", { name: "Details of the authorization of cloud-object-storage" }));
    const panel = byId("authorization-details");
    expect(within(panel).getByText("This keystore does not publish which actions each role allows.")).toBeInTheDocument();
    expect(within(panel).queryByRole("list", { name: "What Reader allows" })).toBeNull();
    expect(panel.querySelector("[data-role='Reader']")).toHaveTextContent("Reader");
  });

  it("says when the one key it names is gone, and offers to remove it", async () => {
    const user = userEvent.setup();
    const onKey: AuthorizationInfo = { ...cos, id: "p2", keyId: "gone-key" };
    delete onKey.keyRing;
    const backend = fakeBackend({
      authorizations: () => Promise.resolve([onKey]),
      key: () => rejectWith("NOT_FOUND", "key not found"),
      deleteAuthorization: () => Promise.resolve(),
    });
    renderWithBackend(<AuthorizationsPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Details of the authorization of cloud-object-storage" }));
    expect(await screen.findByText(/This key no longer exists/)).toBeInTheDocument();
    expect(byId("authorization-details")).toHaveTextContent("Key gone-key of instance i1");

    await user.click(byId("authorization-details-remove"));
    await user.click(screen.getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(backend.deleteAuthorization).toHaveBeenCalledWith("p2"));
  });

  it("says how many keys an instance-wide authorization reaches beyond those listed", async () => {
    const user = userEvent.setup();
    const everywhere: AuthorizationInfo = { ...cos };
    delete everywhere.keyRing;
    renderWithBackend(
      <AuthorizationsPage refreshToken={0} />,
      fakeBackend({
        authorizations: () => Promise.resolve([everywhere]),
        listKeys: () => Promise.resolve({ keys: [payments, ledger], total: 240 }),
      }),
    );
    await user.click(await screen.findByRole("button", { name: "Details of the authorization of cloud-object-storage" }));
    expect(await screen.findByText("Showing the newest 2 of 240 keys.")).toBeInTheDocument();
    expect(byId("authorization-details")).toHaveTextContent("Every key of instance i1");
  });
});
