/**
 * Selected text: a small button next to the selection, and a popup with its translation, the
 * model's confidence, the glossary's idiom notes (each slang term found, what it means, the
 * renderings it prefers, and whether the translation used one), and an "Improve" action that
 * sends a better translation to the server's translation memory.
 */

import { OWN_ATTRIBUTE } from "../shared/browser";
import type { ImproveOutcome, TextOutcome, Translation } from "../shared/messages";
import { createOverlay, removeOverlay, textElement } from "./overlay";
import { hasLetter } from "./walker";

export const BUTTON = "selection-button";
export const POPUP = "selection-popup";
export const MAX_SELECTION_CHARS = 2000;

export type TranslateOne = (text: string) => Promise<TextOutcome>;
export type ImproveOne = (text: string, translation: Translation, improved: string) => Promise<ImproveOutcome>;

function selectedText(document: Document): { text: string; rect: DOMRect } | null {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const text = selection.toString().replace(/\s+/g, " ").trim();
  if (!text || text.length > MAX_SELECTION_CHARS || !hasLetter(text)) return null;
  const anchor = selection.anchorNode;
  const owner = anchor && (anchor.nodeType === Node.ELEMENT_NODE ? (anchor as Element) : anchor.parentElement);
  if (owner?.closest(`[${OWN_ATTRIBUTE}]`)) return null;
  return { text, rect: selection.getRangeAt(0).getBoundingClientRect() };
}

function place(host: HTMLElement, rect: DOMRect, document: Document): void {
  const view = document.defaultView;
  host.style.left = `${Math.max(0, rect.left + (view?.scrollX ?? 0))}px`;
  host.style.top = `${rect.bottom + (view?.scrollY ?? 0) + 6}px`;
}

/** Shows the button for the current selection, if there is one worth translating. */
export function offerSelection(document: Document, translate: TranslateOne, improve?: ImproveOne): void {
  removeOverlay(document, BUTTON);
  const selected = selectedText(document);
  if (!selected) return;
  const { host, shadow } = createOverlay(document, BUTTON, "");
  place(host, selected.rect, document);
  const button = textElement(document, "button", "translate", "Translate");
  button.title = "Translate the selected text";
  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button.addEventListener("click", () => {
    host.remove();
    void showSelectionPopup(document, selected.text, selected.rect, translate, improve);
  });
  shadow.append(button);
}

/** Opens the popup for `text` near `rect` and fills it once the translation arrives. */
export async function showSelectionPopup(
  document: Document,
  text: string,
  rect: DOMRect | null,
  translate: TranslateOne,
  improve?: ImproveOne,
): Promise<void> {
  const { host, shadow } = createOverlay(document, POPUP, ".translation { font-size: 14px; margin: 4px 0; }");
  place(host, rect ?? selectedText(document)?.rect ?? new DOMRect(8, 8, 0, 0), document);
  const card = textElement(document, "div", "card", "");
  card.setAttribute("role", "dialog");
  card.append(textElement(document, "div", "muted status", "Translating…"));
  shadow.append(card);
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === "Escape") close();
  };
  const onPointer = (event: MouseEvent): void => {
    if (event.target !== host) close();
  };
  const close = (): void => {
    host.remove();
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("mousedown", onPointer, true);
  };
  document.addEventListener("keydown", onKey);
  document.addEventListener("mousedown", onPointer, true);

  const outcome = await translate(text);
  card.replaceChildren();
  const header = textElement(document, "div", "row", "");
  const closeButton = textElement(document, "button", "close", "×");
  closeButton.setAttribute("aria-label", "Close");
  closeButton.addEventListener("click", close);
  if (!outcome.ok) {
    card.classList.add("error");
    header.append(textElement(document, "div", "grow message", outcome.failure.message), closeButton);
    card.append(header);
    return;
  }
  const shown = textElement(document, "div", "grow translation", outcome.value.translation);
  header.append(shown, closeButton);
  card.append(header, details(document, outcome.value));
  const notes = termNotes(document, outcome.value);
  if (notes) card.append(notes);
  if (improve) card.append(improveAction(document, text, outcome.value, shown, improve));
}

/** An "Improve" button that opens an editor for the translation and sends what is saved. */
function improveAction(
  document: Document,
  text: string,
  translation: Translation,
  shown: HTMLElement,
  improve: ImproveOne,
): HTMLElement {
  const section = textElement(document, "div", "improve-section", "");
  const open = textElement(document, "button", "improve", "Improve");
  open.title = "Suggest a better translation (kept in your translation memory)";
  open.addEventListener("click", () => {
    const editor = document.createElement("textarea");
    editor.className = "improved";
    editor.rows = 3;
    editor.value = shown.textContent ?? "";
    const save = textElement(document, "button", "save", "Save");
    const status = textElement(document, "div", "muted improve-status", "");
    save.addEventListener("click", () => {
      const improved = editor.value.trim();
      if (!improved) return;
      save.setAttribute("disabled", "");
      status.textContent = "Saving…";
      void improve(text, translation, improved).then((outcome) => {
        status.textContent = outcome.message;
        if (outcome.ok) {
          shown.textContent = improved;
          editor.remove();
          save.remove();
        } else save.removeAttribute("disabled");
      });
    });
    section.replaceChildren(editor, save, status);
    editor.focus();
  });
  section.append(open);
  return section;
}

function details(document: Document, value: Translation): HTMLElement {
  const parts = [`confidence ${Math.round(value.confidence * 100)}%`];
  if (value.sourceLanguage) parts.push(`from ${value.sourceLanguage}`);
  return textElement(document, "div", "muted confidence", parts.join(" · "));
}

const STATUS: Record<string, string> = {
  preferred: "rendered as preferred",
  acceptable: "rendered acceptably",
  omitted: "left out",
  missed: "missed by the translation",
};

function termNotes(document: Document, value: Translation): HTMLElement | null {
  if (value.terms.length === 0) return null;
  const section = textElement(document, "div", "terms", "");
  section.append(textElement(document, "div", "muted", "Idiom notes"));
  const list = document.createElement("ul");
  for (const term of value.terms) {
    const item = textElement(document, "li", "term", "");
    item.append(textElement(document, "strong", "term-source", term.term));
    item.append(document.createTextNode(" — "));
    item.append(textElement(document, "span", "term-meaning", term.meaning));
    const renderings = term.preferred.length ? `say “${term.preferred.join("”, “")}”` : "";
    const status = STATUS[term.status] ?? term.status;
    const found = term.found ? ` (“${term.found}”)` : "";
    item.append(textElement(document, "div", "muted term-status", [renderings, status + found].filter(Boolean).join("; ")));
    list.append(item);
  }
  section.append(list);
  return section;
}
