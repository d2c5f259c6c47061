/**
 * Translations kept in extension storage, so a block seen before is never requested again.
 *
 * One storage entry per translation, keyed by a SHA-256 of everything that decides the answer
 * (server, target, mode, budget, format, text), plus an index in insertion order that bounds
 * the cache: past `capacity` entries the oldest are removed.
 */

import type { TextFormat, Translation } from "../shared/messages";
import type { Settings } from "../shared/settings";

/** The part of `chrome.storage.StorageArea` the cache uses. */
export interface StorageLike {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

const ENTRY_PREFIX = "t:";
const INDEX_KEY = "cache-index";
export const DEFAULT_CAPACITY = 5000;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The cache key of `text` under `settings`: what the server's answer depends on. */
export async function cacheKey(settings: Settings, format: TextFormat, text: string): Promise<string> {
  const budget = settings.mode === "mcts" ? settings.budget : "";
  const scope = [settings.serverUrl, settings.target, settings.mode, budget, format].join("\u0000");
  return ENTRY_PREFIX + (await sha256(scope + "\u0001" + text));
}

export class TranslationCache {
  /** Writes run one after another, so concurrent batches cannot lose index updates. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: StorageLike,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** The cached translations of `keys` (missing ones are absent from the map). */
  async getMany(keys: string[]): Promise<Map<string, Translation>> {
    const found = new Map<string, Translation>();
    if (keys.length === 0) return found;
    const stored = await this.storage.get(keys);
    for (const key of keys) {
      const value = stored[key];
      if (typeof value === "object" && value !== null) found.set(key, value as Translation);
    }
    return found;
  }

  /** Store `entries`; the oldest entries go once the cache is over capacity. */
  putMany(entries: Map<string, Translation>): Promise<void> {
    const write = this.writes.then(() => this.write(entries));
    this.writes = write.catch(() => undefined);
    return write;
  }

  private async write(entries: Map<string, Translation>): Promise<void> {
    if (entries.size === 0) return;
    const stored = await this.storage.get([INDEX_KEY]);
    const previous = Array.isArray(stored[INDEX_KEY]) ? (stored[INDEX_KEY] as string[]) : [];
    const index = previous.filter((key) => !entries.has(key)).concat([...entries.keys()]);
    const evicted = index.splice(0, Math.max(0, index.length - this.capacity));
    await this.storage.set({ ...Object.fromEntries(entries), [INDEX_KEY]: index });
    if (evicted.length > 0) await this.storage.remove(evicted);
  }
}
