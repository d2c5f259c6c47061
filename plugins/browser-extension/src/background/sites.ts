/**
 * Sites with an "always" rule get the content script on every visit: it is registered for
 * exactly those hosts, and only as far as the user granted them (the options page asks when
 * the rules are saved). Other pages get it only when the user asks (toolbar, shortcut, menu).
 */

import { ext } from "../shared/browser";
import { alwaysPatterns, type Settings } from "../shared/settings";

const SCRIPT_ID = "always-sites";

/** Registers the content script for the granted "always" sites (and nothing else). */
export async function syncAlwaysSites(settings: Settings): Promise<void> {
  const granted: string[] = [];
  for (const pattern of alwaysPatterns(settings.siteRules)) {
    if (await ext.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const registered = await ext.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (registered.length > 0) await ext.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length === 0) return;
  await ext.scripting.registerContentScripts([
    { id: SCRIPT_ID, matches: granted, js: ["content.js"], runAt: "document_idle", persistAcrossSessions: true },
  ]);
}
