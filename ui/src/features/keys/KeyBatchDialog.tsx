import {
  Button,
  ComposedModal,
  InlineLoading,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Select,
  SelectItem,
  Stack,
} from "@carbon/react";
import { useState } from "react";
import { createPortal } from "react-dom";
import { CliSnippet } from "../../components/CliSnippet";
import { useAccess, useCaller } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { batchScript, keyActionCommand, type CliTarget } from "../../lib/cli";
import { describe } from "../../lib/errors";
import type { KeyInfo } from "../../lib/types";
import { planBatch, roleActionFor, runBatch, type BatchAction, type BatchOutcome, type BatchPlan } from "./batch";

const count = (n: number) => `${n} ${n === 1 ? "key" : "keys"}`;

const VERBS: Record<BatchAction, { title: string; busy: string; past: string }> = {
  disable: { title: "Disable", busy: "Disabling", past: "Disabled" },
  enable: { title: "Enable", busy: "Enabling", past: "Enabled" },
  move: { title: "Move", busy: "Moving", past: "Moved" },
  delete: { title: "Delete", busy: "Deleting", past: "Deleted" },
};

function Consequence({ action, plan, keyRing }: { action: BatchAction; plan: BatchPlan; keyRing: string }) {
  const n = plan.steps.length;
  switch (action) {
    case "disable":
      return (
        <p>
          Wrap and unwrap will fail for every service using {n === 1 ? "this key" : `these ${n} keys`} until{" "}
          {n === 1 ? "it is" : "they are"} enabled again.
        </p>
      );
    case "enable":
      return <p>{n === 1 ? "This key" : `These ${n} keys`} will wrap and unwrap again.</p>;
    case "move":
      return (
        <p>
          Access granted on a key&apos;s old key ring no longer reaches it; access granted on {keyRing} does.
        </p>
      );
    case "delete": {
      const scheduled = plan.steps.filter((step) => step.kind === "schedule");
      const completed = plan.steps.filter((step) => step.kind === "complete");
      return (
        <>
          <p>
            Nothing can wrap or unwrap with a destroyed key. It can be restored for 30 days; after that, every DEK it
            wrapped is lost for good.
          </p>
          {scheduled.length > 0 && (
            <p id="key-batch-schedule">
              <strong>
                {count(scheduled.length)} {scheduled.length === 1 ? "needs" : "need"} two people to delete.
              </strong>{" "}
              For {scheduled.length === 1 ? "it" : "them"} this only schedules deletion (the first authorization):{" "}
              {scheduled.map((step) => step.key.name).join(", ")}. A different person must then delete{" "}
              {scheduled.length === 1 ? "it" : "them"} within 7 days.
            </p>
          )}
          {completed.length > 0 && (
            <p id="key-batch-complete">
              Deletion of {completed.map((step) => step.key.name).join(", ")} was already authorized; deleting now is
              the second authorization and must come from a different person.
            </p>
          )}
        </>
      );
    }
  }
}

