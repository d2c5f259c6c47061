/** The translation result, its idiom notes and alternatives, and search progress, as DOM. */

import { element, percent } from "./dom";
import type { Alternative, Progress, Term, Translation } from "./types";

const STATUS_TEXT: Record<string, string> = {
  preferred: "rendered as preferred",
  acceptable: "rendered acceptably",
  omitted: "left out (allowed)",
  missed: "not rendered",
};

/** One idiom note: the term, what it means, and whether (and how) the translation rendered it. */
export function termItem(term: Term): HTMLLIElement {
  const item = element("li", "", `term ${term.status}`);
  item.append(element("strong", term.term, "term-source"));
  if (term.meaning) item.append(" — ", element("span", term.meaning, "term-meaning"));
  const status = STATUS_TEXT[term.status] ?? term.status;
  const rendering = term.found ? `: “${term.found}”` : term.preferred.length ? ` (preferred: ${term.preferred.join(" / ")})` : "";
  item.append(element("span", `${status}${rendering}`, "term-status"));
  return item;
}

export function alternativeItem(alternative: Alternative): HTMLLIElement {
  const item = element("li", "", "alternative");
  item.append(element("span", alternative.translation, "alternative-text"), element("span", `reward ${alternative.score.toFixed(3)}`, "reward"));
  return item;
}

/** A short line of facts: confidence, detected language, whether it came from the cache. */
export function factsLine(translation: Translation, languageName: (code: string) => string): string {
  const facts = [`confidence ${percent(translation.confidence)}`];
  const source = languageName(translation.source_language);
  facts.push(translation.detection_confidence === null ? `from ${source}` : `detected ${source}`);
  facts.push(translation.mode);
  if (translation.cached) facts.push("from the cache");
  return facts.join(" · ");
}

/** Where a translation's reasoning can be seen, when it kept one. */
export function traceHref(translation: Translation): string | null {
  if (!translation.id) return null;
  const hasTrace = translation.mode !== "direct" || translation.terms.length > 0;
  return hasTrace ? `/traces/${encodeURIComponent(translation.id)}` : null;
}

export function progressText(progress: Progress): string {
  const rollouts = progress.rollouts === 1 ? "1 rollout" : `${progress.rollouts} rollouts`;
  // The last round may carry the count past the cap; "3 done of 2" would read as a bug.
  const cap = progress.rollouts < progress.max_rollouts ? ` of ${progress.max_rollouts}` : "";
  return `Search: ${rollouts} done${cap} · ${progress.generated_tokens} tokens generated`;
}
