/** The options page: edits the settings in extension storage and tests the connection. */

import { ext } from "../shared/browser";
import type { ConnectionReport, Request } from "../shared/messages";
import {
  alwaysPatterns,
  formatRules,
  normalizeSettings,
  parseRules,
  serverBase,
  type Settings,
} from "../shared/settings";
import { loadSettings, saveSettings } from "../shared/storage";

const form = document.querySelector<HTMLFormElement>("#options")!;
const status = document.querySelector<HTMLParagraphElement>("#status")!;
const languages = document.querySelector<HTMLDataListElement>("#languages")!;

function field<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(name: string): T {
  return form.elements.namedItem(name) as T;
}

function report(message: string, ok: boolean): void {
  status.textContent = message;
  status.className = ok ? "ok" : "error";
}

function fill(settings: Settings): void {
  field<HTMLInputElement>("serverUrl").value = settings.serverUrl;
  field<HTMLInputElement>("apiKey").value = settings.apiKey;
  field<HTMLInputElement>("target").value = settings.target;
  field<HTMLSelectElement>("mode").value = settings.mode;
  field<HTMLSelectElement>("budget").value = settings.budget;
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="display"]')) {
    radio.checked = radio.value === settings.display;
  }
  field<HTMLInputElement>("selectionPopup").checked = settings.selectionPopup;
  field<HTMLTextAreaElement>("siteRules").value = formatRules(settings.siteRules);
}

/** The form's settings, or a message saying what to fix. */
function read(): Settings | string {
  const { rules, errors } = parseRules(field<HTMLTextAreaElement>("siteRules").value);
  if (errors.length > 0) return `Sites: ${errors.join("; ")}`;
  const serverUrl = field<HTMLInputElement>("serverUrl").value;
  if (serverBase(serverUrl) === null) return "Server URL: give an http:// or https:// address.";
  const display = form.querySelector<HTMLInputElement>('input[name="display"]:checked')?.value;
  return normalizeSettings({
    serverUrl,
    apiKey: field<HTMLInputElement>("apiKey").value,
    target: field<HTMLInputElement>("target").value,
    mode: field<HTMLSelectElement>("mode").value,
    budget: field<HTMLSelectElement>("budget").value,
    display,
    selectionPopup: field<HTMLInputElement>("selectionPopup").checked,
    siteRules: rules,
  });
}

/**
 * Saves the form. Sites with an "always" rule need host access, which the browser grants only
 * in answer to this click: it is asked for first, before anything else is awaited.
 */
async function save(): Promise<boolean> {
  const settings = read();
  if (typeof settings === "string") {
    report(settings, false);
    return false;
  }
  const origins = alwaysPatterns(settings.siteRules);
  const granted = origins.length === 0 || (await ext.permissions.request({ origins }));
  await saveSettings(settings);
  if (!granted) {
    report("Saved, but without access to the \"always\" sites they will not be translated on load.", false);
    return true;
  }
  report("Saved.", true);
  return true;
}

async function test(): Promise<void> {
  if (!(await save())) return;
  report("Testing…", true);
  const request: Request = { type: "test-connection" };
  const answer = (await ext.runtime.sendMessage(request)) as ConnectionReport;
  report(answer.message, answer.ok);
  languages.replaceChildren(
    ...answer.languages.map(({ code, name }) => {
      const option = document.createElement("option");
      option.value = code;
      option.label = name;
      return option;
    }),
  );
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void save();
});
document.querySelector("#test")!.addEventListener("click", () => void test());
void loadSettings().then(fill);
