-- Assert-test driver for Lua programs (runs inside the jail).
-- stdin: a one-time token, then the expression whose value ends the tests (the service takes
-- a trailing `os.exit(...)` out of luaunit suites; `true` when there was none), then the test
-- code; all of it is read before the program loads. Program and tests run as one chunk (the
-- tests see the program's locals), and the chunk's last statement prints the token only if
-- that value means success. An early `os.exit`, `do return end` or error never reaches it.
-- The token is in this file's locals and in that last statement's constants: the program gets
-- no debug library (nor a way to load C code that could give it one), so it can read neither.
local token = io.read("l")
local status = io.read("l")
local tests = io.read("a") or ""
local exit, stderr, stdout, traceback = os.exit, io.stderr, io.stdout, debug.traceback
local type, tointeger, tostring, xpcall, load = type, math.tointeger, tostring, xpcall, load
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

local chunk, problem = load(
  program .. "\n" .. tests .. "\nlocal verifier_status = (" .. status .. ")\n"
    .. "if verifier_status == nil or verifier_status == true or verifier_status == 0 then "
    .. "io.write('\\n\\30VERIFIER_DONE " .. token .. "\\n') end return verifier_status\n",
  "@" .. name,
  "t"
)
program, tests, token = nil, nil, nil
if not chunk then
  stderr:write(tostring(problem), "\n")
  exit(1)
end
local ok, result = xpcall(chunk, traceback)
stdout:flush()
if not ok then
  stderr:write(tostring(result), "\n")
  exit(1)
end
if result == false then
  exit(1)
end
exit(type(result) == "number" and (tointeger(result) or 1) or 0)
