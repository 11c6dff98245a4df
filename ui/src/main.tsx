import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { NotificationsProvider } from "./components/notifications";
import { BackendProvider } from "./lib/backend";
import { TauriBackend } from "./lib/backend/tauri";
import "./styles.scss";

// The HTTP backend for a remote keystore will be chosen here.
const backend = new TauriBackend();

const root = document.getElementById("root");
if (root === null) {
  throw new Error("index.html has no #root element");
}

createRoot(root).render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <NotificationsProvider>
        <App />
      </NotificationsProvider>
    </BackendProvider>
  </StrictMode>,
);
