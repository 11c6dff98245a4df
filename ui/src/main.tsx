import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { NotificationsProvider } from "./components/notifications";
import { RemoteConsole } from "./features/connection/RemoteConsole";
import { BackendProvider } from "./lib/backend";
import { TauriBackend } from "./lib/backend/tauri";
import { setFormatLocale } from "./lib/format";
import { PreferencesProvider } from "./lib/preferences";
import { formatLocaleOf, readPreferences } from "./lib/preferences/preferences";
import "./styles.scss";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("index.html has no #root element");
}

// Dates and numbers follow the stored choice from the first paint, the remote console's sign-in
// included (it renders before any preferences provider).
setFormatLocale(formatLocaleOf(readPreferences().locale));

// Inside the desktop shell the keystore is reached through Tauri commands; served by
// `strongroom serve` at /ui, the same app talks to the REST API after a sign-in.
const desktop = "__TAURI_INTERNALS__" in window;

createRoot(root).render(
  <StrictMode>
    {desktop ? (
      <BackendProvider backend={new TauriBackend()}>
        <PreferencesProvider>
          <NotificationsProvider>
            <App />
          </NotificationsProvider>
        </PreferencesProvider>
      </BackendProvider>
    ) : (
      <RemoteConsole />
    )}
  </StrictMode>,
);
