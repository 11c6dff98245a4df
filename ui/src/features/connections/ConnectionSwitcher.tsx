import { Select, SelectItem, Tag } from "@carbon/react";
import type { ConnectionProfile } from "../../lib/types";
import { connectionLabel } from "./profile";

interface Props {
  connections: ConnectionProfile[];
  activeId: string | undefined;
  busy: boolean;
  onSwitch: (profile: ConnectionProfile) => void;
}

/** The header's choice of keystore: this computer, or a remote instance (clearly marked). */
export function ConnectionSwitcher({ connections, activeId, busy, onSwitch }: Props) {
  const active = connections.find((profile) => profile.id === activeId);
  return (
    <div className="connection-switcher">
      <Select
        id="connection-switcher"
        labelText="Connection"
        hideLabel
        inline
        size="sm"
        disabled={busy}
        value={activeId ?? "local"}
        onChange={(event) => {
          const next = connections.find((profile) => profile.id === event.target.value);
          if (next !== undefined && next.id !== activeId) onSwitch(next);
        }}
      >
        {connections.map((profile) => (
          <SelectItem key={profile.id} value={profile.id} text={connectionLabel(profile)} />
        ))}
      </Select>
      {active?.mode === "remote" && (
        <Tag id="connection-remote-tag" size="sm" type="purple">
          Remote
        </Tag>
      )}
    </div>
  );
}
