/* Built from translator/api/pages/web/src by `npm run build`; do not edit. */
"use strict";
(() => {
  // src/sse.ts
  var SseParser = class {
    buffer = "";
    event = "";
    data = [];
    push(chunk) {
      this.buffer += chunk;
      const events = [];
      const end = this.buffer.endsWith("\r") ? this.buffer.length - 1 : this.buffer.length;
      const lines = this.buffer.slice(0, end).split(/\r\n|\r|\n/);
      this.buffer = (lines.pop() ?? "") + this.buffer.slice(end);
      for (const line of lines) {
        if (line === "") {
          const data = this.data.join("\n");
          if (data !== "") events.push({ event: this.event || "message", data });
          this.event = "";
          this.data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") this.event = value;
        else if (field === "data") this.data.push(value);
      }
      return events;
    }
  };

  // src/api.ts
  var ApiError = class extends Error {
    constructor(status, detail, field = null) {
      super(detail);
      this.status = status;
      this.detail = detail;
      this.field = field;
    }
    status;
    detail;
    field;
  };
  var KEY_STORAGE = "translator.apiKey";
  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) ?? "";
    } catch {
      return "";
    }
  }
  function storeKey(key) {
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
    }
  }
  function authHeaders() {
    const key = storedKey();
    return key ? { "X-API-Key": key } : {};
  }
  async function problemOf(response) {
    let detail = `${response.status} ${response.statusText}`.trim();
    let field = null;
    try {
      const body = await response.json();
      if (body && typeof body === "object") {
        const problem = body;
        if (typeof problem.detail === "string" && problem.detail) detail = problem.detail;
        else if (typeof problem.title === "string") detail = problem.title;
        if (typeof problem.field === "string") field = problem.field;
      }
    } catch {
    }
    const retry = response.headers.get("Retry-After");
    if (retry && (response.status === 429 || response.status === 503)) detail += ` (try again in ${retry} s)`;
    return new ApiError(response.status, detail, field);
  }
  async function call(path, init = {}) {
    let response;
    try {
      response = await fetch(path, { ...init, headers: { ...authHeaders(), ...init.headers ?? {} } });
    } catch {
      throw new ApiError(0, "the server could not be reached; check that it is running");
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }
  async function callJson(path, init = {}) {
    return await (await call(path, init)).json();
  }
  function postJson(path, body) {
    return callJson(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }
  async function translateStreaming(body, onProgress) {
    const response = await call("/v1/translate?stream=true", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body)
    });
    if (!response.body) throw new ApiError(0, "the server sent no event stream");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (; ; ) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          const data = JSON.parse(event.data);
          if (event.event === "progress") onProgress(data);
          else if (event.event === "result") return data;
          else if (event.event === "error") {
            const problem = data;
            throw new ApiError(problem.status ?? 500, problem.detail ?? "the translation failed", problem.field ?? null);
          }
        }
      }
    } finally {
      reader.releaseLock();
    }
    throw new ApiError(0, "the connection closed before the translation finished");
  }
  function attachmentName(header, fallback) {
    if (!header) return fallback;
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (encoded?.[1]) {
      try {
        return decodeURIComponent(encoded[1]);
      } catch {
      }
    }
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain?.[1] ?? fallback;
  }

  // src/columns.ts
  var CSV_DELIMITERS = [",", ";", "	", "|"];
  var HEAD_BYTES = 1 << 20;
  function catalogKind(fileName) {
    const extension = fileName.toLowerCase().split(".").pop();
    return extension === "csv" || extension === "jsonl" || extension === "xlsx" ? extension : null;
  }
  function sniffDelimiter(line) {
    let best = ",";
    let most = 0;
    for (const delimiter of CSV_DELIMITERS) {
      const count = line.split(delimiter).length - 1;
      if (count > most) [best, most] = [delimiter, count];
    }
    return best;
  }
  function splitCsvLine(line, delimiter) {
    const fields = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"' && field === "") quoted = true;
      else if (char === delimiter) {
        fields.push(field);
        field = "";
      } else field += char;
    }
    fields.push(field);
    return fields;
  }
  function csvColumns(text) {
    const line = text.replace(/^\uFEFF/, "").split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
    return splitCsvLine(line, sniffDelimiter(line)).map((name) => name.trim()).filter(Boolean);
  }
  function jsonlColumns(text) {
    const names = /* @__PURE__ */ new Set();
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      let value;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (value && typeof value === "object" && !Array.isArray(value)) for (const key of Object.keys(value)) names.add(key);
    }
    return [...names];
  }
  function zipEntries(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
      if (view.getUint32(i, true) === 101010256) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error("not an .xlsx file (no zip directory)");
    const count = view.getUint16(end + 10, true);
    let offset = view.getUint32(end + 16, true);
    const entries = /* @__PURE__ */ new Map();
    const decoder = new TextDecoder();
    for (let n = 0; n < count; n++) {
      if (view.getUint32(offset, true) !== 33639248) throw new Error("not an .xlsx file (bad zip entry)");
      const nameLength = view.getUint16(offset + 28, true);
      const extraLength = view.getUint16(offset + 30, true);
      const commentLength = view.getUint16(offset + 32, true);
      const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
      entries.set(name, {
        method: view.getUint16(offset + 10, true),
        compressedSize: view.getUint32(offset + 20, true),
        localOffset: view.getUint32(offset + 42, true)
      });
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }
  async function zipText(bytes, entries, name) {
    const entry = entries.get(name);
    if (!entry) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const start = entry.localOffset + 30 + view.getUint16(entry.localOffset + 26, true) + view.getUint16(entry.localOffset + 28, true);
    const data = bytes.slice(start, start + entry.compressedSize);
    if (entry.method === 0) return new TextDecoder().decode(data);
    if (entry.method !== 8) throw new Error(`unsupported zip compression in ${name}`);
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text();
  }
  function parseXml(text) {
    return new DOMParser().parseFromString(text, "application/xml");
  }
  function columnIndex(reference) {
    let index = 0;
    for (const char of reference.replace(/[0-9]+$/, "")) index = index * 26 + (char.toUpperCase().charCodeAt(0) - 64);
    return index - 1;
  }
  async function xlsxColumns(bytes) {
    const entries = zipEntries(bytes);
    const workbook = await zipText(bytes, entries, "xl/workbook.xml");
    const relations = await zipText(bytes, entries, "xl/_rels/workbook.xml.rels");
    if (!workbook || !relations) throw new Error("not an .xlsx file (no workbook)");
    const firstSheet = parseXml(workbook).getElementsByTagName("sheet")[0];
    const relationId = firstSheet?.getAttribute("r:id");
    const relation = [...parseXml(relations).getElementsByTagName("Relationship")].find((r) => r.getAttribute("Id") === relationId);
    const target = relation?.getAttribute("Target");
    if (!target) throw new Error("the workbook has no sheet");
    const sheetPath = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    const sheet = await zipText(bytes, entries, sheetPath);
    if (!sheet) throw new Error("the workbook's first sheet is missing");
    const sharedText = await zipText(bytes, entries, "xl/sharedStrings.xml");
    const shared = sharedText ? [...parseXml(sharedText).getElementsByTagName("si")].map((si) => [...si.getElementsByTagName("t")].map((t) => t.textContent ?? "").join("")) : [];
    for (const row of parseXml(sheet).getElementsByTagName("row")) {
      const names = [];
      for (const cell of row.getElementsByTagName("c")) {
        const type = cell.getAttribute("t");
        const value = cell.getElementsByTagName("v")[0]?.textContent ?? "";
        const text = type === "s" ? shared[Number(value)] ?? "" : type === "inlineStr" ? [...cell.getElementsByTagName("t")].map((t) => t.textContent ?? "").join("") : value;
        names[columnIndex(cell.getAttribute("r") ?? "A1")] = text.trim();
      }
      const found = names.filter((name) => Boolean(name));
      if (found.length > 0) return found;
    }
    return [];
  }
  async function readColumns(file) {
    const kind = catalogKind(file.name);
    if (kind === "xlsx") return xlsxColumns(new Uint8Array(await file.arrayBuffer()));
    const head = await file.slice(0, HEAD_BYTES).text();
    if (kind === "jsonl") return jsonlColumns(head);
    return csvColumns(head);
  }

  // src/dom.ts
  function byId(id) {
    const element2 = document.getElementById(id);
    if (!element2) throw new Error(`the page has no #${id}`);
    return element2;
  }
  function element(tag, text = "", className = "") {
    const created = document.createElement(tag);
    if (text) created.textContent = text;
    if (className) created.className = className;
    return created;
  }
  function show(target, visible) {
    target.hidden = !visible;
  }
  function percent(value) {
    return `${Math.round(value * 100)}%`;
  }

  // src/errors.ts
  function clearError(box, form) {
    show(box, false);
    box.textContent = "";
    for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
  }
  function showError(box, form, controls, error, action) {
    const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
    box.textContent = `${action}: ${detail}`;
    show(box, true);
    const field = error instanceof ApiError ? error.field : null;
    const controlId = field ? controls[field.replace(/\[\d+\]$/, "")] : void 0;
    if (controlId) {
      const control = form.querySelector(`#${controlId}`);
      control?.setAttribute("aria-invalid", "true");
      control?.setAttribute("aria-describedby", box.id);
    }
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      const key = byId("api-key");
      show(byId("key-section"), true);
      key.setAttribute("aria-invalid", "true");
      key.focus();
    }
  }

  // src/types.ts
  var FINISHED_STATES = /* @__PURE__ */ new Set(["completed", "cancelled", "failed"]);

  // src/catalog.ts
  var CONTROLS = { file: "catalog-file", columns: "columns-table", html_columns: "columns-table", id_column: "id-column", source: "catalog-source", target: "catalog-target", mode: "catalog-mode" };
  var POLL_MS = 1e3;
  var current = null;
  var polling;
  function columnRow(name, index) {
    const row = element("tr");
    const nameCell = element("th", name);
    nameCell.scope = "row";
    nameCell.id = `column-name-${index}`;
    const box = (kind, label) => {
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
  function showColumns(names) {
    byId("columns-body").replaceChildren(...names.map(columnRow));
    const idColumn = byId("id-column");
    const none = element("option", "(none)");
    none.value = "";
    idColumn.replaceChildren(none, ...names.map((name) => Object.assign(element("option", name), { value: name })));
    show(byId("columns-section"), names.length > 0);
  }
  function checked(kind) {
    return [...document.querySelectorAll(`#columns-body input[name="${kind}"]:checked`)].map((input) => input.value);
  }
  function jobStatus(job) {
    const { rows_total: total, rows_done: done, rows_failed: failed } = job.counts;
    const parts = [`${job.state}: ${done} of ${total} rows`];
    if (failed) parts.push(`${failed} failed`);
    if (done) parts.push(`${job.counts.translated} sentences translated, ${job.counts.cached} from the cache`);
    if (job.rows_per_second && !FINISHED_STATES.has(job.state)) parts.push(`${job.rows_per_second} rows/s`);
    if (job.eta_seconds !== null && !FINISHED_STATES.has(job.state)) parts.push(`about ${Math.ceil(job.eta_seconds)} s left`);
    if (job.error) parts.push(job.error);
    return parts.join(" \xB7 ");
  }
  function showJob(job) {
    current = job;
    show(byId("job"), true);
    const bar = byId("job-progress");
    bar.max = Math.max(1, job.counts.rows_total);
    bar.value = job.counts.rows_done;
    byId("job-status").textContent = jobStatus(job);
    const finished = FINISHED_STATES.has(job.state);
    byId("job-download").disabled = !finished && job.counts.rows_done === 0;
    byId("job-download").textContent = finished ? "Download results" : "Download rows done so far";
    show(byId("job-cancel"), !finished);
  }
  async function follow(jobId) {
    window.clearTimeout(polling);
    try {
      const job = await callJson(`/v1/jobs/${encodeURIComponent(jobId)}`);
      showJob(job);
      if (!FINISHED_STATES.has(job.state)) polling = window.setTimeout(() => void follow(jobId), POLL_MS);
    } catch (error) {
      showError(byId("catalog-error"), byId("catalog-form"), CONTROLS, error, "Could not follow the job");
    }
  }
  async function download() {
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
      window.setTimeout(() => URL.revokeObjectURL(url), 6e4);
    } catch (error) {
      showError(byId("catalog-error"), byId("catalog-form"), CONTROLS, error, "Could not download the results");
    }
  }
  function setUpCatalog() {
    const form = byId("catalog-form");
    const fileInput = byId("catalog-file");
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
        (file ? form.querySelector('#columns-body input[name="translate"]') : fileInput)?.focus();
        return;
      }
      const data = new FormData();
      data.append("file", file);
      data.append("columns", columns.join(","));
      data.append("html_columns", checked("html").filter((name) => columns.includes(name)).join(","));
      const idColumn = byId("id-column").value;
      if (idColumn) data.append("id_column", idColumn);
      data.append("source", byId("catalog-source").value);
      data.append("target", byId("catalog-target").value);
      data.append("mode", byId("catalog-mode").value);
      const button = byId("catalog-start");
      button.disabled = true;
      try {
        const job = await callJson("/v1/jobs", { method: "POST", body: data });
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
        showJob(await callJson(`/v1/jobs/${encodeURIComponent(current.id)}/cancel`, { method: "POST" }));
      } catch (error) {
        showError(errorBox, form, CONTROLS, error, "Could not cancel the job");
      }
    });
  }

  // src/tabs.ts
  function setUpTabs(list) {
    const tabs = [...list.querySelectorAll('[role="tab"]')];
    const select = (chosen, focus) => {
      for (const tab of tabs) {
        const selected = tab === chosen;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
        const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
        if (panel) panel.hidden = !selected;
      }
      if (focus) chosen.focus();
      history.replaceState(null, "", `#${chosen.dataset.tab ?? ""}`);
    };
    for (const [index, tab] of tabs.entries()) {
      tab.addEventListener("click", () => select(tab, false));
      tab.addEventListener("keydown", (event) => {
        const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === void 0) return;
        event.preventDefault();
        const target = tabs[(next + tabs.length) % tabs.length];
        if (target) select(target, true);
      });
    }
    const fromHash = tabs.find((tab) => `#${tab.dataset.tab}` === location.hash);
    if (fromHash) select(fromHash, false);
  }

  // src/render.ts
  var STATUS_TEXT = {
    preferred: "rendered as preferred",
    acceptable: "rendered acceptably",
    omitted: "left out (allowed)",
    missed: "not rendered"
  };
  function termItem(term) {
    const item = element("li", "", `term ${term.status}`);
    item.append(element("strong", term.term, "term-source"));
    if (term.meaning) item.append(" \u2014 ", element("span", term.meaning, "term-meaning"));
    const status = STATUS_TEXT[term.status] ?? term.status;
    const rendering = term.found ? `: \u201C${term.found}\u201D` : term.preferred.length ? ` (preferred: ${term.preferred.join(" / ")})` : "";
    item.append(element("span", `${status}${rendering}`, "term-status"));
    return item;
  }
  function alternativeItem(alternative) {
    const item = element("li", "", "alternative");
    item.append(element("span", alternative.translation, "alternative-text"), element("span", `reward ${alternative.score.toFixed(3)}`, "reward"));
    return item;
  }
  function factsLine(translation, languageName2) {
    const facts = [`confidence ${percent(translation.confidence)}`];
    const source = languageName2(translation.source_language);
    facts.push(translation.detection_confidence === null ? `from ${source}` : `detected ${source}`);
    facts.push(translation.mode);
    if (translation.cached) facts.push("from the cache");
    return facts.join(" \xB7 ");
  }
  function traceHref(translation) {
    if (!translation.id) return null;
    const hasTrace = translation.mode !== "direct" || translation.terms.length > 0;
    return hasTrace ? `/traces/${encodeURIComponent(translation.id)}` : null;
  }
  function progressText(progress) {
    const rollouts = progress.rollouts === 1 ? "1 rollout" : `${progress.rollouts} rollouts`;
    const cap = progress.rollouts < progress.max_rollouts ? ` of ${progress.max_rollouts}` : "";
    return `Search: ${rollouts} done${cap} \xB7 ${progress.generated_tokens} tokens generated`;
  }

  // src/translate.ts
  var CONTROLS2 = { text: "text", texts: "text", source: "source", target: "target", mode: "mode", budget: "budget", rollouts: "rollouts" };
  var ALTERNATIVES = 3;
  function languageName(code) {
    const option = byId("target").querySelector(`option[value="${CSS.escape(code)}"]`);
    return option?.textContent ?? code;
  }
  function requestBody() {
    const mode = byId("mode").value;
    const body = {
      text: byId("text").value,
      source: byId("source").value,
      target: byId("target").value,
      mode
    };
    if (mode === "mcts") {
      const budget = byId("budget").value;
      if (budget) body.budget = budget;
      body.alternatives = ALTERNATIVES;
      const rollouts = byId("rollouts").value.trim();
      if (rollouts) body.rollouts = Number(rollouts);
    }
    return body;
  }
  function showProgress(progress) {
    show(byId("progress"), true);
    const bar = byId("progress-bar");
    bar.max = Math.max(1, progress.max_rollouts);
    bar.value = Math.min(progress.rollouts, bar.max);
    byId("progress-text").textContent = progressText(progress);
    if (progress.best) {
      byId("best-so-far").textContent = progress.best.translation;
      byId("best-reward").textContent = `reward ${progress.best.reward.toFixed(3)}`;
      show(byId("best"), true);
    }
  }
  function showResult(translation) {
    const text = byId("translation");
    text.textContent = translation.translation;
    text.lang = translation.target_language;
    byId("facts").textContent = factsLine(translation, languageName);
    const trace = byId("trace-link");
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
  async function copyTranslation() {
    const text = byId("translation").textContent ?? "";
    const status = byId("copy-status");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Copying is blocked here: select the text and copy it.";
    }
  }
  function setUpTranslator() {
    const form = byId("translate-form");
    const mode = byId("mode");
    const button = byId("translate");
    const errorBox = byId("translate-error");
    const syncMode = () => {
      const searching = mode.value === "mcts";
      byId("budget").disabled = !searching;
      byId("rollouts").disabled = !searching;
    };
    mode.addEventListener("change", syncMode);
    syncMode();
    byId("text").addEventListener("keydown", (event) => {
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
      byId("working").textContent = "Translating\u2026";
      try {
        const body = requestBody();
        if (body.mode === "mcts") {
          byId("progress-bar").removeAttribute("value");
          byId("progress-text").textContent = "Searching: progress shows after each round of rollouts.";
          show(byId("progress"), true);
        }
        const answer = body.mode === "mcts" ? await translateStreaming(body, showProgress) : await postJson("/v1/translate", body);
        const first = answer.translations[0];
        if (first) showResult(first);
        byId("working").textContent = "Done: the translation is below.";
      } catch (error) {
        byId("working").textContent = "";
        showError(errorBox, form, CONTROLS2, error, "Could not translate");
      } finally {
        button.disabled = false;
        form.removeAttribute("aria-busy");
      }
    });
  }

  // src/main.ts
  function setUpKey() {
    const field = byId("api-key");
    field.value = storedKey();
    show(byId("key-section"), document.body.dataset.keysRequired === "true" || field.value !== "");
    field.addEventListener("input", () => {
      field.removeAttribute("aria-invalid");
      storeKey(field.value.trim());
    });
  }
  setUpKey();
  setUpTabs(byId("tabs"));
  setUpTranslator();
  setUpCatalog();
})();
