// Assert-test driver for JavaScript programs (runs inside the jail).
// First stdin line: a one-time token, printed only after the program and the tests both ran
// to the end (process.exit or an exception before that means the tests did not pass).
// A failed assertion is a wrong answer (exit 0, no token); other exceptions are runtime errors.
const fs = require("fs");
const vm = require("vm");
globalThis.require = require;
const token = fs.readFileSync(0, "utf8").split("\n")[0].trim();
const source = fs.readFileSync(process.argv[2], "utf8") + "\n;\n" + fs.readFileSync(process.argv[3], "utf8");
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
