// Assert-test driver for JavaScript programs (runs inside the jail).
// stdin: a one-time token on the first line, then the test code, both read before the program
// loads. The token is printed only after the program and the tests both ran
// to the end (process.exit or an exception before that means the tests did not pass).
// A failed assertion is a wrong answer (exit 0, no token); other exceptions are runtime errors.
// TypeScript runs here too: its program and tests compiled together are the file, and no
// tests come on stdin. Compiled modules (and programs that export) get a `module` of their
// own: `require.main === module` is false, as for a module a test file would load.
//
// The program runs in the same context as the tests, so what the tests rely on is fixed before
// it runs: the assert modules are frozen (a program cannot replace `assert.deepEqual`), the
// global `require` cannot be reassigned or shadowed, and it hands out those frozen modules
// whatever the program did to the module loader. What this driver calls after the program ran
// (the token's write, exit) is taken before.
const fs = require("fs");
const vm = require("vm");

const ASSERT_MODULES = ["assert", "assert/strict"];
const frozen = new Map();
for (const name of ASSERT_MODULES) {
  const module = require(name);
  for (const part of [module, module.strict, module.AssertionError]) {
    if (part) Object.freeze(part);
  }
  frozen.set(name, module);
  frozen.set("node:" + name, module);
}
function testRequire(name) {
  return frozen.has(name) ? frozen.get(name) : require(name);
}
testRequire.resolve = require.resolve;
testRequire.cache = require.cache;
testRequire.main = require.main;
Object.defineProperty(globalThis, "require", {
  value: testRequire,
  writable: false,
  enumerable: false,
  configurable: false,
});
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;

const write = process.stdout.write.bind(process.stdout);
const exit = process.exit.bind(process);
const report = console.error.bind(console);
const input = fs.readFileSync(0, "utf8");
const newline = input.indexOf("\n");
const token = input.slice(0, newline).trim();
const source = fs.readFileSync(process.argv[2], "utf8") + "\n;\n" + input.slice(newline + 1);
let finished = false;
try {
  vm.runInThisContext(source, { filename: process.argv[2] });
  finished = true;
} catch (error) {
  if (!(error && (error.code === "ERR_ASSERTION" || error.name === "AssertionError"))) {
    throw error;
  }
  report(error);
}
if (finished) {
  write("\n\x1eVERIFIER_DONE " + token + "\n");
} else {
  exit(0); // a wrong answer: no token
}
