import { SkeletonPlaceholder, useTheme } from "@carbon/react";
import { lazy, Suspense, useCallback, useMemo } from "react";
import { DrawingFailure } from "../../components/DrawingFailure";
import { formatNumber } from "../../lib/format";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";
import { bucketAt, bucketEvents, histogramWindow, type TimeWindow } from "./histogram";

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
  /** A bar was clicked: the time it covers. */
  onNarrow?: (window: TimeWindow) => void;
}

/** Events per time bucket, stacked by outcome, over what the audit table shows. */
export function AuditHistogram({ events, bounds, queriedAt, complete, onNarrow }: Props) {
  const dark = useTheme().theme === "g100";
  const histogram = useMemo(() => {
    const window = histogramWindow(events, bounds, queriedAt, complete);
    return window === null ? null : bucketEvents(events, window);
  }, [events, bounds, queriedAt, complete]);
  const narrow = useCallback(
    (time: number) => {
      const window = histogram === null ? undefined : bucketAt(histogram, time);
      if (window !== undefined) onNarrow?.(window);
    },
    [histogram, onNarrow],
  );
  if (histogram === null) return null;
  return (
    <section id="audit-histogram" className="audit-histogram" aria-label="Audit events over time">
      <DrawingFailure what="the chart" id="audit-histogram-failure" compact resetKey={histogram}>
        <Suspense fallback={<SkeletonPlaceholder className="audit-histogram__skeleton" />}>
          <AuditHistogramChart histogram={histogram} dark={dark} onBarClick={narrow} />
        </Suspense>
      </DrawingFailure>
      <p id="audit-histogram-note" className="audit-histogram__note">
        {complete
          ? `All ${formatNumber(events.length)} events that match the filters, per ${histogram.size.label}.`
          : `The newest ${formatNumber(events.length)} events that match the filters, per ${histogram.size.label}; load older events below to count the earlier ones.`}
        {onNarrow !== undefined && " Click a bar to show only its events."}
      </p>
    </section>
  );
}
