// Completion guard appended to Rust programs with assert tests (verifier_service/code/
// harness.py renames the program's `fn main` and the tests' one, verifier_tests_main). This
// `main` reads the one-time token before any code of the program runs, keeps it in a local
// and prints it only after the tests' main returned (Ok, when it returns a Result). Every
// name comes from `::std`, which no item of the program can shadow.

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

fn main() {
    let mut verifier_token = ::std::string::String::new();
    let mut verifier_stdin = ::std::io::stdin().lock();
    if ::std::io::BufRead::read_line(&mut verifier_stdin, &mut verifier_token).is_err() {
        ::std::process::exit(2);
    }
    ::std::mem::drop(verifier_stdin);
    if !VerifierOutcome::verifier_passed(verifier_tests_main()) {
        ::std::process::exit(1);
    }
    ::std::print!("\n\x1eVERIFIER_DONE {}\n", verifier_token.trim());
    ::std::io::Write::flush(&mut ::std::io::stdout()).ok();
}
