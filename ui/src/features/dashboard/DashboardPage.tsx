import {
  Button,
  InlineNotification,
  SkeletonPlaceholder,
  SkeletonText,
  StructuredListBody,
  StructuredListCell,
  StructuredListHead,
  StructuredListRow,
  StructuredListWrapper,
  Tile,
  useTheme,
} from "@carbon/react";
import { lazy, Suspense, useCallback, useState } from "react";
import { DrawingFailure } from "../../components/DrawingFailure";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { ALL_STATES, formatNumber, formatTimestamp, STATE_LABELS, stateTitle } from "../../lib/format";
import { useRequest, type RequestState } from "../../lib/hooks/useRequest";
import { useWarnDays } from "../../lib/preferences";
import { KeyDetailsPanel } from "../keys/KeyDetailsPanel";
import type { Page } from "../shell/pages";
import { loadActivity, type Activity } from "./activity";
import { loadAttention } from "./attention";
import { AttentionList, KeyLink } from "./AttentionList";
import { DashboardEmpty } from "./DashboardEmpty";
import { countKeys, lastRotation, ROTATION_DAYS, rotationDue, type KeyCounts, type RotationDue } from "./counts";
import { UsageTile } from "./UsageTile";
import { keystoreNow, useKeystoreClockOffset } from "../../lib/clock";

const KeysByStateChart = lazy(() => import("./KeysByStateChart"));
const ActivityChart = lazy(() => import("./ActivityChart"));

interface Props {
  refreshToken: number;
  onNavigate: (page: Page) => void;
}

function Figure({ id, label, value, title }: { id: string; label: string; value: number; title?: string }) {
  return (
    <div className="dashboard__figure">
      <span className="dashboard__figure-label" title={title}>
        {label}
      </span>
      <span id={id} className="dashboard__figure-value">
        {formatNumber(value)}
      </span>
    </div>
  );
}

function CountTiles({ counts }: { counts: KeyCounts }) {
  return (
    <>
      <Tile className="dashboard__tile">
        <h2 className="dashboard__tile-title">Keys by type</h2>
        <div className="dashboard__figures">
          <Figure id="dashboard-total" label="All keys" value={counts.total} />
          <Figure id="dashboard-root" label="Root keys" value={counts.byType.root} />
          <Figure id="dashboard-standard" label="Standard keys" value={counts.byType.standard} />
        </div>
      </Tile>
      <Tile className="dashboard__tile">
        <h2 className="dashboard__tile-title">Keys by state</h2>
        <div className="dashboard__figures">
          {ALL_STATES.map((state) => (
            <Figure
              key={state}
              id={`dashboard-${state}`}
              label={STATE_LABELS[state]}
              title={stateTitle(state)}
              value={counts.byState[state]}
            />
          ))}
        </div>
      </Tile>
    </>
  );
}

interface RotationListProps {
  due: RotationDue;
  onNavigate: (page: Page) => void;
  onOpenKey: (keyId: string) => void;
}

function RotationList({ due, onNavigate, onOpenKey }: RotationListProps) {
  if (due.activeRootKeys === 0) {
    return <p className="dashboard__muted">There are no active root keys to rotate.</p>;
  }
  if (due.keys.length === 0) {
    return (
      <p id="rotation-none" className="dashboard__muted">
        All {due.checked === due.activeRootKeys ? formatNumber(due.activeRootKeys) : `${formatNumber(due.checked)} checked`}{" "}
        active root keys were rotated or created within the last {ROTATION_DAYS} days.
      </p>
    );
  }
  return (
    <>
      <StructuredListWrapper isCondensed aria-label="Keys due for rotation" id="rotation-due">
        <StructuredListHead>
          <StructuredListRow head>
            <StructuredListCell head>Name</StructuredListCell>
            <StructuredListCell head>State</StructuredListCell>
            <StructuredListCell head>Current version since</StructuredListCell>
          </StructuredListRow>
        </StructuredListHead>
        <StructuredListBody>
          {due.keys.slice(0, 10).map((key) => (
            <StructuredListRow key={key.id} data-rotation-key={key.name}>
              <StructuredListCell>
                <KeyLink keyInfo={key} onOpenKey={onOpenKey} />
              </StructuredListCell>
              <StructuredListCell>
                <KeyStateTag state={key.state} />
              </StructuredListCell>
              <StructuredListCell>
                <time dateTime={lastRotation(key)}>{formatTimestamp(lastRotation(key))}</time>
                {key.lastRotatedAt === undefined ? " (never rotated)" : ""}
              </StructuredListCell>
            </StructuredListRow>
          ))}
        </StructuredListBody>
      </StructuredListWrapper>
      <p className="dashboard__muted">
        {due.keys.length > 10 ? `Showing the 10 oldest of ${formatNumber(due.keys.length)}. ` : ""}
        {due.checked < due.activeRootKeys
          ? `Checked the ${formatNumber(due.checked)} oldest of ${formatNumber(due.activeRootKeys)} active root keys. `
          : ""}
        Rotate them from the Keys page.
      </p>
      <Button kind="tertiary" size="sm" onClick={() => onNavigate("keys")}>
        Go to keys
      </Button>
    </>
  );
}

