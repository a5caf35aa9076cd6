# Assert-test driver for Bash programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code; both are read before the
# program loads (the program reads an empty stdin). The program is sourced as a file of its
# own (an unclosed quote or here-document ends with it; a `return` at its top level ends only
# the program), then the tests run in the same shell, then the token is printed: an `exit`
# before that (in a function too) never prints it. As `bash` running program and tests as one
# file would: a syntax error in the program fails (exit 2, checked before it runs), and the
# tests' exit status is the run's (a failing test under their `set -e` exits at once; tests
# that do not parse end with status 2). Bash keeps no secret from code in the same shell: a
# program that looks for the token in the shell's variables finds it (a known limit).
IFS= read -r verifier_token
IFS= read -r -d '' verifier_tests
verifier_program=$1
shift
"$BASH" -n "$verifier_program" || exit 2
# shellcheck disable=SC1090
source "$verifier_program"
# Not `eval ... || exit`: within a `||` list bash ignores the tests' `set -e`.
eval "$verifier_tests"
verifier_status=$?
if [[ $verifier_status -ne 0 ]]; then
    exit "$verifier_status"
fi
printf '\n\036VERIFIER_DONE %s\n' "$verifier_token"
