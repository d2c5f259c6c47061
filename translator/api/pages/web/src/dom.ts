/** Small DOM helpers: elements are looked up by id and built with text only (never HTML). */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A new element holding `text` as a text node, so model output can never become markup. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = "",
  className = "",
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (text) created.textContent = text;
  if (className) created.className = className;
  return created;
}

export function show(target: HTMLElement, visible: boolean): void {
  target.hidden = !visible;
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
