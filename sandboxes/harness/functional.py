# Functional-test driver for Python programs (runs inside the jail).
# Reads {"entry_point": ..., "args": [...]} from stdin BEFORE the program runs, executes the
# program as a module that is not __main__, calls the entry point, prints the marker and the
# JSON result as the last line. The program never sees the expected value.
import json
import sys

request = json.loads(sys.stdin.read())
sys.stdin = open("/dev/null")
namespace = {"__name__": "__solution__", "__file__": sys.argv[1]}
with open(sys.argv[1], encoding="utf-8") as source:
    exec(compile(source.read(), sys.argv[1], "exec"), namespace)
result = namespace[request["entry_point"]](*request["args"])
sys.stdout.write("\n\x1eVERIFIER_RESULT " + json.dumps(result, default=list) + "\n")
sys.stdout.flush()
