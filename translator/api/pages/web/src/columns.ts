/**
 * The column names of a catalog file, read in the browser so the user can pick columns before
 * uploading: the header line of a CSV (its delimiter found as the server finds it), the keys of
 * a JSONL file's first objects, or the first non-empty row of an Excel workbook's first sheet.
 */

const CSV_DELIMITERS = [",", ";", "\t", "|"];
const HEAD_BYTES = 1 << 20;

export type CatalogKind = "csv" | "jsonl" | "xlsx";

export function catalogKind(fileName: string): CatalogKind | null {
  const extension = fileName.toLowerCase().split(".").pop();
  return extension === "csv" || extension === "jsonl" || extension === "xlsx" ? extension : null;
}

/** The delimiter of a header line: the most frequent candidate (`,` if none occurs). */
export function sniffDelimiter(line: string): string {
  let best = ",";
  let most = 0;
  for (const delimiter of CSV_DELIMITERS) {
    const count = line.split(delimiter).length - 1;
    if (count > most) [best, most] = [delimiter, count];
  }
  return best;
}

/** The fields of one CSV line, with quoted fields ("a,b" and doubled quotes) unquoted. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
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

export function csvColumns(text: string): string[] {
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return splitCsvLine(line, sniffDelimiter(line)).map((name) => name.trim()).filter(Boolean);
}

/** Keys of the JSON objects in the complete lines of `text`, in first-seen order. */
export function jsonlColumns(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // the last line of a cut-off head, or a bad line the server will name
    }
    if (value && typeof value === "object" && !Array.isArray(value)) for (const key of Object.keys(value)) names.add(key);
  }
  return [...names];
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The entries of a zip archive, by name (from its central directory). */
function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not an .xlsx file (no zip directory)");
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error("not an .xlsx file (bad zip entry)");
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    entries.set(name, {
      method: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      localOffset: view.getUint32(offset + 42, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function zipText(bytes: Uint8Array, entries: Map<string, ZipEntry>, name: string): Promise<string | null> {
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

function parseXml(text: string): Document {
  return new DOMParser().parseFromString(text, "application/xml");
}

/** Zero-based column of a cell reference such as `C7`. */
function columnIndex(reference: string): number {
  let index = 0;
  for (const char of reference.replace(/[0-9]+$/, "")) index = index * 26 + (char.toUpperCase().charCodeAt(0) - 64);
  return index - 1;
}

export async function xlsxColumns(bytes: Uint8Array): Promise<string[]> {
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
  const shared = sharedText
    ? [...parseXml(sharedText).getElementsByTagName("si")].map((si) => [...si.getElementsByTagName("t")].map((t) => t.textContent ?? "").join(""))
    : [];
  for (const row of parseXml(sheet).getElementsByTagName("row")) {
    const names: string[] = [];
    for (const cell of row.getElementsByTagName("c")) {
      const type = cell.getAttribute("t");
      const value = cell.getElementsByTagName("v")[0]?.textContent ?? "";
      const text =
        type === "s" ? (shared[Number(value)] ?? "") : type === "inlineStr" ? [...cell.getElementsByTagName("t")].map((t) => t.textContent ?? "").join("") : value;
      names[columnIndex(cell.getAttribute("r") ?? "A1")] = text.trim();
    }
    const found = names.filter((name): name is string => Boolean(name));
    if (found.length > 0) return found;
  }
  return [];
}

/** The column names of `file`, by its extension. */
export async function readColumns(file: File): Promise<string[]> {
  const kind = catalogKind(file.name);
  if (kind === "xlsx") return xlsxColumns(new Uint8Array(await file.arrayBuffer()));
  const head = await file.slice(0, HEAD_BYTES).text();
  if (kind === "jsonl") return jsonlColumns(head);
  return csvColumns(head);
}
