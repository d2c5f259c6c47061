/** Showing a failed call: the problem's `detail` in an alert, and the field at fault marked. */

import { ApiError } from "./api";
import { byId, show } from "./dom";

/** Form controls by the request field they send, per form, so a problem's `field` finds them. */
export type FieldControls = Record<string, string>;

export function clearError(box: HTMLElement, form: HTMLFormElement): void {
  show(box, false);
  box.textContent = "";
  for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
}

export function showError(box: HTMLElement, form: HTMLFormElement, controls: FieldControls, error: unknown, action: string): void {
  const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  box.textContent = `${action}: ${detail}`;
  show(box, true);
  const field = error instanceof ApiError ? error.field : null;
  const controlId = field ? controls[field.replace(/\[\d+\]$/, "")] : undefined;
  if (controlId) {
    const control = form.querySelector<HTMLElement>(`#${controlId}`);
    control?.setAttribute("aria-invalid", "true");
    control?.setAttribute("aria-describedby", box.id);
  }
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    const key = byId<HTMLInputElement>("api-key");
    show(byId("key-section"), true);
    key.setAttribute("aria-invalid", "true");
    key.focus();
  }
}
