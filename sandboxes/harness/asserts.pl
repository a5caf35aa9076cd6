# Assert-test driver for Perl programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code; both are read before the
# program loads (the program reads an empty stdin). The program and then the tests are each
# compiled and run by a string eval of their own: an `__END__` or a top-level `return` in the
# program ends only the program, never the tests. The token is printed only when the tests'
# eval ran to its end; `exit` (any status) or a die before that never prints it. A die is a
# runtime error (exit 255), as is a failing test's own `exit 1`.
# The eval is made here, before any lexical of this file exists: the evaluated code cannot
# name the token.
my $verifier_eval = sub { eval $_[0] };

my $token = <STDIN>;
my $tests = do { local $/; <STDIN> };
my $file = $ARGV[0];
$token = "" unless defined $token;
$token =~ s/\s+\z//;
unless ($token =~ /\A[0-9a-f]+\z/) {
    print STDERR "asserts.pl: no token on stdin\n";
    exit 2;
}
$tests = "" unless defined $tests;
open my $handle, "<", $file or die "$file: $!\n";
my $program = do { local $/; <$handle> };
close $handle;
@ARGV = ();
$0 = $file;

$verifier_eval->("package main;\n#line 1 \"$file\"\n$program\n");
if ($@) {
    print STDERR $@;
    exit 255;
}
# Overrides of builtins the program installed (CORE::GLOBAL::exit...) do not reach the tests.
delete $CORE::GLOBAL::{$_} for keys %CORE::GLOBAL::;
my $finished = $verifier_eval->("package main;\n#line 1 \"tests\"\n$tests\n;1;\n");
unless (defined $finished && $finished eq "1") {
    print STDERR $@ || "the tests did not run to their end\n";
    exit 255;
}
print STDOUT "\n\x1eVERIFIER_DONE $token\n";
