import {
  Button,
  Content,
  GlobalTheme,
  Header,
  HeaderGlobalAction,
  HeaderGlobalBar,
  HeaderName,
  InlineNotification,
  SideNav,
  SideNavItems,
  SideNavLink,
  SkeletonPlaceholder,
  SkipToContent,
  Theme,
} from "@carbon/react";
import {
  Asleep,
  CloudServiceManagement,
  Dashboard,
  Encryption,
  Light,
  Folders,
  TagGroup,
  Information,
  Password,
  Policy,
  RecentlyViewed,
  Security,
  ServerProxy,
  Settings,
} from "@carbon/icons-react";
import { useCallback, useEffect, useState, type ComponentType } from "react";
import { DrawingFailure } from "./components/DrawingFailure";
import { NoticeLogButton, useNotify } from "./components/notifications";
import { AuditPage } from "./features/audit/AuditPage";
import { AuthorizationsPage } from "./features/authorizations/AuthorizationsPage";
import { ConnectionsPage } from "./features/connections/ConnectionsPage";
import { ConnectionSwitcher } from "./features/connections/ConnectionSwitcher";
import { connectionLabel } from "./features/connections/profile";
import { DashboardPage } from "./features/dashboard/DashboardPage";
import { AliasesPage } from "./features/aliases/AliasesPage";
import { KeyRingsPage } from "./features/keyRings/KeyRingsPage";
import { KeyPage } from "./features/keys/KeyPage";
import { KeysPage } from "./features/keys/KeysPage";
import { LocalServerPage } from "./features/localServer/LocalServerPage";
import { PoliciesPage } from "./features/policies/PoliciesPage";
import { PreferencesPage } from "./features/preferences/PreferencesPage";
import { AboutModal } from "./features/shell/AboutModal";
import { HealthChip } from "./features/shell/HealthChip";
import { headerInstance } from "./features/shell/instance";
import { InstanceLabel } from "./features/shell/InstanceLabel";
import { ClockTag } from "./features/shell/ClockTag";
import { loadKeystoreClock, setKeystoreClockOffset } from "./lib/clock";
import { KEY_PAGE_PARENT, PAGE_TITLES, PAGES, pagesFor, type Page } from "./features/shell/pages";
import { EnvelopePage } from "./features/wrapping/EnvelopePage";
import { CallerProvider } from "./lib/access";
import { useBackend } from "./lib/backend";
import { toBackendError } from "./lib/backend";
import { describe } from "./lib/errors";
import { useRequest } from "./lib/hooks/useRequest";
import { useStoredState } from "./lib/hooks/useStoredState";
import { useCarbonTheme, usePreferences } from "./lib/preferences";
import type { ConnectionProfile } from "./lib/types";

const THEMES = ["g10", "g100"] as const;
type ThemeName = (typeof THEMES)[number];

export const PAGE_STORAGE_KEY = "strongroom.page";

const PAGE_ICONS: Record<Page, ComponentType> = {
  dashboard: Dashboard,
  keys: Password,
  "key-rings": Folders,
  aliases: TagGroup,
  envelope: Encryption,
  authorizations: Security,
  policies: Policy,
  audit: RecentlyViewed,
  connections: CloudServiceManagement,
  "local-server": ServerProxy,
  preferences: Settings,
};

const noConnections = () => Promise.resolve(undefined);
/** How often a keystore whose clock may move is asked for it again. */
const CLOCK_CHECK_MS = 60_000;

/** Carbon's zone classes on <html>, so modals and toasts rendered at the document root follow the theme. */
function useDocumentTheme(theme: ThemeName) {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.remove(...THEMES.map((name) => `cds--${name}`));
    root.classList.add(`cds--${theme}`);
    root.style.colorScheme = theme === "g100" ? "dark" : "light";
  }, [theme]);
}

interface Props {
  /** Shown at the end of the header, e.g. "Sign out" for a remote keystore. */
  headerActions?: React.ReactNode;
}

