// The web console that `strongroom serve` hosts at /ui, in Debian's Chromium through
// playwright-core: sign in, create keys, sort them in the keystore, wrap and unwrap with AAD,
// read the audit log. Run by tests/web_console.rs against a server on loopback.
// With STRONGROOM_SCREENSHOTS=<dir>, saves a picture of every page there.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const url = process.env.STRONGROOM_URL;
const instance = process.env.STRONGROOM_INSTANCE;
const apiKey = process.env.STRONGROOM_API_KEY;
const shots = process.env.STRONGROOM_SCREENSHOTS;
assert.ok(url && instance && apiKey, "STRONGROOM_URL, STRONGROOM_INSTANCE and STRONGROOM_API_KEY are needed");

let passed = 0;
let failed = 0;
async function step(name, run) {
  try {
    await run();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error?.message ?? error}`);
    // What the page showed when the step failed, beside the other pictures.
    if (shots) await page.screenshot({ path: `${shots}/failed-step.png` }).catch(() => {});
    throw error;
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // Root in CI: Chromium's sandbox needs user namespaces it may not have.
  args: ["--no-sandbox"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(error.message));
page.setDefaultTimeout(20_000);

/** A picture for docs/: toasts dismissed, charts drawn. */
const picture = async (name) => {
  if (!shots) return;
  await page.$$eval(
    ".cds--toast-notification__close-button, .cds--actionable-notification__close-button",
    (buttons) => buttons.forEach((b) => b.click()),
  );
  // The page scrolls inside the main area, not the document: grow the window to show it all.
  const height = await page.$eval("#main-content", (main) => main.scrollHeight + main.getBoundingClientRect().top);
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(800, Math.ceil(height)), 2200) });
  // From the top of the page, whatever a step scrolled to.
  await page.$eval("#main-content", (main) => main.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${shots}/${name}.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
};
const open = async (name) => {
  await page.click(`#nav-${name}`);
};
const createKey = async (name) => {
  await page.click("#create-key-button");
  await page.fill("#create-key-name", name);
  await page.click("#create-key-submit");
  await page.waitForSelector(`[data-key-name="${name}"]`);
};
const rowNames = () => page.$$eval("[data-key-name]", (rows) => rows.map((row) => row.dataset.keyName));

