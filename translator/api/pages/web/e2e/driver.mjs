/**
 * Drives the service's pages in Debian's Chromium (playwright-core) against a real
 * `translator serve` that requires API keys, and prints what it saw as one JSON object.
 * tests/e2e/test_web_pages.py starts the server, runs this script and judges the report;
 * screenshots go to `artifacts` for a person to look at.
 *
 * Input (stdin, JSON): chromium, base (the server's URL), key (a valid API key), artifacts
 * (a folder for screenshots and the downloaded results), sentence, hostile (text made of
 * markup), catalog and workbook (paths of a tiny CSV and .xlsx catalog).
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(0, "utf8"));
const WAIT_MS = 300_000;
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const report = { requests: [], pageErrors: [], consoleErrors: [] };
const pages = [];
const browser = await chromium.launch({ executablePath: config.chromium, args: CHROMIUM_FLAGS });

/** A new page that records every request, page error and console error. */
async function openPage(viewport = { width: 1000, height: 800 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: config.base });
  context.on("request", (request) => report.requests.push(request.url()));
  const page = await context.newPage();
  pages.push(page);
  page.on("pageerror", (error) => report.pageErrors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && report.consoleErrors.push(message.text()));
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(config.artifacts, `${name}.png`), fullPage: true });
const text = (page, selector) => page.locator(selector).textContent();
const visible = (page, selector) => page.locator(selector).isVisible();
/** Waits for the text tab's answer: the result, or else fails with the error the page shows. */
async function outcome(page) {
  await page.waitForFunction(() => !document.querySelector("#result").hidden || !document.querySelector("#translate-error").hidden, null, { timeout: WAIT_MS, polling: 250 });
  if (await visible(page, "#translate-error")) throw new Error(`the page showed: ${await text(page, "#translate-error")}`);
}
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

