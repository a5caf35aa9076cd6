// Assert-test driver for JavaScript programs (runs inside the jail).
// stdin: a one-time token on the first line, then the test code, both read before the program
// loads. The token is printed only after the program and the tests both ran to the end
// (process.exit or an exception before that means the tests did not pass). A failed assertion
// is a wrong answer (exit 0, no token); other exceptions are runtime errors.
// TypeScript runs here too: its program and tests compiled together are the file, split at the
// marker statement named by the second argument, and no tests come on stdin. Compiled modules
// (and programs that export) get a `module` of their own: `require.main === module` is false.
//
// The program and the tests are two scripts. The program runs first, as a script of this
// context (its top-level functions and variables are the globals the tests call). The tests
// then run as strict-mode code in a function of their own: their names (`function test`) are
// not globals the program can name or replace, and strict code is hidden from the program's
// functions they call (`f.caller` is null, a stack trace's frames give no function). Before the
// tests run, the builtins the program replaced are put back: every property of the standard
// globals (`Math`, `JSON`, `Object`, ...), their prototypes and the iterator prototypes, as it
// was before the program ran (a `toJSON` or a symbol-keyed hook the program added to one of them
// is removed; what cannot be put back fails the run); a global name the program bound to
// something else (`function escape`) keeps the program's value for the program, and the tests
// get the original (the language's globals always). Those objects then take no new property
// and their functions become read-only (`Math.abs`, `JSON.stringify`, `Array.prototype.every`,
// the iterators' `next`), so that no function of the program can replace them while the tests
// run; `Object.prototype`'s and the error classes' stay writable (programs assign over them on
// objects of their own). The assert modules are frozen and the global `require`
// is fixed (not reassignable, not shadowed; it hands out those frozen modules whatever the
// program does to the module loader) before the program runs. The token is read with raw reads
// into buffers outside the JavaScript heap, never a string (a heap snapshot does not hold it).
"use strict";
const fs = require("fs");
const vm = require("vm");

const ASSERT_MODULES = ["assert", "assert/strict"];
// The language's globals (not Node's host objects, whose state changes as they are used): their
// own properties and their prototypes' are put back before the tests run.
const LANGUAGE_GLOBALS = (
  "Object Function Array Number Boolean String Symbol BigInt Date RegExp Error AggregateError " +
  "EvalError RangeError ReferenceError SyntaxError TypeError URIError Promise Map Set WeakMap " +
  "WeakSet WeakRef ArrayBuffer DataView Math JSON Reflect Intl Atomics Int8Array Uint8Array " +
  "Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array " +
  "BigInt64Array BigUint64Array parseInt parseFloat isNaN isFinite encodeURIComponent " +
  "decodeURIComponent encodeURI decodeURI"
).split(" ");
// Functions tests replace to make a program deterministic: not made read-only.
const MOCKED = new Set(["random", "now"]);
// Globals the tests always see as they were before the program ran, whatever it rebinds
// (`Date` is left to tests that replace it for the program).
const FIXED_NAMES = LANGUAGE_GLOBALS.filter((name) => name !== "Date");
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NOT_PARAMETERS = new Set(["eval", "arguments", "globalThis", "global", "undefined"]);
// What the driver calls after the program ran, taken before it runs.
const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf, ownKeys } =
  Reflect;
const { apply, deleteProperty } = Reflect;
const is = Object.is;
const toText = String;

function freezeAsserts() {
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
}

// All of stdin with raw reads into zero-filled buffers of their own (never Node's shared pool),
// each chunk wiped once copied.
function readInput() {
  const chunks = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(65536);
    let count;
    try {
      count = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      if (error.code === "EAGAIN") continue;
      if (error.code === "EOF") break;
      throw error;
    }
    if (count === 0) break;
    chunks.push(chunk.subarray(0, count));
    total += count;
  }
  const all = Buffer.alloc(total);
  let at = 0;
  for (const chunk of chunks) {
    chunk.copy(all, at);
    at += chunk.length;
    chunk.fill(0);
  }
  return all;
}

