/** The API's answers, as far as the page reads them (docs/api.md, docs/jobs.md). */

export interface Term {
  term: string;
  meaning: string;
  preferred: string[];
  acceptable: string[];
  origin: string;
  status: "preferred" | "acceptable" | "omitted" | "missed" | string;
  found: string | null;
}

export interface Alternative {
  translation: string;
  score: number;
}

export interface Translation {
  id: string | null;
  text: string;
  translation: string;
  source_language: string;
  detection_confidence: number | null;
  target_language: string;
  mode: string;
  confidence: number;
  cached: boolean;
  alternatives: Alternative[];
  terms: Term[];
}

export interface TranslateResponse {
  translations: Translation[];
}

export interface Progress {
  index: number;
  rollouts: number;
  max_rollouts: number;
  generated_tokens: number;
  best: { translation: string; reward: number } | null;
}

export interface Job {
  id: string;
  state: "queued" | "running" | "completed" | "cancelled" | "failed" | string;
  file_name: string;
  counts: { rows_total: number; rows_done: number; rows_failed: number; cached: number; translated: number };
  rows_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
  results_url: string;
}

export const FINISHED_STATES = new Set(["completed", "cancelled", "failed"]);
