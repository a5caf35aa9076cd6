-- Assert-test driver for Lua programs (runs inside the jail).
-- stdin: a one-time token, then the expression whose value ends the tests (the service takes
-- a trailing `os.exit(...)` out of luaunit suites; `true` when there was none), then the test
-- code; all of it is read before the program loads.
-- Before the program runs, the driver builds the tests' world where the program cannot reach
-- it: a table of globals of their own (copies of the standard functions and libraries) and a
-- luaunit loaded into it, which the tests' `require('luaunit')` answers. Nothing the program
-- does to its globals, to the standard libraries or to the luaunit that its own `require`
-- gives it reaches the tests, not even from a function of the program that the tests call.
-- The program runs as a chunk of its own, whose last statement hands the driver its top-level
-- locals (the tests see them as they were then, as they would in one file); the tests run as
-- a second chunk, with those globals, and the token is printed only if they ran to their end
-- and their ending value means success. An early `os.exit`, `do return end` or error never
-- gets there (the tests do not run after a program that did not reach its end). The token is in this file's locals: the program gets no debug library (nor a
-- way to load C code that could give it one), so it cannot read them.
local token = io.read("l")
local status = io.read("l")
local tests = io.read("a") or ""
local exit, stderr, stdout, traceback = os.exit, io.stderr, io.stdout, debug.traceback
local type, tointeger, tostring, xpcall, load = type, math.tointeger, tostring, xpcall, load
local next, rawget, setmetatable, getlocal = next, rawget, setmetatable, debug.getlocal
local require, searchpath, loadfile, sub = require, package.searchpath, loadfile, string.sub
local metatable_of = debug.getmetatable
if not token or not token:match("^%x+$") or not status then
  stderr:write("asserts.lua: no token on stdin\n")
  exit(2)
end
local name = arg[1]
local file = assert(io.open(name, "rb"))
local program = file:read("a")
file:close()
if program:sub(1, 1) == "#" then
  program = "--" .. program -- a #! line, which the lua command skips
end

debug = nil
package.loaded.debug = nil
package.loadlib = nil
package.cpath = ""
for index = #package.searchers, 3, -1 do
  package.searchers[index] = nil -- the C loaders
end
arg = { [0] = name }

-- The tests' globals: the standard ones as they are now, libraries copied table by table.
-- Names the tests do not define fall back to the program's top-level locals, then to its
-- globals (the function under test).
local globals = _ENV
local world, captured = {}, {}
for key, value in next, globals do
  if type(value) == "table" and key ~= "_G" then
    local copy = {}
    for field, item in next, value do
      copy[field] = item
    end
    value = copy
  end
  world[key] = value
end
world._G = world
world.debug = { traceback = traceback }
local luaunit
world.require = function(module)
  if module == "luaunit" and luaunit ~= nil then
    return luaunit
  end
  return require(module)
end
setmetatable(world, {
  __index = function(_, key)
    local value = rawget(captured, key)
    if value ~= nil then
      return value
    end
    return globals[key]
  end,
})
local luaunit_file = searchpath("luaunit", package.path)
local load_luaunit = luaunit_file and loadfile(luaunit_file, "t", world)
if load_luaunit then
  luaunit = load_luaunit()
end

local ran, reached = false, false
local function capture()
  -- The program chunk's active locals, named (temporaries' names start with "(").
  if ran then
    return
  end
  reached = true
  captured = {}
  local index = 1
  while true do
    local local_name, value = getlocal(2, index)
    if local_name == nil then
      break
    end
    if sub(local_name, 1, 1) ~= "(" then
      captured[local_name] = value
    end
    index = index + 1
  end
end

local chunk, problem = load(program .. "\n;(...)()\n", "@" .. name, "t")
local tests_chunk, tests_problem = load(
  tests .. "\nreturn (" .. status .. ")\n", "=tests", "t", world
)
program, tests = nil, nil
if not chunk or not tests_chunk then
  stderr:write(tostring(problem or tests_problem), "\n")
  exit(1)
end
-- Strings share one metatable: its methods are made the standard ones again (the program's
-- own, such as a `string.split`, still answer after them), out of the program's reach.
local function own_string_methods()
  local methods = {}
  for key, value in next, world.string do
    methods[key] = value
  end
  setmetatable(methods, {
    __index = function(_, key)
      local library = globals.string
      return type(library) == "table" and library[key] or nil
    end,
  })
  local string_meta = metatable_of("")
  string_meta.__index = methods
  string_meta.__metatable = false
end

local ok, result = xpcall(chunk, traceback, capture)
if ok and not reached then
  exit(0) -- the program returned before its end (`do return end`): the tests never ran
end
if ok then
  ran = true
  own_string_methods()
  ok, result = xpcall(tests_chunk, traceback)
end
stdout:flush()
if not ok then
  stderr:write(tostring(result), "\n")
  exit(1)
end
if result == nil or result == true or result == 0 then
  stdout:write("\n\30VERIFIER_DONE " .. token .. "\n")
  stdout:flush()
end
if result == false then
  exit(1)
end
exit(type(result) == "number" and (tointeger(result) or 1) or 0)
