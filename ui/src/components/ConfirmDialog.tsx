import {
  Button,
  ComposedModal,
  InlineLoading,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Stack,
} from "@carbon/react";
import { useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { toBackendError } from "../lib/backend";
import { describe } from "../lib/errors";

interface Props {
  title: string;
  label?: string;
  primaryText: string;
  primaryId?: string;
  busyText?: string;
  danger?: boolean;
  confirmDisabled?: boolean;
  /** Small by default; medium for dialogs that hold a form section of their own. */
  size?: "sm" | "md";
  children: ReactNode;
  /** Resolves when done (the caller then closes the dialog); a rejection is shown inside. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/**
 * A transactional modal rendered at the document root, since callers live in
 * table cells. Mount it only while it should be open.
 */
export function ConfirmDialog({
  title,
  label,
  primaryText,
  primaryId,
  busyText = "Working…",
  danger = false,
  confirmDisabled = false,
  size = "sm",
  children,
  onConfirm,
  onClose,
}: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
      setBusy(false);
    }
  };

  return createPortal(
    <ComposedModal open danger={danger} size={size} onClose={onClose} aria-label={title} preventCloseOnClickOutside>
      <ModalHeader title={title} label={label} />
      <ModalBody>
        <Stack gap={5}>
          {children}
          {failure !== null && (
            <InlineNotification kind="error" title="That did not work" subtitle={failure} lowContrast hideCloseButton />
          )}
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          id={primaryId}
          kind={danger ? "danger" : "primary"}
          onClick={() => void confirm()}
          disabled={busy || confirmDisabled}
        >
          {busy ? <InlineLoading description={busyText} /> : primaryText}
        </Button>
      </ModalFooter>
    </ComposedModal>,
    document.body,
  );
}
