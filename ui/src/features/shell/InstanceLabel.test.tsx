import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { InstanceLabel } from "./InstanceLabel";

const INSTANCE = "7f4e2a1c-0000-4000-8000-000000000000";

describe("InstanceLabel", () => {
  it("names a remote instance and offers its id to copy", () => {
    render(<InstanceLabel instance={{ mode: "remote", instanceId: INSTANCE }} showMode />);
    expect(document.getElementById("header-mode")).toHaveTextContent("Remote instance");
    expect(document.getElementById("header-instance-id")).toHaveTextContent(INSTANCE);
    expect(screen.getByRole("button", { name: `Copy the instance ID ${INSTANCE}` })).toBeInTheDocument();
  });

  it("says This computer for the embedded keystore, with no id", () => {
    render(<InstanceLabel instance={{ mode: "embedded" }} showMode />);
    expect(document.getElementById("header-mode")).toHaveTextContent("This computer");
    expect(document.getElementById("header-instance-id")).toBeNull();
  });

  it("leaves the mode to the connection switcher when told, and draws nothing without an id", () => {
    const { container } = render(<InstanceLabel instance={{ mode: "embedded" }} showMode={false} />);
    expect(container).toBeEmptyDOMElement();
  });
});
