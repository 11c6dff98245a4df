import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN_DRAFT, tokenProblems, tokenRequest, wholeNumber } from "./importTokenOptions";

describe("import token options", () => {
  it("reads whole numbers as people write them, and nothing else", () => {
    expect(wholeNumber("86,400")).toBe(86_400);
    expect(wholeNumber(" 86 400 ")).toBe(86_400);
    expect(wholeNumber("1.5")).toBeUndefined();
    expect(wholeNumber("-1")).toBeUndefined();
    expect(wholeNumber("")).toBeUndefined();
  });

  it("sends Key Protect's defaults unless changed, and the edges of its ranges", () => {
    expect(tokenRequest(DEFAULT_TOKEN_DRAFT)).toEqual({ expiration: 600, maxAllowedRetrievals: 1 });
    expect(tokenRequest({ expiration: "300", maxAllowedRetrievals: "500" })).toEqual({ expiration: 300, maxAllowedRetrievals: 500 });
    expect(tokenRequest({ expiration: "86400", maxAllowedRetrievals: "1" })).toEqual({ expiration: 86_400, maxAllowedRetrievals: 1 });
  });

  it("refuses values just outside the ranges, naming only the field at fault", () => {
    expect(tokenRequest({ expiration: "299", maxAllowedRetrievals: "1" })).toBeUndefined();
    expect(Object.keys(tokenProblems({ expiration: "86401", maxAllowedRetrievals: "1" }))).toEqual(["expiration"]);
    expect(Object.keys(tokenProblems({ expiration: "600", maxAllowedRetrievals: "0" }))).toEqual(["maxAllowedRetrievals"]);
  });
});
