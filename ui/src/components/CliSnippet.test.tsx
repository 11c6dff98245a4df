import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { keyActionCommand } from "../lib/cli";
import { fakeBackend } from "../test/fakeBackend";
import { renderWithBackend } from "../test/render";
import { CliSnippet } from "./CliSnippet";

const ID = "0c5b1f66-2a8e-4d6f-9a3b-5a4e1c2d3e4f";
const snippetText = () => document.querySelector("#cli code")?.textContent ?? "";

describe("CliSnippet", () => {
  it("shows the command for the embedded keystore without target flags", async () => {
    renderWithBackend(
      <CliSnippet id="cli" command={(target) => keyActionCommand({ action: "disable", keyId: ID }, target)} />,
      fakeBackend(),
    );
    expect(screen.getByRole("heading", { name: "Copy as CLI" })).toBeInTheDocument();
    await waitFor(() => expect(snippetText()).toBe(`strongroom keys disable ${ID}`));
    expect(screen.queryByText(/IBM_KEY_PROTECT/)).not.toBeInTheDocument();
  });

  it("names the remote connection's endpoint and instance, and says where the API key comes from", async () => {
    const backend = fakeBackend({
      currentConnection: () =>
        Promise.resolve({
          id: "prod",
          name: "Production",
          mode: "remote",
          endpoint: "https://kms.example",
          instanceId: "inst-1",
          hasApiKey: true,
        }),
    });
    renderWithBackend(
      <CliSnippet id="cli" command={(target) => keyActionCommand({ action: "enable", keyId: ID }, target)} />,
      backend,
    );
    await waitFor(() =>
      expect(snippetText()).toBe(`strongroom keys enable --endpoint https://kms.example --instance-id inst-1 ${ID}`),
    );
    expect(screen.getByText("The CLI takes the API key from IBM_KEY_PROTECT_API_APIKEY.")).toBeInTheDocument();
  });

  it("in the web console, points to the CLI's environment variables for the instance", () => {
    renderWithBackend(
      <CliSnippet id="cli" command={(target) => keyActionCommand({ action: "enable", keyId: ID }, target)} />,
      fakeBackend({}, { connections: false, localServer: false }),
    );
    expect(snippetText()).toBe(`strongroom keys enable ${ID}`);
    expect(screen.getByText(/IBM_KEY_PROTECT_API_URL and IBM_KEY_PROTECT_INSTANCE_ID/)).toBeInTheDocument();
  });

  it("shows nothing when the CLI has no such command", () => {
    renderWithBackend(
      <CliSnippet id="cli" command={(target) => keyActionCommand({ action: "set-policies", keyId: ID }, target)} />,
      fakeBackend(),
    );
    expect(screen.queryByText("Copy as CLI")).not.toBeInTheDocument();
  });
});
