// Completion guard appended to Go programs with assert tests (verifier_service/code/harness.py
// writes the rest: `package main`, the imports named verifier_*, the first package-level
// variable `var verifier_start = verifier_prepare()`, verifier_suite's method verifier_tests
// (the tests, a fixed list) and a `main` that sends on verifier_start). verifier_prepare runs before any variable or init
// of the program and reads the one-time token with raw reads (os.File has no buffer) into a
// local array, which it hands, as an argument, to a goroutine of its own: the token is in no
// package-level variable or closure, only on that goroutine's stack. The goroutine waits for
// the start signal, runs verifier_tests through testing.Main and prints the token once the last
// of them finished with none failed or skipped, then wipes it. A signal the program sends
// itself only runs the same tests sooner.

func verifier_prepare() chan struct{} {
	var token [64]byte
	length := 0
	for length < len(token) {
		got, err := verifier_os.Stdin.Read(token[length : length+1])
		if got != 1 || err != nil || token[length] == '\n' {
			break
		}
		length++
	}
	if length == 0 {
		verifier_os.Exit(2)
	}
	start := make(chan struct{})
	go verifier_keep(token, length, start)
	token = [64]byte{}
	return start
}

// The tests are reached through an interface method: a call through an interface is no
// reference in Go's initialization order, so verifier_start does not depend on the tests (and
// through them on the program's variables), which would then be initialized first.
type verifier_listed interface {
	verifier_tests() []verifier_testing.InternalTest
}

func verifier_keep(token [64]byte, length int, start chan struct{}) {
	<-start
	passed, printed := make(chan struct{}), make(chan struct{})
	go verifier_testing.Main(
		func(string, string) (bool, error) { return true, nil },
		verifier_watched(verifier_listed.verifier_tests(verifier_suite{}), passed, printed),
		nil, nil,
	)
	<-passed
	line := append(make([]byte, 0, 96), "\n\x1eVERIFIER_DONE "...)
	line = append(line, token[:length]...)
	line = append(line, '\n')
	token = [64]byte{}
	verifier_os.Stdout.Write(line)
	for index := range line {
		line[index] = 0
	}
	close(printed)
	select {}
}

// verifier_watched wraps the tests so that the last one to finish, with none failed or
// skipped, signals `passed` and waits until the token is printed (testing.Main exits after).
func verifier_watched(
	tests []verifier_testing.InternalTest, passed, printed chan struct{},
) []verifier_testing.InternalTest {
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
					failed = failed || t.Failed() || t.Skipped()
					remaining--
					last := remaining == 0 && !failed
					lock.Unlock()
					if last {
						close(passed)
						<-printed
					}
				})
				run(t)
			},
		}
	}
	return wrapped
}
