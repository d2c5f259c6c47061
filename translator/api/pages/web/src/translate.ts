/** The text tab: send the form to `/v1/translate` (streamed for `mcts`) and show the answer. */

import { postJson, translateStreaming } from "./api";
import { byId, show } from "./dom";
import { clearError, showError } from "./errors";
import { alternativeItem, factsLine, progressText, termItem, traceHref } from "./render";
import type { Progress, TranslateResponse, Translation } from "./types";

const CONTROLS = { text: "text", texts: "text", source: "source", target: "target", mode: "mode", budget: "budget", rollouts: "rollouts" };
const ALTERNATIVES = 3;

function languageName(code: string): string {
  const option = byId<HTMLSelectElement>("target").querySelector<HTMLOptionElement>(`option[value="${CSS.escape(code)}"]`);
  return option?.textContent ?? code;
}

function requestBody(): Record<string, unknown> {
  const mode = byId<HTMLSelectElement>("mode").value;
  const body: Record<string, unknown> = {
    text: byId<HTMLTextAreaElement>("text").value,
    source: byId<HTMLSelectElement>("source").value,
    target: byId<HTMLSelectElement>("target").value,
    mode,
  };
  if (mode === "mcts") {
    const budget = byId<HTMLSelectElement>("budget").value;
    if (budget) body.budget = budget;
    body.alternatives = ALTERNATIVES;
    const rollouts = byId<HTMLInputElement>("rollouts").value.trim();
    if (rollouts) body.rollouts = Number(rollouts);
  }
  return body;
}

function showProgress(progress: Progress): void {
  show(byId("progress"), true);
  const bar = byId<HTMLProgressElement>("progress-bar");
  bar.max = Math.max(1, progress.max_rollouts);
  bar.value = Math.min(progress.rollouts, bar.max);
  byId("progress-text").textContent = progressText(progress);
  if (progress.best) {
    byId("best-so-far").textContent = progress.best.translation;
    byId("best-reward").textContent = `reward ${progress.best.reward.toFixed(3)}`;
    show(byId("best"), true);
  }
}

function showResult(translation: Translation): void {
  const text = byId("translation");
  text.textContent = translation.translation;
  text.lang = translation.target_language;
  byId("facts").textContent = factsLine(translation, languageName);
  const trace = byId<HTMLAnchorElement>("trace-link");
  const href = traceHref(translation);
  if (href) trace.href = href;
  show(trace, href !== null);
  byId("terms").replaceChildren(...translation.terms.map(termItem));
  show(byId("notes"), translation.terms.length > 0);
  byId("alternatives").replaceChildren(...translation.alternatives.map(alternativeItem));
  show(byId("alternatives-section"), translation.alternatives.length > 0);
  byId("copy-status").textContent = "";
  show(byId("result"), true);
}

async function copyTranslation(): Promise<void> {
  const text = byId("translation").textContent ?? "";
  const status = byId("copy-status");
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    status.textContent = "Copying is blocked here: select the text and copy it.";
  }
}

export function setUpTranslator(): void {
  const form = byId<HTMLFormElement>("translate-form");
  const mode = byId<HTMLSelectElement>("mode");
  const button = byId<HTMLButtonElement>("translate");
  const errorBox = byId("translate-error");
  const syncMode = (): void => {
    const searching = mode.value === "mcts";
    byId<HTMLSelectElement>("budget").disabled = !searching;
    byId<HTMLInputElement>("rollouts").disabled = !searching;
  };
  mode.addEventListener("change", syncMode);
  syncMode();
  byId<HTMLTextAreaElement>("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  byId("copy").addEventListener("click", () => void copyTranslation());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(errorBox, form);
    show(byId("result"), false);
    show(byId("best"), false);
    show(byId("progress"), false);
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    byId("working").textContent = "Translating…";
    try {
      const body = requestBody();
      if (body.mode === "mcts") {
        byId<HTMLProgressElement>("progress-bar").removeAttribute("value"); // indeterminate until a round ends
        byId("progress-text").textContent = "Searching: progress shows after each round of rollouts.";
        show(byId("progress"), true);
      }
      const answer =
        body.mode === "mcts"
          ? await translateStreaming(body, showProgress)
          : await postJson<TranslateResponse>("/v1/translate", body);
      const first = answer.translations[0];
      if (first) showResult(first);
      byId("working").textContent = "Done: the translation is below.";
    } catch (error) {
      byId("working").textContent = "";
      showError(errorBox, form, CONTROLS, error, "Could not translate");
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}
