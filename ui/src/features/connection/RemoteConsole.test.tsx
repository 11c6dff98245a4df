import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpBackend } from "../../lib/backend/http";
import { instanceFromLocation } from "./connect";
import { RemoteConsole } from "./RemoteConsole";

vi.mock("../dashboard/KeysByStateChart", () => ({ default: () => <div /> }));

const INSTANCE = "7f4e2a1c-0000-4000-8000-000000000000";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

/** A server that accepts one API key and answers every list with no keys. */
function server(acceptedKey: string) {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    if (url.pathname === "/identity/token") {
      const form = new URLSearchParams(typeof init?.body === "string" ? init.body : "");
      return Promise.resolve(
        form.get("apikey") === acceptedKey
          ? json(200, { access_token: "jwt", token_type: "Bearer", expires_in: 3600 })
          : json(400, { errorCode: "BXNIM0415E", errorMessage: "Provided API key could not be found." }),
      );
    }
    // IBM Key Protect has no caller endpoint: every control stays enabled.
    if (url.pathname === "/api/v2/caller") return Promise.resolve(json(404, { metadata: {}, resources: [] }));
    return Promise.resolve(json(200, { metadata: { collectionTotal: 0, totalCount: 0 }, resources: [] }));
  });
}

function setup(acceptedKey = "right-key") {
  const fetch = server(acceptedKey);
  const connect = vi.fn(
    (apiKey: string, instanceId: string) => new HttpBackend({ baseUrl: "https://kms.test", apiKey, instanceId, fetch }),
  );
  const user = userEvent.setup();
  render(<RemoteConsole connect={connect} />);
  return { connect, fetch, user };
}

describe("RemoteConsole", () => {
  afterEach(() => window.localStorage.clear());

  it("signs in with an API key and the instance ID, then shows the console", async () => {
    const { connect, user } = setup();
    await user.type(screen.getByLabelText("API key"), "right-key");
    await user.type(screen.getByLabelText("Instance ID"), INSTANCE);
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("link", { name: "Keys" })).toHaveAttribute("aria-current", "page");
    expect(connect).toHaveBeenCalledWith("right-key", INSTANCE);
    await waitFor(() => expect(document.getElementById("keystore-tag")).toHaveTextContent(/^Remote · \d+ ms$/));
    expect(screen.getByText(new RegExp(`^https://kms\\.test · instance ${INSTANCE}\\. Answered in`))).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent("right-key");
    expect(JSON.stringify({ ...window.localStorage })).not.toContain("right-key");
  });

  it("explains a refused API key and stays on the form", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("API key"), "wrong-key");
    await user.type(screen.getByLabelText("Instance ID"), INSTANCE);
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("The API key or the instance ID was not accepted. Check both and try again.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("asks for both fields before calling the server", async () => {
    const { connect, user } = setup();
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByText("Enter the API key.")).toBeInTheDocument();
    expect(screen.getByText("Enter the instance ID.")).toBeInTheDocument();
    expect(connect).not.toHaveBeenCalled();
  });

  it("signs out back to the form, forgetting the key", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("API key"), "right-key");
    await user.type(screen.getByLabelText("Instance ID"), INSTANCE);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByRole("link", { name: "Keys" });

    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in to Strongroom" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("API key")).toHaveValue(""));
  });
});

describe("instanceFromLocation", () => {
  it("reads ?instance= from the address", () => {
    expect(instanceFromLocation(`?instance=${INSTANCE}&x=1`)).toBe(INSTANCE);
    expect(instanceFromLocation("")).toBe("");
  });
});
