import { Button } from "@carbon/react";
import type { ComponentProps } from "react";
import type { Access } from "../lib/access";

type Props = ComponentProps<typeof Button> & { access: Access };

/**
 * A button the caller may lack the role for. Denied, it stays visible but disabled, and says
 * which role is missing (hover, and for screen readers its description), instead of being
 * hidden or failing on click.
 */
export function GuardedButton({ access, disabled, ...props }: Props) {
  if (access.allowed) return <Button {...props} disabled={disabled} />;
  return (
    <span className="guarded-control" title={access.reason} data-denied-reason={access.reason}>
      {/* The reason replaces any title, so hovering shows why rather than what. */}
      <Button {...props} title={undefined} disabled aria-description={access.reason} />
    </span>
  );
}
