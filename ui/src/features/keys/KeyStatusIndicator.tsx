import { Hourglass, Renew } from "@carbon/icons-react";
import type { KeyInfo } from "../../lib/types";
import { keyStatus, type KeyStatusKind } from "./keyStatus";

const ICONS: Record<KeyStatusKind, typeof Renew> = { "rotation-due": Renew, expiring: Hourglass };

interface Props {
  keyInfo: KeyInfo;
  warnDays: number;
  now: number;
}

/**
 * The key table's leading status: an icon for the most pressing of a due rotation or a near
 * expiry, everything pressing named on hover; nothing when nothing is.
 */
export function KeyStatusIndicator({ keyInfo, warnDays, now }: Props) {
  const notices = keyStatus(keyInfo, warnDays, now);
  const first = notices[0];
  if (first === undefined) return null;
  const Icon = ICONS[first.kind];
  const label = notices.map((notice) => notice.label).join(". ");
  return (
    <span
      className={`key-status key-status--${first.kind}`}
      role="img"
      aria-label={label}
      title={label}
      data-key-status={first.kind}
    >
      <Icon aria-hidden="true" />
    </span>
  );
}
