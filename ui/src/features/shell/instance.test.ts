import { describe, expect, it } from "vitest";
import { HttpBackend } from "../../lib/backend/http";
import { fakeBackend } from "../../test/fakeBackend";
import { headerInstance } from "./instance";

const INSTANCE = "7f4e2a1c-0000-4000-8000-000000000000";

describe("headerInstance", () => {
  it("takes the remote console's instance from the sign-in", () => {
    const backend = new HttpBackend({ baseUrl: "https://kms.test", apiKey: "k", instanceId: ` ${INSTANCE} ` });
    expect(headerInstance(backend, undefined)).toEqual({ mode: "remote", instanceId: INSTANCE });
  });

  it("takes the desktop's instance from the active connection, and none for this computer", () => {
    const backend = fakeBackend();
    expect(headerInstance(backend, undefined)).toBeUndefined();
    expect(headerInstance(backend, { id: "local", name: "This computer", mode: "embedded", hasApiKey: false })).toEqual({
      mode: "embedded",
    });
    expect(
      headerInstance(backend, { id: "r1", name: "prod", mode: "remote", instanceId: INSTANCE, hasApiKey: true }),
    ).toEqual({ mode: "remote", instanceId: INSTANCE });
    expect(headerInstance(backend, { id: "r2", name: "bare", mode: "remote", hasApiKey: true })).toEqual({
      mode: "remote",
    });
  });
});
