// Functional-test driver for JavaScript programs (runs inside the jail).
// Reads {"entry_point", "args"} from stdin before the program runs, evaluates the program in
// this context, calls the entry point and prints the marker and the JSON result last.
const fs = require("fs");
const vm = require("vm");
globalThis.require = require;
const request = JSON.parse(fs.readFileSync(0, "utf8"));
const program = fs.readFileSync(process.argv[2], "utf8");
vm.runInThisContext(program, { filename: process.argv[2] });
const entry = vm.runInThisContext(request.entry_point);
Promise.resolve(entry(...request.args)).then((result) => {
  process.stdout.write("\n\x1eVERIFIER_RESULT " + JSON.stringify(result === undefined ? null : result) + "\n");
});
