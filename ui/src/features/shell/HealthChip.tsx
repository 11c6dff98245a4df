import { OperationalTag, Tooltip } from "@carbon/react";
import { useEffect, useState } from "react";
import { toBackendError, useBackend, type BackendError } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber, formatTime } from "../../lib/format";
import type { KeystoreInfo } from "../../lib/types";

/**
 * How often the header re-times the keystore while the window is open. A check is a real,
 * audited read (it proves the credentials too), so while the keystore answers the chip asks
 * rarely; after a failure it asks often, to notice the keystore coming back.
 */
export const HEALTH_INTERVAL_MS = 300_000;
export const RECOVERY_INTERVAL_MS = 30_000;

type Health =
  | { status: "first-check" }
  | { status: "up"; info: KeystoreInfo; latencyMs: number; checkedAt: Date }
  | { status: "down"; error: BackendError; last: KeystoreInfo | undefined; checkedAt: Date };

const MODE_LABELS: Record<KeystoreInfo["mode"], string> = { embedded: "Embedded", remote: "Remote" };

function labelOf(health: Health): string {
  switch (health.status) {
    case "first-check":
      return "Checking…";
    case "up":
      return `${MODE_LABELS[health.info.mode]} · ${formatNumber(health.latencyMs)} ms`;
    case "down":
      // An embedded store that will not open is there but locked; anything else did not answer.
      return health.error.code === "KEYSTORE_UNAVAILABLE" ? "Unavailable" : "Unreachable";
  }
}

function tooltipOf(health: Health): string {
  switch (health.status) {
    case "first-check":
      return "Checking the keystore…";
    case "up":
      return `${health.info.location}. Answered in ${formatNumber(health.latencyMs)} ms at ${formatTime(health.checkedAt)}. Select to check again.`;
    case "down":
      return `${health.last === undefined ? "" : `${health.last.location}. `}${describe(health.error)} Checked at ${formatTime(health.checkedAt)}. Select to check again.`;
  }
}

const TAG_TYPES = { "first-check": "cool-gray", up: "green", down: "red" } as const;

interface Props {
  /** Changes when the console switches connection, so the chip re-checks at once. */
  checkKey: number;
}

/**
 * The keystore's state in the header: which kind it is and how long a cheap call takes, timed
 * on load, every {@link HEALTH_INTERVAL_MS} (every {@link RECOVERY_INTERVAL_MS} after a failure)
 * and on demand. The last answer stays up while a new
 * check runs, so the header does not jump.
 */
export function HealthChip({ checkKey }: Props) {
  const backend = useBackend();
  const [health, setHealth] = useState<Health>({ status: "first-check" });
  const [checking, setChecking] = useState(false);
  const [manualChecks, setManualChecks] = useState(0);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      const started = performance.now();
      let next = HEALTH_INTERVAL_MS;
      try {
        const info = await backend.info();
        if (!current) return;
        setHealth({ status: "up", info, latencyMs: Math.round(performance.now() - started), checkedAt: new Date() });
      } catch (thrown) {
        if (!current) return;
        const error = toBackendError(thrown);
        next = RECOVERY_INTERVAL_MS;
        setHealth((previous) => ({
          status: "down",
          error,
          last: previous.status === "up" ? previous.info : previous.status === "down" ? previous.last : undefined,
          checkedAt: new Date(),
        }));
      }
      if (!current) return;
      setChecking(false);
      timer = setTimeout(() => {
        setChecking(true);
        void check();
      }, next);
    };
    void check();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [backend, checkKey, manualChecks]);

  const label = labelOf(health);
  return (
    <Tooltip description={tooltipOf(health)} align="bottom" className="app-health">
      <OperationalTag
        id="keystore-tag"
        className="app-health__tag"
        size="sm"
        type={TAG_TYPES[health.status]}
        text={label}
        aria-label={`Keystore: ${label}. Check again`}
        aria-busy={checking || health.status === "first-check"}
        data-health={health.status}
        onClick={() => {
          setChecking(true);
          setManualChecks((n) => n + 1);
        }}
      />
    </Tooltip>
  );
}
