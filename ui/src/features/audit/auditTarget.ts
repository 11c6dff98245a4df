import type { AuditEventInfo } from "../../lib/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key an event acted on, when its target is one: a key action (`kms.secrets.*`, aliases
 * included) names its key by id; rings, policies and authorizations are other targets.
 */
export function keyTargetOf(event: Pick<AuditEventInfo, "action" | "target">): string | undefined {
  return event.action.startsWith("kms.secrets") && UUID.test(event.target) ? event.target : undefined;
}
