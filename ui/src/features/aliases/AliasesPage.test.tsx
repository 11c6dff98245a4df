import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { AliasInfo } from "../../lib/types";
import { AliasesPage } from "./AliasesPage";

const alias = (name: string, keyName: string): AliasInfo => ({
  alias: name,
  keyId: "0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f",
  keyName,
  keyState: "suspended",
  createdAt: "2026-11-01T10:00:00Z",
  createdBy: "IBMid-alice",
});

describe("AliasesPage", () => {
  afterEach(() => window.localStorage.clear());

  it("draws its table at the chosen density", async () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ density: "md" }));
    renderWithBackend(<AliasesPage refreshToken={0} />, fakeBackend());
    expect(await screen.findByRole("table", { name: "Aliases" })).toHaveClass("cds--data-table--md");
  });

  it("lists where each alias points and asks the keystore for a prefix from the first page", async () => {
    const backend = fakeBackend({
      listAliases: () => Promise.resolve({ aliases: [alias("orders-db", "orders-root")], total: 41 }),
    });
    renderWithBackend(<AliasesPage refreshToken={0} />, backend);

    await waitFor(() => expect(document.querySelector('[data-alias="orders-db"]')).not.toBeNull());
    expect(screen.getByText("orders-root")).toBeInTheDocument();
    expect(screen.getByText("Suspended", { exact: false })).toBeInTheDocument();
    expect(screen.getByText("41 in this instance")).toBeInTheDocument();
    expect(backend.listAliases).toHaveBeenCalledWith({ offset: 0, limit: 20 });

    await userEvent.setup().type(screen.getByRole("searchbox"), "orders");
    await waitFor(() => expect(backend.listAliases).toHaveBeenLastCalledWith({ offset: 0, limit: 20, prefix: "orders" }));
  });

  it("says so when nothing matches, and shows a refusal in plain words", async () => {
    const empty = fakeBackend({ listAliases: () => Promise.resolve({ aliases: [], total: 0 }) });
    const { unmount } = renderWithBackend(<AliasesPage refreshToken={0} />, empty);
    expect(await screen.findByText(/No key has an alias yet/)).toBeInTheDocument();
    unmount();

    const refused = fakeBackend({ listAliases: () => rejectWith("FORBIDDEN", "not allowed") });
    renderWithBackend(<AliasesPage refreshToken={0} />, refused);
    expect(await screen.findByText("Aliases could not be listed")).toBeInTheDocument();
  });
});
