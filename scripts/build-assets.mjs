// Build the Hub's front-end assets into keycities/static/build/:
// the Key Cities stylesheet (GOV.UK Frontend compiled with our brand) and
// GOV.UK Frontend's JavaScript. Run by `make` through `npm run build`.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "keycities", "static", "build");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "hub.css"), css.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
console.log(`Built ${out}: hub.css (${css.css.length} bytes), govuk-frontend.min.js`);
