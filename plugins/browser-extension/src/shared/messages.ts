/** The messages between the content scripts, the options page and the background worker. */

import type { DisplayMode, SiteRule } from "./settings";

export type TextFormat = "text" | "html";

/** A glossary hit as the API reports it: the term, what it means and how it was rendered. */
export interface Term {
  term: string;
  meaning: string;
  preferred: string[];
  status: string;
  found: string | null;
}

/** The translation memory pair an answer came from (an exact match): where to correct it. */
export interface MemorySource {
  memory: string;
  source: string;
}

/** What the extension keeps of one translated text (also what its cache stores). */
export interface Translation {
  translation: string;
  confidence: number;
  sourceLanguage: string;
  detectionConfidence: number | null;
  terms: Term[];
  /** The stored translation's id, which a correction names (absent in older cache entries). */
  id?: string | null;
  /** Set when the answer is an approved pair of a translation memory. */
  memory?: MemorySource | null;
}

/**
 * Why a request failed. `unreachable`: no answer from the server; `auth`: the key was refused
 * (401/403); `rate-limited`: 429; `unavailable`: 503 (engine loading or down); `invalid`: the
 * server refused this text (400); `config`: the server URL is not usable; `server`: anything else.
 */
export type FailureKind =
  | "unreachable"
  | "auth"
  | "rate-limited"
  | "unavailable"
  | "invalid"
  | "config"
  | "server";

export interface Failure {
  kind: FailureKind;
  message: string;
  retryAfterS?: number;
}

/** One answer per requested text: a translation, or why that text failed. */
export type TextOutcome = { ok: true; value: Translation } | { ok: false; failure: Failure };

/** Whether a correction was kept (`message` says where, or why not). */
export interface ImproveOutcome {
  ok: boolean;
  message: string;
}

export interface PageConfig {
  display: DisplayMode;
  target: string;
  selectionPopup: boolean;
  rule: SiteRule | null;
}

export interface ConnectionReport {
  ok: boolean;
  message: string;
  languages: { code: string; name: string }[];
}

/** Content script or options page → background. */
export type Request =
  | { type: "translate"; texts: string[]; format: TextFormat }
  | { type: "improve"; text: string; translation: Translation; improved: string }
  | { type: "page-config"; host: string }
  | { type: "test-connection" };

/** Background → content script. */
export type TabCommand =
  | { type: "toggle-page" }
  | { type: "translate-selection"; text: string };

export interface TabState {
  translated: boolean;
}
