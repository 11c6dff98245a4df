import { SkeletonPlaceholder, useTheme } from "@carbon/react";
import { lazy, Suspense, useMemo } from "react";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";
import { bucketEvents, histogramWindow } from "./histogram";

const AuditHistogramChart = lazy(() => import("./AuditHistogramChart"));

interface Props {
  /** The events the filters returned so far, newest first. */
  events: readonly AuditEventInfo[];
  /** The query's time bounds. */
  bounds: Pick<AuditQueryRequest, "since" | "until">;
  /** When the query was made: the end of a window without an upper bound. */
  queriedAt: number;
  /** Whether every matching event is loaded, rather than the newest pages only. */
  complete: boolean;
}

/** Events per time bucket, stacked by outcome, over what the audit table shows. */
export function AuditHistogram({ events, bounds, queriedAt, complete }: Props) {
  const dark = useTheme().theme === "g100";
  const histogram = useMemo(() => {
    const window = histogramWindow(events, bounds, queriedAt, complete);
    return window === null ? null : bucketEvents(events, window);
  }, [events, bounds, queriedAt, complete]);
  if (histogram === null) return null;
  return (
    <section id="audit-histogram" className="audit-histogram" aria-label="Audit events over time">
      <Suspense fallback={<SkeletonPlaceholder className="audit-histogram__skeleton" />}>
        <AuditHistogramChart histogram={histogram} dark={dark} />
      </Suspense>
      <p id="audit-histogram-note" className="audit-histogram__note">
        {complete
          ? `All ${events.length.toLocaleString()} events that match the filters, per ${histogram.size.label}.`
          : `The newest ${events.length.toLocaleString()} events that match the filters, per ${histogram.size.label}; load older events below to count the earlier ones.`}
      </p>
    </section>
  );
}
