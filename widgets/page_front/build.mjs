// Builds the page's widget front-end into the course template's static folder:
// innokraft-widgets.js and innokraft-widgets.css, minified, one file each.
// `make front` runs it; the output is committed, so serving the course needs no Node.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const OUT = "../../course_config/voila/templates/innokraft/static/innokraft-widgets.js";

// anywidget ships its widget module as AMD (define([...], factory)) for JupyterLab: take the
// factory as an ES module instead. And anywidget imports a model's front-end (`_esm`) from a
// Blob URL of its own for every model: M1's charts compiled the same module again for each
// (20–45 ms of a visit). Here a source is imported once and its module shared, as an import is.
// Under `innokraft serve` a widget names its module by a path on this server instead
// (widgets/front_files.py), which anywidget would take for source: it is imported by its URL.
// Only a one-line path from the root: a module's source may begin with "//", a comment.
const LOAD_ESM = "async function loadEsm(esm) {";
const LOAD_ESM_ONCE = `const esmModules = new Map();
function loadEsm(esm) {
  if (/^\\/[^/\\s]\\S*$/.test(esm)) esm = new URL(esm, window.location.href).href;
  if (!esmModules.has(esm)) esmModules.set(esm, loadEsmAnew(esm));
  return esmModules.get(esm);
}
async function loadEsmAnew(esm) {`;
const anywidgetAmd = {
  name: "anywidget-amd",
  setup(build) {
    build.onResolve({ filter: /^anywidget-amd$/ }, () => ({
      path: require.resolve("anywidget"), namespace: "anywidget-amd",
    }));
    build.onLoad({ filter: /.*/, namespace: "anywidget-amd" }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const amd = 'define(["@jupyter-widgets/base"], widget_default);';
      if (!source.includes(amd)) throw new Error("anywidget's module is no longer the AMD form this build expects");
      if (!source.includes(LOAD_ESM)) throw new Error("anywidget no longer loads a front-end with loadEsm");
      const contents = source.replace(amd, "export default widget_default;").replace(LOAD_ESM, LOAD_ESM_ONCE);
      return { contents, loader: "js", resolveDir: "." };
    });
  },
};

// The sources' digest goes into the bundle's first line: a unit test recomputes it, so a
// source changed without `make front` fails the tests instead of shipping a stale bundle.
const SOURCES = ["build.mjs", "package.json", "package-lock.json", "src/no-sanitize.js", "src/page.js"];
const digest = createHash("sha256");
for (const name of SOURCES) digest.update(await readFile(name));

await esbuild.build({
  entryPoints: ["src/page.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  outfile: OUT,
  legalComments: "eof",
  banner: { js: `/* innokraft-widgets sources sha256:${digest.digest("hex")} */` },
  loader: { ".woff": "dataurl", ".woff2": "dataurl", ".svg": "dataurl", ".png": "dataurl" },
  define: { "process.env.NODE_ENV": '"production"' },
  alias: { "sanitize-html": "./src/no-sanitize.js" },
  plugins: [anywidgetAmd],
  logLevel: "warning",
});
