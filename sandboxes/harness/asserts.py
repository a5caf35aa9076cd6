# Assert-test driver for Python programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code. Both are read before the
# program loads, so the program can see neither (stdin is at its end by then). The program
# and then the tests run as __main__,
# and the token is printed only if both ran to the end: a program that exits early
# (sys.exit, os._exit, an exception) never prints it. A failed assertion is a wrong answer
# (exit 0, no token); any other exception is a runtime error.
import sys
import traceback

token = sys.stdin.readline().strip()
tests = sys.stdin.read()
sys.stdin = open("/dev/null")
with open(sys.argv[1], encoding="utf-8") as program:
    source = program.read() + "\n\n" + tests
namespace = {"__name__": "__main__", "__file__": sys.argv[1]}
try:
    exec(compile(source, sys.argv[1], "exec"), namespace)
except AssertionError:
    traceback.print_exc()
    sys.exit(0)
del source, namespace, tests
sys.stdout.write("\n\x1eVERIFIER_DONE " + token + "\n")
sys.stdout.flush()
