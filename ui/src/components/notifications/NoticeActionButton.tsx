import { Button } from "@carbon/react";
import { useReached } from "../../lib/hooks/useReached";
import { Countdown } from "../Countdown";
import type { NoticeAction } from "./context";

interface Props {
  action: NoticeAction;
  id?: string;
  /** Tertiary in a toast (Carbon's actionable toast), ghost in the log. */
  kind: "tertiary" | "ghost";
  onAct: () => void;
}

/** A notice's action: disabled with the seconds left until it may be used, then a plain button. */
export function NoticeActionButton({ action, id, kind, onAct }: Props) {
  const ready = useReached(action.availableAt);
  return (
    <Button
      id={id}
      kind={kind}
      size="sm"
      className="cds--actionable-notification__action-button notice-action"
      disabled={!ready}
      onClick={onAct}
    >
      {action.label}
      {!ready && action.availableAt !== undefined && (
        <>
          {" "}
          (in <Countdown to={action.availableAt} />)
        </>
      )}
    </Button>
  );
}
