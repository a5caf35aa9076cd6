# Assert-test driver for Python programs (runs inside the jail).
# The first stdin line is a one-time token; the program and then the tests run as __main__,
# and the token is printed only if both ran to the end: a program that exits early
# (sys.exit, os._exit, an exception) never prints it. A failed assertion is a wrong answer
# (exit 0, no token); any other exception is a runtime error.
import sys
import traceback

token = sys.stdin.readline().strip()
sys.stdin = open("/dev/null")
with open(sys.argv[1], encoding="utf-8") as program, open(sys.argv[2], encoding="utf-8") as tests:
    source = program.read() + "\n\n" + tests.read()
namespace = {"__name__": "__main__", "__file__": sys.argv[1]}
try:
    exec(compile(source, sys.argv[1], "exec"), namespace)
except AssertionError:
    traceback.print_exc()
    sys.exit(0)
del source, namespace
sys.stdout.write("\n\x1eVERIFIER_DONE " + token + "\n")
sys.stdout.flush()
