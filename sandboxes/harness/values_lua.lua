-- Value driver for Lua assert tests judged as calls (verifier_service/code/conversion/lua.py).
-- Run as `lua5.4 values_lua.lua <source>`: it keeps Lua's own functions before any code of
-- the program runs, defines the globals `verifier_emit(index, value)` (the candidate's
-- calls) and `verifier_expected(index, value)` (the reference's expected expressions), then
-- runs the source as one chunk (the program, then the generated calls, so these see the
-- program's locals). Each value is printed as a line `\30VERIFIER_VALUE <index> <json>`, a
-- tagged text that the service compares as luaunit's assertEquals would
-- (conversion/lua_values.py): ["nil"], ["bool",b], ["int","<decimal>"],
-- ["float","<IEEE bits, hex>"], ["str","<bytes, hex>"], ["table",[[key,value],...]] in the
-- order `pairs` gives (luaunit walks the actual table with `pairs`, so a `__pairs` of the
-- program's decides what it sees, as it did for luaunit), and ["opaque"] for what equals
-- nothing: a function, userdata or coroutine, a table nested in itself or deeper than
-- MAX_DEPTH, or a value past MAX_ITEMS entries. The reference exits 3 on an opaque value (the
-- tests' shape, not the program, then decides that they run the old way).
local name = arg[1]
local type, pairs, pcall, error, load_file, tostring = type, pairs, pcall, error, loadfile, tostring
local math_type, format, pack, byte, gsub = math.type, string.format, string.pack, string.byte, string.gsub
local concat, stdout, exit = table.concat, io.stdout, os.exit
local MAX_DEPTH, MAX_ITEMS = 100, 1 << 20

local function hex(text)
  return (gsub(text, ".", function(char) return format("%02x", byte(char)) end))
end

local write

local function write_key(key, out, state)
  local kind = type(key)
  if kind == "number" or kind == "string" or kind == "boolean" then
    write(key, out, state, 0)
  else
    out[#out + 1] = '["opaque"]' -- a table or function key: no literal's key is the same one
  end
end

local function write_table(value, out, state, depth)
  if state.path[value] or depth > MAX_DEPTH then
    state.opaque = true
    out[#out + 1] = '["opaque"]'
    return
  end
  state.path[value] = true
  out[#out + 1] = '["table",['
  local first = true
  for key, item in pairs(value) do
    state.items = state.items + 1
    if state.items > MAX_ITEMS then
      error("verifier: value too large")
    end
    out[#out + 1] = first and "[" or ",["
    first = false
    write_key(key, out, state)
    out[#out + 1] = ","
    write(item, out, state, depth + 1)
    out[#out + 1] = "]"
  end
  out[#out + 1] = "]]"
  state.path[value] = nil
end

write = function(value, out, state, depth)
  local kind = type(value)
  if kind == "nil" then
    out[#out + 1] = '["nil"]'
  elseif kind == "boolean" then
    out[#out + 1] = value and '["bool",true]' or '["bool",false]'
  elseif math_type(value) == "integer" then
    out[#out + 1] = format('["int","%d"]', value)
  elseif kind == "number" then
    out[#out + 1] = '["float","' .. hex(pack(">d", value)) .. '"]'
  elseif kind == "string" then
    out[#out + 1] = '["str","' .. hex(value) .. '"]'
  elseif kind == "table" then
    write_table(value, out, state, depth)
  else
    state.opaque = true
    out[#out + 1] = '["opaque"]'
  end
end

local function text_of(value)
  local out, state = {}, { path = {}, items = 0, opaque = false }
  local ok = pcall(write, value, out, state, 0)
  if not ok then
    return '["opaque"]', true
  end
  return concat(out), state.opaque
end

local function emit(index, text)
  stdout:write("\n\30VERIFIER_VALUE ", format("%d", index), " ", text, "\n")
  stdout:flush()
end

function verifier_emit(index, value)
  emit(index, (text_of(value)))
end

function verifier_expected(index, value)
  local text, opaque = text_of(value)
  if opaque then
    stdout:write("verifier: expected value ", tostring(index), " cannot be compared\n")
    exit(3)
  end
  emit(index, text)
end

local chunk, problem = load_file(name, "t")
if not chunk then
  error(problem, 0)
end
arg = { [0] = name }
chunk()
