import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NoticeLogButton, NotificationsProvider, useNotify } from ".";

const START = new Date("2026-03-01T10:00:00Z");

/** Lets fake time pass, and React render what it changed. */
const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

/** Raises the notice a disable would: a success with "Re-enable" usable 30 s later. */
function Raise({ onReenable }: { onReenable: () => void }) {
  const notify = useNotify();
  return (
    <button
      type="button"
      onClick={() =>
        notify({
          kind: "success",
          title: "Key payments-root disabled",
          action: {
            label: "Re-enable",
            id: "toast-reenable",
            availableAt: new Date(Date.now() + 30_000),
            onClick: onReenable,
          },
        })
      }
    >
      raise
    </button>
  );
}

function setup() {
  const onReenable = vi.fn();
  render(
    <NotificationsProvider>
      <Raise onReenable={onReenable} />
      <NoticeLogButton />
    </NotificationsProvider>,
  );
  return { onReenable };
}

/** A click, synchronously: user-event's own timers would wait on the faked clock. */
const click = (element: Element | null) => {
  if (element === null) throw new Error("nothing to click");
  fireEvent.click(element);
};

const toastButton = () => document.getElementById("toast-reenable");

describe("a notice with an action", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(START);
  });
  afterEach(() => vi.useRealTimers());

  it("offers the action disabled, counting down, until it is available", async () => {
    const { onReenable } = setup();
    click(screen.getByRole("button", { name: "raise" }));
    expect(toastButton()).toBeDisabled();
    expect(toastButton()).toHaveTextContent("Re-enable (in 30 s)");
    await pass(12_000);
    expect(toastButton()).toHaveTextContent("Re-enable (in 18 s)");
    expect(toastButton()).toBeDisabled();
    await pass(18_000);
    expect(toastButton()).toBeEnabled();
    expect(toastButton()).toHaveTextContent(/^Re-enable$/);
    expect(onReenable).not.toHaveBeenCalled();
  });

  it("stays on screen past a plain toast's 6 s, until the action has been usable for a while", async () => {
    setup();
    click(screen.getByRole("button", { name: "raise" }));
    await pass(35_000);
    expect(screen.getByText("Key payments-root disabled")).toBeInTheDocument();
    await pass(6_000);
    expect(screen.queryByText("Key payments-root disabled")).not.toBeInTheDocument();
  });

  it("runs once, from the toast, and then leaves the toast and the log", async () => {
    const { onReenable } = setup();
    click(screen.getByRole("button", { name: "raise" }));
    await pass(30_000);
    click(toastButton());
    expect(onReenable).toHaveBeenCalledTimes(1);
    expect(screen.queryByText("Key payments-root disabled")).not.toBeInTheDocument();

    click(screen.getByRole("button", { name: "Notifications (new)" }));
    const entry = within(screen.getByRole("list")).getByRole("listitem");
    expect(entry).toHaveTextContent("Key payments-root disabled");
    expect(within(entry).queryByRole("button")).toBeNull();
  });

  it("is offered in the log too, with the same wait, and runs from there", async () => {
    const { onReenable } = setup();
    click(screen.getByRole("button", { name: "raise" }));
    click(screen.getByRole("button", { name: "Notifications (new)" }));
    const logButton = () => document.getElementById("toast-reenable-log");
    expect(logButton()).toBeDisabled();
    expect(logButton()).toHaveTextContent("(in 30 s)");
    await pass(30_000);
    click(logButton());
    expect(onReenable).toHaveBeenCalledTimes(1);
    expect(logButton()).toBeNull();
    expect(toastButton()).toBeNull();
  });
});
