# Value driver for Bash assert tests judged as calls (verifier_service/code/conversion/bash.py).
# stdin: the generated calls, read before the program loads (the program reads an empty stdin).
# As asserts.sh, the program is checked (`bash -n`) and sourced as a file of its own, then the
# calls run in the same shell. Each call's value is what the tests compared: the output of
# `$(candidate ...)` (trailing newlines removed, NUL bytes dropped), printed as its bytes in hex
# on a line `\x1eVERIFIER_VALUE <index> <hex>`; the service compares it with the tests' quoted
# expected text. `verifier_emit` is defined after the program ran, and names its helpers past
# any function of the program's (`builtin`, `command`).
IFS= read -r -d '' verifier_calls
verifier_program=$1
shift
"$BASH" -n "$verifier_program" || exit 2
# shellcheck disable=SC1090
source "$verifier_program"
verifier_emit() {
    builtin printf '\n\036VERIFIER_VALUE %s %s\n' "$1" \
        "$(builtin printf '%s' "$2" | command od -An -v -tx1 | command tr -d ' \n')"
}
eval "$verifier_calls"
