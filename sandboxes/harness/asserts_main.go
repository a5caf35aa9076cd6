// Completion guard appended to Go programs with assert tests (verifier_service/code/harness.py
// writes the rest: `package main`, the imports named verifier_*, the first package-level
// variable `var verifier_run = verifier_prepare()`, and a `main` that calls verifier_run with
// the tests). verifier_prepare runs before any variable or init of the program, reads the
// one-time token from stdin and keeps it in the closure it returns; that closure answers only
// a call from main.main, runs the tests through testing.Main and prints the token once the
// last of them finished with none failed or skipped.

func verifier_prepare() func([]verifier_testing.InternalTest) {
	line, _ := verifier_bufio.NewReader(verifier_os.Stdin).ReadString('\n')
	token := verifier_strings.TrimSpace(line)
	used := false
	return func(tests []verifier_testing.InternalTest) {
		callers := make([]uintptr, 1)
		callers = callers[:verifier_runtime.Callers(2, callers)]
		caller, _ := verifier_runtime.CallersFrames(callers).Next()
		if used || caller.Function != "main.main" {
			verifier_os.Exit(3)
		}
		used = true
		var lock verifier_sync.Mutex
		remaining, failed := len(tests), false
		wrapped := make([]verifier_testing.InternalTest, len(tests))
		for index, test := range tests {
			run := test.F
			wrapped[index] = verifier_testing.InternalTest{
				Name: test.Name,
				F: func(t *verifier_testing.T) {
					t.Cleanup(func() {
						lock.Lock()
						defer lock.Unlock()
						failed = failed || t.Failed() || t.Skipped()
						remaining--
						if remaining == 0 && !failed {
							verifier_os.Stdout.WriteString("\n\x1eVERIFIER_DONE " + token + "\n")
						}
					})
					run(t)
				},
			}
		}
		match := func(string, string) (bool, error) { return true, nil }
		verifier_testing.Main(match, wrapped, nil, nil)
	}
}
