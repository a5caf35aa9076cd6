# Assert-test driver for Python programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code. Both are read before the
# program loads, so the program can see neither (stdin is at its end by then). The program
# and then the tests run as __main__ in a namespace of their own, and the token is printed
# only if both ran to the end: a program that exits early (sys.exit, os._exit, an exception)
# never prints it. A failed assertion is a wrong answer (exit 0, no token); any other
# exception is a runtime error. The token lives only in run()'s frame, not in a global the
# program could look up by name.
import sys
import traceback


def run(path: str) -> None:
    token = sys.stdin.readline().strip()
    tests = sys.stdin.read()
    sys.stdin = open("/dev/null")
    with open(path, encoding="utf-8") as program:
        source = program.read() + "\n\n" + tests
    del tests
    namespace = {"__name__": "__main__", "__file__": path}
    try:
        exec(compile(source, path, "exec"), namespace)
    except AssertionError:
        traceback.print_exc()
        sys.exit(0)
    sys.stdout.write("\n\x1eVERIFIER_DONE " + token + "\n")
    sys.stdout.flush()


run(sys.argv[1])