export function App({ headerActions }: Props = {}) {
  const backend = useBackend();
  const loadInfo = useCallback(() => backend.info(), [backend]);
  const [infoAttempt, setInfoAttempt] = useState(0);
  const info = useRequest(loadInfo, infoAttempt);
  const [refreshToken, setRefreshToken] = useState(0);
  const refresh = useCallback(() => setRefreshToken((token) => token + 1), []);
  // A first start lands on the key table, as Key Protect's console does: it is what people
  // open the console for, and it draws fast where the dashboard's charts take a while.
  const [storedPage, setPage] = useStoredState<Page>(PAGE_STORAGE_KEY, PAGES, "keys");
  const visiblePages = pagesFor(backend.capabilities);
  const page = visiblePages.includes(storedPage) ? storedPage : "keys";
  const notify = useNotify();

  // Connections: the switcher's list and the active one (desktop only).
  const [connectionsToken, setConnectionsToken] = useState(0);
  const loadConnections = useCallback(
    () =>
      backend.capabilities.connections
        ? Promise.all([backend.connections(), backend.currentConnection()])
        : noConnections(),
    [backend],
  );
  const connections = useRequest(loadConnections, connectionsToken);
  const [switching, setSwitching] = useState(false);
  // Bumped on a switch: every page remounts and reloads against the new keystore.
  const [generation, setGeneration] = useState(0);
  // How far the keystore's clock runs ahead (a test server's virtual clock): asked on each switch,
  // then each minute while it may move (the keystore itself catches up with another process's move
  // within a minute). Countdowns follow it as it arrives (`useKeystoreClockOffset`).
  const [clockOffset, setClockOffset] = useState(0);
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      void loadKeystoreClock(backend).then(({ offsetSeconds, mayMove }) => {
        if (!current) return;
        setKeystoreClockOffset(offsetSeconds);
        setClockOffset(offsetSeconds);
        if (mayMove) timer = setTimeout(ask, CLOCK_CHECK_MS);
      });
    ask();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [backend, generation]);
  const switchTo = useCallback(
    async (profile: ConnectionProfile) => {
      setSwitching(true);
      try {
        await backend.selectConnection(profile.id);
        setGeneration((n) => n + 1);
        setInfoAttempt((n) => n + 1);
        setConnectionsToken((n) => n + 1);
        notify({ kind: "info", title: `Now using ${connectionLabel(profile)}` });
      } catch (thrown) {
        notify({ kind: "error", title: `Could not switch to ${profile.name}`, subtitle: describe(toBackendError(thrown)) });
      } finally {
        setSwitching(false);
      }
    },
    [backend, notify],
  );
  const activeConnectionId = connections.data?.[1].id;
  const instance = headerInstance(backend, connections.data?.[1]);
  // Until the person picks one, the theme follows the operating system's.
  const theme = useCarbonTheme();
  // Reading the preferences also re-renders the whole console when one changes: the dates and
  // numbers below are written in the chosen locale as they render.
  const { update: updatePreferences } = usePreferences();
  // The root key a key's details asked the envelope page to start with; a nav click starts afresh.
  const [envelopeKeyId, setEnvelopeKeyId] = useState<string | undefined>(undefined);
  // The key whose own page shows in place of the key table.
  const [keyPageId, setKeyPageId] = useState<string | undefined>(undefined);
  // The key ring the key table starts filtered to, when the Key rings page asked for it.
  const [keysRing, setKeysRing] = useState<string | undefined>(undefined);
  const navigate = useCallback(
    (next: Page) => {
      setEnvelopeKeyId(undefined);
      setKeyPageId(undefined);
      setKeysRing(undefined);
      setPage(next);
    },
    [setPage],
  );
  const viewKeys = (keyRing: string) => {
    setKeyPageId(undefined);
    setKeysRing(keyRing);
    setPage("keys");
  };
  const openEnvelope = (key: { id: string }) => {
    setKeyPageId(undefined);
    setPage("envelope");
    setEnvelopeKeyId(key.id);
  };
  const [aboutOpen, setAboutOpen] = useState(false);
  useDocumentTheme(theme);
  const dark = theme === "g100";

  let content;
  if (info.error !== undefined) {
    const unavailable = info.error.code === "KEYSTORE_UNAVAILABLE";
    content = (
      <div className="app-page app-page--message">
        <InlineNotification
          id="keystore-error"
          className="app-keystore-error"
          kind="error"
          title={unavailable ? "The keystore is unavailable" : "Strongroom could not reach its keystore"}
          subtitle={describe(info.error)}
          hideCloseButton
        />
        <Button kind="tertiary" size="md" onClick={() => setInfoAttempt((n) => n + 1)}>
          Try again
        </Button>
      </div>
    );
  } else if (info.data === undefined) {
    content = (
      <div className="app-page" aria-label="Loading">
        <SkeletonPlaceholder className="app-skeleton app-skeleton--title" />
        <SkeletonPlaceholder className="app-skeleton app-skeleton--table" />
      </div>
    );
  } else if (page === "dashboard") {
    content = <DashboardPage refreshToken={refreshToken} onNavigate={navigate} />;
  } else if (page === KEY_PAGE_PARENT && keyPageId !== undefined) {
    content = (
      <KeyPage
        keyId={keyPageId}
        refreshToken={refreshToken}
        onChanged={refresh}
        onBack={() => setKeyPageId(undefined)}
        onOpenEnvelope={openEnvelope}
      />
    );
  } else if (page === "keys") {
    content = (
      <KeysPage
        // A new ring to show starts a fresh table, even when the Keys page is already open.
        key={keysRing ?? ""}
        refreshToken={refreshToken}
        {...(keysRing === undefined ? {} : { keyRing: keysRing })}
        onChanged={refresh}
        onOpenEnvelope={openEnvelope}
        onOpenPage={(key) => setKeyPageId(key.id)}
      />
    );
  } else if (page === "key-rings") {
    content = <KeyRingsPage refreshToken={refreshToken} onViewKeys={viewKeys} />;
  } else if (page === "aliases") {
    content = <AliasesPage refreshToken={refreshToken} />;
  } else if (page === "policies") {
    content = <PoliciesPage refreshToken={refreshToken} />;
  } else if (page === "authorizations") {
    content = <AuthorizationsPage refreshToken={refreshToken} />;
  } else if (page === "audit") {
    content = <AuditPage refreshToken={refreshToken} />;
  } else if (page === "connections") {
    content = (
      <ConnectionsPage
        refreshToken={connectionsToken}
        activeId={activeConnectionId}
        onChanged={() => setConnectionsToken((n) => n + 1)}
        onSwitch={(profile) => void switchTo(profile)}
      />
    );
  } else if (page === "local-server") {
    content = <LocalServerPage />;
  } else if (page === "preferences") {
    content = <PreferencesPage />;
  } else {
    content = (
      <EnvelopePage
        refreshToken={refreshToken}
        onChanged={refresh}
        profileId={backend.capabilities.connections ? activeConnectionId : null}
        {...(envelopeKeyId === undefined ? {} : { keyId: envelopeKeyId })}
      />
    );
  }

  return (
    <GlobalTheme theme={theme}>
      <Theme theme="g100">
        <Header aria-label="Strongroom">
          <SkipToContent />
          <HeaderName href="#main-content" prefix="">
            Strongroom
          </HeaderName>
          {/* Both counters only grow, so their sum changes whenever either does. */}
          <HealthChip checkKey={generation + infoAttempt} />
          {connections.data !== undefined && (
            <ConnectionSwitcher
              connections={connections.data[0]}
              activeId={activeConnectionId}
              busy={switching}
              onSwitch={(profile) => void switchTo(profile)}
            />
          )}
          {/* The switcher, where there is one, already names the mode. */}
          {instance !== undefined && <InstanceLabel instance={instance} showMode={connections.data === undefined} />}
          <ClockTag offsetSeconds={clockOffset} />
          <HeaderGlobalBar>
            <HeaderGlobalAction
              className="app-theme-toggle"
              aria-label={dark ? "Switch to light theme" : "Switch to dark theme"}
              tooltipAlignment="end"
              onClick={() => updatePreferences({ theme: dark ? "light" : "dark" })}
            >
              {dark ? <Light size={20} /> : <Asleep size={20} />}
            </HeaderGlobalAction>
            <NoticeLogButton />
            <HeaderGlobalAction
              // Carbon's props leave out `id`, but the button receives it (end-to-end tests find it by id).
              {...{ id: "header-preferences" }}
              aria-label="Preferences"
              tooltipAlignment="end"
              isActive={page === "preferences"}
              onClick={() => navigate("preferences")}
            >
              <Settings size={20} />
            </HeaderGlobalAction>
            <HeaderGlobalAction
              aria-label="About Strongroom"
              tooltipAlignment="end"
              onClick={() => setAboutOpen(true)}
            >
              <Information size={20} />
            </HeaderGlobalAction>
            {headerActions}
          </HeaderGlobalBar>
        </Header>
      </Theme>
      <SideNav aria-label="Pages" expanded isFixedNav isChildOfHeader={false} className="app-nav">
        <SideNavItems>
          {visiblePages.map((name) => (
            <SideNavLink
              key={name}
              id={`nav-${name}`}
              href={`#${name}`}
              renderIcon={PAGE_ICONS[name]}
              isActive={page === name}
              aria-current={page === name ? "page" : undefined}
              onClick={(event: React.MouseEvent) => {
                event.preventDefault();
                navigate(name);
              }}
            >
              {PAGE_TITLES[name]}
            </SideNavLink>
          ))}
        </SideNavItems>
      </SideNav>
      {aboutOpen && <AboutModal info={info.data} onClose={() => setAboutOpen(false)} />}
      <Content id="main-content" className="app-main" aria-busy={info.loading} tabIndex={-1}>
        {/* Remounted on a switch: every page reloads, and the caller's grants with them. */}
        <CallerProvider key={generation}>
          {/* A page that throws while drawing says so in place; the header and navigation stay. */}
          <DrawingFailure what="this page" id="page-drawing-failure" resetKey={`${generation}|${page}|${keyPageId ?? ""}`}>
            {content}
          </DrawingFailure>
        </CallerProvider>
      </Content>
    </GlobalTheme>
  );
}
