import { useEffect, useState } from "react";
import { formatDuration } from "../lib/format";
import { useKeystoreClockOffset } from "../lib/clock";

const HOUR_MS = 3_600_000;

interface Props {
  /** The moment counted down to. */
  to: Date;
  id?: string;
}

/**
 * The time left until `to`, as "3 h 12 min" or "27 s", kept current: every second in the last
 * hour (where seconds show), every 30 seconds before. "0 s" once reached.
 */
export function Countdown({ to, id }: Props) {
  const target = to.getTime();
  // The real time, ticking; the keystore's offset is added as it is now (it may arrive later).
  const offset = useKeystoreClockOffset();
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, target - now - offset);
  const step = left > HOUR_MS ? 30_000 : 1000;
  const done = left === 0;
  useEffect(() => {
    if (done) return;
    const timer = setInterval(() => setNow(Date.now()), step);
    return () => clearInterval(timer);
  }, [step, done]);
  return (
    <span id={id} className="countdown">
      {formatDuration(left)}
    </span>
  );
}
