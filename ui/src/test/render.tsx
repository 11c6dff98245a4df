import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { NotificationsProvider } from "../components/notifications";
import { CallerProvider } from "../lib/access";
import { BackendProvider, type Backend } from "../lib/backend";
import { PreferencesProvider } from "../lib/preferences";

export function renderWithBackend(ui: ReactElement, backend: Backend): RenderResult {
  return render(
    <BackendProvider backend={backend}>
      <PreferencesProvider>
        <CallerProvider>
          <NotificationsProvider>{ui}</NotificationsProvider>
        </CallerProvider>
      </PreferencesProvider>
    </BackendProvider>,
  );
}
