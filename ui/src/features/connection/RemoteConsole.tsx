import { HeaderGlobalAction } from "@carbon/react";
import { Logout } from "@carbon/icons-react";
import { useState } from "react";
import { App } from "../../App";
import { NotificationsProvider } from "../../components/notifications";
import { BackendProvider } from "../../lib/backend";
import type { HttpBackend } from "../../lib/backend/http";
import { PreferencesProvider } from "../../lib/preferences";
import type { Connect } from "./connect";
import { SignIn } from "./SignIn";

/** The console served by `strongroom serve`: sign in first, then the same app over HTTP. */
export function RemoteConsole({ connect }: { connect?: Connect }) {
  const [backend, setBackend] = useState<HttpBackend | null>(null);

  if (backend === null) {
    return <SignIn onSignedIn={setBackend} {...(connect === undefined ? {} : { connect })} />;
  }

  const signOut = () => {
    backend.signOut();
    setBackend(null);
  };

  return (
    <BackendProvider backend={backend}>
      <PreferencesProvider>
        <NotificationsProvider>
          <App
            headerActions={
              <HeaderGlobalAction aria-label="Sign out" tooltipAlignment="end" onClick={signOut}>
                <Logout size={20} />
              </HeaderGlobalAction>
            }
          />
        </NotificationsProvider>
      </PreferencesProvider>
    </BackendProvider>
  );
}
