import { SkeletonPlaceholder, Tile } from "@carbon/react";
import { lazy, Suspense, useCallback } from "react";
import { DrawingFailure } from "../../components/DrawingFailure";
import { ACTIONS, useAccess } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import { usageTotals, worstP99 } from "./usage";

// Fixed decimals as before (3.25, 14), written with the chosen locale's separators.
const TWO_DECIMALS: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
const WHOLE: Intl.NumberFormatOptions = { maximumFractionDigits: 0 };

const UsageCharts = lazy(() => import("./UsageCharts"));

interface Props {
  refreshToken: number;
  dark: boolean;
}

const TITLE = <h2 className="dashboard__tile-title">Last hour</h2>;

/** Why the figures are missing, in a sentence that is not an error: the caller's role is the reason. */
function NotPermitted({ reason }: { reason: string }) {
  return (
    <Tile className="dashboard__tile dashboard__tile--wide" id="usage">
      {TITLE}
      <p className="dashboard__muted" id="usage-not-permitted">
        Usage figures are counted from the audit trail, so only roles that may read it see them. {reason}
      </p>
    </Tile>
  );
}

/**
 * The last hour as the keystore saw it: calls per minute by action, and the data plane's latency.
 * The keystore lets whoever may read policies read the audit trail, and these counts with it.
 */
export function UsageTile({ refreshToken, dark }: Props) {
  const access = useAccess()(ACTIONS.readPolicies);
  // Asking would only be refused; the caller's grants already say so.
  if (!access.allowed) return <NotPermitted reason={access.reason} />;
  return <UsageFigures refreshToken={refreshToken} dark={dark} />;
}

function UsageFigures({ refreshToken, dark }: Props) {
  const backend = useBackend();
  const load = useCallback(() => backend.usage(), [backend]);
  const usage = useRequest(load, refreshToken);
  // A keystore that cannot describe its caller still refuses; that is the same news, not a failure.
  if (usage.error?.code === "FORBIDDEN") {
    return <NotPermitted reason="Ask a Manager of this instance if you need them." />;
  }
  if (usage.error !== undefined) {
    return (
      <Tile className="dashboard__tile dashboard__tile--wide" id="usage">
        {TITLE}
        <p className="dashboard__muted" id="usage-unavailable">
          {usage.error.code === "NOT_FOUND"
            ? "This keystore does not report its calls per minute (IBM Key Protect sends them to IBM Cloud Monitoring instead)."
            : `The calls of the last hour could not be loaded: ${describe(usage.error)}`}
        </p>
      </Tile>
    );
  }
  if (usage.data === undefined) {
    return <SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart dashboard__tile--wide" />;
  }
  const report = usage.data;
  const totals = usageTotals(report);
  const p99 = worstP99(report);
  return (
    <Tile className="dashboard__tile dashboard__tile--wide" id="usage">
      {TITLE}
      <div className="dashboard__figures">
        <div className="dashboard__figure">
          <span className="dashboard__figure-label">Calls</span>
          <span className="dashboard__figure-value" id="usage-calls">
            {formatNumber(totals.calls)}
          </span>
        </div>
        <div className="dashboard__figure">
          <span className="dashboard__figure-label">Refused or failed</span>
          <span className="dashboard__figure-value" id="usage-failures">
            {formatNumber(totals.failures)}
          </span>
        </div>
        <div className="dashboard__figure">
          <span className="dashboard__figure-label" title="The highest per-minute 99th percentile of wrap, unwrap and rewrap">
            Worst wrap/unwrap p99
          </span>
          <span className="dashboard__figure-value" id="usage-p99">
            {p99 === undefined ? "—" : `${formatNumber(p99, p99 < 10 ? TWO_DECIMALS : WHOLE)} ms`}
          </span>
        </div>
      </div>
      {totals.calls === 0 ? (
        <p className="dashboard__muted" id="usage-empty">
          No calls in the last hour. Counting starts when the keystore opens; the audit log keeps every call.
        </p>
      ) : (
        <DrawingFailure what="the charts" id="usage-charts-failure" compact resetKey={report}>
          <Suspense fallback={<SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart" />}>
            <UsageCharts report={report} dark={dark} />
          </Suspense>
        </DrawingFailure>
      )}
    </Tile>
  );
}
