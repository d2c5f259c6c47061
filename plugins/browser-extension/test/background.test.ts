import { describe, expect, it } from "vitest";
import { TranslationCache, type StorageLike } from "../src/background/cache";
import { TranslatorClient } from "../src/background/client";
import { MAX_TEXTS_PER_REQUEST, translateTexts } from "../src/background/pipeline";
import { DEFAULT_SETTINGS, type Settings } from "../src/shared/settings";

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, unknown>();
  async get(keys: string[]): Promise<Record<string, unknown>> {
    return Object.fromEntries(keys.filter((key) => this.items.has(key)).map((key) => [key, this.items.get(key)]));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.items.set(key, structuredClone(value));
  }
  async remove(keys: string[]): Promise<void> {
    keys.forEach((key) => this.items.delete(key));
  }
}

interface Call {
  url: string;
  headers: Headers;
  body: Record<string, unknown> | null;
}

/** A server that translates by upper-casing, records every call, and fails as told. */
function fakeServer(answer?: (body: Record<string, unknown>) => Response | null) {
  const calls: Call[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    calls.push({ url: String(input), headers: new Headers(init?.headers), body });
    const special = body && answer?.(body);
    if (special) return special;
    const texts = (body?.texts as string[]) ?? [];
    const translations = texts.map((text) => ({
      translation: text.toUpperCase(),
      confidence: 0.9,
      source_language: "zh",
      detection_confidence: 1,
      terms: [{ term: "t", meaning: "m", preferred: ["p"], acceptable: [], status: "preferred", found: "p", origin: "builtin", start: 0, end: 1 }],
    }));
    return Response.json({ translations });
  };
  return { calls, fetcher };
}

function parts(settings: Settings, fetcher: typeof fetch, storage = new MemoryStorage()) {
  return { settings, cache: new TranslationCache(storage), client: () => new TranslatorClient(settings, fetcher) };
}

const SETTINGS: Settings = { ...DEFAULT_SETTINGS, serverUrl: "http://127.0.0.1:9/", apiKey: "tr_key" };

describe("translateTexts", () => {
  it("asks the configured server only, with the key, and caches every answer", async () => {
    const { calls, fetcher } = fakeServer();
    const storage = new MemoryStorage();
    const first = await translateTexts(["abc", "def"], "text", parts(SETTINGS, fetcher, storage));
    expect(first.map((outcome) => outcome.ok && outcome.value.translation)).toEqual(["ABC", "DEF"]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("http://127.0.0.1:9/v1/translate");
    expect(calls[0]!.headers.get("x-api-key")).toBe("tr_key");
    expect(calls[0]!.body).toEqual({ texts: ["abc", "def"], source: "auto", target: "en", mode: "direct", format: "text" });

    const again = await translateTexts(["def", "ghi"], "text", parts(SETTINGS, fetcher, storage));
    expect(again.map((outcome) => outcome.ok && outcome.value.translation)).toEqual(["DEF", "GHI"]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body!.texts).toEqual(["ghi"]); // the cached text is not requested again
    const other = await translateTexts(["def"], "html", parts(SETTINGS, fetcher, storage));
    expect(other[0]!.ok).toBe(true);
    expect(calls).toHaveLength(3); // a different format is a different translation
  });

  it("sends the budget for the search only, and no key when none is set", async () => {
    const { calls, fetcher } = fakeServer();
    const settings: Settings = { ...SETTINGS, apiKey: "", mode: "mcts", budget: "small" };
    await translateTexts(["x"], "text", parts(settings, fetcher));
    expect(calls[0]!.body).toMatchObject({ mode: "mcts", budget: "small" });
    expect(calls[0]!.headers.has("x-api-key")).toBe(false);
  });

  it("splits requests at the server's text limit", async () => {
    const { calls, fetcher } = fakeServer();
    const texts = Array.from({ length: MAX_TEXTS_PER_REQUEST + 3 }, (_, i) => `t${i}`);
    const outcomes = await translateTexts(texts, "text", parts(SETTINGS, fetcher));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(calls.map((call) => (call.body!.texts as string[]).length)).toEqual([MAX_TEXTS_PER_REQUEST, 3]);
  });

  it("fails only the text the server refuses and translates the rest", async () => {
    const { calls, fetcher } = fakeServer((body) =>
      (body.texts as string[]).includes("bad")
        ? Response.json({ status: 400, detail: "empty", field: `texts[${(body.texts as string[]).indexOf("bad")}]` }, { status: 400 })
        : null,
    );
    const outcomes = await translateTexts(["a", "bad", "c"], "text", parts(SETTINGS, fetcher));
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value.translation : outcome.failure.kind))).toEqual(["A", "invalid", "C"]);
    expect(calls).toHaveLength(2);
  });

  it.each([
    [401, {}, "auth", undefined],
    [403, {}, "auth", undefined],
    [429, { "retry-after": "7" }, "rate-limited", 7],
    [503, { "retry-after": "3" }, "unavailable", 3],
    [500, {}, "server", undefined],
  ])("turns HTTP %i into a %s failure and caches nothing", async (status, headers, kind, wait) => {
    const storage = new MemoryStorage();
    const { fetcher } = fakeServer(() => Response.json({ detail: "no" }, { status, headers }));
    const [outcome] = await translateTexts(["x"], "text", parts(SETTINGS, fetcher, storage));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: kind } });
    if (!outcome!.ok) expect(outcome!.failure.retryAfterS).toBe(wait);
    expect(storage.items.size).toBe(0);
  });

  it("reports an unreachable server and an unusable URL", async () => {
    const refused = async (): Promise<Response> => {
      throw new TypeError("Failed to fetch");
    };
    const [down] = await translateTexts(["x"], "text", parts(SETTINGS, refused));
    expect(down).toMatchObject({ ok: false, failure: { kind: "unreachable" } });
    const [unset] = await translateTexts(["x"], "text", parts({ ...SETTINGS, serverUrl: "file:///etc" }, refused));
    expect(unset).toMatchObject({ ok: false, failure: { kind: "config" } });
  });

  it("keeps the terms the API reports", async () => {
    const { fetcher } = fakeServer();
    const [outcome] = await translateTexts(["x"], "text", parts(SETTINGS, fetcher));
    expect(outcome!.ok && outcome!.value.terms).toEqual([{ term: "t", meaning: "m", preferred: ["p"], status: "preferred", found: "p" }]);
  });
});

