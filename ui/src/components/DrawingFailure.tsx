import { Button, InlineNotification } from "@carbon/react";
import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  /** What could not be drawn, in the sentence's words: "this page", "the chart". */
  what: string;
  /** Id of the notice, for tests that look for it. */
  id: string;
  /** A new value starts over: the page shown changed, or the data the drawing is of. */
  resetKey?: unknown;
  /** A smaller notice, for a part of a page. */
  compact?: boolean;
  children: ReactNode;
}

interface State {
  failed: boolean;
  resetKey: unknown;
}

/**
 * Keeps an error thrown while drawing from emptying the whole window: without a boundary React
 * unmounts everything, header and navigation included, and leaves a blank page. The failure is
 * told in a plain sentence where the drawing was, the rest of the console keeps working, and
 * "Try again" draws it afresh. The error itself goes to the developer console, not the screen:
 * it is a programming error, and its text means nothing to the person at the keyboard.
 */
export class DrawingFailure extends Component<Props, State> {
  override state: State = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return Object.is(props.resetKey, state.resetKey) ? null : { failed: false, resetKey: props.resetKey };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Strongroom could not draw ${this.props.what}:`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) {
      return this.props.children;
    }
    return (
      <div className="drawing-failure">
        <InlineNotification
          id={this.props.id}
          kind="error"
          lowContrast={this.props.compact}
          hideCloseButton
          title={`Strongroom could not draw ${this.props.what}.`}
          subtitle="The rest of the console still works. Try again, or reopen Strongroom if it keeps happening."
        />
        <Button kind="tertiary" size="sm" onClick={() => this.setState({ failed: false })}>
          Try again
        </Button>
      </div>
    );
  }
}
