import {
  Breadcrumb,
  BreadcrumbItem,
  Button,
  CodeSnippet,
  InlineNotification,
  SkeletonText,
  StructuredListBody,
  StructuredListCell,
  StructuredListRow,
  StructuredListWrapper,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  TabList,
  TabPanel,
  TabPanels,
  Tabs,
  Tag,
} from "@carbon/react";
import { Encryption } from "@carbon/icons-react";
import { useCallback, useEffect, useRef, type ReactNode } from "react";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber, formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo, KeyVersionInfo } from "../../lib/types";
import { DualAuthDeletion } from "./DualAuthDeletion";
import { KeyActionBar } from "./KeyActionBar";
import { KeyActivity } from "./KeyActivity";
import { DeactivatedNotice, KeyExpiry } from "./KeyExpiry";
import { KeyPlacement } from "./KeyPlacement";
import { KeyPoliciesSection } from "./KeyPoliciesSection";
import { KeyReach } from "./KeyReach";
import { RestoreWindow } from "./RestoreWindow";

const ACTIVITY_LIMIT = 50;

interface Props {
  keyId: string;
  refreshToken: number;
  onChanged: () => void;
  onBack: () => void;
  /** Offered for root keys that can wrap or unwrap. */
  onOpenEnvelope?: (key: KeyInfo) => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <StructuredListRow>
      <StructuredListCell noWrap className="key-page__field-label">
        {label}
      </StructuredListCell>
      <StructuredListCell>{children}</StructuredListCell>
    </StructuredListRow>
  );
}

function At({ at, by }: { at: string; by?: string }) {
  return (
    <>
      <time dateTime={at}>{formatTimestamp(at)}</time>
      {by !== undefined && by !== "" && <span className="key-details__note"> by {by}</span>}
    </>
  );
}

function Overview({ info }: { info: KeyInfo }) {
  return (
    <StructuredListWrapper isCondensed aria-label="Key overview" id="key-page-overview">
      <StructuredListBody>
        <Field label="Description">
          {info.description ?? <span className="key-details__note">None. A description cannot be added later.</span>}
        </Field>
        <Field label="Created">
          <At at={info.createdAt} by={info.createdBy} />
        </Field>
        <Field label="Last updated">
          <At at={info.updatedAt} />
        </Field>
        {info.lastRotatedAt !== undefined && (
          <Field label="Last rotated">
            <At at={info.lastRotatedAt} />
          </Field>
        )}
        {info.deletedAt !== undefined && (
          <Field label="Destroyed">
            <At at={info.deletedAt} by={info.deletedBy} />
          </Field>
        )}
        {info.state === "destroyed" && info.deletedAt !== undefined && (
          <Field label="Restorable until">
            <RestoreWindow id="key-page-restorable-until" keyInfo={info} />
          </Field>
        )}
        <Field label="Expiration">
          {info.expiresAt === undefined ? "Never" : <KeyExpiry id="key-page-expiry" expiresAt={info.expiresAt} />}
        </Field>
        <Field label="Extractable">
          {info.keyType === "standard" ? "Yes: a standard key's payload can be read back" : "No: a root key never leaves the keystore"}
        </Field>
        <Field label="Imported">{info.imported ? "Yes: the material was supplied" : "No: the keystore generated it"}</Field>
        <Field label="Key ring">{info.keyRing}</Field>
        <Field label="Aliases">
          {info.aliases.length === 0
            ? "None"
            : info.aliases.map((alias) => (
                <Tag key={alias} size="sm" type="cool-gray">
                  {alias}
                </Tag>
              ))}
        </Field>
      </StructuredListBody>
    </StructuredListWrapper>
  );
}

