/**
 * The translator REST API as the extension uses it: `POST /v1/translate`, `GET /ready`,
 * `GET /v1/languages`, and for corrections `PUT /v1/translations/{id}` (or, for an answer that
 * came from a translation memory, `POST /v1/memories/{id}/entries`). Every URL is built from the configured server's base, so no other host
 * is ever contacted; every failure becomes a typed `Failure` the page can show.
 */

import type { Failure, FailureKind, Term, TextFormat, Translation } from "../shared/messages";
import { serverBase, type Settings } from "../shared/settings";

const REQUEST_TIMEOUT_MS = 300_000;

/** A failed call; `field` names the request part the server refused (e.g. `texts[2]`). */
export class ApiFailure extends Error {
  constructor(
    readonly failure: Failure,
    readonly field: string | null = null,
  ) {
    super(failure.message);
  }
}

interface ProblemBody {
  detail?: unknown;
  title?: unknown;
  field?: unknown;
}

interface TranslationBody {
  translation: string;
  confidence: number;
  source_language: string;
  detection_confidence: number | null;
  terms?: { term: string; meaning: string; preferred: string[]; status: string; found: string | null }[];
  id?: string | null;
  memory?: { match: string; entry?: { memory: string; source: string } };
}

function fail(kind: FailureKind, message: string, retryAfterS?: number): Failure {
  return retryAfterS === undefined ? { kind, message } : { kind, message, retryAfterS };
}

function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

async function problemOf(response: Response): Promise<ProblemBody> {
  try {
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null ? (body as ProblemBody) : {};
  } catch {
    return {};
  }
}

/** The failure an HTTP error status means, with the server's own explanation. */
async function failureOf(response: Response): Promise<ApiFailure> {
  const problem = await problemOf(response);
  const detail = typeof problem.detail === "string" ? problem.detail : response.statusText;
  const field = typeof problem.field === "string" ? problem.field : null;
  const wait = retryAfter(response);
  switch (response.status) {
    case 401:
    case 403:
      return new ApiFailure(fail("auth", `The server refused the API key: ${detail}`));
    case 429:
      return new ApiFailure(fail("rate-limited", `Rate limited by the server: ${detail}`, wait ?? 10));
    case 503:
      return new ApiFailure(fail("unavailable", `The server is not ready: ${detail}`, wait ?? 5));
    case 400:
    case 413:
      return new ApiFailure(fail("invalid", `The server refused the text: ${detail}`), field);
    default:
      return new ApiFailure(fail("server", `The server answered ${response.status}: ${detail}`));
  }
}

function term(body: NonNullable<TranslationBody["terms"]>[number]): Term {
  return {
    term: body.term,
    meaning: body.meaning,
    preferred: body.preferred,
    status: body.status,
    found: body.found,
  };
}

function translationOf(body: TranslationBody): Translation {
  return {
    translation: body.translation,
    confidence: body.confidence,
    sourceLanguage: body.source_language,
    detectionConfidence: body.detection_confidence,
    terms: (body.terms ?? []).map(term),
    id: body.id ?? null,
    memory: body.memory?.entry ? { memory: body.memory.entry.memory, source: body.memory.entry.source } : null,
  };
}

export class TranslatorClient {
  private readonly base: string;

  constructor(
    private readonly settings: Settings,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {
    const base = serverBase(settings.serverUrl);
    if (base === null) {
      throw new ApiFailure(
        fail("config", `Set the translator server's URL (http or https) in the extension's options.`),
      );
    }
    this.base = base;
  }

  /** Translations of `texts`, in order; throws `ApiFailure`. */
  async translate(texts: string[], format: TextFormat): Promise<Translation[]> {
    const body: Record<string, unknown> = {
      texts,
      source: "auto",
      target: this.settings.target,
      mode: this.settings.mode,
      format,
    };
    if (this.settings.mode === "mcts" && this.settings.budget) body.budget = this.settings.budget;
    const answer = (await this.call("/v1/translate", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    })) as { translations: TranslationBody[] };
    return answer.translations.map(translationOf);
  }

  /**
   * Keep `improved` as the approved translation of `translation`'s text: in the caller's default
   * translation memory, or in the memory the answer came from. Throws `ApiFailure`.
   */
  async correct(translation: Translation, improved: string): Promise<void> {
    const json = { "content-type": "application/json" };
    if (translation.id) {
      await this.call(`/v1/translations/${encodeURIComponent(translation.id)}`, {
        method: "PUT",
        body: JSON.stringify({ translation: improved }),
        headers: json,
      });
    } else if (translation.memory) {
      const entries = [{ source: translation.memory.source, target: improved }];
      await this.call(`/v1/memories/${encodeURIComponent(translation.memory.memory)}/entries`, {
        method: "POST",
        body: JSON.stringify({ entries }),
        headers: json,
      });
    } else {
      throw new ApiFailure(fail("invalid", "This translation was not stored by the server, so it cannot be corrected."));
    }
  }

  /** The supported languages; a call that checks the address, the key and readiness. */
  async languages(): Promise<{ code: string; name: string }[]> {
    const ready = (await this.call("/ready", {})) as { status?: string };
    if (ready.status !== "ready") {
      throw new ApiFailure(fail("unavailable", "The server is starting: its model is not loaded yet."));
    }
    const answer = (await this.call("/v1/languages", {})) as {
      languages: { code: string; name: string }[];
    };
    return answer.languages;
  }

  private async call(path: string, init: RequestInit): Promise<unknown> {
    const headers = new Headers(init.headers);
    if (this.settings.apiKey) headers.set("x-api-key", this.settings.apiKey);
    let response: Response;
    try {
      response = await this.fetcher(this.base + path, {
        ...init,
        headers,
        credentials: "omit",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "no answer";
      throw new ApiFailure(fail("unreachable", `The translator server at ${this.base} is unreachable (${reason}).`));
    }
    if (!response.ok) throw await failureOf(response);
    return response.json();
  }
}
