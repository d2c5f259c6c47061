/** Builds the translator page's script into ../static/translator.js (committed: the server
 * serves it as is, so `translator serve` from a clean clone needs no Node). */

import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "../static/translator.js",
  bundle: true,
  format: "iife",
  target: ["chrome111", "firefox115", "safari16.4"],
  banner: { js: "/* Built from translator/api/pages/web/src by `npm run build`; do not edit. */" },
  legalComments: "none",
  logLevel: "warning",
});