try {
  const page = await openPage();
  await page.goto(config.base);
  report.keyFieldShown = await visible(page, "#api-key");
  report.languages = await page.$$eval("#target option", (options) => options.map((o) => o.value));
  await shot(page, "01-translator");

  // Without a key: the problem's detail is shown, and the key field is offered.
  await page.fill("#text", config.sentence);
  await page.selectOption("#mode", "direct");
  await page.click("#translate");
  await page.locator("#translate-error").waitFor({ state: "visible", timeout: WAIT_MS });
  report.noKeyError = await text(page, "#translate-error");
  report.keyFieldFocused = await page.evaluate(() => document.activeElement?.id === "api-key");
  await shot(page, "02-no-key");

  // With the key (kept in localStorage): a search capped at 2 rollouts, its progress watched as
  // it arrives. The medium budget's deadline (120 s) lets its round finish on a busy machine.
  await page.fill("#api-key", config.key);
  report.keyStored = await page.evaluate(() => localStorage.getItem("translator.apiKey"));
  await page.selectOption("#mode", "mcts");
  await page.selectOption("#budget", "medium");
  await page.fill("#rollouts", "2");
  await page.evaluate(() => {
    window.__seen = [];
    const record = () => {
      const progress = document.querySelector("#progress");
      if (!progress.hidden) window.__seen.push({ text: document.querySelector("#progress-text").textContent, best: document.querySelector("#best-so-far").textContent, resultShown: !document.querySelector("#result").hidden });
    };
    new MutationObserver(record).observe(document.querySelector("#progress"), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.click("#translate");
  await outcome(page);
  report.progressSeen = await page.evaluate(() => window.__seen);
  report.result = await page.evaluate(() => ({
    translation: document.querySelector("#translation").textContent,
    lang: document.querySelector("#translation").lang,
    facts: document.querySelector("#facts").textContent,
    terms: [...document.querySelectorAll("#terms li")].map((li) => ({
      term: li.querySelector(".term-source")?.textContent,
      meaning: li.querySelector(".term-meaning")?.textContent ?? "",
      status: li.querySelector(".term-status")?.textContent,
    })),
    alternatives: [...document.querySelectorAll("#alternatives li")].map((li) => li.textContent),
    traceHref: document.querySelector("#trace-link").getAttribute("href"),
    errorShown: !document.querySelector("#translate-error").hidden,
  }));
  await shot(page, "03-translated");
  await page.click("#copy");
  await page.waitForFunction(() => document.querySelector("#copy-status").textContent !== "", null, { timeout: 10_000 });
  report.copyStatus = await text(page, "#copy-status");
  report.clipboard = await page.evaluate(() => navigator.clipboard.readText());

  // Markup typed as text stays text all the way (the model may echo it).
  await page.fill("#text", config.hostile);
  await page.selectOption("#mode", "direct");
  await page.click("#translate");
  await outcome(page);
  report.hostile = await page.evaluate(() => ({
    owned: window.__owned ?? null,
    elements: [...document.querySelectorAll("#result img, #result script, #result b")].length,
    translation: document.querySelector("#translation").textContent,
  }));

  // The trace: the tree as SVG, a node selected from the keyboard, the text view below.
  await page.goto(new URL(report.result.traceHref, config.base).href);
  const tree = page.locator("svg.search-tree");
  await tree.waitFor({ timeout: WAIT_MS });
  report.trace = await page.evaluate(() => {
    const svg = document.querySelector("svg.search-tree");
    const figure = svg.closest("figure");
    const list = document.querySelector("ul.tree-list");
    return {
      nodes: svg.querySelectorAll("a.tree-node").length,
      chosen: svg.querySelectorAll("a.tree-node.chosen").length,
      listedNodes: document.querySelectorAll("ul.tree-list li.node").length,
      sizes: [...new Set([...svg.querySelectorAll("a.tree-node > circle:first-of-type")].map((c) => c.getAttribute("r")))].length,
      colours: [...new Set([...svg.querySelectorAll("a.tree-node > circle:first-of-type")].map((c) => c.getAttribute("fill")))].length,
      titles: [...svg.querySelectorAll("a.tree-node > title")].map((t) => t.textContent),
      textViewBelow: Boolean(figure.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING),
    };
  });
  const traceId = report.result.traceHref.split("/").pop();
  const traceJson = await fetch(new URL(`/v1/translations/${traceId}/trace`, config.base), {
    headers: { "X-API-Key": config.key },
  });
  report.trace.chosenPath = (await traceJson.json()).chosen_path;
  await shot(page, "04-trace");
  await page.locator("svg.search-tree a.tree-node.chosen").last().focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#node-"), null, { timeout: 10_000 });
  report.trace.selected = await page.evaluate(() => ({ hash: location.hash, targeted: document.querySelector("li:target")?.id ?? null }));

  // Phone width: nothing wider than the screen (the tree scrolls inside its frame).
  const phone = await openPage({ width: 375, height: 740 });
  await phone.goto(config.base);
  await phone.evaluate((key) => localStorage.setItem("translator.apiKey", key), config.key);
  await phone.reload();
  await phone.fill("#text", config.sentence);
  await phone.selectOption("#mode", "direct");
  await phone.click("#translate");
  await outcome(phone);
  report.phone = { translatorOverflow: await overflow(phone) };
  await shot(phone, "05-translator-375px");
  await phone.goto(new URL(report.result.traceHref, config.base).href);
  report.phone.traceOverflow = await overflow(phone);
  report.phoneTables = await phone.evaluate(() => {
    const tables = [...document.querySelectorAll("table")];
    const cell = document.querySelector("td");
    return {
      tables: tables.length,
      scrollingSideways: tables.filter((t) => t.scrollWidth > t.clientWidth + 1).length,
      headersShown: tables.filter((t) => getComputedStyle(t.tHead).display !== "none").length,
      firstLabel: cell ? getComputedStyle(cell, "::before").content : null,
    };
  });
  await shot(phone, "06-trace-375px");

  // Keyboard: the arrow keys move between the tabs.
  await page.goto(config.base);
  await page.focus("#tab-text");
  await page.keyboard.press("ArrowRight");
  report.tabs = await page.evaluate(() => ({
    focused: document.activeElement?.id,
    selected: document.querySelector('[role="tab"][aria-selected="true"]').id,
    catalogShown: !document.querySelector("#panel-catalog").hidden,
  }));

  // The catalog tab: an .xlsx's columns are listed; a CSV is translated and downloaded.
  await page.setInputFiles("#catalog-file", config.workbook);
  await page.locator("#columns-body tr").first().waitFor({ timeout: 10_000 });
  report.workbookColumns = await page.$$eval("#columns-body th", (cells) => cells.map((c) => c.textContent));
  await page.setInputFiles("#catalog-file", config.catalog);
  await page.waitForFunction(() => [...document.querySelectorAll("#columns-body th")].some((c) => c.textContent === "title"), null, { timeout: 10_000 });
  report.catalogColumns = await page.$$eval("#columns-body th", (cells) => cells.map((c) => c.textContent));
  await page.check('#columns-body input[name="translate"][value="title"]');
  await page.selectOption("#id-column", "sku");
  await page.selectOption("#catalog-target", "en");
  await page.click("#catalog-start");
  await page.locator("#job").waitFor({ state: "visible", timeout: WAIT_MS });
  await page.waitForFunction(() => /^(completed|failed|cancelled)/.test(document.querySelector("#job-status").textContent), null, { timeout: WAIT_MS, polling: 250 });
  report.jobStatus = await text(page, "#job-status");
  await shot(page, "07-catalog");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.click("#job-download")]);
  report.download = { name: download.suggestedFilename(), path: join(config.artifacts, download.suggestedFilename()) };
  await download.saveAs(report.download.path);

  // The docs UI, from this server's own files.
  await page.goto(`${config.base}/docs`);
  await page.locator(".swagger-ui .information-container").waitFor({ timeout: 60_000 });
  await page.locator(".opblock").first().waitFor({ timeout: 60_000 });
  report.docs = { title: await page.title(), operations: await page.locator(".opblock").count() };
  await page.screenshot({ path: join(config.artifacts, "08-docs.png") });
} catch (error) {
  for (const [index, page] of pages.entries()) await shot(page, `failure-${index}`).catch(() => {});
  throw error;
} finally {
  await browser.close();
}

process.stdout.write(JSON.stringify(report) + "\n");
