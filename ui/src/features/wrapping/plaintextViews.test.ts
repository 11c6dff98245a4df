import { describe, expect, it } from "vitest";
import { plaintextIn, viewsOf } from "./plaintextViews";

describe("plaintext views", () => {
  it("reads text as base64, hex and UTF-8", () => {
    const text = "aMOpbGxv"; // "héllo"
    expect(viewsOf(text)).toEqual(["base64", "hex", "utf8"]);
    expect(plaintextIn(text, "base64")).toBe(text);
    expect(plaintextIn(text, "hex")).toBe("68c3a96c6c6f");
    expect(plaintextIn(text, "utf8")).toBe("héllo");
  });

  it("offers no UTF-8 for bytes that are not valid UTF-8", () => {
    const bytes = "/wDA"; // ff 00 c0
    expect(viewsOf(bytes)).toEqual(["base64", "hex"]);
    expect(plaintextIn(bytes, "hex")).toBe("ff00c0");
    expect(plaintextIn(bytes, "utf8")).toBeNull();
  });

  it("keeps text that is not base64 as it came", () => {
    expect(viewsOf("not base64!")).toEqual(["base64"]);
    expect(plaintextIn("not base64!", "hex")).toBeNull();
  });
});
