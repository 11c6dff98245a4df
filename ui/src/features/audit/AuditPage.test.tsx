import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeBackend } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import type { AuditEventInfo } from "../../lib/types";
import { AUDIT_PAGE_SIZE, AuditPage } from "./AuditPage";

const event = (seq: number, outcome = "success"): AuditEventInfo => ({
  seq,
  at: "2026-03-01T10:00:00Z",
  instance: "i1",
  initiator: "IBMid-alice",
  action: "kms.secrets.wrap",
  target: `key-${seq}`,
  outcome,
  correlationId: `c${seq}`,
});

describe("AuditPage", () => {
  it("shows events with a red tag for failures", async () => {
    renderWithBackend(
      <AuditPage refreshToken={0} />,
      fakeBackend({ auditEvents: () => Promise.resolve([event(2), event(1, "UNDECRYPTABLE")]) }),
    );
    expect(await screen.findByText("key-2")).toBeInTheDocument();
    expect(screen.getByText("Success")).toBeInTheDocument();
    expect(screen.getByText("UNDECRYPTABLE").closest(".cds--tag--red")).not.toBeNull();
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });

  it("filters by initiator, action, target and failures", async () => {
    const user = userEvent.setup();
    const backend = fakeBackend();
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    expect(await screen.findByText("No events match these filters.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Initiator"), "IBMid-bob");
    await user.type(screen.getByLabelText("Action starts with"), "kms.secrets");
    await user.type(screen.getByLabelText("Target"), "k1");
    await user.click(screen.getByLabelText("Failures only"));
    await waitFor(() =>
      expect(backend.auditEvents).toHaveBeenLastCalledWith({
        limit: AUDIT_PAGE_SIZE,
        initiator: "IBMid-bob",
        action: "kms.secrets",
        target: "k1",
        failuresOnly: true,
      }),
    );
  });

  it("loads older events before the oldest shown", async () => {
    const user = userEvent.setup();
    const first = Array.from({ length: AUDIT_PAGE_SIZE }, (_, index) => event(500 - index));
    const backend = fakeBackend({
      auditEvents: (query) => Promise.resolve(query.before === undefined ? first : [event(3)]),
    });
    renderWithBackend(<AuditPage refreshToken={0} />, backend);
    await user.click(await screen.findByRole("button", { name: "Load older" }));
    expect(await screen.findByText("key-3")).toBeInTheDocument();
    expect(backend.auditEvents).toHaveBeenLastCalledWith({ limit: AUDIT_PAGE_SIZE, before: 401 });
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });
});
