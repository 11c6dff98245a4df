import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { aheadLabel } from "../../lib/clock";
import { ClockTag } from "./ClockTag";

describe("ClockTag", () => {
  it("says nothing while the keystore keeps the real time", () => {
    const { container } = render(<ClockTag offsetSeconds={0} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("names how far ahead the keystore's clock runs", () => {
    render(<ClockTag offsetSeconds={31 * 86_400} />);
    const tag = screen.getByText("Clock +31 d");
    expect(tag.closest("#header-clock")).toHaveAttribute("title", expect.stringContaining("31 d ahead of this computer's"));
  });

  it("keeps the units that are not zero", () => {
    expect(aheadLabel(4 * 3_600)).toBe("4 h");
    expect(aheadLabel(2 * 86_400 + 3 * 3_600)).toBe("2 d 3 h");
    expect(aheadLabel(90)).toBe("1 min 30 s");
  });
});
