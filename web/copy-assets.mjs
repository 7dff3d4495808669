// Copies the files the documentation pages load from node_modules into the static folder the services serve.
// Usage: node copy-assets.mjs [out-dir]   (default: ./static next to this file)
import { copyFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "static"));

// destination (inside out) -> source (inside node_modules)
const files = {
  "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "swagger-ui/favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
  "swagger-ui/LICENSE": "swagger-ui-dist/LICENSE",
  "graphiql/graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql/graphiql.min.css": "graphiql/graphiql.min.css",
  "graphiql/LICENSE": "graphiql/LICENSE",
  "graphiql/plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/index.umd.js",
  "graphiql/plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
  "react/react.production.min.js": "react/umd/react.production.min.js",
  "react/react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "react/LICENSE": "react/LICENSE",
};

// Built next to the target and renamed into place, so a service never sees half a folder.
const building = `${out}.building`;
rmSync(building, { recursive: true, force: true });
for (const [to, from] of Object.entries(files)) {
  const target = join(building, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(here, "node_modules", from), target);
}
rmSync(out, { recursive: true, force: true });
renameSync(building, out);
console.log(`copy-assets: ${Object.keys(files).length} files in ${out}`);