function ActivityTile({ activity, dark }: { activity: RequestState<Activity>; dark: boolean }) {
  if (activity.error !== undefined) {
    return (
      <Tile className="dashboard__tile dashboard__tile--wide" id="activity">
        <h2 className="dashboard__tile-title">Wrap and unwrap activity</h2>
        <p className="dashboard__muted">
          This keystore does not share its activity per hour, so it cannot be charted: {describe(activity.error)}
        </p>
      </Tile>
    );
  }
  if (activity.data === undefined) {
    return <SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart dashboard__tile--wide" />;
  }
  const totals = activity.data.buckets.reduce(
    (sum, bucket) => ({
      wraps: sum.wraps + bucket.counts.wrap,
      unwraps: sum.unwraps + bucket.counts.unwrap + bucket.counts.rewrap,
      failures: sum.failures + bucket.failures,
    }),
    { wraps: 0, unwraps: 0, failures: 0 },
  );
  return (
    <Tile className="dashboard__tile dashboard__tile--wide" id="activity">
      <div className="dashboard__figures">
        <Figure id="dashboard-wraps" label="Wraps, last 24 h" value={totals.wraps} />
        <Figure id="dashboard-unwraps" label="Unwraps and rewraps, last 24 h" value={totals.unwraps} />
        <Figure id="dashboard-failures" label="Refused, last 24 h" value={totals.failures} />
      </div>
      <DrawingFailure what="the chart" id="activity-chart-failure" compact resetKey={activity.data}>
        <Suspense fallback={<SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart" />}>
          <ActivityChart buckets={activity.data.buckets} dark={dark} />
        </Suspense>
      </DrawingFailure>
    </Tile>
  );
}

export function DashboardPage({ refreshToken, onNavigate }: Props) {
  const backend = useBackend();
  const dark = useTheme().theme === "g100";
  const loadCounts = useCallback(() => countKeys(backend), [backend]);
  const loadDue = useCallback(() => rotationDue(backend), [backend]);
  const counts = useRequest(loadCounts, refreshToken);
  const due = useRequest(loadDue, refreshToken);
  const loadEnvelopeActivity = useCallback(() => loadActivity(backend), [backend]);
  const activity = useRequest(loadEnvelopeActivity, refreshToken);
  // A key opened from a list shows in the same details panel as on the Keys page.
  const [openKeyId, setOpenKeyId] = useState<string | null>(null);
  // Bumped when the details panel changes a key, so the lists drop what was dealt with.
  const [changes, setChanges] = useState(0);
  const warnDays = useWarnDays();
  // "Expires soon" is judged in the keystore's time: judged again if its clock moves.
  const clockOffset = useKeystoreClockOffset();
  const loadKeysNeedingAttention = useCallback(
    () => loadAttention(backend, keystoreNow(), warnDays),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keystoreNow() reads the offset
    [backend, warnDays, clockOffset],
  );
  const attention = useRequest(loadKeysNeedingAttention, refreshToken + changes);

  return (
    <div className="app-page dashboard" aria-busy={counts.loading || due.loading}>
      <header className="app-page__header">
        <h1 className="app-page__title">Dashboard</h1>
        <p className="app-page__intro">What this keystore holds and what needs attention.</p>
      </header>

      {counts.error !== undefined && (
        <InlineNotification
          id="dashboard-error"
          kind="error"
          title="Key counts could not be loaded"
          subtitle={describe(counts.error)}
          lowContrast
          hideCloseButton
        />
      )}

      {counts.data !== undefined && counts.data.total === 0 ? (
        <DashboardEmpty onNavigate={onNavigate} />
      ) : (
        <div className="dashboard__grid">
          {counts.data === undefined ? (
            <>
              <SkeletonPlaceholder className="dashboard__skeleton" />
              <SkeletonPlaceholder className="dashboard__skeleton" />
              <SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart" />
            </>
          ) : (
            <>
              <CountTiles counts={counts.data} />
              <Tile className="dashboard__tile dashboard__tile--chart" id="keys-by-state-chart">
                <DrawingFailure what="the chart" id="keys-by-state-chart-failure" compact resetKey={counts.data}>
                  <Suspense fallback={<SkeletonPlaceholder className="dashboard__skeleton dashboard__skeleton--chart" />}>
                    <KeysByStateChart byState={counts.data.byState} dark={dark} />
                  </Suspense>
                </DrawingFailure>
              </Tile>
            </>
          )}

          <Tile className="dashboard__tile">
            <h2 className="dashboard__tile-title">Due for rotation</h2>
            <p className="dashboard__rule">
              Active root keys whose current version is more than {ROTATION_DAYS} days old: last rotated, or created if
              never rotated, before then. Rotating adds a new version for new wraps; ciphertexts made with older versions
              still unwrap.
            </p>
            {due.error !== undefined ? (
              <InlineNotification
                kind="error"
                title="The rotation check failed"
                subtitle={describe(due.error)}
                lowContrast
                hideCloseButton
              />
            ) : due.data === undefined ? (
              <SkeletonText paragraph lineCount={3} />
            ) : (
              <RotationList due={due.data} onNavigate={onNavigate} onOpenKey={setOpenKeyId} />
            )}
          </Tile>
          <AttentionList attention={attention} onOpenKey={setOpenKeyId} />
          <ActivityTile activity={activity} dark={dark} />
          <UsageTile refreshToken={refreshToken} dark={dark} />
        </div>
      )}
      {openKeyId !== null && (
        <KeyDetailsPanel
          keyId={openKeyId}
          refreshToken={refreshToken + changes}
          onChanged={() => setChanges((n) => n + 1)}
          onClose={() => setOpenKeyId(null)}
        />
      )}
    </div>
  );
}
