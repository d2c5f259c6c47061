/** The catalog tab: pick a file and its columns, start a `/v1/jobs` job, follow it, download. */

import { attachmentName, call, callJson } from "./api";
import { readColumns } from "./columns";
import { byId, element, show } from "./dom";
import { clearError, showError } from "./errors";
import { FINISHED_STATES, type Job } from "./types";

const CONTROLS = { file: "catalog-file", columns: "columns-table", html_columns: "columns-table", id_column: "id-column", source: "catalog-source", target: "catalog-target", mode: "catalog-mode" };
const POLL_MS = 1000;

let current: Job | null = null;
let polling: number | undefined;

function columnRow(name: string, index: number): HTMLTableRowElement {
  const row = element("tr");
  const nameCell = element("th", name);
  nameCell.scope = "row";
  nameCell.id = `column-name-${index}`;
  const box = (kind: string, label: string): HTMLTableCellElement => {
    const cell = element("td");
    const input = element("input");
    input.type = "checkbox";
    input.name = kind;
    input.value = name;
    input.setAttribute("aria-label", `${label} ${name}`);
    cell.append(input);
    return cell;
  };
  row.append(nameCell, box("translate", "Translate"), box("html", "Holds HTML:"));
  return row;
}

function showColumns(names: string[]): void {
  byId("columns-body").replaceChildren(...names.map(columnRow));
  const idColumn = byId<HTMLSelectElement>("id-column");
  const none = element("option", "(none)");
  none.value = "";
  idColumn.replaceChildren(none, ...names.map((name) => Object.assign(element("option", name), { value: name })));
  show(byId("columns-section"), names.length > 0);
}

function checked(kind: string): string[] {
  return [...document.querySelectorAll<HTMLInputElement>(`#columns-body input[name="${kind}"]:checked`)].map((input) => input.value);
}

function jobStatus(job: Job): string {
  const { rows_total: total, rows_done: done, rows_failed: failed } = job.counts;
  const parts = [`${job.state}: ${done} of ${total} rows`];
  if (failed) parts.push(`${failed} failed`);
  if (done) parts.push(`${job.counts.translated} sentences translated, ${job.counts.cached} from the cache`);
  if (job.rows_per_second && !FINISHED_STATES.has(job.state)) parts.push(`${job.rows_per_second} rows/s`);
  if (job.eta_seconds !== null && !FINISHED_STATES.has(job.state)) parts.push(`about ${Math.ceil(job.eta_seconds)} s left`);
  if (job.error) parts.push(job.error);
  return parts.join(" · ");
}

function showJob(job: Job): void {
  current = job;
  show(byId("job"), true);
  const bar = byId<HTMLProgressElement>("job-progress");
  bar.max = Math.max(1, job.counts.rows_total);
  bar.value = job.counts.rows_done;
  byId("job-status").textContent = jobStatus(job);
  const finished = FINISHED_STATES.has(job.state);
  byId<HTMLButtonElement>("job-download").disabled = !finished && job.counts.rows_done === 0;
  byId<HTMLButtonElement>("job-download").textContent = finished ? "Download results" : "Download rows done so far";
  show(byId("job-cancel"), !finished);
}

async function follow(jobId: string): Promise<void> {
  window.clearTimeout(polling);
  try {
    const job = await callJson<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`);
    showJob(job);
    if (!FINISHED_STATES.has(job.state)) polling = window.setTimeout(() => void follow(jobId), POLL_MS);
  } catch (error) {
    showError(byId("catalog-error"), byId<HTMLFormElement>("catalog-form"), CONTROLS, error, "Could not follow the job");
  }
}

async function download(): Promise<void> {
  if (!current) return;
  const finished = FINISHED_STATES.has(current.state);
  try {
    const response = await call(`${current.results_url}${finished ? "" : "?partial=true"}`);
    const name = attachmentName(response.headers.get("Content-Disposition"), current.file_name);
    const url = URL.createObjectURL(await response.blob());
    const link = element("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    showError(byId("catalog-error"), byId<HTMLFormElement>("catalog-form"), CONTROLS, error, "Could not download the results");
  }
}

export function setUpCatalog(): void {
  const form = byId<HTMLFormElement>("catalog-form");
  const fileInput = byId<HTMLInputElement>("catalog-file");
  const errorBox = byId("catalog-error");

  fileInput.addEventListener("change", async () => {
    clearError(errorBox, form);
    const file = fileInput.files?.[0];
    if (!file) return showColumns([]);
    try {
      showColumns(await readColumns(file));
    } catch (error) {
      showColumns([]);
      showError(errorBox, form, CONTROLS, error, "Could not read the file's columns");
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(errorBox, form);
    const file = fileInput.files?.[0];
    const columns = checked("translate");
    if (!file || columns.length === 0) {
      const problem = new Error(file ? "choose at least one column to translate" : "choose a catalog file");
      showError(errorBox, form, CONTROLS, problem, "Cannot start");
      (file ? form.querySelector<HTMLInputElement>('#columns-body input[name="translate"]') : fileInput)?.focus();
      return;
    }
    const data = new FormData();
    data.append("file", file);
    data.append("columns", columns.join(","));
    data.append("html_columns", checked("html").filter((name) => columns.includes(name)).join(","));
    const idColumn = byId<HTMLSelectElement>("id-column").value;
    if (idColumn) data.append("id_column", idColumn);
    data.append("source", byId<HTMLSelectElement>("catalog-source").value);
    data.append("target", byId<HTMLSelectElement>("catalog-target").value);
    data.append("mode", byId<HTMLSelectElement>("catalog-mode").value);
    const button = byId<HTMLButtonElement>("catalog-start");
    button.disabled = true;
    try {
      const job = await callJson<Job>("/v1/jobs", { method: "POST", body: data });
      showJob(job);
      void follow(job.id);
    } catch (error) {
      showError(errorBox, form, CONTROLS, error, "Could not start the job");
    } finally {
      button.disabled = false;
    }
  });

  byId("job-download").addEventListener("click", () => void download());
  byId("job-cancel").addEventListener("click", async () => {
    if (!current) return;
    try {
      showJob(await callJson<Job>(`/v1/jobs/${encodeURIComponent(current.id)}/cancel`, { method: "POST" }));
    } catch (error) {
      showError(errorBox, form, CONTROLS, error, "Could not cancel the job");
    }
  });
}
