/**
 * Drives the unpacked Chrome build in Debian's Chromium (playwright-core, persistent context)
 * through the extension's user stories against real translator servers, and prints what it
 * saw as one JSON object. tests/e2e/test_browser_extension.py starts the servers and the page
 * server, runs this script, and asserts on the report.
 *
 * The toolbar button is pressed through the DevTools protocol (`Extensions.triggerAction` on
 * the tab, which needs `--enable-unsafe-extension-debugging`): the same `action.onClicked`
 * path as a click or the keyboard shortcut (`_execute_action`). Settings are written to
 * `storage.local` from the service worker, except where the options page itself is tested.
 *
 * Input (stdin, JSON): chromium, extensionDir, profileDir, pages (base URL of the fixture pages),
 * keyed (server requiring API keys), open (server without keys), keys {good, tight},
 * unreachable (a URL where nothing listens).
 */

import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(0, "utf8"));
const WAIT_MS = 240_000;
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--enable-unsafe-extension-debugging",
];
const TRANSLATION = '[data-translator-ext="translation"]';

const report = {};

const context = await chromium.launchPersistentContext(config.profileDir, {
  executablePath: config.chromium,
  headless: false, // the flags ask for the new headless mode, which loads extensions
  viewport: { width: 1000, height: 700 },
  args: [
    ...CHROMIUM_FLAGS,
    `--disable-extensions-except=${config.extensionDir}`,
    `--load-extension=${config.extensionDir}`,
  ],
});

