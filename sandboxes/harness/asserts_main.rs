// Completion guard appended to Rust programs with assert tests (verifier_service/code/
// harness.py renames the program's `fn main` and the tests' one, verifier_tests_main). This
// `main` reads the one-time token before any code of the program runs (so the program cannot
// read it from stdin first), with raw reads of file descriptor 0 into a local array: never
// through `std::io::stdin()`, whose process-wide buffer would keep it where the program could
// find it. It prints the token, with one raw write, only after the tests' main returned (Ok,
// when it returns a Result) and then wipes it. Every name comes from `::std`, which no item of
// the program can shadow.
trait VerifierOutcome {
    fn verifier_passed(self) -> bool;
}

impl VerifierOutcome for () {
    fn verifier_passed(self) -> bool {
        true
    }
}

impl<E: ::std::fmt::Debug> VerifierOutcome for ::std::result::Result<(), E> {
    fn verifier_passed(self) -> bool {
        match self {
            ::std::result::Result::Ok(()) => true,
            ::std::result::Result::Err(error) => {
                ::std::eprintln!("Error: {:?}", error);
                false
            }
        }
    }
}

#[allow(unsafe_code)]
fn verifier_raw_fd(fd: i32) -> ::std::mem::ManuallyDrop<::std::fs::File> {
    // SAFETY: 0 and 1 are open for the whole run; ManuallyDrop never closes them.
    ::std::mem::ManuallyDrop::new(unsafe { ::std::os::unix::io::FromRawFd::from_raw_fd(fd) })
}

fn verifier_wipe(bytes: &mut [u8]) {
    for byte in bytes.iter_mut() {
        // SAFETY: a valid, exclusive reference; volatile so the wipe is not optimized away.
        #[allow(unsafe_code)]
        unsafe {
            ::std::ptr::write_volatile(byte, 0)
        };
    }
}

fn main() {
    const VERIFIER_HEAD: &[u8] = b"\n\x1eVERIFIER_DONE ";
    let mut verifier_line = [0u8; 96];
    verifier_line[..VERIFIER_HEAD.len()].copy_from_slice(VERIFIER_HEAD);
    let mut verifier_length = VERIFIER_HEAD.len();
    let mut verifier_stdin = verifier_raw_fd(0);
    while verifier_length < verifier_line.len() - 1 {
        let byte = &mut verifier_line[verifier_length..verifier_length + 1];
        match ::std::io::Read::read(&mut *verifier_stdin, byte) {
            ::std::result::Result::Ok(1) if byte[0] != b'\n' => verifier_length += 1,
            _ => break,
        }
    }
    if verifier_length == VERIFIER_HEAD.len() {
        ::std::process::exit(2);
    }
    if !VerifierOutcome::verifier_passed(verifier_tests_main()) {
        verifier_wipe(&mut verifier_line);
        ::std::process::exit(1);
    }
    verifier_line[verifier_length] = b'\n';
    ::std::io::Write::flush(&mut ::std::io::stdout()).ok();
    let written = ::std::io::Write::write_all(
        &mut *verifier_raw_fd(1),
        &verifier_line[..verifier_length + 1],
    );
    verifier_wipe(&mut verifier_line);
    if written.is_err() {
        ::std::process::exit(2);
    }
}