// The line the token is printed on, as bytes: the first line of `input` (wiped there).
function tokenLine(input) {
  let end = input.indexOf(10);
  if (end < 0) end = input.length;
  let start = 0;
  while (start < end && input[start] <= 32) start++;
  let stop = end;
  while (stop > start && input[stop - 1] <= 32) stop--;
  const prefix = Buffer.from("\n\x1eVERIFIER_DONE ", "latin1");
  const line = Buffer.alloc(prefix.length + stop - start + 1);
  prefix.copy(line, 0);
  input.copy(line, prefix.length, start, stop);
  line[line.length - 1] = 10;
  input.fill(0, 0, end);
  return line;
}

// A property's descriptor with no prototype: reading it never reaches what the program added
// to Object.prototype.
function descriptorOf(target, key) {
  const descriptor = getOwnPropertyDescriptor(target, key);
  if (descriptor !== undefined) setPrototypeOf(descriptor, null);
  return descriptor;
}

// The objects whose properties the tests rely on: the language's globals, their prototypes,
// and the intrinsics no global names (iterator, generator and typed-array prototypes).
function intrinsics() {
  const found = new Set();
  const add = (value) => {
    if ((typeof value === "object" && value !== null) || typeof value === "function") {
      found.add(value);
    }
  };
  for (const name of LANGUAGE_GLOBALS) {
    const value = globalThis[name];
    add(value);
    if (typeof value === "function") add(value.prototype);
  }
  const arrayIterator = getPrototypeOf([][Symbol.iterator]());
  const generator = getPrototypeOf(function* () {});
  const typedArray = getPrototypeOf(Int8Array);
  add(arrayIterator);
  add(getPrototypeOf(arrayIterator));
  add(getPrototypeOf(""[Symbol.iterator]()));
  add(getPrototypeOf(new Map()[Symbol.iterator]()));
  add(getPrototypeOf(new Set()[Symbol.iterator]()));
  add(getPrototypeOf(/a/g[Symbol.matchAll]("")));
  add(generator);
  add(generator.prototype);
  add(getPrototypeOf(async function () {}));
  add(typedArray);
  add(typedArray.prototype);
  return [...found];
}

function snapshot(targets) {
  return targets.map((target) => {
    const keys = ownKeys(target);
    const descriptors = keys.map((key) => descriptorOf(target, key));
    return { __proto__: null, target, prototype: getPrototypeOf(target), keys, descriptors };
  });
}

function sameDescriptor(a, b) {
  return (
    a !== undefined &&
    is(a.value, b.value) &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  );
}

// Put back what the program changed, with no builtin of the program's reach (index loops, no
// iterator); what could not be put back, if anything.
function restore(saved) {
  for (let index = 0; index < saved.length; index++) {
    const { target, prototype, keys, descriptors } = saved[index];
    if (getPrototypeOf(target) !== prototype && !setPrototypeOf(target, prototype)) {
      return "the prototype of a builtin";
    }
    for (let at = 0; at < keys.length; at++) {
      const now = descriptorOf(target, keys[at]);
      const descriptor = descriptors[at];
      if (!sameDescriptor(now, descriptor) && !defineProperty(target, keys[at], descriptor)) {
        return "the builtin property " + toText(keys[at]);
      }
    }
    const present = ownKeys(target);
    for (let at = 0; at < present.length; at++) {
      const key = present[at];
      const hook = typeof key === "symbol" || key === "toJSON";
      if (hook && !isKnown(keys, key) && !deleteProperty(target, key)) {
        return "a hook added to a builtin (" + toText(key) + ")";
      }
    }
  }
  return null;
}

function isKnown(keys, key) {
  for (let at = 0; at < keys.length; at++) {
    if (keys[at] === key) return true;
  }
  return false;
}

