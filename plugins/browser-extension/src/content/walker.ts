/**
 * Finds the readable text blocks of a page.
 *
 * A block is a run of consecutive inline content (text and inline elements such as links or
 * bold) under one element, ended by a block-level child or the element's end; so a list item,
 * a paragraph, or the loose text before a nested `<div>` each make a block. Inline elements that
 * must not be translated (code, form fields, `translate="no"`, `.notranslate`, contenteditable)
 * stay inside the run but are frozen: their text is neither sent nor changed. Block-level
 * elements of those kinds, and script/style/pre and the like, are skipped whole.
 */

import { OWN_ATTRIBUTE } from "../shared/browser";

/** Elements that flow inside a line of text (the HTML "phrasing content" that can hold text). */
const INLINE = new Set([
  "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i",
  "img", "input", "ins", "kbd", "label", "mark", "q", "rp", "rt", "ruby", "s", "samp", "select",
  "small", "span", "strong", "sub", "sup", "svg", "textarea", "time", "u", "var", "wbr", "button",
]);

/** Elements whose text is never translated. */
const NEVER = new Set([
  "script", "style", "noscript", "template", "code", "pre", "textarea", "input", "select",
  "option", "button", "kbd", "samp", "var", "svg", "math", "canvas", "iframe", "object", "embed",
  "video", "audio", "head", "title",
]);

const LETTER = /\p{L}/u;

export function hasLetter(text: string): boolean {
  return LETTER.test(text);
}

/** A run of inline content: where it lives, its nodes, and the text nodes that get translated. */
export interface Block {
  parent: Element;
  /** The run's own child nodes of `parent`, in order. */
  nodes: Node[];
  /** The text nodes to translate (frozen ones excluded), in document order. */
  texts: Text[];
}

function isEditable(element: Element): boolean {
  const value = element.getAttribute("contenteditable");
  return value !== null && value.toLowerCase() !== "false";
}

/** True for an element whose content must be left alone (and everything inside it). */
export function isFrozen(element: Element): boolean {
  if (NEVER.has(element.localName)) return true;
  if (element.hasAttribute(OWN_ATTRIBUTE) || element.hasAttribute("hidden")) return true;
  if ((element.getAttribute("translate") ?? "").trim().toLowerCase() === "no") return true;
  return element.classList.contains("notranslate") || isEditable(element);
}

/** True if `node` sits inside content that must be left alone (checked up to the document). */
export function insideFrozen(node: Node): boolean {
  for (let element = node.parentElement; element; element = element.parentElement) {
    if (isFrozen(element)) return true;
  }
  return false;
}

function isInline(element: Element): boolean {
  if (!INLINE.has(element.localName)) return false;
  for (const inner of element.getElementsByTagName("*")) {
    if (!INLINE.has(inner.localName)) return false;
  }
  return true;
}

function collectTexts(node: Node, out: Text[]): void {
  if (node.nodeType === Node.TEXT_NODE) {
    out.push(node as Text);
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE || isFrozen(node as Element)) return;
  for (const child of node.childNodes) collectTexts(child, out);
}

function makeBlock(parent: Element, nodes: Node[]): Block | null {
  const texts: Text[] = [];
  for (const node of nodes) collectTexts(node, texts);
  return texts.some((text) => hasLetter(text.data)) ? { parent, nodes, texts } : null;
}

/** The blocks inside `container` (itself included), in document order. */
export function findBlocks(container: Element): Block[] {
  const blocks: Block[] = [];
  walk(container, blocks);
  return blocks;
}

function walk(container: Element, blocks: Block[]): void {
  if (isFrozen(container)) return;
  let run: Node[] = [];
  const flush = (): void => {
    const block = run.length > 0 ? makeBlock(container, run) : null;
    if (block) blocks.push(block);
    run = [];
  };
  for (const child of container.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      run.push(child);
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const element = child as Element;
      if (isInline(element)) {
        run.push(element);
      } else {
        flush();
        walk(element, blocks);
      }
    }
  }
  flush();
}

/** The block's text as a reader sees it: frozen parts left out, white space collapsed. */
export function blockText(block: Block): string {
  const parts: string[] = [];
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) parts.push((node as Text).data);
    else if (node.nodeType === Node.ELEMENT_NODE) {
      const element = node as Element;
      if (element.localName === "br") parts.push(" ");
      else if (!isFrozen(element)) element.childNodes.forEach(visit);
    }
  };
  block.nodes.forEach(visit);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** The container a change at `node` affects: its nearest ancestor that is not inline. */
export function containerOf(node: Node): Element | null {
  let element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  while (element && element.parentElement && INLINE.has(element.localName)) {
    element = element.parentElement;
  }
  return element;
}
