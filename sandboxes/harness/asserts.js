// Assert-test driver for JavaScript programs (runs inside the jail).
// stdin: a one-time token on the first line, then the test code, both read before the program
// loads. The token is printed only after the program and the tests both ran
// to the end (process.exit or an exception before that means the tests did not pass).
// A failed assertion is a wrong answer (exit 0, no token); other exceptions are runtime errors.
// TypeScript runs here too: its program and tests compiled together are the file, and no
// tests come on stdin. Compiled modules (and programs that export) get a `module` of their
// own: `require.main === module` is false, as for a module a test file would load.
const fs = require("fs");
const vm = require("vm");
globalThis.require = require;
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;
const input = fs.readFileSync(0, "utf8");
const newline = input.indexOf("\n");
const token = input.slice(0, newline).trim();
const source = fs.readFileSync(process.argv[2], "utf8") + "\n;\n" + input.slice(newline + 1);
try {
  vm.runInThisContext(source, { filename: process.argv[2] });
} catch (error) {
  if (error && (error.code === "ERR_ASSERTION" || error.name === "AssertionError")) {
    console.error(error);
    process.exit(0);
  }
  throw error;
}
process.stdout.write("\n\x1eVERIFIER_DONE " + token + "\n");
