// Value emitter for JavaScript and TypeScript assert tests judged as calls
// (verifier_service/code/conversion/javascript.py). The file it runs (TypeScript: compiled) is
// the program, the marker statement `"verifier values";`, then the tests' own scaffold
// (`const assert = require(...)`, `function test() { let candidate = f; ... } test();`) whose
// assertions became `verifier_emit(i, candidate(...))`: no expected value is in it. As the
// JavaScript assert driver (asserts.js) runs a program beside its tests, the program runs
// first, as a script of this context with a global `require` and a `module` of its own; the
// scaffold then runs as strict-mode code in a function of its own, its names (`test`,
// `assert`) not globals of the program's, and `verifier_emit` its parameter, which the program
// cannot name. Each call's value is printed at once, as a line
// `\x1eVERIFIER_VALUE <index> <tagged JSON>` (conversion/js_values.py reads and compares it):
// ["u"] undefined, ["z"] null, ["b", bool], ["n", "1.5"|"-0"|"NaN"|"Infinity"], ["s", str]
// (every character outside printable ASCII \u-escaped), ["i", "123"] BigInt, ["a", [...]] an
// array (dense, no other enumerable keys), ["o", [[key, value], ...]] an object whose tag is
// [object Object] (its own enumerable keys: what Node's legacy deepEqual compares), ["x"]
// anything else (opaque). A value past the size or depth limits is opaque. What the emitter
// uses is taken before the program runs, so a program that patches the built-ins does not
// change how its values print. A failed assertion of the program's own is a wrong answer, as
// in asserts.js.
const fs = require("fs");
const vm = require("vm");

const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const keysOf = Object.keys;
const isArray = Array.isArray;
const objectIs = Object.is;
const tagOf = Object.prototype.toString;
const hasOwn = Object.prototype.hasOwnProperty;
const charCodeAt = String.prototype.charCodeAt;
const numberToString = Number.prototype.toString;
const write = process.stdout.write.bind(process.stdout);
const exit = process.exit.bind(process);
const report = console.error.bind(console);

const MAX_NODES = 1 << 20;
const MAX_DEPTH = 256;
const MAX_TEXT = (1 << 20) - 64;
const OPAQUE = '["x"]';
const TOO_LARGE = {}; // thrown to give up on a value, never by the program
const HEX = "0123456789abcdef";

function quote(text) {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const code = apply(charCodeAt, text, [index]);
    if (code < 0x20 || code >= 0x7f || code === 0x22 || code === 0x5c) {
      out += "\\u" + HEX[(code >> 12) & 15] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15];
    } else {
      out += text[index];
    }
    if (out.length > MAX_TEXT) throw TOO_LARGE;
  }
  return out + '"';
}

function serialize(value, depth, budget) {
  budget.nodes -= 1;
  if (budget.nodes < 0 || depth > MAX_DEPTH) throw TOO_LARGE;
  switch (typeof value) {
    case "undefined":
      return '["u"]';
    case "boolean":
      return value ? '["b",true]' : '["b",false]';
    case "number":
      return '["n","' + (objectIs(value, -0) ? "-0" : apply(numberToString, value, [])) + '"]';
    case "string":
      return '["s",' + quote(value) + "]";
    case "bigint":
      return '["i","' + value + '"]';
    case "object":
      return value === null ? '["z"]' : serializeObject(value, depth, budget);
    default:
      return OPAQUE; // a function or a symbol: deepEqual would compare it with ==
  }
}

function serializeObject(value, depth, budget) {
  const tag = apply(tagOf, value, []);
  const keys = keysOf(value);
  let out;
  if (isArray(value) && tag === "[object Array]") {
    const length = value.length;
    if (length > budget.nodes) throw TOO_LARGE;
    if (keys.length !== length) return OPAQUE; // sparse, or with keys of its own
    out = '["a",[';
    for (let index = 0; index < length; index++) {
      if (!apply(hasOwn, value, [index])) return OPAQUE;
      out += (index ? "," : "") + serialize(value[index], depth + 1, budget);
      if (out.length > MAX_TEXT) throw TOO_LARGE;
    }
  } else if (!isArray(value) && tag === "[object Object]") {
    out = '["o",[';
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      out += (index ? ",[" : "[") + quote(key) + "," + serialize(value[key], depth + 1, budget) + "]";
      if (out.length > MAX_TEXT) throw TOO_LARGE;
    }
  } else {
    return OPAQUE; // Map, Set, Date, a boxed primitive, an Error, a promise...
  }
  return out + "]]";
}

function emit(index, value) {
  let text;
  try {
    text = serialize(value, 0, { nodes: MAX_NODES });
  } catch (error) {
    if (error !== TOO_LARGE) throw error; // a getter of the program's threw: as deepEqual would
    text = OPAQUE;
  }
  write("\n\x1eVERIFIER_VALUE " + index + " " + text + "\n");
}

const MARKER = '"verifier values";';
defineProperty(globalThis, "require", {
  value: require,
  writable: false,
  enumerable: false,
  configurable: false,
});
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;

const file = process.argv[2];
const source = fs.readFileSync(file, "utf8");
const at = source.lastIndexOf(MARKER);
if (at < 0) throw new Error("the scaffold is missing");
const scaffold = `(function (verifier_emit) {"use strict"; {\n${source.slice(at + MARKER.length)}\n}})`;
try {
  vm.runInThisContext(source.slice(0, at), { filename: file });
  vm.runInThisContext(scaffold, { filename: "tests", lineOffset: -1 })(emit);
} catch (error) {
  if (!(error && (error.code === "ERR_ASSERTION" || error.name === "AssertionError"))) {
    throw error;
  }
  report(error);
  exit(0); // a wrong answer: the values after it are missing
}
