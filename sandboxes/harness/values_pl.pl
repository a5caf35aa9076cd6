# Value serializer and driver for Perl assert tests judged as calls (verifier_service/code/
# conversion/perl.py). stdin: the generated calls (the candidate) or the tests' expected
# expressions (the reference), read before the program loads; the program's file (empty for
# the reference) is the argument. As asserts.pl, the program and then the calls each run in a
# string eval of their own, so the program's pragmas (`use utf8`) do not reach the tests' text.
# Each value list is printed as a line `\x1eVERIFIER_VALUE <index> <texts>`: one text per
# element of the list the call returned (eq_deeply takes its arguments in list context),
# separated by spaces. A text is canonical for eq_deeply against plain data: undef `u`, any
# other non-reference scalar `s<its string's ordinals, %vx>;` (eq_deeply compares those with
# `eq`), an unblessed array `[` texts `,`-separated `]`, an unblessed hash `{` key `:` value
# pairs in key order `}`. A blessed reference (eq_deeply compares classes), a reference of any
# other kind, or nesting deeper than the bound is `?`, which equals nothing; in the reference
# it ends the run with status 3. No method or overload of the program's is ever called.
my $verifier_eval = sub { eval $_[0] };

require Scalar::Util;

sub VerifierValues::text {
    my ($value, $depth) = @_;
    return '?' if $depth > 64;
    return 'u' unless defined $value;
    return 's' . sprintf('%vx', "$value") . ';' unless ref $value;
    return '?' if defined Scalar::Util::blessed($value);
    my $kind = Scalar::Util::reftype($value);
    if ($kind eq 'ARRAY') {
        return '[' . join(',', map { VerifierValues::text($_, $depth + 1) } @$value) . ']';
    }
    if ($kind eq 'HASH') {
        my @pairs = map {
            's' . sprintf('%vx', $_) . ';:' . VerifierValues::text($value->{$_}, $depth + 1)
        } sort keys %$value;
        return '{' . join(',', @pairs) . '}';
    }
    return '?';
}

sub VerifierValues::emit {
    my ($index, $values, $reference) = @_;
    my $texts = join(' ', map { VerifierValues::text($_, 0) } @$values);
    exit 3 if $reference && $texts =~ /\?/;
    local $\ = '';
    local $, = '';
    print STDOUT "\n\x1eVERIFIER_VALUE $index $texts\n";
}

my $calls = do { local $/; <STDIN> };
my $file = $ARGV[0];
$calls = "" unless defined $calls;
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
my $finished = $verifier_eval->("package main;\n#line 1 \"tests\"\n$calls\n;1;\n");
unless (defined $finished && $finished eq "1") {
    print STDERR $@ || "the calls did not run to their end\n";
    exit 255;
}
