import { CodeSnippet } from "@carbon/react";
import { LOCAL_NAME } from "../connections/profile";
import type { HeaderInstance } from "./instance";

interface Props {
  instance: HeaderInstance;
  /** Names the mode too; off where the connection switcher already names it. */
  showMode: boolean;
}

/**
 * The header's quiet note of where the keys live: "This computer", or a remote instance with its
 * id, copied with one click (Key Protect shows the instance id on its overview).
 */
export function InstanceLabel({ instance, showMode }: Props) {
  const { instanceId } = instance;
  if (!showMode && instanceId === undefined) return null;
  return (
    <div className="app-instance" data-mode={instance.mode}>
      {showMode && (
        <span id="header-mode" className="app-instance__mode">
          {instance.mode === "embedded" ? LOCAL_NAME : "Remote instance"}
        </span>
      )}
      {instanceId !== undefined && (
        <span id="header-instance-id" className="app-instance__id" data-instance-id={instanceId}>
          <CodeSnippet
            type="inline"
            feedback="Copied"
            copyText={instanceId}
            aria-label={`Copy the instance ID ${instanceId}`}
            align="bottom"
          >
            {instanceId}
          </CodeSnippet>
        </span>
      )}
    </div>
  );
}
