import {
  Button,
  Content,
  GlobalTheme,
  Header,
  HeaderName,
  InlineNotification,
  SkeletonPlaceholder,
  SkipToContent,
  Tag,
  Theme,
} from "@carbon/react";
import { useCallback, useState } from "react";
import { KeyTable } from "./features/keys/KeyTable";
import { TestWrapPanel } from "./features/wrapping/TestWrapPanel";
import { useBackend } from "./lib/backend";
import { describe } from "./lib/errors";
import { useRequest } from "./lib/hooks/useRequest";
import type { KeystoreInfo } from "./lib/types";

function KeystoreTag({ info }: { info: KeystoreInfo }) {
  const mode = info.mode === "embedded" ? "Embedded" : "Remote";
  return (
    <Tag id="keystore-tag" type="cool-gray" size="sm" className="app-header__keystore" title={info.location}>
      {mode} · {info.location}
    </Tag>
  );
}

export function App() {
  const backend = useBackend();
  const loadInfo = useCallback(() => backend.info(), [backend]);
  const [infoAttempt, setInfoAttempt] = useState(0);
  const info = useRequest(loadInfo, infoAttempt);
  const [refreshToken, setRefreshToken] = useState(0);
  const refresh = useCallback(() => setRefreshToken((token) => token + 1), []);

  let content;
  if (info.error !== undefined) {
    const unavailable = info.error.code === "KEYSTORE_UNAVAILABLE";
    content = (
      <div className="app-main__full">
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
      <>
        <SkeletonPlaceholder className="app-skeleton app-skeleton--table" />
        <SkeletonPlaceholder className="app-skeleton app-skeleton--panel" />
      </>
    );
  } else {
    content = (
      <>
        <div className="app-main__keys">
          <KeyTable refreshToken={refreshToken} onChanged={refresh} />
        </div>
        <aside className="app-main__panel" aria-label="Test wrap and unwrap">
          <TestWrapPanel refreshToken={refreshToken} />
        </aside>
      </>
    );
  }

  return (
    <GlobalTheme theme="g10">
      <Theme theme="g100">
        <Header aria-label="Strongroom">
          <SkipToContent />
          <HeaderName href="#main-content" prefix="">
            Strongroom
          </HeaderName>
          {info.data !== undefined && <KeystoreTag info={info.data} />}
        </Header>
      </Theme>
      <Content id="main-content" className="app-main" aria-busy={info.loading}>
        {content}
      </Content>
    </GlobalTheme>
  );
}
