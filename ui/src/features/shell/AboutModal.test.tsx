/// <reference types="node" />
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { APP_VERSION, README_SECTIONS } from "./about";
import { AboutModal } from "./AboutModal";

const packageVersion = (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as {
  version: string;
}).version;

const dialog = () => screen.getByRole("dialog");

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replaceAll(/[^a-z0-9 _-]/g, "")
    .replaceAll(" ", "-");

describe("AboutModal", () => {
  it("shows package.json's version, put in at build time", () => {
    render(<AboutModal info={undefined} onClose={() => undefined} />);
    expect(APP_VERSION).toBe(packageVersion);
    expect(within(dialog()).getByText(packageVersion)).toHaveAttribute("id", "about-version");
    expect(within(dialog()).getByText("Not reached yet")).toBeInTheDocument();
  });

  it("names the embedded keystore, its location and its schema version", () => {
    render(
      <AboutModal
        info={{ mode: "embedded", location: "/home/test/keystore.db", schemaVersion: 4 }}
        onClose={() => undefined}
      />,
    );
    expect(within(dialog()).getByText("Embedded (this computer)")).toBeInTheDocument();
    expect(within(dialog()).getByText("/home/test/keystore.db")).toBeInTheDocument();
    expect(within(dialog()).getByText("Version 4")).toBeInTheDocument();
  });

  it("leaves out the schema row for a remote instance, which publishes none", () => {
    render(<AboutModal info={{ mode: "remote", location: "https://kms.test · instance i1" }} onClose={() => undefined} />);
    expect(within(dialog()).getByText("Remote instance")).toBeInTheDocument();
    expect(document.getElementById("about-schema")).toBeNull();
  });

  it("links each README section when the build knows where the README is", () => {
    render(<AboutModal info={undefined} readmeUrl="https://docs.example/strongroom" onClose={() => undefined} />);
    const links = within(dialog()).getAllByRole("link");
    expect(links.map((link) => link.getAttribute("href"))).toEqual(
      README_SECTIONS.map((section) => `https://docs.example/strongroom#${section.anchor}`),
    );
  });

  it("points at headings the README really has", () => {
    const readme = readFileSync(join(process.cwd(), "..", "README.md"), "utf8");
    const anchors = readme
      .split("\n")
      .filter((line) => line.startsWith("## "))
      .map((line) => slug(line.slice(3).trim()));
    for (const section of README_SECTIONS) expect(anchors).toContain(section.anchor);
  });

  it("names the sections without links when it does not", () => {
    render(<AboutModal info={undefined} readmeUrl="" onClose={() => undefined} />);
    expect(within(dialog()).queryAllByRole("link")).toHaveLength(0);
    expect(document.getElementById("about-docs")).toHaveTextContent("Use it from your code");
  });

  it("closes from the keyboard: Escape first hides the focused close button's tooltip, then the dialog", async () => {
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<AboutModal info={undefined} onClose={onClose} />);
    expect(document.activeElement).toHaveAccessibleName("Close");
    await user.keyboard("{Escape}");
    expect(onClose).not.toHaveBeenCalled();
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