// Run once the builtins are back (from here on the driver may use them): their functions become
// read-only and they take no new property, but for the prototypes whose properties programs
// assign over on objects that inherit them (`Foo.prototype.toString = ...`, `this.name = ...`
// in an error class: a read-only one would refuse the assignment) and the error classes, whose
// `stackTraceLimit` and `prepareStackTrace` programs and Node set.
function lockBuiltins(saved, open) {
  for (const { target } of saved) {
    if (open.has(target)) {
      if (typeof target !== "function") Object.preventExtensions(target);
      continue;
    }
    for (const key of ownKeys(target)) {
      const descriptor = getOwnPropertyDescriptor(target, key);
      if (!descriptor.configurable || MOCKED.has(key)) continue;
      const locked = "value" in descriptor ? { writable: false } : {};
      defineProperty(target, key, { ...locked, configurable: false });
    }
    Object.preventExtensions(target);
  }
}

function assignedOver() {
  const names = LANGUAGE_GLOBALS.filter((name) => name.endsWith("Error"));
  const errors = names.map((name) => globalThis[name]);
  return new Set([Object.prototype, ...errors, ...errors.map((error) => error.prototype)]);
}

// The global names the tests see as they were: the language's, and any other the program
// bound to something else (`function escape`, which the program keeps for itself).
function fixedGlobals(globals) {
  const names = [];
  const values = [];
  for (const { key, descriptor } of globals) {
    if (typeof key !== "string" || !IDENTIFIER.test(key) || NOT_PARAMETERS.has(key)) continue;
    if (!("value" in descriptor)) continue;
    const now = descriptorOf(globalThis, key);
    const changed = now === undefined || !("value" in now) || !is(now.value, descriptor.value);
    if (changed || FIXED_NAMES.includes(key)) {
      names.push(key);
      values.push(descriptor.value);
    }
  }
  return { names, values };
}

function splitCompiled(file, marker) {
  const source = fs.readFileSync(file, "utf8");
  const statement = `"verifier tests ${marker}";`;
  const at = source.lastIndexOf(statement);
  if (at < 0) throw new Error("the compiled tests are missing");
  return { program: source.slice(0, at), tests: source.slice(at + statement.length) };
}

function main() {
  freezeAsserts();
  const write = process.stdout.write.bind(process.stdout);
  const exit = process.exit.bind(process);
  const report = console.error.bind(console);
  const Script = vm.Script;
  const runScript = Script.prototype.runInThisContext;
  const input = readInput();
  const line = tokenLine(input);
  const file = process.argv[2];
  const compiled = process.argv[3] === undefined ? null : splitCompiled(file, process.argv[3]);
  const program = compiled ? compiled.program : fs.readFileSync(file, "utf8");
  const tests = compiled ? compiled.tests : input.toString("utf8", input.indexOf(10) + 1);
  input.fill(0);
  const globals = ownKeys(globalThis).map((key) => ({
    key,
    descriptor: descriptorOf(globalThis, key),
  }));
  const saved = snapshot(intrinsics());
  const open = assignedOver();
  let finished = false;
  try {
    apply(runScript, new Script(program, { __proto__: null, filename: file }), []);
    const broken = restore(saved);
    if (broken !== null) {
      report("the program replaced " + broken + " and it could not be put back");
      exit(1);
    }
    lockBuiltins(saved, open);
    const { names, values } = fixedGlobals(globals);
    const wrapped = `(function (${names.join(", ")}) {"use strict"; {\n${tests}\n}})`;
    const options = { __proto__: null, filename: "tests", lineOffset: -1 };
    apply(apply(runScript, new Script(wrapped, options), []), globalThis, values);
    finished = true;
  } catch (error) {
    if (!(error && (error.code === "ERR_ASSERTION" || error.name === "AssertionError"))) {
      throw error;
    }
    report(error);
  }
  if (finished) {
    write(line);
  } else {
    exit(0); // a wrong answer: no token
  }
}

main();