try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  const browserSession = await context.browser().newBrowserCDPSession();
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => (report.pageErrors ??= []).push(String(error)));

  const settings = (overrides) =>
    worker.evaluate(
      (value) => chrome.storage.local.set({ settings: value }),
      { serverUrl: config.keyed, apiKey: config.keys.good, target: "en", mode: "direct", display: "bilingual", ...overrides },
    );

  /** Presses the toolbar button for the page's tab. */
  const pressToolbarButton = async () => {
    const { targetInfos } = await browserSession.send("Target.getTargets", { filter: [{}] });
    const tab = targetInfos.find((target) => target.type === "tab" && target.url === page.url());
    if (!tab) throw new Error(`no tab target for ${page.url()}`);
    await browserSession.send("Extensions.triggerAction", { id: extensionId, targetId: tab.targetId });
  };

  /** True once `predicate` holds in the page, false if it never does within a few seconds. */
  const settles = (predicate, arg) =>
    page.waitForFunction(predicate, arg, { timeout: 5000 }).then(() => true, () => false);

  const waitUntil = async (label, predicate, arg) => {
    try {
      await page.waitForFunction(predicate, arg, { timeout: WAIT_MS, polling: 200 });
    } catch (error) {
      throw new Error(`timed out waiting for ${label}: ${error.message.split("\n")[0]}`);
    }
  };

  /** Successful `POST /v1/translate` calls the keyed server has answered so far. */
  const translateCalls = async () => {
    const metrics = await (await fetch(`${config.keyed}/metrics`)).text();
    const line = metrics
      .split("\n")
      .find((l) => l.startsWith("translator_http_requests_total{") && l.includes('method="POST"') && l.includes('route="/v1/translate"') && l.includes('status="200"'));
    return line ? Number(line.split(" ").pop()) : 0;
  };

  const bodyHtml = () => page.evaluate(() => document.body.innerHTML);
  const translations = () =>
    page.$$eval(TRANSLATION, (elements) =>
      Object.fromEntries(elements.map((element) => [element.parentElement.id, element.textContent])),
    );
  const notice = async () => {
    await waitUntil("a notice", () => document.querySelector('[data-translator-ext="notice"]')?.shadowRoot?.querySelector(".card"));
    return page.evaluate(() => {
      const card = document.querySelector('[data-translator-ext="notice"]').shadowRoot.querySelector(".card");
      return { kind: card.dataset.kind, text: card.textContent };
    });
  };

  /** Toolbar button on the reviews page with these settings; a notice must appear. */
  const failedAttempt = async (overrides) => {
    await settings(overrides);
    await page.goto(`${config.pages}/reviews.html`);
    const before = await bodyHtml();
    await pressToolbarButton();
    const shown = await notice();
    await page.waitForTimeout(500);
    return { ...shown, untouched: (await bodyHtml()) === before };
  };

  // Clear states: nothing listening, no key, a wrong key, a key over its rate.
  report.unreachable = await failedAttempt({ serverUrl: config.unreachable });
  report.noKey = await failedAttempt({ apiKey: "" });
  report.wrongKey = await failedAttempt({ apiKey: "tr_not-a-key" });

  // The options page: save the tight key and test the connection (which uses the key's one
  // request this minute), so the next translation is rate limited.
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.fill('input[name="serverUrl"]', config.keyed);
  await page.fill('input[name="apiKey"]', config.keys.tight);
  await page.selectOption('select[name="mode"]', "direct");
  await page.check('input[name="display"][value="bilingual"]');
  await page.click("#test");
  await page.waitForFunction(() => /Connected|refused|unreachable|not ready/.test(document.querySelector("#status").textContent), null, { timeout: WAIT_MS });
  report.optionsTest = await page.textContent("#status");
  report.savedSettings = await worker.evaluate(() => chrome.storage.local.get("settings").then((s) => s.settings));
  await page.goto(`${config.pages}/reviews.html`);
  const beforeLimited = await bodyHtml();
  await pressToolbarButton();
  report.rateLimited = { ...(await notice()), untouched: (await bodyHtml()) === beforeLimited };

  // Bilingual: the blocks near the viewport, then the far ones on scrolling, then a new one.
  await settings({});
  await page.goto(`${config.pages}/reviews.html`);
  const original = await bodyHtml();
  report.callsAtStart = await translateCalls();
  await pressToolbarButton();
  await waitUntil("the visible reviews' translations", (selector) => document.querySelectorAll(`#reviews ${selector}, #title ${selector}`).length === 5, TRANSLATION);
  await page.waitForTimeout(1500);
  report.visible = await translations();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await waitUntil("the lazy reviews' translations", (selector) => document.querySelectorAll(`#lazy ${selector}`).length === 2, TRANSLATION);
  report.afterScroll = await translations();
  report.callsAfterScroll = await translateCalls();

  await pressToolbarButton();
  report.restoredExactly = await settles((html) => document.body.innerHTML === html, original);

  // Again: every block comes from the extension's cache, no request reaches the server.
  await pressToolbarButton();
  await waitUntil("cached translations at the bottom", (selector) => document.querySelectorAll(`#lazy ${selector}`).length === 2, TRANSLATION);
  await page.evaluate(() => window.scrollTo(0, 0));
  await waitUntil("cached translations at the top", (selector) => document.querySelectorAll(`#reviews ${selector}`).length === 4, TRANSLATION);
  report.cachedAgain = await translations();
  report.callsAfterCachedRun = await translateCalls();

  // "Load more" adds a review to the translated page.
  await page.click("#more");
  await waitUntil("the loaded review's translation", (selector) => document.querySelector(`#r7 ${selector}`), TRANSLATION);
  report.loaded = (await translations()).r7;
  report.callsAfterLoadMore = await translateCalls();
  await pressToolbarButton();
  await waitUntil("the restored page", (selector) => document.querySelectorAll(selector).length === 0, TRANSLATION);
  report.reviewsAfterRestore = await page.$$eval(".review", (items) => items.map((item) => item.innerHTML));

  // Selection popup on part of a review.
  await page.evaluate(() => {
    const text = document.querySelector("#r1").firstChild;
    const range = document.createRange();
    range.setStart(text, 3);
    range.setEnd(text, 9);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  });
  report.selected = await page.evaluate(() => getSelection().toString());
  await page.evaluate(() => document.dispatchEvent(new MouseEvent("mouseup", { button: 0, bubbles: true })));
  await page.locator('[data-translator-ext="selection-button"] button').click();
  await page.locator('[data-translator-ext="selection-popup"] .translation').waitFor({ timeout: WAIT_MS });
  report.popup = await page.evaluate(() => {
    const root = document.querySelector('[data-translator-ext="selection-popup"]').shadowRoot;
    return {
      translation: root.querySelector(".translation").textContent,
      confidence: root.querySelector(".confidence").textContent,
      terms: [...root.querySelectorAll(".term")].map((term) => ({
        term: term.querySelector(".term-source").textContent,
        meaning: term.querySelector(".term-meaning").textContent,
        status: term.querySelector(".term-status").textContent,
      })),
    };
  });

  // Improve: the corrected translation goes to the key's default translation memory.
  const popup = page.locator('[data-translator-ext="selection-popup"]');
  await popup.locator("button.improve").click();
  await popup.locator("textarea.improved").fill(config.improved);
  await popup.locator("button.save").click();
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-translator-ext="selection-popup"]').shadowRoot.querySelector(".improve-status");
    return status && status.textContent && status.textContent !== "Saving…";
  }, null, { timeout: WAIT_MS });
  report.improved = await page.evaluate(() => {
    const root = document.querySelector('[data-translator-ext="selection-popup"]').shadowRoot;
    return { status: root.querySelector(".improve-status").textContent, translation: root.querySelector(".translation").textContent };
  });

  // Replace mode: links and bold keep their markup; restore is exact.
  await settings({ display: "replace" });
  await page.goto(`${config.pages}/reviews.html`);
  const beforeReplace = await bodyHtml();
  await pressToolbarButton();
  const originals = await page.evaluate(() => [document.querySelector("#r1").textContent, document.querySelector("#r3-link").textContent]);
  await waitUntil("replaced reviews", ([r1, link]) => document.querySelector("#r1").textContent !== r1 && document.querySelector("#r3-link").textContent !== link, originals);
  report.replaced = await page.evaluate(() => ({
    r1: document.querySelector("#r1").innerHTML,
    r3: document.querySelector("#r3").innerHTML,
    linkHref: document.querySelector("#r3-link").getAttribute("href"),
    sku: document.querySelector("#sku").textContent,
    brand: document.querySelector("#brand").textContent,
    lazy: document.querySelector("#r5").textContent,
  }));
  await pressToolbarButton();
  report.replaceRestoredExactly = await settles((html) => document.body.innerHTML === html, beforeReplace);

  // A page whose text is markup, on the server without keys and with no key set.
  report.xss = {};
  for (const display of ["bilingual", "replace"]) {
    await settings({ serverUrl: config.open, apiKey: "", display });
    await page.goto(`${config.pages}/xss.html`);
    const before = await page.evaluate(() => ({ x1: document.querySelector("#x1").textContent, x2: document.querySelector("#x2").textContent }));
    await pressToolbarButton();
    await waitUntil(`the ${display} translation of the markup text`, (b) => ["x1", "x2"].every((id) => document.getElementById(id).textContent !== b[id]), before);
    await page.waitForTimeout(1000);
    report.xss[display] = await page.evaluate(() => ({
      flag: window.__xss ?? null,
      images: document.querySelectorAll("img").length,
      scripts: document.querySelectorAll("script").length,
      elementsInParagraphs: [...document.querySelectorAll("p")].map((p) => [...p.querySelectorAll("*")].map((e) => e.localName)),
      texts: [...document.querySelectorAll("p")].map((p) => p.textContent),
    }));
  }
  report.pageErrors ??= [];
} finally {
  await context.close();
}

process.stdout.write(JSON.stringify(report) + "\n");
