import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { NoticeLogButton, NotificationsProvider, useNotify } from ".";

/** Two buttons that raise the notices a page would. */
function Raise() {
  const notify = useNotify();
  return (
    <>
      <button type="button" onClick={() => notify({ kind: "success", title: "Key payments-root created" })}>
        raise success
      </button>
      <button
        type="button"
        onClick={() => notify({ kind: "error", title: "Could not disable", subtitle: "The key is destroyed." })}
      >
        raise error
      </button>
    </>
  );
}

describe("the notification log", () => {
  it("keeps every notice after its toast, newest first, and marks unseen ones", async () => {
    const user = userEvent.setup();
    render(
      <NotificationsProvider>
        <Raise />
        <NoticeLogButton />
      </NotificationsProvider>,
    );
    expect(screen.getByRole("button", { name: "Notifications" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "raise success" }));
    await user.click(screen.getByRole("button", { name: "raise error" }));
    const bell = screen.getByRole("button", { name: "Notifications (new)" });
    await user.click(bell);

    const log = screen.getByRole("list");
    const items = within(log).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Could not disable");
    expect(items[0]).toHaveTextContent("The key is destroyed.");
    expect(items[1]).toHaveTextContent("Key payments-root created");
    expect(screen.getByRole("button", { name: "Notifications" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Clear" }));
    expect(screen.queryByRole("list")).not.toBeInTheDocument();
  });
});
