import { Button } from "@carbon/react";
import { Close } from "@carbon/icons-react";
import { formatTimestamp } from "../../lib/format";
import { rfc3339 } from "./timeRange";

interface Props {
  /** The bar's window; `end` is exclusive. */
  window: { start: number; end: number };
  onClear: () => void;
}

/** Says that a histogram bar narrowed the time range, and offers the way back. */
export function NarrowedRange({ window, onClear }: Props) {
  return (
    <p id="audit-range-narrowed" className="audit-narrowed" role="status">
      <span>
        Showing one bar of the chart: from {formatTimestamp(rfc3339(window.start))} to{" "}
        {formatTimestamp(rfc3339(window.end))}.
      </span>
      <Button id="audit-range-clear" kind="ghost" size="sm" renderIcon={Close} onClick={onClear}>
        Clear
      </Button>
    </p>
  );
}
