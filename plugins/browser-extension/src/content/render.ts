/**
 * Showing a block's translation and taking it back.
 *
 * Translations only ever enter the page as text: a new element's `textContent` (bilingual) or
 * the `data` of the page's own text nodes (replace). Restoring removes the added element or puts
 * each text node's original string back, so the page's markup is exactly as before.
 */

import { OWN_ATTRIBUTE } from "../shared/browser";
import type { Block } from "./walker";

export const TRANSLATION_CLASS = "translator-ext-translation";

type Shown =
  | { kind: "bilingual"; element: HTMLElement }
  | { kind: "replace"; originals: Map<Text, string>; translated: Map<Text, string> };

const shown = new WeakMap<Block, Shown>();

/** Adds the translation under the block's text, as its own line inside the same parent. */
export function showBilingual(block: Block, translation: string, language: string): void {
  restore(block);
  const document = block.parent.ownerDocument;
  const element = document.createElement("span");
  element.setAttribute(OWN_ATTRIBUTE, "translation");
  element.setAttribute("translate", "no");
  element.setAttribute("lang", language);
  element.className = TRANSLATION_CLASS;
  element.style.cssText = "display:block;margin:0.2em 0 0.4em;opacity:0.85;";
  element.textContent = translation;
  const last = block.nodes[block.nodes.length - 1];
  if (last && last.parentNode === block.parent) block.parent.insertBefore(element, last.nextSibling);
  else block.parent.append(element);
  shown.set(block, { kind: "bilingual", element });
}

/** Puts `pieces[i]` in place of the i-th translatable text node of `translatable`. */
export function showReplaced(block: Block, translatable: readonly Text[], pieces: readonly string[]): void {
  if (translatable.length !== pieces.length) throw new Error("one piece per text node is needed");
  restore(block);
  const originals = new Map<Text, string>();
  const translated = new Map<Text, string>();
  translatable.forEach((node, i) => {
    originals.set(node, node.data);
    node.data = pieces[i]!;
    translated.set(node, node.data);
  });
  shown.set(block, { kind: "replace", originals, translated });
}

/** True if `node`'s current text is the translation this extension put there. */
export function isOwnText(block: Block, node: Text): boolean {
  const state = shown.get(block);
  return state?.kind === "replace" && state.translated.get(node) === node.data;
}

export function isShown(block: Block): boolean {
  return shown.has(block);
}

/** Takes the translation back. A text node the page has changed since keeps the page's text. */
export function restore(block: Block): void {
  const state = shown.get(block);
  if (!state) return;
  shown.delete(block);
  if (state.kind === "bilingual") {
    state.element.remove();
    return;
  }
  for (const [node, original] of state.originals) {
    if (state.translated.get(node) === node.data) node.data = original;
  }
}
