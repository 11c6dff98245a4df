import { describe, expect, it } from "vitest";
import { directionFor } from "./useMenuDirection";

describe("directionFor", () => {
  it("opens down from the upper half and up from the lower half", () => {
    expect(directionFor(100, 800)).toBe("bottom");
    expect(directionFor(400, 800)).toBe("bottom");
    expect(directionFor(401, 800)).toBe("top");
    expect(directionFor(760, 800)).toBe("top");
  });
});
