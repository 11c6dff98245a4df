import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { InstancePolicy } from "../../lib/types";
import { callerWith, fakeBackend, rejectWith } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { PoliciesPage } from "./PoliciesPage";

const card = (type: string) => {
  const element = document.getElementById(`policy-${type}`);
  if (element === null) throw new Error(`no card for ${type}`);
  return within(element);
};

describe("PoliciesPage", () => {
  it("shows who changed a policy and when, and never-changed ones as such", async () => {
    const dual: InstancePolicy = {
      policyType: "dualAuthDelete",
      enabled: true,
      updatedAt: "2026-11-01T10:00:00Z",
      updatedBy: "IBMid-alice",
    };
    renderWithBackend(<PoliciesPage refreshToken={0} />, fakeBackend({ instancePolicies: () => Promise.resolve([dual]) }));
    await waitFor(() => expect(card("dualAuthDelete").getByText(/Last changed by IBMid-alice/)).toBeInTheDocument());
    expect(card("dualAuthDelete").getByRole("switch")).toHaveAttribute("aria-checked", "true");
    expect(card("rotation").getByText("Never changed on this instance.")).toBeInTheDocument();
  });

  it("keeps Save disabled for a Writer and names the role that is missing", async () => {
    const user = userEvent.setup();
    renderWithBackend(
      <PoliciesPage refreshToken={0} />,
      fakeBackend({ caller: () => Promise.resolve(callerWith(["Writer"])) }),
    );
    await waitFor(() => expect(card("rotation").getByRole("switch")).toBeInTheDocument());
    await user.click(card("rotation").getByRole("switch"));
    const save = card("rotation").getByRole("button", { name: "Save" });
    await waitFor(() => expect(save).toBeDisabled());
    expect(save).toHaveAttribute("aria-description", expect.stringContaining("the Manager role on this instance"));
  });

  it("saves create and import access with all five of Key Protect's switches", async () => {
    const user = userEvent.setup();
    const setInstancePolicies = vi.fn((policies: InstancePolicy[]) => Promise.resolve(policies));
    renderWithBackend(<PoliciesPage refreshToken={0} />, fakeBackend({ setInstancePolicies }));
    const policy = () => card("keyCreateImportAccess");
    await waitFor(() => expect(policy().getByRole("switch")).toBeInTheDocument());
    await user.click(policy().getByRole("switch"));
    expect(policy().getByLabelText("Generate root keys")).toBeChecked();
    expect(policy().getByLabelText("Imports must use an import token (secure import only)")).not.toBeChecked();
    await user.click(policy().getByLabelText("Generate standard keys"));
    await user.click(policy().getByLabelText("Imports must use an import token (secure import only)"));
    await user.click(policy().getByRole("button", { name: "Save" }));

    await waitFor(() =>
      expect(setInstancePolicies).toHaveBeenCalledWith([
        {
          policyType: "keyCreateImportAccess",
          enabled: true,
          attributes: {
            create_root_key: true,
            create_standard_key: false,
            import_root_key: true,
            import_standard_key: true,
            enforce_token: true,
          },
        },
      ]),
    );
  });

  it("saves a default rotation in Key Protect's shape, with its JSON shown first", async () => {
    const user = userEvent.setup();
    const setInstancePolicies = vi.fn((policies: InstancePolicy[]) => Promise.resolve(policies));
    renderWithBackend(<PoliciesPage refreshToken={0} />, fakeBackend({ setInstancePolicies }));
    await waitFor(() => expect(card("rotation").getByRole("switch")).toBeInTheDocument());
    const save = card("rotation").getByRole("button", { name: "Save" });
    expect(save).toBeDisabled();

    await user.click(card("rotation").getByRole("switch"));
    const months = card("rotation").getByLabelText("Rotate every (months)");
    await user.clear(months);
    await user.type(months, "6");
    expect(card("rotation").getByText(/"interval_month": 6/)).toBeInTheDocument();
    await user.click(save);

    await waitFor(() =>
      expect(setInstancePolicies).toHaveBeenCalledWith([
        { policyType: "rotation", enabled: true, attributes: { interval_month: 6 } },
      ]),
    );
    expect(await screen.findByText("Default rotation: saved")).toBeInTheDocument();
  });

  it("refuses months outside 1 to 12 before asking, and shows a keystore refusal in plain words", async () => {
    const user = userEvent.setup();
    const setInstancePolicies = vi.fn(() => rejectWith("FORBIDDEN", "Only a Manager may change instance policies."));
    renderWithBackend(<PoliciesPage refreshToken={0} />, fakeBackend({ setInstancePolicies }));
    await waitFor(() => expect(card("rotation").getByRole("switch")).toBeInTheDocument());
    await user.click(card("rotation").getByRole("switch"));
    const months = card("rotation").getByLabelText("Rotate every (months)");
    await user.clear(months);
    await user.type(months, "13");
    expect(card("rotation").getByRole("button", { name: "Save" })).toBeDisabled();

    await user.click(card("dualAuthDelete").getByRole("switch"));
    await user.click(card("dualAuthDelete").getByRole("button", { name: "Save" }));
    expect(await card("dualAuthDelete").findByText("Not saved")).toBeInTheDocument();
    expect(setInstancePolicies).toHaveBeenCalledTimes(1);
  });

  it("shows each card's save as a Key Protect curl call that follows the draft", async () => {
    const user = userEvent.setup();
    renderWithBackend(<PoliciesPage refreshToken={0} />, fakeBackend());
    await waitFor(() => expect(card("rotation").getByRole("switch")).toBeInTheDocument());
    const curl = () => document.querySelector("#policy-rotation-curl code")?.textContent ?? "";
    expect(curl()).toContain('-X PUT "$KMS_URL/api/v2/instance/policies?policy=rotation"');
    expect(curl()).toContain("'Content-Type: application/vnd.ibm.kms.policy+json'");
    expect(curl()).toContain('"policy_data":{"enabled":false}');
    await user.click(card("rotation").getByRole("switch"));
    expect(curl()).toContain('"policy_data":{"enabled":true,"attributes":{"interval_month":3}}');
    expect(document.querySelector("#policy-dualAuthDelete-curl code")?.textContent).toContain("?policy=dualAuthDelete");
  });
});
