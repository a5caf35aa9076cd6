/* Completion guard appended to C and C++ programs with assert tests (verifier_service/code/
   harness.py renames the program's `main` and turns the tests' one into verifier_tests_main).
   The one-time token is read first, with raw reads (never stdio, whose buffer would keep it
   where the program could find it; nor after the tests, when the program's own reads of stdin
   would get it) into a local of main that is wiped once the token is printed, after the tests
   returned. The reads and the write reach libc by its internal names, which no
   program function (a `read` helper of its own) takes. */
#include <stdio.h>

extern long verifier_raw_read(int, void *, unsigned long) __asm__("__read");
extern long verifier_raw_write(int, const void *, unsigned long) __asm__("__write");

static void verifier_wipe(char *bytes, unsigned long length) {
  volatile char *wiped = bytes;
  while (length > 0) wiped[--length] = 0;
}

int main(void) {
  static const char head[] = "\n\036VERIFIER_DONE ";
  char line[sizeof head + 64];
  unsigned long length = sizeof head - 1;
  for (unsigned long index = 0; index < sizeof head - 1; index++) line[index] = head[index];
  while (length < sizeof line - 1 && verifier_raw_read(0, line + length, 1) == 1 &&
         line[length] != '\n') {
    length++;
  }
  if (length == sizeof head - 1) return 2;
  line[length++] = '\n';
  verifier_tests_main();
  fflush(NULL);
  long written = verifier_raw_write(1, line, length);
  verifier_wipe(line, sizeof line);
  return written == (long)length ? 0 : 2;
}