function Skipped({ plan }: { plan: BatchPlan }) {
  if (plan.skipped.length === 0) return null;
  return (
    <div id="key-batch-skipped">
      <p>
        <strong>Skipped, not sent ({plan.skipped.length}):</strong>
      </p>
      <ul className="key-details__list">
        {plan.skipped.map(({ key, reason }) => (
          <li key={key.id} data-skipped-key={key.name}>
            {key.name}: {reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface SummaryProps {
  action: BatchAction;
  outcome: BatchOutcome;
  plan: BatchPlan;
  keyRing: string;
}

function Summary({ action, outcome, plan, keyRing }: SummaryProps) {
  const scheduled = outcome.done.filter((step) => step.kind === "schedule").length;
  const done = outcome.done.length - scheduled;
  return (
    <div id="key-batch-summary" aria-live="polite">
      <p id="key-batch-done">
        {VERBS[action].past} {count(done)}
        {action === "move" ? ` to ${keyRing}.` : "."}
        {scheduled > 0 && ` Scheduled deletion of ${count(scheduled)}.`}
      </p>
      {outcome.failed.length > 0 && (
        <InlineNotification
          kind="error"
          title={`${count(outcome.failed.length)} failed`}
          lowContrast
          hideCloseButton
        >
          <ul className="key-details__list" id="key-batch-failures">
            {outcome.failed.map(({ step, error }) => (
              <li key={step.key.id} data-failed-key={step.key.name}>
                {step.key.name}: {describe(error)}
              </li>
            ))}
          </ul>
        </InlineNotification>
      )}
      <Skipped plan={plan} />
    </div>
  );
}

/** One command per key; null when the CLI has a command for none of them. */
function batchCommands(action: BatchAction, plan: BatchPlan, target: CliTarget | undefined): string | null {
  const lines = plan.steps.map((step) => {
    const { key } = step;
    switch (action) {
      case "disable":
      case "enable":
        return { key, what: action, command: keyActionCommand({ action, keyId: key.id }, target) };
      case "move":
        return { key, what: "moving to a key ring", command: null };
      case "delete":
        return step.kind === "schedule"
          ? { key, what: "scheduling deletion", command: null }
          : { key, what: "deleting", command: keyActionCommand({ action: "delete", keyId: key.id }, target) };
    }
  });
  return lines.some((line) => line.command !== null) ? batchScript(lines) : null;
}

interface Props {
  action: BatchAction;
  keys: KeyInfo[];
  /** Key rings to move to; only for `move`. */
  keyRings?: string[];
  /** Called once the calls have run, before the summary is closed. */
  onFinished: (outcome: BatchOutcome, plan: BatchPlan) => void;
  onClose: () => void;
}

/**
 * Confirms one change for several keys, naming how many and what follows; then runs the calls one
 * by one and shows a single summary. Keys the change does not apply to are listed and not sent.
 */
export function KeyBatchDialog({ action, keys, keyRings = [], onFinished, onClose }: Props) {
  const backend = useBackend();
  const can = useAccess();
  const caller = useCaller();
  const [keyRing, setKeyRing] = useState(() => keyRings.find((ring) => keys.some((key) => key.keyRing !== ring)) ?? "default");
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const plan = planBatch(
    action,
    keys,
    action === "move" ? keyRing : undefined,
    (key) => can(roleActionFor(action, key), { keyId: key.id, keyRing: key.keyRing }),
    caller?.iamId,
  );
  const busy = progress !== null && outcome === null;
  const verb = VERBS[action];
  const n = plan.steps.length;
  const danger = action === "delete" || action === "disable";

  const confirm = async () => {
    setProgress(0);
    const result = await runBatch(backend, action, plan, action === "move" ? keyRing : undefined, setProgress);
    setOutcome(result);
    onFinished(result, plan);
  };

  const title =
    outcome !== null
      ? `${verb.title}: ${outcome.failed.length === 0 ? "done" : "finished with failures"}`
      : action === "move"
        ? `Move ${count(n)} to a key ring?`
        : `${verb.title} ${count(n)}?`;

  return createPortal(
    <ComposedModal
      open
      danger={danger && outcome === null}
      size="sm"
      onClose={busy ? () => false : onClose}
      aria-label={title}
      preventCloseOnClickOutside
      id="key-batch-dialog"
      data-batch-action={action}
    >
      <ModalHeader title={title} label={`${count(keys.length)} selected`} />
      <ModalBody>
        <Stack gap={5}>
          {outcome !== null ? (
            <Summary action={action} outcome={outcome} plan={plan} keyRing={keyRing} />
          ) : (
            <>
              {action === "move" && (
                <Select
                  id="key-batch-ring"
                  labelText="Key ring"
                  value={keyRing}
                  disabled={busy}
                  onChange={(event) => setKeyRing(event.target.value)}
                >
                  {keyRings.map((ring) => (
                    <SelectItem key={ring} value={ring} text={ring} />
                  ))}
                </Select>
              )}
              {n === 0 ? (
                <p id="key-batch-nothing">None of the selected keys can be changed this way.</p>
              ) : (
                <Consequence action={action} plan={plan} keyRing={keyRing} />
              )}
              <Skipped plan={plan} />
              {n > 0 && <CliSnippet id="key-batch-cli" command={(target) => batchCommands(action, plan, target)} />}
            </>
          )}
        </Stack>
      </ModalBody>
      <ModalFooter>
        {outcome !== null ? (
          <Button id="key-batch-close" kind="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button kind="secondary" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button
              id="key-batch-confirm"
              kind={danger ? "danger" : "primary"}
              disabled={busy || n === 0}
              onClick={() => void confirm()}
            >
              {busy ? (
                <InlineLoading description={`${verb.busy} ${progress + 1 > n ? n : progress + 1} of ${n}…`} />
              ) : (
                `${verb.title} ${count(n)}`
              )}
            </Button>
          </>
        )}
      </ModalFooter>
    </ComposedModal>,
    document.body,
  );
}
