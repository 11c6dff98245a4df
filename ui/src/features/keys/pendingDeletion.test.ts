import { describe, expect, it } from "vitest";
import { authorizationTimeLeft, pendingDeletionText } from "./pendingDeletion";

const NOW = Date.parse("2026-03-01T00:00:00Z");
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe("authorizationTimeLeft", () => {
  it("counts in the largest whole unit", () => {
    expect(authorizationTimeLeft(at(6 * 24 * HOUR + 23 * HOUR), NOW)).toBe("6 days left");
    expect(authorizationTimeLeft(at(24 * HOUR), NOW)).toBe("1 day left");
    expect(authorizationTimeLeft(at(5 * HOUR + 59 * 60_000), NOW)).toBe("5 hours left");
    expect(authorizationTimeLeft(at(HOUR), NOW)).toBe("1 hour left");
    expect(authorizationTimeLeft(at(12 * 60_000 + 30_000), NOW)).toBe("12 minutes left");
    expect(authorizationTimeLeft(at(20_000), NOW)).toBe("1 minute left");
  });

  it("says lapsed once passed, and nothing for an unreadable date", () => {
    expect(authorizationTimeLeft(at(0), NOW)).toBe("lapsed");
    expect(authorizationTimeLeft(at(-HOUR), NOW)).toBe("lapsed");
    expect(authorizationTimeLeft("soon", NOW)).toBe("");
  });
});

describe("pendingDeletionText", () => {
  it("names the approver and the time left", () => {
    expect(
      pendingDeletionText(
        { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice", authExpiration: at(6.5 * 24 * HOUR) },
        NOW,
      ),
    ).toBe("Pending deletion · by IBMid-alice · 6 days left");
  });

  it("leaves out what the keystore does not say", () => {
    expect(pendingDeletionText({ enabled: true, keySetForDeletion: true }, NOW)).toBe("Pending deletion");
    expect(pendingDeletionText({ enabled: true, keySetForDeletion: true, authExpiration: at(2 * HOUR) }, NOW)).toBe(
      "Pending deletion · 2 hours left",
    );
  });
});