describe("TranslationCache", () => {
  it("drops the oldest entries past its capacity", async () => {
    const storage = new MemoryStorage();
    const cache = new TranslationCache(storage, 2);
    const value = { translation: "v", confidence: 1, sourceLanguage: "zh", detectionConfidence: null, terms: [] };
    await Promise.all([cache.putMany(new Map([["t:a", value]])), cache.putMany(new Map([["t:b", value]]))]);
    await cache.putMany(new Map([["t:c", value]]));
    expect([...(await cache.getMany(["t:a", "t:b", "t:c"])).keys()]).toEqual(["t:b", "t:c"]);
  });
});

describe("corrections", () => {
  const stored = { translation: "ABC", confidence: 0.9, sourceLanguage: "zh", detectionConfidence: 1, terms: [] };

  it("keeps the stored id and a memory match's pair from the answer", async () => {
    const { fetcher } = fakeServer(() =>
      Response.json({
        translations: [
          { ...stored, id: "t-1", source_language: "zh", detection_confidence: 1 },
          { ...stored, id: null, source_language: "zh", detection_confidence: 1, memory: { match: "exact", score: 1, entry: { memory: "m-1", source: "源", target: "ABC", score: 1 } } },
        ],
      }),
    );
    const outcomes = await translateTexts(["a", "b"], "text", parts(SETTINGS, fetcher));
    expect(outcomes.map((outcome) => outcome.ok && [outcome.value.id, outcome.value.memory])).toEqual([
      ["t-1", null],
      [null, { memory: "m-1", source: "源" }],
    ]);
  });

  it("puts a correction of a stored translation, with the key", async () => {
    const { calls, fetcher } = fakeServer(() => Response.json({}));
    await new TranslatorClient(SETTINGS, fetcher).correct({ ...stored, id: "t/1" }, "Better");
    expect(calls[0]!.url).toBe("http://127.0.0.1:9/v1/translations/t%2F1");
    expect(calls[0]!.body).toEqual({ translation: "Better" });
    expect(calls[0]!.headers.get("x-api-key")).toBe("tr_key");
  });

  it("updates the memory pair an exact match came from", async () => {
    const { calls, fetcher } = fakeServer(() => Response.json({}));
    const fromMemory = { ...stored, id: null, memory: { memory: "m-1", source: "源" } };
    await new TranslatorClient(SETTINGS, fetcher).correct(fromMemory, "Better");
    expect(calls[0]!.url).toBe("http://127.0.0.1:9/v1/memories/m-1/entries");
    expect(calls[0]!.body).toEqual({ entries: [{ source: "源", target: "Better" }] });
  });

  it("refuses what the server never stored, and reports the server's refusal", async () => {
    const { calls, fetcher } = fakeServer(() => Response.json({ detail: "no default memory", field: "memory" }, { status: 400 }));
    const client = new TranslatorClient(SETTINGS, fetcher);
    await expect(client.correct(stored, "Better")).rejects.toMatchObject({ failure: { kind: "invalid" } });
    expect(calls).toHaveLength(0);
    await expect(client.correct({ ...stored, id: "t-1" }, "Better")).rejects.toThrow("no default memory");
  });
});
