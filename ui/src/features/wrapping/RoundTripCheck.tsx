import { Button, InlineLoading, InlineNotification } from "@carbon/react";
import { Repeat } from "@carbon/icons-react";
import { useState, type ReactNode } from "react";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { roundTrip, type RoundTripOutcome } from "./roundTrip";

interface Props {
  keyId: string;
  /** The AAD items as they stand in the form. */
  aad: readonly string[];
  disabled: boolean;
  /** Why the test cannot run, shown in place of the usual hint. */
  disabledReason?: string;
}

const version = (id: string) => <code className="wrap-panel__version">{id}</code>;

function verdict(outcome: RoundTripOutcome, aadCount: number): { kind: "success" | "error"; title: string; subtitle: ReactNode } {
  const withAad = aadCount === 0 ? "without AAD" : `with ${aadCount} AAD ${aadCount === 1 ? "item" : "items"}`;
  switch (outcome.kind) {
    case "passed":
      return {
        kind: "success",
        title: "Round trip passed",
        subtitle: (
          <>
            A generated DEK wrapped {withAad} by key version {version(outcome.keyVersion)} unwrapped to the same bytes.
          </>
        ),
      };
    case "mismatch":
      return {
        kind: "error",
        title: "Round trip failed",
        subtitle: (
          <>
            A generated DEK wrapped by key version {version(outcome.keyVersion)} unwrapped to different bytes (unwrapped by
            version {version(outcome.unwrapVersion)}).
          </>
        ),
      };
    case "failed":
      return {
        kind: "error",
        title: outcome.step === "wrap" ? "Round trip failed at wrap" : "Round trip failed at unwrap",
        subtitle: (
          <>
            {describe(outcome.error)}
            {outcome.keyVersion !== undefined && <> It had been wrapped by key version {version(outcome.keyVersion)}.</>}
          </>
        ),
      };
  }
}

/** Wrap, unwrap and compare in one click, with a DEK nobody sees. */
export function RoundTripCheck({ keyId, aad, disabled, disabledReason }: Props) {
  const backend = useBackend();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ outcome: RoundTripOutcome; aadCount: number } | null>(null);

  const run = async () => {
    setRunning(true);
    setResult(null);
    const aadNow = [...aad];
    const outcome = await roundTrip(backend, keyId, aadNow);
    setResult({ outcome, aadCount: aadNow.length });
    setRunning(false);
  };
  const shown = result === null ? null : verdict(result.outcome, result.aadCount);

  return (
    <div className="wrap-panel__round-trip">
      <div className="wrap-panel__rotate">
        <Button
          id="wrap-round-trip"
          kind="tertiary"
          size="sm"
          renderIcon={Repeat}
          disabled={disabled || running}
          onClick={() => void run()}
        >
          {running ? <InlineLoading description="Testing…" /> : "Round-trip test"}
        </Button>
        <span className="wrap-panel__hint">
          {disabledReason ?? "Wraps a fresh DEK with the AAD above, unwraps it and compares the bytes. The DEK is never shown."}
        </span>
      </div>
      {shown !== null && result !== null && (
        <InlineNotification
          id="wrap-round-trip-result"
          data-outcome={result.outcome.kind}
          kind={shown.kind}
          role={shown.kind === "error" ? "alert" : "status"}
          title={shown.title}
          lowContrast
          onClose={() => setResult(null)}
        >
          <div className="cds--inline-notification__subtitle">{shown.subtitle}</div>
        </InlineNotification>
      )}
    </div>
  );
}
