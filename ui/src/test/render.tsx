import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { NotificationsProvider } from "../components/notifications";
import { BackendProvider, type Backend } from "../lib/backend";

export function renderWithBackend(ui: ReactElement, backend: Backend): RenderResult {
  return render(
    <BackendProvider backend={backend}>
      <NotificationsProvider>{ui}</NotificationsProvider>
    </BackendProvider>,
  );
}
