/** Builds the unpacked extension for each browser into dist/chrome and dist/firefox. */

import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";
import { manifest } from "./manifest.mjs";

const { version } = JSON.parse(await readFile("package.json", "utf8"));
const targets = { chrome: ["chrome120"], firefox: ["firefox142"] };
const entries = {
  background: "src/background/index.ts",
  content: "src/content/index.ts",
  options: "src/options/options.ts",
};

for (const [browser, target] of Object.entries(targets)) {
  const out = `dist/${browser}`;
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: entries,
    outdir: out,
    bundle: true,
    format: "iife",
    target,
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of ["options.html", "options.css"]) {
    await copyFile(`src/options/${file}`, `${out}/${file}`);
  }
  await writeFile(`${out}/manifest.json`, JSON.stringify(manifest(browser, version), null, 2) + "\n");
}