function Versions({ keyId, current, refreshToken }: { keyId: string; current: string; refreshToken: number }) {
  const backend = useBackend();
  const load = useCallback(() => backend.keyVersions(keyId), [backend, keyId]);
  const { data, error } = useRequest(load, refreshToken);
  if (error !== undefined) {
    return (
      <InlineNotification kind="error" title="Versions could not be loaded" subtitle={describe(error)} lowContrast hideCloseButton />
    );
  }
  if (data === undefined) return <SkeletonText paragraph lineCount={3} />;
  // Newest first, whatever order the transport returns.
  const sorted: KeyVersionInfo[] = [...data].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  // A keystore that counts uses (embedded, strongroom serve) gives every version a count; IBM
  // Key Protect gives none, and the columns stay away rather than show blanks.
  const counted = sorted.some((version) => version.wraps !== undefined);
  return (
    <Table size="sm" aria-label="Key versions, newest first" className="key-page__versions">
      <TableHead>
        <TableRow>
          <TableHeader>Version ID</TableHeader>
          <TableHeader>Created</TableHeader>
          {counted && (
            <>
              <TableHeader>Wrapped ciphertexts</TableHeader>
              <TableHeader>Unwraps</TableHeader>
              <TableHeader>Last used</TableHeader>
            </>
          )}
          <TableHeader>
            <span className="cds--visually-hidden">Current</span>
          </TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map((version) => (
          <TableRow key={version.id} data-version-id={version.id}>
            <TableCell>
              <code className="key-details__code">{version.id}</code>
            </TableCell>
            <TableCell>
              <At at={version.createdAt} />
            </TableCell>
            {counted && (
              <>
                <TableCell data-version-wraps>{formatNumber(version.wraps ?? 0)}</TableCell>
                <TableCell data-version-unwraps>{formatNumber(version.unwraps ?? 0)}</TableCell>
                <TableCell>{version.lastUsedAt === undefined ? "Never" : <At at={version.lastUsedAt} />}</TableCell>
              </>
            )}
            <TableCell>
              {version.id === current && (
                <Tag size="sm" type="blue">
                  Current
                </Tag>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Everything about one key on a page of its own, in tabs; reached from the details panel. */
export function KeyPage({ keyId, refreshToken, onChanged, onBack, onOpenEnvelope }: Props) {
  const backend = useBackend();
  const load = useCallback(() => backend.key(keyId), [backend, keyId]);
  const key = useRequest(load, refreshToken);
  const heading = useRef<HTMLHeadingElement>(null);
  const info = key.data?.id === keyId ? key.data : undefined;
  const loaded = info !== undefined;

  // The page replaces the table, so focus goes to its title rather than staying on a gone row.
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const breadcrumb = (
    <Breadcrumb noTrailingSlash aria-label="Breadcrumb" className="key-page__breadcrumb">
      <BreadcrumbItem
        href="#keys"
        id="key-page-back"
        onClick={(event: React.MouseEvent) => {
          event.preventDefault();
          onBack();
        }}
      >
        Back to keys
      </BreadcrumbItem>
    </Breadcrumb>
  );

  if (info === undefined) {
    return (
      <div className="app-page key-page" id="key-page" aria-busy={key.loading}>
        {breadcrumb}
        {key.error !== undefined ? (
          <InlineNotification
            kind="error"
            title="This key could not be loaded"
            subtitle={describe(key.error)}
            lowContrast
            hideCloseButton
          />
        ) : (
          <SkeletonText heading paragraph lineCount={6} />
        )}
      </div>
    );
  }

  const canEnvelope = info.keyType === "root" && (info.state === "active" || info.state === "deactivated");

  return (
    <div className="app-page key-page" id="key-page" data-key-id={info.id} aria-busy={key.loading}>
      {breadcrumb}
      <header className="key-page__header">
        <div className="key-page__title-row">
          <h1 ref={heading} tabIndex={-1} className="key-page__title">
            {info.name}
          </h1>
          <KeyStateTag state={info.state} />
          <Tag size="sm" type="outline">
            {info.keyType === "root" ? "Root key" : "Standard key"}
          </Tag>
          {info.imported && (
            <Tag size="sm" type="outline">
              Imported
            </Tag>
          )}
        </div>
        <div className="key-page__id" id="key-page-id">
          <span className="cds--label">Key ID</span>{" "}
          <CodeSnippet type="inline" feedback="Copied" aria-label="Copy key ID">
            {info.id}
          </CodeSnippet>
        </div>
        <KeyActionBar keyInfo={info} onChanged={onChanged}>
          {onOpenEnvelope !== undefined && canEnvelope && (
            <Button
              id="key-page-envelope"
              size="sm"
              kind="ghost"
              renderIcon={Encryption}
              onClick={() => onOpenEnvelope(info)}
            >
              Envelope test
            </Button>
          )}
        </KeyActionBar>
      </header>

      {info.state === "deactivated" && <DeactivatedNotice id="key-page-deactivated" />}
      <DualAuthDeletion keyInfo={info} onChanged={onChanged} />

      <Tabs>
        <TabList aria-label="Key sections" contained>
          <Tab id="key-tab-overview">Overview</Tab>
          <Tab id="key-tab-versions">Versions</Tab>
          <Tab id="key-tab-policies">Policies</Tab>
          <Tab id="key-tab-resources">Associated resources</Tab>
          <Tab id="key-tab-authorizations">Authorizations</Tab>
          <Tab id="key-tab-activity">Activity</Tab>
        </TabList>
        <TabPanels>
          <TabPanel>
            <Overview info={info} />
            <KeyPlacement key={`${info.id}:${info.keyRing}`} keyInfo={info} onChanged={onChanged} />
          </TabPanel>
          <TabPanel>
            <Versions keyId={info.id} current={info.keyVersion.id} refreshToken={refreshToken} />
          </TabPanel>
          <TabPanel>
            <KeyPoliciesSection keyInfo={info} refreshToken={refreshToken} onChanged={onChanged} />
          </TabPanel>
          <TabPanel>
            <KeyReach keyInfo={info} refreshToken={refreshToken} show="registrations" />
          </TabPanel>
          <TabPanel>
            <KeyReach keyInfo={info} refreshToken={refreshToken} show="authorizations" />
          </TabPanel>
          <TabPanel>
            <KeyActivity keyId={info.id} refreshToken={refreshToken} limit={ACTIVITY_LIMIT} />
          </TabPanel>
        </TabPanels>
      </Tabs>
    </div>
  );
}
