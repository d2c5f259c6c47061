/**
 * The extension's own UI on a page (notices, the selection button and popup) lives in shadow
 * roots attached to hosts outside `<body>`: page styles do not reach it, the block walker and
 * the page's observers skip it, and the page's markup stays as it was.
 */

import { OWN_ATTRIBUTE } from "../shared/browser";

export interface Overlay {
  host: HTMLElement;
  shadow: ShadowRoot;
}

const BASE_STYLE = `
:host { all: initial; }
.card { font: 13px/1.45 system-ui, sans-serif; color: #1b1b1f; background: #fff;
  border: 1px solid #c9c9d1; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
  padding: 10px 12px; max-width: 360px; }
.row { display: flex; gap: 8px; align-items: flex-start; }
.grow { flex: 1; }
button { font: inherit; cursor: pointer; border: 1px solid #c9c9d1; border-radius: 6px;
  background: #f4f4f7; padding: 2px 8px; }
.muted { color: #5b5b66; font-size: 12px; }
.error { border-color: #d93025; }
ul { margin: 6px 0 0; padding-left: 18px; }
`;

/** A fresh overlay named `name` (one of a name at a time: an older one is removed). */
export function createOverlay(document: Document, name: string, style: string): Overlay {
  removeOverlay(document, name);
  const host = document.createElement("div");
  host.setAttribute(OWN_ATTRIBUTE, name);
  host.setAttribute("translate", "no");
  host.style.cssText = "position:absolute;z-index:2147483647;top:0;left:0;";
  const shadow = host.attachShadow({ mode: "open" });
  const sheet = document.createElement("style");
  sheet.textContent = BASE_STYLE + style;
  shadow.append(sheet);
  document.documentElement.append(host);
  return { host, shadow };
}

export function removeOverlay(document: Document, name: string): void {
  document.querySelector(`[${OWN_ATTRIBUTE}="${name}"]`)?.remove();
}

/** An element with `className` and text content (never markup). */
export function textElement(document: Document, tag: string, className: string, text: string): HTMLElement {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = text;
  return element;
}
