// Every function in the JavaScript files named on the command line, as JSON lines:
// {file, name, line, lines}. Parsed with acorn (pinned in package.json), which reads the
// modern syntax the page scripts use; tests/test_function_length.py runs it.
import { readFileSync } from "node:fs";
import { parse } from "acorn";

const KINDS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

function nameOf(node, parent) {
  if (node.id) return node.id.name;
  if (parent && parent.type === "VariableDeclarator" && parent.id.name) return parent.id.name;
  if (parent && (parent.type === "Property" || parent.type === "MethodDefinition") && parent.key) {
    return parent.key.name || parent.key.value;
  }
  return "(anonymous)";
}

function* functions(node, parent) {
  if (!node || typeof node.type !== "string") return;
  if (KINDS.has(node.type)) yield { name: nameOf(node, parent), line: node.loc.start.line, lines: node.loc.end.line - node.loc.start.line + 1 };
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === "object" && typeof child.type === "string") yield* functions(child, node);
    }
  }
}

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const sourceType = /\.mjs$/.test(file) ? "module" : "script";
  const tree = parse(text, { ecmaVersion: "latest", sourceType, locations: true, allowHashBang: true });
  for (const f of functions(tree, null)) console.log(JSON.stringify({ file, ...f }));
}
