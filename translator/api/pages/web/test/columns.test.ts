import { describe, expect, it } from "vitest";
import { catalogKind, csvColumns, jsonlColumns, sniffDelimiter, xlsxColumns } from "../src/columns";

/** A zip archive of `files`, deflated (method 8) or stored (method 0); CRCs are left at 0. */
async function zip(files: Record<string, string>, deflate: boolean): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = encoder.encode(text);
    const data = deflate
      ? new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer())
      : raw;
    const nameBytes = encoder.encode(name);
    const local = new Uint8Array(30 + nameBytes.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, deflate ? 8 : 0, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, raw.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    local.set(data, 30 + nameBytes.length);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, deflate ? 8 : 0, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, raw.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directorySize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const WORKBOOK = {
  "xl/workbook.xml":
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Listings" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>',
  "xl/_rels/workbook.xml.rels":
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Target="worksheets/sheet2.xml"/><Relationship Id="rId7" Target="/xl/worksheets/sheet1.xml"/></Relationships>',
  "xl/sharedStrings.xml":
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>sku</t></si><si><r><t>标</t></r><r><t>题</t></r></si></sst>',
  "xl/worksheets/sheet1.xml":
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"/><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><t>review</t></is></c></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData></worksheet>',
  "xl/worksheets/sheet2.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>',
};

describe("catalog columns", () => {
  it("reads a CSV header with the server's delimiter choice and quoting", () => {
    expect(sniffDelimiter("a;b;c")).toBe(";");
    expect(sniffDelimiter("single")).toBe(",");
    expect(csvColumns('\uFEFF\n"sku";"title; long";"say ""hi"""\r\n1;2;3')).toEqual(["sku", "title; long", 'say "hi"']);
    expect(csvColumns("sku\ttitle\n")).toEqual(["sku", "title"]);
  });

  it("collects JSONL keys from every complete line", () => {
    expect(jsonlColumns('{"sku": 1, "title": "a"}\n\n{"review": "b", "sku": 2}\n{"cut off')).toEqual(["sku", "title", "review"]);
  });

  it.each([true, false])("reads the first sheet's first non-empty row of an .xlsx (deflated: %s)", async (deflate) => {
    expect(await xlsxColumns(await zip(WORKBOOK, deflate))).toEqual(["sku", "标题", "review"]);
  });

  it("refuses a file that is no workbook", async () => {
    await expect(xlsxColumns(new TextEncoder().encode("sku,title\n"))).rejects.toThrow("not an .xlsx file");
  });

  it("knows the file kinds the jobs API takes", () => {
    expect([catalogKind("a.CSV"), catalogKind("b.jsonl"), catalogKind("c.xlsx"), catalogKind("d.xls")]).toEqual(["csv", "jsonl", "xlsx", null]);
  });
});
