import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { fakeBackend } from "../../test/fakeBackend";
import { BackendProvider, type Backend } from "../backend";
import { HttpBackend } from "../backend/http";
import { useCurlTarget } from "./useCurlTarget";

function targetFor(backend: Backend) {
  const wrapper = ({ children }: { children: ReactNode }) => <BackendProvider backend={backend}>{children}</BackendProvider>;
  return renderHook(() => useCurlTarget(), { wrapper }).result;
}

describe("useCurlTarget", () => {
  it("takes a remote connection's URL and instance, and IAM's base from its token URL", async () => {
    const result = targetFor(
      fakeBackend({
        currentConnection: () =>
          Promise.resolve({
            id: "r1",
            name: "ibm",
            mode: "remote",
            endpoint: "https://us-south.kms.cloud.ibm.com",
            tokenUrl: "https://iam.cloud.ibm.com/identity/token",
            instanceId: "inst-9",
            hasApiKey: true,
          }),
      }),
    );
    await waitFor(() =>
      expect(result.current).toEqual({
        kmsUrl: "https://us-south.kms.cloud.ibm.com",
        instanceId: "inst-9",
        iamUrl: "https://iam.cloud.ibm.com",
      }),
    );
  });

  it("leaves everything to shell variables for the embedded keystore", async () => {
    const backend = fakeBackend();
    const result = targetFor(backend);
    await waitFor(() => expect(backend.currentConnection).toHaveBeenCalled());
    expect(result.current).toEqual({});
  });

  it("uses the serving origin and the signed-in instance in the web console, never the API key", async () => {
    const backend = new HttpBackend({ baseUrl: "https://kms.test/", instanceId: "inst-1", apiKey: "secret-api-key", fetch: () => Promise.reject(new Error("offline")) });
    const result = targetFor(backend);
    await waitFor(() => expect(result.current).toEqual({ kmsUrl: "https://kms.test", instanceId: "inst-1", iamUrl: "https://kms.test" }));
    expect(JSON.stringify(result.current)).not.toContain("secret-api-key");
  });
});
