/** Reading and writing the settings in extension storage. */

import { ext } from "./browser";
import { normalizeSettings, SETTINGS_KEY, type Settings } from "./settings";

export async function loadSettings(): Promise<Settings> {
  const stored = await ext.storage.local.get(SETTINGS_KEY);
  return normalizeSettings(stored[SETTINGS_KEY]);
}

export async function saveSettings(settings: Settings): Promise<void> {
  await ext.storage.local.set({ [SETTINGS_KEY]: normalizeSettings(settings) });
}
