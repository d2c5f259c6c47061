/** Calls to the service's own `/v1` API, with the stored key; failures become `ApiError`s. */

import { SseParser } from "./sse";
import type { Progress, TranslateResponse } from "./types";

/** A failed call: the problem's `detail` (RFC 9457), or what went wrong on the way. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly field: string | null = null,
  ) {
    super(detail);
  }
}

const KEY_STORAGE = "translator.apiKey";

export function storedKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? "";
  } catch {
    return "";
  }
}

export function storeKey(key: string): void {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage may be off (private windows); the key then lives only in the field.
  }
}

function authHeaders(): Record<string, string> {
  const key = storedKey();
  return key ? { "X-API-Key": key } : {};
}

/** The error a non-2xx answer stands for, read from its problem body when it has one. */
export async function problemOf(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`.trim();
  let field: string | null = null;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object") {
      const problem = body as { detail?: unknown; title?: unknown; field?: unknown };
      if (typeof problem.detail === "string" && problem.detail) detail = problem.detail;
      else if (typeof problem.title === "string") detail = problem.title;
      if (typeof problem.field === "string") field = problem.field;
    }
  } catch {
    // Not JSON (a proxy's page): the status line has to do.
  }
  const retry = response.headers.get("Retry-After");
  if (retry && (response.status === 429 || response.status === 503)) detail += ` (try again in ${retry} s)`;
  return new ApiError(response.status, detail, field);
}

/** `fetch` that turns network failures and error statuses into `ApiError`s. */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { ...authHeaders(), ...(init.headers ?? {}) } });
  } catch {
    throw new ApiError(0, "the server could not be reached; check that it is running");
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

export async function callJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await call(path, init)).json()) as T;
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return callJson<T>(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** `POST /v1/translate?stream=true`: calls `onProgress` per search wave, resolves with the result. */
export async function translateStreaming(
  body: unknown,
  onProgress: (progress: Progress) => void,
): Promise<TranslateResponse> {
  const response = await call("/v1/translate?stream=true", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!response.body) throw new ApiError(0, "the server sent no event stream");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const event of parser.push(value)) {
        const data: unknown = JSON.parse(event.data);
        if (event.event === "progress") onProgress(data as Progress);
        else if (event.event === "result") return data as TranslateResponse;
        else if (event.event === "error") {
          const problem = data as { status?: number; detail?: string; field?: string };
          throw new ApiError(problem.status ?? 500, problem.detail ?? "the translation failed", problem.field ?? null);
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
  throw new ApiError(0, "the connection closed before the translation finished");
}

/** The file name a `Content-Disposition` header gives, or `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}
