/**
 * The content script: runs on every http(s) page, idle until asked. It translates the page
 * when the toolbar button, the shortcut or the context menu says so (or at once on sites with
 * an "always" rule), and offers the selection popup. It never talks to the network: every
 * translation comes from the background worker.
 */

import { ext, OWN_ATTRIBUTE } from "../shared/browser";
import type {
  Failure,
  ImproveOutcome,
  PageConfig,
  Request,
  TabCommand,
  TabState,
  TextFormat,
  TextOutcome,
  Translation,
} from "../shared/messages";
import { showNotice } from "./notice";
import { PageSession } from "./page";
import { offerSelection, showSelectionPopup } from "./selection";

declare global {
  interface Window {
    __translatorExtension?: boolean;
  }
}

function ask<T>(request: Request): Promise<T> {
  return ext.runtime.sendMessage(request) as Promise<T>;
}

async function requestTranslations(texts: string[], format: TextFormat): Promise<TextOutcome[]> {
  let answer: unknown;
  try {
    answer = await ask<unknown>({ type: "translate", texts, format });
  } catch (error) {
    answer = `The extension could not be reached (${String(error)}); reload the page.`;
  }
  if (Array.isArray(answer) && answer.length === texts.length) return answer as TextOutcome[];
  const message = typeof answer === "string" ? answer : `The extension failed: ${JSON.stringify(answer)}`;
  return texts.map(() => ({ ok: false, failure: { kind: "server", message } }));
}

async function translateOne(text: string): Promise<TextOutcome> {
  const [outcome] = await requestTranslations([text], "text");
  return outcome ?? { ok: false, failure: { kind: "server", message: "no answer" } };
}

async function improveOne(text: string, translation: Translation, improved: string): Promise<ImproveOutcome> {
  try {
    const answer = await ask<ImproveOutcome | { error: string }>({ type: "improve", text, translation, improved });
    return "ok" in answer ? answer : { ok: false, message: answer.error };
  } catch (error) {
    return { ok: false, message: `The extension could not be reached (${String(error)}); reload the page.` };
  }
}

let session: PageSession | null = null;

function config(): Promise<PageConfig> {
  return ask<PageConfig>({ type: "page-config", host: location.hostname });
}

function notify(failure: Failure, retrying: boolean): void {
  showNotice(document, failure, retrying);
  if (!retrying && session && !session.showsTranslations) {
    session.end();
    session = null;
  }
}

async function startSession(current: PageConfig): Promise<void> {
  session?.end();
  session = new PageSession(document.body, {
    display: current.display,
    target: current.target,
    request: requestTranslations,
    notify,
  });
  session.start();
}

/** Translates the page, or restores it if it is translated. */
async function togglePage(): Promise<TabState> {
  if (session) {
    session.end();
    session = null;
    return { translated: false };
  }
  const current = await config();
  if (current.rule === "never") {
    showNotice(
      document,
      { kind: "config", message: `Translation is turned off for ${location.hostname} in the extension's options.` },
      false,
    );
    return { translated: false };
  }
  await startSession(current);
  return { translated: true };
}

function listen(): void {
  ext.runtime.onMessage.addListener((message: TabCommand, _sender, respond) => {
    if (message.type === "toggle-page") {
      void togglePage().then(respond);
      return true;
    }
    if (message.type === "translate-selection") {
      void showSelectionPopup(document, message.text, null, translateOne, improveOne);
      respond({ translated: session !== null });
    }
    return false;
  });
}

async function main(): Promise<void> {
  if (window.__translatorExtension) return; // injected twice (declared and on demand)
  window.__translatorExtension = true;
  listen();
  const current = await config();
  if (current.rule === "never") return;
  if (current.selectionPopup) {
    document.addEventListener("mouseup", (event) => {
      const own = event.target instanceof Element && event.target.hasAttribute(OWN_ATTRIBUTE);
      if (event.button === 0 && !own) setTimeout(() => offerSelection(document, translateOne, improveOne), 0);
    });
  }
  if (current.rule === "always") await startSession(current);
}

void main();
