//! End to end in the real desktop window: tauri-driver → WebKitWebDriver → the Strongroom
//! binary under Xvfb, with the embedded keystore sealed by the session's OS keyring.
//! `scripts/test` builds the app and provides Xvfb, D-Bus and an unlocked keyring.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use strongroom_tests::target_dir;

const WAIT: Duration = Duration::from_secs(20);

/// tauri-driver must get SIGTERM: SIGKILL orphans WebKitWebDriver, which keeps the test's
/// output pipe open and hangs the run.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn desktop_binary() -> PathBuf {
    let path = std::env::var_os("STRONGROOM_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/strongroom-desktop"));
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p strongroom-desktop`",
        path.display()
    );
    path
}

/// Starts tauri-driver and opens a session on a fresh app with its own data directory.
async fn launch(data: &tempfile::TempDir) -> (Driver, Client) {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run scripts/test"
    );
    // Now and then, on a loaded machine, WebKitWebDriver never answers the request for a
    // session (the app starts, the reply never comes); a fresh driver always has. So the
    // request is bounded, and retried on a new driver.
    for attempt in 1..=3 {
        let (driver, port) = start_driver(data).await;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": desktop_binary() }),
        );
        let session = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::native()
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await;
        match session {
            Ok(Ok(client)) => {
                let _ = client.execute(COLLECT_ERRORS, vec![]).await;
                return (driver, client);
            }
            Ok(Err(err)) if attempt == 3 => panic!("no WebDriver session on the app: {err}"),
            Err(_) if attempt == 3 => panic!("no WebDriver session on the app within 60 s"),
            _ => eprintln!("WebDriver session attempt {attempt} failed; retrying on a new driver"),
        }
        drop(driver);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    unreachable!("the loop returns or panics")
}

/// Keeps what the page reports as going wrong (uncaught errors, rejected promises, React's
/// console errors) for `describe_window`. `__strongroomFailures` holds only what nothing in the
/// app caught and what the console could not draw; `finish` fails a flow on it. WebKit's
/// "ResizeObserver loop" notice is a warning dressed as an error event, so it is left out.
/// Installed once the session is up: an error while the page first loads is not seen here.
const COLLECT_ERRORS: &str = "window.__strongroomErrors = []; window.__strongroomFailures = []; \
    const keep = (list, what) => { if (list.length < 20) list.push(String(what).slice(0, 800)); }; \
    const text = (a) => (a instanceof Error ? `${a.name}: ${a.message} at ${(a.stack || '').split('\\n').slice(0, 4).join(' < ')}` : String(a)); \
    const failed = (what) => { keep(window.__strongroomErrors, what); keep(window.__strongroomFailures, what); }; \
    addEventListener('error', (e) => { if (!String(e.message).includes('ResizeObserver loop')) failed(text(e.error || e.message)); }); \
    addEventListener('unhandledrejection', (e) => failed(text(e.reason))); \
    const error = console.error.bind(console); \
    console.error = (...args) => { \
      const line = args.map(text).join(' '); \
      if (line.startsWith('Strongroom could not draw')) failed(line); else keep(window.__strongroomErrors, line); \
      error(...args); \
    }; return 1;";

/// tauri-driver in front of WebKitWebDriver, both listening.
async fn start_driver(data: &tempfile::TempDir) -> (Driver, u16) {
    let (port, native_port) = (free_port(), free_port());
    let driver = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
    let child = Command::new(&driver)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        .env("STRONGROOM_DATA_DIR", data.path().join("keystore"))
        // Debian's default locale in containers. WebKit reports it as `navigator.language` "C"
        // (plain "C" it reports as "en-US"): the charts once formatted with that and threw. Set
        // here so every machine runs the flows in it.
        .env("LC_ALL", "C.UTF-8")
        .env("XDG_DATA_HOME", data.path().join("xdg-data"))
        .env("XDG_CACHE_HOME", data.path().join("xdg-cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver}: {e}"));
    let driver = Driver(child);
    // WebKitWebDriver listens after tauri-driver does; wait for its status directly.
    let deadline = Instant::now() + WAIT;
    loop {
        let ready = std::net::TcpStream::connect(("127.0.0.1", native_port)).is_ok()
            && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if ready {
            return (driver, port);
        }
        assert!(
            Instant::now() < deadline,
            "the WebDriver ports never opened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn element(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
}

/// Polls an element's text until `accept` holds; returns the last text seen.
async fn text_until(client: &Client, css: &str, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        // textContent, not the WebDriver's visible text: WebKitWebDriver reports some Carbon
        // components (tags, inline notifications) as having none. Inputs answer with their value.
        let text = client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 if (!el) return '';
                 return (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA')
                   ? String(el.value) : el.textContent.trim();",
                vec![serde_json::json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        if accept(&text) {
            return text;
        }
        if Instant::now() > deadline {
            describe_window(client, css).await;
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// When a wait runs out, says what the window showed instead, so a failure seen only on a CI
/// machine can be explained from its log: the page, whether the console is still mounted, the
/// errors the page raised, and the start of the visible text (the test keys' names and counts).
async fn describe_window(client: &Client, css: &str) {
    let state = client
        .execute(
            "const root = document.getElementById('root');
             return JSON.stringify({
               url: location.href,
               mounted: root ? root.childElementCount : -1,
               errors: window.__strongroomErrors || [],
               text: document.body ? document.body.innerText.slice(0, 600) : null,
             });",
            vec![],
        )
        .await
        .map(|v| v.as_str().map(str::to_owned).unwrap_or_default())
        .unwrap_or_else(|e| format!("the window did not answer: {e}"));
    eprintln!("waited {WAIT:?} for {css}; the window showed: {state}");
    // A part the console could not draw says so in place, maybe below the fold: show it.
    scroll_to(client, ".drawing-failure").await;
    screenshot(
        client,
        &format!(
            "timeout-{}",
            css.replace(['#', ' ', '[', ']', '\'', '='], "_")
        ),
    )
    .await;
}

/// Scrolls what `css` finds, if anything, into view (for a screenshot).
async fn scroll_to(client: &Client, css: &str) {
    let _ = client
        .execute(
            "document.querySelector(arguments[0])?.scrollIntoView(); return 1;",
            vec![serde_json::json!(css)],
        )
        .await;
}

/// Polls how many elements `css` finds until there are at least `at_least`; returns the last count.
async fn count_until(client: &Client, css: &str, at_least: usize) -> usize {
    let deadline = Instant::now() + WAIT;
    loop {
        let count = client
            .find_all(Locator::Css(css))
            .await
            .map(|found| found.len())
            .unwrap_or(0);
        if count >= at_least {
            return count;
        }
        if Instant::now() > deadline {
            describe_window(client, css).await;
            return count;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls an input's or select's value until `accept` holds; returns the last value seen.
async fn value_until(client: &Client, css: &str, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let value = match client.find(Locator::Css(css)).await {
            Ok(el) => el.prop("value").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        };
        if accept(&value) || Instant::now() > deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Closes the toasts in the corner, as a person would before reaching under one.
async fn dismiss_toasts(client: &Client) {
    let _ = client
        .execute(
            "document.querySelectorAll('.cds--toast-notification__close-button, .cds--actionable-notification__close-button').forEach(b => b.click()); return 1;",
            vec![],
        )
        .await;
}

/// Repaints one transparent pixel every 50 ms for two seconds, then removes it.
const REPAINT_SOON: &str = "const d = document.createElement('div'); \
    d.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none'; \
    document.body.appendChild(d); let n = 0; \
    const t = setInterval(() => { \
      d.style.background = (n++ % 2) ? 'rgba(0,0,0,0)' : 'rgba(0,0,0,0.01)'; \
      if (n > 40) { clearInterval(t); d.remove(); } \
    }, 50); return 1;";

async fn screenshot(client: &Client, name: &str) {
    // Pictures for docs/ show the page, not the toasts that happen to be on it.
    dismiss_toasts(client).await;
    // WebKit paints after the DOM settles; a screenshot taken at once can show the frame before.
    tokio::time::sleep(Duration::from_millis(800)).await;
    // WebKitWebDriver answers a screenshot after the page's next paint. The app draws without
    // accelerated compositing, and then a page where nothing changes (no caret blinking, no
    // transition) never paints again, so the command would wait forever. An invisible pixel
    // that flickers for two seconds gives it that paint.
    let _ = client.execute(REPAINT_SOON, vec![]).await;
    if let Ok(png) = client.screenshot().await {
        let dir = target_dir().join("e2e-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

/// Ends a session; a failed flow leaves a picture of the window in target/e2e-screenshots.
async fn finish(client: &Client, outcome: Result<(), fantoccini::error::CmdError>, test: &str) {
    if outcome.is_err() {
        screenshot(client, &format!("failed-{test}")).await;
    }
    // A flow that reached its end can still have broken something it did not look at: an error
    // nothing caught, or a page or chart that could not be drawn (told in place, so the flow's
    // own waits may not notice).
    let trouble: Vec<String> = client
        .execute("return window.__strongroomFailures || [];", vec![])
        .await
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let _ = client.clone().close().await;
    outcome.expect("WebDriver commands");
    assert!(trouble.is_empty(), "{test}: the page reported {trouble:#?}");
}

/// Clicks what `css` finds once it is enabled, finding it again if a re-render replaced it.
async fn click(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = element(client, css).await;
        // A disabled button (say, before the keys have loaded) would swallow the click.
        if !found.is_enabled().await.unwrap_or(true) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        match found.click().await {
            Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

/// Flips a Carbon toggle: its switch button is visually hidden, so click what is drawn.
async fn flip(client: &Client, id: &str) -> Result<(), fantoccini::error::CmdError> {
    element(client, &format!("label[for='{id}'] .cds--toggle__switch"))
        .await
        .click()
        .await
}

/// Opens a key's details by its name in the table (a row itself is not clickable for WebDriver).
async fn open_details(client: &Client, name: &str) -> Result<(), fantoccini::error::CmdError> {
    element(
        client,
        &format!("[data-key-name='{name}'] .key-table__name-button"),
    )
    .await
    .click()
    .await
}

async fn create_root_key(client: &Client, name: &str) -> Result<(), fantoccini::error::CmdError> {
    click(client, "#create-key-button").await?;
    element(client, "#create-key-name")
        .await
        .send_keys(name)
        .await?;
    element(client, "#create-key-submit").await.click().await?;
    element(client, &format!("[data-key-name='{name}']")).await;
    Ok(())
}

/// Shows a page of the console through its side-nav link (the console remembers the last page).
async fn open_page(client: &Client, page: &str) -> Result<(), fantoccini::error::CmdError> {
    click(client, &format!("#nav-{page}")).await
}

/// Opens a row's action menu and picks the item marked `data-action`. The menu lists every
/// life-cycle action, so it reaches down to where a toast may sit: toasts are closed first.
async fn row_action(
    client: &Client,
    name: &str,
    action: &str,
) -> Result<(), fantoccini::error::CmdError> {
    dismiss_toasts(client).await;
    element(
        client,
        &format!("[data-key-name='{name}'] button.cds--overflow-menu"),
    )
    .await
    .click()
    .await?;
    element(client, &format!("[data-action='{action}']"))
        .await
        .click()
        .await
}

async fn state_of(client: &Client, name: &str, expected: &str) -> String {
    // The tag's data-state attribute, not its text: WebKit reports a Carbon tag's text as empty.
    let css = format!("[data-key-name='{name}'] [data-state]");
    let deadline = Instant::now() + WAIT;
    loop {
        let state = match client.find(Locator::Css(&css)).await {
            Ok(tag) => tag
                .attr("data-state")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        if state == expected || Instant::now() > deadline {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn disable_enable_delete_and_restore_from_the_key_table() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "keys").await?;
        for name in ["ledger", "archive", "payments"] {
            create_root_key(&client, name).await?;
        }
        let total = text_until(&client, "#key-total", |t| t.contains('3')).await;
        assert!(
            total.contains('3'),
            "the table counts three keys: {total:?}"
        );

        row_action(&client, "archive", "disable").await?;
        click(&client, "#disable-key-confirm").await?;
        assert_eq!(state_of(&client, "archive", "suspended").await, "suspended");
        open_page(&client, "envelope").await?;
        // Listed with the reason, and not selectable.
        let archive = "#wrap-key-select option[data-key-name='archive']";
        let listed = text_until(&client, archive, |t| t.contains("suspended")).await;
        assert!(
            listed.contains("suspended"),
            "a suspended key is listed with the reason: {listed:?}"
        );
        let disabled = client
            .execute(
                "return document.querySelector(arguments[0]).disabled",
                vec![serde_json::json!(archive)],
            )
            .await?;
        assert_eq!(
            disabled,
            serde_json::json!(true),
            "a suspended key cannot be chosen for wrapping"
        );
        open_page(&client, "keys").await?;

        row_action(&client, "ledger", "delete").await?;
        element(&client, "#delete-key-confirm")
            .await
            .click()
            .await?;
        assert_eq!(state_of(&client, "ledger", "destroyed").await, "destroyed");
        screenshot(&client, "key-table").await;

        row_action(&client, "ledger", "restore").await?;
        click(&client, "#restore-key-confirm").await?;
        assert_eq!(state_of(&client, "ledger", "active").await, "active");
        row_action(&client, "archive", "enable").await?;
        assert_eq!(state_of(&client, "archive", "active").await, "active");

        // A picture of the console at rest for docs/: a wrap round trip, notifications gone.
        open_page(&client, "envelope").await?;
        click(&client, "#wrap-button").await?;
        text_until(&client, "#wrap-ciphertext", |t| t.len() > 40).await;
        click(&client, "#unwrap-button").await?;
        assert_eq!(
            text_until(&client, "#match-verdict", |t| t == "Match").await,
            "Match"
        );
        let deadline = Instant::now() + WAIT;
        while !client
            .find_all(Locator::Css(".cds--toast-notification"))
            .await?
            .is_empty()
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot(&client, "console").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "disable_enable_delete_and_restore_from_the_key_table",
    )
    .await;
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn create_a_root_key_then_wrap_and_unwrap_a_generated_dek_with_aad() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "keys").await?;
        element(&client, "#create-key-button").await.click().await?;
        element(&client, "#create-key-name")
            .await
            .send_keys("e2e-payments")
            .await?;
        element(&client, "#create-key-submit").await.click().await?;
        element(&client, "[data-key-name='e2e-payments']").await;
        open_page(&client, "envelope").await?;

        let select = element(&client, "#wrap-key-select").await;
        let option = text_until(&client, "#wrap-key-select", |t| t.contains("e2e-payments")).await;
        assert!(
            option.contains("e2e-payments"),
            "the new key is offered for wrapping: {option:?}"
        );
        select
            .find(Locator::XPath(
                ".//option[normalize-space(.)='e2e-payments']",
            ))
            .await?
            .click()
            .await?;

        element(&client, "#wrap-aad-add").await.click().await?;
        let aad = element(&client, "#wrap-aad-0").await;
        aad.send_keys("tenant=acme").await?;
        click(&client, "#wrap-button").await?;
        let ciphertext = text_until(&client, "#wrap-ciphertext", |t| t.len() > 40).await;
        assert!(
            ciphertext.len() > 40,
            "a ciphertext is shown after wrapping: {ciphertext:?}"
        );

        click(&client, "#unwrap-button").await?;
        let verdict = text_until(&client, "#match-verdict", |t| t == "Match").await;
        assert_eq!(verdict, "Match", "the unwrapped DEK equals the wrapped one");
        screenshot(&client, "wrap-unwrap").await;

        // The same ciphertext with different AAD is refused, in plain words.
        aad.clear().await?;
        aad.send_keys("tenant=other").await?;
        click(&client, "#unwrap-button").await?;
        let error = text_until(&client, "#wrap-error", |t| !t.is_empty()).await;
        assert!(
            error.contains("additional authenticated data"),
            "a wrong AAD is explained: {error:?}"
        );

        // The dashboard counts them from the keystore's hourly activity: one wrap, and two
        // unwraps of which one was refused.
        open_page(&client, "dashboard").await?;
        let wraps = text_until(&client, "#dashboard-wraps", |t| t == "1").await;
        assert_eq!(wraps, "1", "the wrap is counted");
        let unwraps = text_until(&client, "#dashboard-unwraps", |t| t == "2").await;
        assert_eq!(unwraps, "2", "both unwraps are counted");
        let refused = text_until(&client, "#dashboard-failures", |t| t == "1").await;
        assert_eq!(refused, "1", "the wrong AAD is counted as refused");
        // The charts beside the counts are drawn: their axes once threw under the C.UTF-8 locale
        // and emptied the window. The window does run in it (`start_driver` sets LC_ALL=C.UTF-8).
        let language = client.execute("return navigator.language", vec![]).await?;
        assert_eq!(
            language.as_str(),
            Some("C"),
            "WebKit reports C.UTF-8 as \"C\"; if it no longer does, these checks test less"
        );
        for chart in ["#activity", "#usage-calls-chart"] {
            let drawn = count_until(&client, &format!("{chart} svg .tick text"), 1).await;
            assert!(drawn >= 1, "{chart} has labelled axes: {drawn} tick labels");
        }
        scroll_to(&client, "#activity").await;
        screenshot(&client, "dashboard-activity").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "create_a_root_key_then_wrap_and_unwrap_a_generated_dek_with_aad",
    )
    .await;
}

/// Picks an option of a native `<select>` by its visible text.
async fn choose(
    client: &Client,
    select: &str,
    text: &str,
) -> Result<(), fantoccini::error::CmdError> {
    element(client, select)
        .await
        .find(Locator::XPath(&format!(
            ".//option[normalize-space(.)='{text}']"
        )))
        .await?
        .click()
        .await
}

/// Waits until nothing matches `css`; returns whether it went away in time.
async fn gone(client: &Client, css: &str) -> bool {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = client
            .find_all(Locator::Css(css))
            .await
            .map(|all| !all.is_empty())
            .unwrap_or(false);
        if !found {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn authorize_a_source_service_as_reader_then_remove_it() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        // A key the service will use, named by an alias in the dry run below.
        open_page(&client, "keys").await?;
        click(&client, "#create-key-button").await?;
        element(&client, "#create-key-name")
            .await
            .send_keys("bucket-root")
            .await?;
        element(&client, "#create-key-aliases")
            .await
            .send_keys("bucket-alias")
            .await?;
        element(&client, "#create-key-submit").await.click().await?;
        element(&client, "[data-key-name='bucket-root']").await;

        open_page(&client, "authorizations").await?;
        element(&client, "#authorizations-empty").await;
        element(&client, "#create-authorization-button")
            .await
            .click()
            .await?;
        choose(
            &client,
            "#authorization-service",
            "Cloud Object Storage (cloud-object-storage)",
        )
        .await?;
        // Reader is chosen unless changed.
        let reader = element(&client, "#authorization-role-reader").await;
        assert_eq!(
            reader.prop("checked").await?.as_deref(),
            Some("true"),
            "Reader is the default role"
        );
        // The form leads to a review of the access and the IAM policy; Authorize is there.
        click(&client, "#authorization-review").await?;
        element(&client, "#authorization-review-summary").await;
        click(&client, "#authorization-submit").await?;

        let row = text_until(
            &client,
            "#authorizations-table [data-authorization-id]",
            |t| t.contains("cloud-object-storage"),
        )
        .await;
        assert!(
            row.contains("cloud-object-storage") && row.contains("All instances"),
            "the authorization is listed: {row:?}"
        );
        screenshot(&client, "authorizations").await;

        // Test as this service: the keystore's dry run, through the authorization just made.
        click(&client, "[data-action='test-as-service']").await?;
        element(&client, "#test-as-service-key")
            .await
            .send_keys("bucket-alias")
            .await?;
        click(&client, "#test-as-service-check").await?;
        let verdict = text_until(&client, "#test-as-service-verdict", |t| {
            t.contains("Allowed")
        })
        .await;
        assert!(
            verdict.contains("cloud-object-storage may wrap with key bucket-root"),
            "the verdict names the service and the key: {verdict:?}"
        );
        screenshot(&client, "test-as-service").await;
        click(&client, "#test-as-service-close").await?;
        assert!(gone(&client, "#test-as-service-verdict").await);

        // Edit roles in place: the same authorization gains ReaderPlus.
        click(&client, "[data-action='edit-roles']").await?;
        element(&client, "label[for='edit-roles-readerplus']")
            .await
            .click()
            .await?;
        screenshot(&client, "authorization-edit-roles").await;
        click(&client, "#edit-roles-save").await?;
        let row = text_until(
            &client,
            "#authorizations-table [data-authorization-id]",
            |t| t.contains("ReaderPlus"),
        )
        .await;
        assert!(
            row.contains("Reader") && row.contains("ReaderPlus") && row.contains("All instances"),
            "the same authorization now has both roles: {row:?}"
        );
        dismiss_toasts(&client).await;

        element(&client, "[data-action='remove-authorization']")
            .await
            .click()
            .await?;
        element(&client, "#remove-authorization-confirm")
            .await
            .click()
            .await?;
        assert!(
            gone(&client, "[data-authorization-id]").await,
            "the authorization is no longer listed"
        );
        element(&client, "#authorizations-empty").await;

        // The local server serves this keystore on loopback for code on this machine.
        open_page(&client, "local-server").await?;
        flip(&client, "local-server-toggle").await?;
        let url = text_until(&client, "#local-server-url", |t| {
            t.starts_with("http://127.0.0.1:")
        })
        .await;
        let address = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("the page shows where it serves: {url:?}"));
        assert!(
            std::net::TcpStream::connect(address.trim_end_matches('/')).is_ok(),
            "something listens at {address}"
        );
        screenshot(&client, "local-server").await;

        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "authorize_a_source_service_as_reader_then_remove_it",
    )
    .await;
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn create_a_key_ring_and_a_key_in_it_with_an_alias() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "keys").await?;
        element(&client, "#create-key-ring-button")
            .await
            .click()
            .await?;
        element(&client, "#create-key-ring-id")
            .await
            .send_keys("payments")
            .await?;
        element(&client, "#create-key-ring-submit")
            .await
            .click()
            .await?;
        assert!(
            gone(&client, "#create-key-ring-id").await,
            "the key ring dialog closes once the ring exists"
        );

        element(&client, "#create-key-button").await.click().await?;
        element(&client, "#create-key-name")
            .await
            .send_keys("ringed-root")
            .await?;
        // The new ring is offered once the rings have loaded.
        element(&client, "#create-key-ring option[value='payments']").await;
        choose(&client, "#create-key-ring", "payments").await?;
        // A comma makes the alias a tag at once (the other flow submits with text still typed).
        element(&client, "#create-key-aliases")
            .await
            .send_keys("ringed-alias,")
            .await?;
        element(&client, "#create-key-panel .alias-tags__list").await;
        screenshot(&client, "create-key-panel").await;
        element(&client, "#create-key-submit").await.click().await?;
        open_details(&client, "ringed-root").await?;

        let moved_to = value_until(&client, "#key-details-ring", |v| v == "payments").await;
        assert_eq!(moved_to, "payments", "the key was created in the ring");
        element(&client, "#key-details-aliases [data-alias='ringed-alias']").await;

        // The ring filter offers the ring and still shows the key (the panel lies over it: close it).
        click(&client, "#key-details-close").await?;
        assert!(
            gone(&client, "#key-details").await,
            "Close hides the details"
        );
        element(&client, "#key-ring-filter option[value='payments']").await;
        choose(&client, "#key-ring-filter", "Ring: payments").await?;
        element(&client, "[data-key-name='ringed-root']").await;
        screenshot(&client, "key-ring-and-alias").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "create_a_key_ring_and_a_key_in_it_with_an_alias",
    )
    .await;
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn turn_on_dual_authorization_delete_then_authorize_deletion() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "keys").await?;
        create_root_key(&client, "two-person-root").await?;
        open_details(&client, "two-person-root").await?;

        flip(&client, "key-details-dual-auth").await?;
        element(&client, "#key-dual-auth-confirm")
            .await
            .click()
            .await?;
        element(&client, "#key-details-authorize-deletion")
            .await
            .click()
            .await?;

        element(&client, "#key-details-pending-deletion").await;
        let state = text_until(&client, "#key-details-dual-auth-state", |t| {
            t.contains("Authorized by")
        })
        .await;
        assert!(
            state.contains("Authorized by"),
            "the pending authorization names who gave it: {state:?}"
        );
        element(&client, "#key-details-cancel-authorization").await;
        screenshot(&client, "dual-authorization-pending").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "turn_on_dual_authorization_delete_then_authorize_deletion",
    )
    .await;
}

/// 32 bytes of AES key material, base64: what `openssl rand -base64 32` prints.
const IMPORTED_MATERIAL: &str = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn import_a_root_key_securely_then_rotate_a_key() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "keys").await?;
        element(&client, "#import-key-button").await.click().await?;
        // The wizard gets the import token first and shows its fingerprint before it asks for
        // any material; "Next" appears only once the token is there.
        element(&client, "#import-key-token-create")
            .await
            .click()
            .await?;
        let fingerprint =
            text_until(&client, "#import-key-token-fingerprint", |t| !t.is_empty()).await;
        assert!(
            !fingerprint.is_empty(),
            "the token's fingerprint is shown before the material is asked for"
        );
        screenshot(&client, "import-wizard-token").await;
        element(&client, "#import-key-next").await.click().await?;
        element(&client, "#import-key-name")
            .await
            .send_keys("imported-root")
            .await?;
        element(&client, "#import-key-material")
            .await
            .send_keys(IMPORTED_MATERIAL)
            .await?;
        // Sealing happens in the window; the review page, with the Import button, follows.
        element(&client, "#import-key-encrypt")
            .await
            .click()
            .await?;
        element(&client, "#import-key-submit").await;
        screenshot(&client, "import-wizard-review").await;
        element(&client, "#import-key-submit").await.click().await?;
        // The dialog ends on a success step with the new key's ID; "Done" closes it and the
        // new key's details open.
        element(&client, "#import-key-done").await.click().await?;
        element(&client, "[data-key-name='imported-root']").await;
        assert!(
            gone(&client, "#import-key-name").await,
            "the import dialog closes once the key exists"
        );
        let title = text_until(&client, "#key-details .key-details__title", |t| {
            t == "imported-root"
        })
        .await;
        assert_eq!(
            title, "imported-root",
            "the imported key's details are open"
        );

        // Rotation adds a version; the old one stays for unwrapping.
        element(&client, "#key-details-close").await.click().await?;
        create_root_key(&client, "rotating-root").await?;
        open_details(&client, "rotating-root").await?;
        element(&client, "#key-details [data-version-id]").await;
        element(&client, "#key-details [data-panel-action='rotate']")
            .await
            .click()
            .await?;
        // The rotate panel shows what is current and what a policy would make of it first.
        let current = text_until(&client, "#key-rotate-version", |t| !t.is_empty()).await;
        assert!(!current.is_empty(), "the panel names the current version");
        screenshot(&client, "rotate-panel").await;
        click(&client, "#rotate-key-confirm").await?;
        let deadline = Instant::now() + WAIT;
        let mut versions = 0;
        while versions < 2 && Instant::now() < deadline {
            versions = client
                .find_all(Locator::Css("#key-details [data-version-id]"))
                .await?
                .len();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(versions, 2, "rotation added a second version");
        screenshot(&client, "key-rotated").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "import_a_root_key_securely_then_rotate_a_key",
    )
    .await;
}

#[tokio::test]
#[ignore = "drives the real desktop window; needs Xvfb, tauri-driver and a keyring: run scripts/test"]
async fn connect_to_a_remote_instance_create_a_key_then_lose_it() {
    use strongroom_api::{Keystore, ListKeysRequest};
    use strongroom_tests::{Served, SERVED_API_KEY, SERVED_INSTANCE};

    let data = tempfile::tempdir().unwrap();
    // Taken (and so killed) halfway through, to see the window lose its remote.
    let mut served = Some(Served::start(data.path(), &[]));
    let (url, config) = served
        .as_ref()
        .map(|s| (s.url.clone(), s.config()))
        .unwrap();
    let (_driver, client) = launch(&data).await;

    let outcome = async {
        open_page(&client, "connections").await?;
        element(&client, "#add-connection-button")
            .await
            .click()
            .await?;
        element(&client, "#connection-name")
            .await
            .send_keys("loopback")
            .await?;
        element(&client, "#connection-endpoint")
            .await
            .send_keys(&url)
            .await?;
        let token_url = element(&client, "#connection-token-url").await;
        token_url.clear().await?;
        token_url
            .send_keys(&format!("{url}/identity/token"))
            .await?;
        element(&client, "#connection-instance")
            .await
            .send_keys(SERVED_INSTANCE)
            .await?;
        element(&client, "#connection-api-key")
            .await
            .send_keys(SERVED_API_KEY)
            .await?;
        // Inside the modal's scrolled body WebKitWebDriver's pointer click lands beside the
        // button (it takes focus, no click event); the DOM click is what a person's click does.
        element(&client, "#connection-test").await;
        client
            .execute("document.getElementById('connection-test').click()", vec![])
            .await?;
        let verdict = text_until(&client, "#connection-test-result", |t| {
            t.contains("Connected")
        })
        .await;
        if !verdict.contains("Connected") {
            let _ = client
                .execute(
                    "document.querySelector('.cds--modal-content').scrollTop = 0; return 1;",
                    vec![],
                )
                .await;
            screenshot(&client, "failed-connection-test").await;
        }
        assert!(
            verdict.contains("Connected"),
            "the connection test passes: {verdict:?}"
        );
        // It says what answered, and that plain HTTP is not encrypted.
        let peer = text_until(&client, "#connection-test-peer", |t| {
            t.contains("strongroom")
        })
        .await;
        assert!(
            peer.contains("strongroom") && peer.contains("plain HTTP"),
            "the server's name and the missing encryption are shown: {peer:?}"
        );
        client
            .execute(
                "document.getElementById('connection-test-peer').scrollIntoView(); return 1;",
                vec![],
            )
            .await?;
        screenshot(&client, "connection-test").await;
        element(&client, "#connection-save").await.click().await?;
        element(&client, "[data-connection-id] [data-action='switch']")
            .await
            .click()
            .await?;
        let tag = text_until(&client, "#keystore-tag", |t| t.contains("Remote")).await;
        assert!(
            tag.contains("Remote"),
            "the header names the remote: {tag:?}"
        );
        element(&client, "[data-connection-id] .cds--tag--green").await;
        screenshot(&client, "connections").await;

        open_page(&client, "keys").await?;
        create_root_key(&client, "made-remotely").await?;

        // The key lives on the server, not in the window's embedded keystore.
        let remote = strongroom_client::RemoteKeystore::new(config.clone()).unwrap();
        let keys = remote.list_keys(ListKeysRequest::default()).await.unwrap();
        assert!(
            keys.keys.iter().any(|k| k.name == "made-remotely"),
            "the remote instance holds the key created in the console"
        );

        // The remote disappears mid-session: the next action is refused in plain words, and
        // the window keeps showing what it had.
        drop(served.take());
        click(&client, "#create-key-button").await?;
        element(&client, "#create-key-name")
            .await
            .send_keys("after-the-fall")
            .await?;
        click(&client, "#create-key-submit").await?;
        let refusal = text_until(&client, "#create-key-error", |t| {
            t.contains("could not be reached")
        })
        .await;
        assert!(
            refusal.contains("could not be reached"),
            "a vanished remote is explained: {refusal:?}"
        );
        element(&client, "[data-key-name='made-remotely']").await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    finish(
        &client,
        outcome,
        "connect_to_a_remote_instance_create_a_key_then_lose_it",
    )
    .await;
}
