import {
  CodeSnippet,
  InlineLoading,
  InlineNotification,
  NumberInput,
  SkeletonText,
  Tab,
  TabList,
  TabPanel,
  TabPanels,
  Tabs,
  Toggle,
} from "@carbon/react";
import { useCallback, useState } from "react";
import { toBackendError, useBackend, type BackendError } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useRequest } from "../../lib/hooks/useRequest";
import type { LocalServerStatus } from "../../lib/types";
import { API_KEY_VARIABLE, nodeSnippet, pythonSnippet } from "./snippets";

const PORT_MIN = 1024;
const PORT_MAX = 65535;

/** Serve this computer's keystore on 127.0.0.1 so code can use it with Key Protect's SDKs. */
export function LocalServerPage() {
  const backend = useBackend();
  const load = useCallback(() => backend.localServerStatus(), [backend]);
  const initial = useRequest(load);
  const [status, setStatus] = useState<LocalServerStatus | null>(null);
  const [port, setPort] = useState<number | "">("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<BackendError | undefined>(undefined);
  const current = status ?? initial.data;

  const toggle = async (on: boolean) => {
    setBusy(true);
    setFailure(undefined);
    try {
      setStatus(on ? await backend.startLocalServer(port === "" ? undefined : port) : await backend.stopLocalServer());
    } catch (thrown) {
      setFailure(toBackendError(thrown));
    } finally {
      setBusy(false);
    }
  };

  const error = failure ?? initial.error;
  const portInvalid = port !== "" && (port < PORT_MIN || port > PORT_MAX);

  return (
    <div className="app-page app-page--narrow">
      <h1 className="app-page__title">Local server</h1>
      <p className="app-page__lead">
        Serve this computer&apos;s keystore over the Key Protect API on 127.0.0.1 only, so applications and SDKs on
        this machine can wrap and unwrap with its keys. Nothing outside this computer can reach it.
      </p>
      {error !== undefined && (
        <InlineNotification kind="error" title="The local server did not change" subtitle={describe(error)} lowContrast hideCloseButton />
      )}
      {current === undefined ? (
        error === undefined && <SkeletonText paragraph lineCount={3} />
      ) : (
        <>
          <div className="local-server__controls">
            <Toggle
              id="local-server-toggle"
              labelText="Serve on 127.0.0.1"
              labelA="Off"
              labelB="On"
              toggled={current.running}
              disabled={busy || portInvalid}
              onToggle={(on) => void toggle(on)}
            />
            {!current.running && (
              <NumberInput
                id="local-server-port"
                label="Port (optional)"
                helperText="Leave empty to let Strongroom choose a free port."
                min={PORT_MIN}
                max={PORT_MAX}
                allowEmpty
                hideSteppers
                value={port}
                invalid={portInvalid}
                invalidText={`Choose a port from ${PORT_MIN} to ${PORT_MAX}.`}
                onChange={(_event, { value }) => setPort(value === "" || value === undefined ? "" : Number(value))}
              />
            )}
            {busy && <InlineLoading description={current.running ? "Stopping…" : "Starting…"} />}
          </div>
          {current.running && current.url !== undefined && (
            <section aria-labelledby="local-server-code-title" className="local-server__code">
              <p>
                Serving at <code id="local-server-url">{current.url}</code>
                {current.instanceId !== undefined && (
                  <>
                    {" "}
                    · instance <code id="local-server-instance">{current.instanceId}</code>
                  </>
                )}
              </p>
              <h2 id="local-server-code-title" className="key-details__subtitle">
                Connect from code
              </h2>
              <p>
                Set <code>{API_KEY_VARIABLE}</code> to an API key of this keystore in your shell; the snippets read it
                from there and never contain it.
              </p>
              <Tabs>
                <TabList aria-label="Languages">
                  <Tab id="local-server-python-tab">Python</Tab>
                  <Tab id="local-server-node-tab">Node.js</Tab>
                </TabList>
                <TabPanels>
                  <TabPanel>
                    <div id="local-server-python">
                    <CodeSnippet type="multi" feedback="Copied">
                      {pythonSnippet(current.url, current.instanceId ?? "")}
                    </CodeSnippet>
                    </div>
                  </TabPanel>
                  <TabPanel>
                    <div id="local-server-node">
                    <CodeSnippet type="multi" feedback="Copied">
                      {nodeSnippet(current.url, current.instanceId ?? "")}
                    </CodeSnippet>
                    </div>
                  </TabPanel>
                </TabPanels>
              </Tabs>
            </section>
          )}
        </>
      )}
    </div>
  );
}
