/**
 * One `translate` message answered: cached texts from storage, the rest from the server in
 * requests within its limits. A text the server refuses (400 naming `texts[i]`) fails alone:
 * the others of its request are sent again without it.
 */

import type { Failure, TextFormat, TextOutcome, Translation } from "../shared/messages";
import type { Settings } from "../shared/settings";
import { cacheKey, type TranslationCache } from "./cache";
import { ApiFailure, type TranslatorClient } from "./client";

/** The server's defaults (`TRANSLATOR_MAX_TEXTS`, `TRANSLATOR_MAX_TEXT_CHARS`). */
export const MAX_TEXTS_PER_REQUEST = 32;
export const MAX_TEXT_CHARS = 2000;

const FIELD = /^texts\[(\d+)\]$/;

export interface PipelineParts {
  settings: Settings;
  cache: TranslationCache;
  client: () => TranslatorClient;
}

function failure(error: unknown): Failure {
  if (error instanceof ApiFailure) return error.failure;
  return { kind: "server", message: error instanceof Error ? error.message : String(error) };
}

/** An answer for every text of `texts`, in order. */
export async function translateTexts(
  texts: string[],
  format: TextFormat,
  parts: PipelineParts,
): Promise<TextOutcome[]> {
  const outcomes: (TextOutcome | undefined)[] = new Array(texts.length);
  const keys = await Promise.all(texts.map((text) => cacheKey(parts.settings, format, text)));
  const cached = await parts.cache.getMany(keys);
  const pending: number[] = [];
  texts.forEach((text, i) => {
    const hit = cached.get(keys[i]!);
    if (hit) outcomes[i] = { ok: true, value: hit };
    else if (text.length > MAX_TEXT_CHARS)
      outcomes[i] = {
        ok: false,
        failure: { kind: "invalid", message: `longer than ${MAX_TEXT_CHARS} characters` },
      };
    else pending.push(i);
  });
  for (let start = 0; start < pending.length; start += MAX_TEXTS_PER_REQUEST) {
    const chunk = pending.slice(start, start + MAX_TEXTS_PER_REQUEST);
    const done = await requestChunk(chunk, texts, format, parts);
    const fresh = new Map<string, Translation>();
    for (const [i, outcome] of done) {
      outcomes[i] = outcome;
      if (outcome.ok) fresh.set(keys[i]!, outcome.value);
    }
    await parts.cache.putMany(fresh);
  }
  return outcomes.map((outcome) => outcome ?? { ok: false, failure: failure(new Error("no answer")) });
}

async function requestChunk(
  chunk: number[],
  texts: string[],
  format: TextFormat,
  parts: PipelineParts,
): Promise<Map<number, TextOutcome>> {
  const done = new Map<number, TextOutcome>();
  let remaining = chunk;
  while (remaining.length > 0) {
    try {
      const client = parts.client();
      const translations = await client.translate(remaining.map((i) => texts[i]!), format);
      remaining.forEach((i, position) => done.set(i, { ok: true, value: translations[position]! }));
      return done;
    } catch (error) {
      const refused = error instanceof ApiFailure ? FIELD.exec(error.field ?? "") : null;
      const position = refused ? Number(refused[1]) : -1;
      if (position < 0 || position >= remaining.length) {
        for (const i of remaining) done.set(i, { ok: false, failure: failure(error) });
        return done;
      }
      done.set(remaining[position]!, { ok: false, failure: failure(error) });
      remaining = remaining.filter((_, p) => p !== position);
    }
  }
  return done;
}