try {
  await step("a wrong API key is refused in plain words", async () => {
    await page.goto(`${url}/ui/?instance=${instance}`);
    await page.fill("#sign-in-api-key", "not-the-key");
    await page.click("#sign-in-submit");
    const error = await page.textContent("#sign-in-error");
    assert.match(error ?? "", /not accepted/);
  });

  await step("signs in with the API key and the instance from the link", async () => {
    await page.fill("#sign-in-api-key", apiKey);
    await page.click("#sign-in-submit");
    await page.waitForSelector("#nav-keys");
  });

  await step("creates root keys from the key table", async () => {
    await open("keys");
    await page.waitForSelector("#create-key-button");
    for (const name of ["mango-root", "apple-root", "zebra-root"]) await createKey(name);
    await page.waitForFunction(() => document.getElementById("key-total")?.textContent === "3");
  });

  await step("sorts by name in the keystore, both ways", async () => {
    await page.getByRole("button", { name: /^Name/ }).click();
    await page.waitForFunction(() => document.querySelector("[data-key-name]")?.dataset.keyName === "apple-root");
    assert.deepEqual(await rowNames(), ["apple-root", "mango-root", "zebra-root"]);
    await page.getByRole("button", { name: /^Name/ }).click();
    await page.waitForFunction(() => document.querySelector("[data-key-name]")?.dataset.keyName === "zebra-root");
    assert.deepEqual(await rowNames(), ["zebra-root", "mango-root", "apple-root"]);
  });

  await step("opens a key's details", async () => {
    await page.click('[data-key-name="mango-root"] .key-table__name-button');
    await page.waitForSelector("#key-details [data-version-id]");
    await picture("keys");
    await page.click("#key-details-close");
  });

  await step("opens a key on a page of its own, with its versions in a tab", async () => {
    await page.click('[data-key-name="mango-root"] .key-table__name-button');
    await page.click(".key-details__open-page");
    await page.waitForSelector("#key-page-overview");
    assert.match((await page.textContent("#key-page")) ?? "", /mango-root/);
    await page.getByRole("tab", { name: "Versions" }).click();
    await page.waitForSelector(".key-page__versions");
    await picture("key-page");
    // A key's recent calls look back a bounded way and say how far.
    await page.getByRole("tab", { name: "Activity" }).click();
    await page.waitForSelector("text=From the latest 200,000 events of the audit trail.");
    await picture("key-activity");
    await page.click("#key-page-back");
    await page.waitForSelector('[data-key-name="mango-root"]');
  });

  await step("column settings add a column, and the choice is remembered", async () => {
    await page.click("#key-table-columns");
    await page.click('label[for="key-table-column-updatedAt"]');
    await page.waitForSelector('th:has-text("Last updated")');
    await picture("key-columns");
    const stored = await page.evaluate(() => localStorage.getItem("strongroom.preferences") ?? "");
    assert.match(stored, /"updatedAt"/);
    await page.click("#key-table-columns");
  });

  await step("a suspended key's row menu shows Rotate disabled with the reason, and Enable", async () => {
    const form = new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: apiKey });
    const { access_token: token } = await (await fetch(`${url}/identity/token`, { method: "POST", body: form })).json();
    const headers = { authorization: `Bearer ${token}`, "bluemix-instance": instance };
    const keys = await (await fetch(`${url}/api/v2/keys?limit=10`, { headers })).json();
    const zebra = keys.resources.find((key) => key.name === "zebra-root");
    const disabled = await fetch(`${url}/api/v2/keys/${zebra.id}/actions/disable`, { method: "POST", headers });
    assert.equal(disabled.status, 204);
    await open("aliases");
    await open("keys");
    await page.click('[data-key-name="zebra-root"] button.cds--overflow-menu');
    const rotate = page.locator('[data-action="rotate"]');
    await rotate.waitFor();
    assert.ok(await rotate.isDisabled(), "Rotate is disabled for a suspended key");
    assert.match((await rotate.getAttribute("title")) ?? (await rotate.textContent()) ?? "", /Suspended/);
    assert.ok(!(await page.locator('[data-action="enable"]').isDisabled()), "Enable is offered");
    await picture("key-row-menu");
    await page.click('[data-action="enable"]');
    await page.waitForFunction(
      () => (document.querySelector('[data-key-name="zebra-root"]')?.textContent ?? "").includes("Active"),
    );
  });

  await step("the aliases page shows which key each alias names", async () => {
    // Aliases added over the API the page reads: the same server, the signed-in API key.
    const form = new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: apiKey });
    const { access_token: token } = await (await fetch(`${url}/identity/token`, { method: "POST", body: form })).json();
    const headers = { authorization: `Bearer ${token}`, "bluemix-instance": instance };
    const keys = await (await fetch(`${url}/api/v2/keys?limit=10`, { headers })).json();
    const mango = keys.resources.find((key) => key.name === "mango-root");
    for (const alias of ["orders-db", "billing-db"]) {
      const added = await fetch(`${url}/api/v2/keys/${mango.id}/aliases/${alias}`, { method: "POST", headers });
      assert.equal(added.status, 201, `alias ${alias}`);
    }
    await open("aliases");
    await page.waitForSelector('[data-alias="orders-db"]');
    assert.deepEqual(
      await page.$$eval("[data-alias]", (rows) => rows.map((row) => row.dataset.alias)),
      ["billing-db", "orders-db"],
    );
    assert.match((await page.textContent('[data-alias="orders-db"]')) ?? "", /mango-root/);
    await picture("aliases");
  });

  await step("wraps a generated DEK with AAD, unwraps it, and refuses other AAD", async () => {
    await open("envelope");
    await page.selectOption("#wrap-key-select", { label: "apple-root" });
    await page.click("#wrap-aad-add");
    await page.fill("#wrap-aad-0", "tenant=acme");
    await page.click("#wrap-button");
    await page.waitForFunction(() => (document.getElementById("wrap-ciphertext")?.textContent ?? "").length > 40);
    await page.click("#unwrap-button");
    await page.waitForFunction(() => document.getElementById("match-verdict")?.textContent === "Match");
    await picture("envelope");
    await page.fill("#wrap-aad-0", "tenant=other");
    await page.click("#unwrap-button");
    const error = await page.waitForSelector("#wrap-error");
    assert.match((await error.textContent()) ?? "", /additional authenticated data/);
  });

  await step("a round-trip test wraps, unwraps and compares, and a wrap is kept as a test vector", async () => {
    await page.fill("#wrap-aad-0", "tenant=acme");
    await page.click("#wrap-round-trip");
    await page.waitForSelector('#wrap-round-trip-result[data-outcome="passed"]');
    await page.click("#wrap-button");
    await page.waitForFunction(() => (document.getElementById("wrap-ciphertext")?.textContent ?? "").length > 40);
    await page.click("#save-test-vector");
    await page.waitForSelector("#test-vectors-table [data-test-vector-id]");
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    assert.ok(!stored.includes(apiKey), "localStorage holds the API key");
    await picture("envelope-lab");
  });

  await step("the Properties filter asks the server for imported keys only, and its chip takes it away", async () => {
    await open("keys");
    await page.waitForFunction(() => Number(document.getElementById("key-total")?.textContent) === 3);
    await page.click("#key-property-filter button");
    await page.click('[role="option"]:has-text("Imported")');
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => Number(document.getElementById("key-total")?.textContent) === 0);
    await page.click("#key-filter-chip-property-imported button");
    await page.waitForFunction(() => Number(document.getElementById("key-total")?.textContent) === 3);
  });

  await step("the dashboard counts the keys and charts the wraps", async () => {
    await open("dashboard");
    await page.waitForFunction(() => document.getElementById("dashboard-total")?.textContent === "3");
    await page.waitForFunction(() => Number(document.getElementById("dashboard-wraps")?.textContent) >= 1);
    await page.waitForSelector("#keys-by-state-chart svg");
    await page.waitForSelector("#activity svg");
    // The last hour as the server counted it: the wraps above, and their latency.
    await page.waitForFunction(() => Number(document.getElementById("usage-calls")?.textContent?.replace(/\D/g, "")) >= 1);
    await page.waitForSelector("#usage-calls-chart svg");
    await page.waitForSelector("#usage-latency-chart svg");
    assert.match((await page.textContent("#usage-p99")) ?? "", /ms$/);
    await picture("dashboard");
  });

  await step("the audit log lists the wrap, and never the API key", async () => {
    await open("audit");
    await page.waitForSelector("text=kms.secrets.wrap");
    const text = (await page.textContent("#main-content")) ?? "";
    assert.ok(!text.includes(apiKey), "the audit page shows the API key");
    // Over HTTP the trail knows where each call came from, and a wrap names its key version.
    await page.waitForSelector('[data-source="127.0.0.1"]');
    assert.ok((await page.locator("[data-key-version]").count()) >= 1, "a wrap row names its key version");
    await picture("audit");
  });

  await step("a click on a histogram bar narrows the audit log to it, and Clear goes back", async () => {
    await page.waitForSelector("#audit-histogram svg path.bar");
    // The tallest bar (empty buckets draw bars of no height), clicked where a person would.
    const bars = page.locator("#audit-histogram svg path.bar");
    const heights = await bars.evaluateAll((paths) => paths.map((path) => path.getBoundingClientRect().height));
    const tallest = bars.nth(heights.indexOf(Math.max(...heights)));
    await tallest.scrollIntoViewIfNeeded();
    const box = await tallest.boundingBox();
    assert.ok(box && box.height > 0, "a bar with events is drawn");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector("#audit-range-narrowed");
    await page.waitForSelector("text=kms.secrets.wrap");
    await picture("audit-narrowed");
    await page.getByRole("button", { name: "Clear" }).click();
    await page.waitForSelector("#audit-range-narrowed", { state: "detached" });
  });

  await step("the key rings page counts each ring's keys in the keystore", async () => {
    await open("key-rings");
    await page.waitForFunction(
      () => document.querySelector('[data-key-ring="default"] [data-ring-keys]')?.textContent === "3",
    );
    await page.click("#key-rings-create");
    await page.fill("#create-key-ring-id", "payments");
    await page.click("#create-key-ring-submit");
    await page.waitForSelector('[data-key-ring="payments"] [data-ring-keys]');
    assert.equal(await page.textContent('[data-key-ring="payments"] [data-ring-keys]'), "0");
    await picture("key-rings");
  });

  await step("a default rotation policy is saved and shows who changed it", async () => {
    await open("policies");
    await page.click('label[for="policy-rotation-toggle"] .cds--toggle__switch');
    await page.fill("#policy-rotation-months", "6");
    await page.click("#policy-rotation-save");
    await page.waitForFunction(() =>
      (document.querySelector("#policy-rotation [data-policy-changed]")?.textContent ?? "").startsWith("Last changed by"),
    );
    await picture("policies");
  });

  await step("the authorizations page opens on its empty state", async () => {
    await open("authorizations");
    await page.waitForSelector("#authorizations-empty");
    await picture("authorizations");
  });

  await step("preferences set the warn days and the table density", async () => {
    await page.click("#nav-preferences");
    await page.waitForSelector("#preferences-warn-days");
    await page.fill("#preferences-warn-days", "45");
    await page.selectOption("#preferences-density", "xs");
    await picture("preferences");
    const stored = await page.evaluate(() => localStorage.getItem("strongroom.preferences") ?? "");
    assert.match(stored, /"warnDays":45/);
    assert.match(stored, /"density":"xs"/);
  });

  await step("a virtual clock moved ahead shows in the header, and countdowns follow it", async () => {
    // The server was started with --virtual-clock; nothing before this step moved it.
    const form = new URLSearchParams({ grant_type: "urn:ibm:params:oauth:grant-type:apikey", apikey: apiKey });
    const { access_token: token } = await (await fetch(`${url}/identity/token`, { method: "POST", body: form })).json();
    const headers = { authorization: `Bearer ${token}`, "bluemix-instance": instance, "content-type": "application/json" };
    const expiresAt = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const created = await fetch(`${url}/api/v2/keys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ resources: [{ name: "expiring-root", extractable: false, expirationDate: expiresAt }] }),
    });
    assert.equal(created.status, 201);
    const moved = await fetch(`${url}/api/v2/clock`, { method: "POST", headers, body: JSON.stringify({ by: "10d" }) });
    assert.equal(moved.status, 200);
    await page.reload();
    const signIn = page.locator("#sign-in-api-key");
    await Promise.race([page.waitForSelector("#nav-keys"), signIn.waitFor()]);
    if (await signIn.isVisible()) {
      await signIn.fill(apiKey);
      await page.click("#sign-in-submit");
    }
    await page.waitForSelector("#header-clock");
    assert.equal((await page.textContent("#header-clock"))?.trim(), "Clock +10 d");
    await open("keys");
    await page.click('[data-key-name="expiring-root"] .key-table__name-button');
    await page.waitForSelector("#key-details-expiry");
    // 20 days from the real time is 10 from the keystore's (9 d 23 h once a minute has gone).
    assert.match((await page.textContent("#key-details-expiry")) ?? "", /expires in (9 d 23 h|10 d 0 h)/);
    await picture("virtual-clock");
  });

  await step("no uncaught errors in the page", async () => {
    assert.deepEqual(pageErrors, []);
  });
} catch {
  // Reported by step(); the tally below makes the run fail.
} finally {
  await browser.close();
}
console.log(`web console: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
