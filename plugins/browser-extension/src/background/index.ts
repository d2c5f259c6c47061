/**
 * The background worker: the only part of the extension that reads the API key or talks to
 * the network, and then only to the configured server. It answers the content scripts'
 * translation requests (through the storage cache), turns the toolbar button, its keyboard
 * shortcut and the context menu into commands for the tab (injecting the content script there
 * first, which the click's activeTab grant allows), and keeps the "always" sites registered.
 */

import { ext } from "../shared/browser";
import type {
  ConnectionReport,
  ImproveOutcome,
  PageConfig,
  Request,
  TabCommand,
  TabState,
  Translation,
} from "../shared/messages";
import { loadSettings } from "../shared/storage";
import { ruleFor, SETTINGS_KEY } from "../shared/settings";
import { cacheKey, TranslationCache } from "./cache";
import { ApiFailure, TranslatorClient } from "./client";
import { translateTexts } from "./pipeline";
import { syncAlwaysSites } from "./sites";

const MENU_PAGE = "translate-page";
const MENU_SELECTION = "translate-selection";

const cache = new TranslationCache(ext.storage.local);

async function handle(request: Request): Promise<unknown> {
  const settings = await loadSettings();
  switch (request.type) {
    case "translate":
      return translateTexts(request.texts, request.format, {
        settings,
        cache,
        client: () => new TranslatorClient(settings),
      });
    case "page-config":
      return {
        display: settings.display,
        target: settings.target,
        selectionPopup: settings.selectionPopup,
        rule: ruleFor(settings.siteRules, request.host) ?? null,
      } satisfies PageConfig;
    case "test-connection":
      return testConnection();
    case "improve":
      return improve(request.text, request.translation, request.improved);
  }
}

/** Posts a correction; once the server kept it, the cached answer for the text says it too. */
async function improve(text: string, translation: Translation, improved: string): Promise<ImproveOutcome> {
  const settings = await loadSettings();
  try {
    await new TranslatorClient(settings).correct(translation, improved);
  } catch (error) {
    return { ok: false, message: error instanceof ApiFailure ? error.message : String(error) };
  }
  const key = await cacheKey(settings, "text", text);
  await cache.putMany(new Map([[key, { ...translation, translation: improved }]]));
  return { ok: true, message: "Saved to your translation memory." };
}

async function testConnection(): Promise<ConnectionReport> {
  const settings = await loadSettings();
  try {
    const languages = await new TranslatorClient(settings).languages();
    return { ok: true, message: `Connected: ${languages.length} languages.`, languages };
  } catch (error) {
    const message = error instanceof ApiFailure ? error.message : String(error);
    return { ok: false, message, languages: [] };
  }
}

/** Sends `command` to the tab, injecting the content script first where it is not running. */
async function sendToTab(tabId: number, command: TabCommand): Promise<TabState | undefined> {
  try {
    return (await ext.tabs.sendMessage(tabId, command)) as TabState;
  } catch {
    await ext.scripting.executeScript({ target: { tabId }, files: ["content.js"] });
    return (await ext.tabs.sendMessage(tabId, command)) as TabState;
  }
}

async function togglePage(tabId: number): Promise<void> {
  const state = await sendToTab(tabId, { type: "toggle-page" });
  await ext.action.setBadgeText({ tabId, text: state?.translated ? "on" : "" });
}

const resyncSites = (): void => {
  void loadSettings().then(syncAlwaysSites);
};
ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && SETTINGS_KEY in changes) resyncSites();
});
ext.permissions.onAdded.addListener(resyncSites);
ext.permissions.onRemoved.addListener(resyncSites);

ext.runtime.onInstalled.addListener(() => {
  resyncSites();
  void ext.contextMenus.removeAll().then(() => {
    ext.contextMenus.create({ id: MENU_PAGE, title: "Translate page / show original", contexts: ["page"] });
    ext.contextMenus.create({ id: MENU_SELECTION, title: "Translate “%s”", contexts: ["selection"] });
  });
});

ext.action.onClicked.addListener((tab) => {
  if (tab.id !== undefined) void togglePage(tab.id);
});

ext.contextMenus.onClicked.addListener((info, tab) => {
  if (tab?.id === undefined) return;
  if (info.menuItemId === MENU_PAGE) void togglePage(tab.id);
  else if (info.menuItemId === MENU_SELECTION && info.selectionText) {
    void sendToTab(tab.id, { type: "translate-selection", text: info.selectionText });
  }
});

ext.runtime.onMessage.addListener((request: Request, sender, respond) => {
  if (sender.id !== ext.runtime.id) return false;
  handle(request).then(respond, (error: unknown) => respond({ error: String(error) }));
  return true;
});
