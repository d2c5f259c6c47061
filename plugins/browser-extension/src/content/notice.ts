/** A visible message about the session (server unreachable, key refused, rate limited). */

import type { Failure } from "../shared/messages";
import { createOverlay, textElement } from "./overlay";

export const NOTICE = "notice";
const SHOWN_MS = 15_000;

const TITLES: Record<Failure["kind"], string> = {
  unreachable: "Translator server unreachable",
  auth: "API key refused",
  "rate-limited": "Rate limited",
  unavailable: "Translator server not ready",
  invalid: "Text refused",
  config: "Extension not configured",
  server: "Translation failed",
};

export function showNotice(document: Document, failure: Failure, retrying: boolean): void {
  const { host, shadow } = createOverlay(document, NOTICE, ".card { border-left: 4px solid #d93025; }");
  host.style.position = "fixed";
  host.style.top = "12px";
  host.style.left = "auto";
  host.style.right = "12px";
  host.setAttribute("role", "alert");
  const card = textElement(document, "div", "card", "");
  card.dataset.kind = failure.kind;
  const body = textElement(document, "div", "grow", "");
  body.append(textElement(document, "strong", "title", TITLES[failure.kind]));
  body.append(textElement(document, "div", "message", failure.message));
  if (retrying) {
    const wait = failure.retryAfterS ?? 5;
    body.append(textElement(document, "div", "muted", `Trying again in ${wait} s.`));
  } else {
    body.append(textElement(document, "div", "muted", "Nothing on the page was changed by this attempt."));
  }
  const close = textElement(document, "button", "close", "×");
  close.setAttribute("aria-label", "Close");
  close.addEventListener("click", () => host.remove());
  const row = textElement(document, "div", "row", "");
  row.append(body, close);
  card.append(row);
  shadow.append(card);
  setTimeout(() => host.remove(), SHOWN_MS);
}
