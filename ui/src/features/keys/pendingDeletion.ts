import type { KeyInfo } from "../../lib/types";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/**
 * How long a pending deletion authorization has left, in its largest whole unit: "6 days left",
 * "1 hour left", "12 minutes left"; "lapsed" once the moment has passed.
 */
export function authorizationTimeLeft(expiration: string, now: number): string {
  const left = Date.parse(expiration) - now;
  if (Number.isNaN(left)) return "";
  if (left <= 0) return "lapsed";
  if (left >= DAY_MS) return `${plural(Math.floor(left / DAY_MS), "day")} left`;
  if (left >= HOUR_MS) return `${plural(Math.floor(left / HOUR_MS), "hour")} left`;
  return `${plural(Math.max(1, Math.floor(left / MINUTE_MS)), "minute")} left`;
}

/**
 * The pending-deletion tag's words: "Pending deletion · by IBMid-alice · 6 days left". The
 * approver and the time left are left out when the keystore does not say them.
 */
export function pendingDeletionText(dual: KeyInfo["dualAuthDelete"], now: number): string {
  const left = dual.authExpiration === undefined ? "" : authorizationTimeLeft(dual.authExpiration, now);
  return [
    "Pending deletion",
    ...(dual.authorizedBy === undefined ? [] : [`by ${dual.authorizedBy}`]),
    ...(left === "" ? [] : [left]),
  ].join(" · ");
}
