import { Link, Modal, StructuredListBody, StructuredListCell, StructuredListRow, StructuredListWrapper } from "@carbon/react";
import { createPortal } from "react-dom";
import type { KeystoreInfo } from "../../lib/types";
import { APP_VERSION, README_SECTIONS } from "./about";


interface Props {
  /** The keystore as last reported; undefined while it has not answered. */
  info: KeystoreInfo | undefined;
  /** Where the README is published, if the build was told. */
  readmeUrl?: string | undefined;
  onClose: () => void;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <StructuredListRow>
      <StructuredListCell noWrap>{label}</StructuredListCell>
      <StructuredListCell>{children}</StructuredListCell>
    </StructuredListRow>
  );
}

/** Versions and the keystore in use, for bug reports; mounted only while open. */
export function AboutModal({ info, readmeUrl = import.meta.env.VITE_STRONGROOM_README_URL, onClose }: Props) {
  return createPortal(
    <Modal
      open
      passiveModal
      id="about-dialog"
      modalHeading="Strongroom"
      modalLabel="About"
      onRequestClose={onClose}
      closeButtonLabel="Close"
    >
      <p className="about__summary">
        A desktop console and local key-management service for envelope encryption, on IBM Key Protect's model.
      </p>
      <StructuredListWrapper isCondensed aria-label="Versions and keystore" className="about__facts">
        <StructuredListBody>
          <Row label="Version">
            <span id="about-version">{APP_VERSION}</span>
          </Row>
          <Row label="Keystore">
            <span id="about-mode">
              {info === undefined ? "Not reached yet" : info.mode === "embedded" ? "Embedded (this computer)" : "Remote instance"}
            </span>
          </Row>
          {info !== undefined && (
            <Row label="Location">
              <code id="about-location">{info.location}</code>
            </Row>
          )}
          {info?.schemaVersion !== undefined && (
            <Row label="Store schema">
              <span id="about-schema">Version {info.schemaVersion}</span>
            </Row>
          )}
        </StructuredListBody>
      </StructuredListWrapper>
      <h3 className="about__heading">Documentation</h3>
      {readmeUrl === undefined || readmeUrl === "" ? (
        <p className="about__docs" id="about-docs">
          In the README of the source: {README_SECTIONS.map((section) => section.title).join(" · ")}.
        </p>
      ) : (
        <ul className="about__docs" id="about-docs">
          {README_SECTIONS.map((section) => (
            <li key={section.anchor}>
              <Link href={`${readmeUrl}#${section.anchor}`} target="_blank" rel="noreferrer">
                {section.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Modal>,
    document.body,
  );
}
