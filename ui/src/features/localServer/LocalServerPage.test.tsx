import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeBackend } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { LocalServerPage } from "./LocalServerPage";

const running = { running: true, url: "http://127.0.0.1:8731", instanceId: "11111111-2222-4333-8444-555555555555" };

describe("LocalServerPage", () => {
  it("starts the server and shows code pre-filled with its URL and instance, never a key", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ startLocalServer: () => Promise.resolve(running) });
    renderWithBackend(<LocalServerPage />, backend);
    await user.click(await screen.findByRole("switch", { name: "Serve on 127.0.0.1" }));
    await waitFor(() => expect(backend.startLocalServer).toHaveBeenCalledWith(undefined));
    expect(await screen.findByText(running.url)).toBeInTheDocument();
    const python = document.getElementById("local-server-python");
    expect(python).toHaveTextContent(`service_instance_id="${running.instanceId}"`);
    expect(python).toHaveTextContent(`os.environ["STRONGROOM_API_KEY"]`);
    await user.click(screen.getByRole("tab", { name: "Node.js" }));
    expect(document.getElementById("local-server-node")).toHaveTextContent(`bluemixInstance: "${running.instanceId}"`);
  });

  it("stops a running server", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({
      localServerStatus: () => Promise.resolve(running),
      stopLocalServer: () => Promise.resolve({ running: false }),
    });
    renderWithBackend(<LocalServerPage />, backend);
    await user.click(await screen.findByRole("switch", { name: "Serve on 127.0.0.1" }));
    await waitFor(() => expect(backend.stopLocalServer).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByText(running.url)).toBeNull());
  });
});
