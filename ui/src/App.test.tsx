import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { fakeBackend, rejectWith } from "./test/fakeBackend";
import { renderWithBackend } from "./test/render";

describe("App", () => {
  it("shows the keystore location in the header", async () => {
    renderWithBackend(<App />, fakeBackend());
    await waitFor(() =>
      expect(document.getElementById("keystore-tag")).toHaveTextContent(
        "Embedded · /home/test/.local/share/strongroom/keys.db",
      ),
    );
    expect(await screen.findByText("No keys yet")).toBeInTheDocument();
    expect(document.getElementById("wrap-panel")).toBeInTheDocument();
  });

  it("replaces the table with the keystore's explanation when it is unavailable", async () => {
    const backend = fakeBackend({
      info: () =>
        rejectWith("KEYSTORE_UNAVAILABLE", "The system keyring is locked. Unlock it and try again."),
    });
    renderWithBackend(<App />, backend);

    await waitFor(() =>
      expect(document.getElementById("keystore-error")).toHaveTextContent(
        "The system keyring is locked. Unlock it and try again.",
      ),
    );
    expect(document.getElementById("wrap-panel")).toBeNull();
    expect(document.querySelector("table")).toBeNull();
    expect(backend.listKeys).not.toHaveBeenCalled();
  });
});
