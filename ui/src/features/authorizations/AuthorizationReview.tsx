import { CodeSnippet } from "@carbon/react";
import { ArrowRight } from "@carbon/icons-react";
import type { CreateAuthorizationRequest } from "../../lib/types";
import { authorizationPolicyJson } from "./curl";

interface Props {
  request: CreateAuthorizationRequest;
  /** What the service may reach, in words ("Every key of this instance", "Key orders-root …"). */
  target: string;
  /** What the role allows, in words. */
  roleMeaning: string;
  /** This instance's id, when the connection knows it. */
  instanceId: string | undefined;
}

/**
 * The last look before Authorize: who (source service and instance) gets which role on what,
 * and the IAM authorization policy exactly as it will be sent.
 */
export function AuthorizationReview({ request, target, roleMeaning, instanceId }: Props) {
  const role = request.roles?.join(", ") ?? "Reader";
  return (
    <section id="authorization-review-summary" className="authorization-review" aria-label="Access summary">
      <h3 className="cds--label">Access summary</h3>
      <p className="authorization-review__flow">
        <strong>{request.sourceService}</strong>
        <span className="authorization-review__source-scope">
          {request.sourceInstance === undefined ? "(all its instances)" : `(instance ${request.sourceInstance})`}
        </span>
        <ArrowRight aria-label="may use" className="authorization-review__arrow" />
        <strong>{target}</strong>
      </p>
      <dl className="authorization-review__facts">
        <dt>Role</dt>
        <dd id="authorization-review-role">
          {role} — {roleMeaning}
        </dd>
        <dt>Scope</dt>
        <dd id="authorization-review-scope">{target}</dd>
      </dl>
      <h3 className="cds--label">IAM policy to be created (JSON)</h3>
      <div id="authorization-review-json">
        <CodeSnippet type="multi" feedback="Copied" wrapText aria-label="IAM policy JSON">
          {authorizationPolicyJson(request, instanceId)}
        </CodeSnippet>
      </div>
    </section>
  );
}
