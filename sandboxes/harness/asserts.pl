# Assert-test driver for Perl programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code; both are read before the
# program loads (the program reads an empty stdin). The program and then the tests are each
# compiled and run by a string eval of their own: an `__END__` or a top-level `return` in the
# program ends only the program, never the tests. The token is printed only when the tests'
# eval ran to its end; `exit` (any status) or a die before that never prints it. A die is a
# runtime error (exit 255), as is a failing test's own `exit 1`.
# The eval is made here, before any lexical of this file exists: the evaluated code cannot
# name the token.
#
# The test library is loaded before the program, and what the program does to it never
# reaches the tests: the packages its comparisons run through (Test::Deep and its comparators,
# Scalar::Util, Exporter, UNIVERSAL...) are recorded (their subs, variables, @ISA, the stash
# entries themselves), and every call the tests make to a Test::Deep function goes through a lexical
# sub of the tests' (which no program can replace or shadow) that first puts all of it back
# as recorded and only then calls the function kept from before the program ran. So a sub
# replaced through a name built at run time (`*{"Test::Deep::" . "descend"} = sub { 1 }`),
# even from inside the function under test while the tests run, is undone before each
# comparison. What the comparisons take from the program is first copied to plain data (a
# tied value answers while it is copied, before the library is put back). Builtins that the
# program overrode (CORE::GLOBAL::exit, an `exit` imported into main) do not reach the tests.
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

require B;
require Scalar::Util;
my ($svref_2object, $gv_flags, $imported_cv) =
    (\&B::svref_2object, \&B::GV::GvFLAGS, B::GVf_IMPORTED_CV());
my ($reftype, $blessed, $refaddr) =
    (\&Scalar::Util::reftype, \&Scalar::Util::blessed, \&Scalar::Util::refaddr);
my %library;    # Test::Deep export -> the sub as loaded
if (eval { require Test::Deep; 1 }) {
    package VerifierPreload;
    Test::Deep->import(':preload');
    no strict 'refs';
    %library = map { ($_ => \&{"Test::Deep::$_"}) } @Test::Deep::EXPORT;
}

# The packages the library's comparisons run through, each with those inside it (name ->
# glob and slots): not main, whose subs are the program's, nor the large ones no comparison
# calls (POSIX, Config, Test2), which would make every call slow.
my @library_packages = qw(
    Test::Deep Test::Builder Scalar::Util List::Util Sub::Util overload overloading Carp
    Exporter UNIVERSAL mro re Regexp utf8 Internals version builtin strict warnings base vars
);
my @recorded;
my $record;
$record = sub {
    my ($package) = @_;
    no strict 'refs';
    no warnings;
    my $stash = \%{"${package}::"};
    my %globs;
    for my $name (keys %$stash) {
        if ($name =~ /\A(.+)::\z/) {
            $record->("${package}::$1");
        } else {
            my $glob = \*{"${package}::$name"};
            my ($scalar, $array, $hash) = (*$glob{SCALAR}, *$glob{ARRAY}, *$glob{HASH});
            # Tied variables (%Config, POSIX's %SIGRT) keep their state in their object.
            next if tied $$scalar;
            $array = undef if $array && tied @$array;
            $hash = undef if $hash && tied %$hash;
            $globs{$name} = [
                $glob, *$glob{CODE}, $scalar, $$scalar,
                $array, $array && [@$array], $hash, $hash && {%$hash},
            ];
        }
    }
    push @recorded, [$package, $stash, \%globs];
};
{
    no strict 'refs';
    $record->($_) for grep { %{"${_}::"} } @library_packages;
}
my @inc_path = @INC;
my %inc_loaded = %INC;
my ($inc_array, $inc_hash) = (\@INC, \%INC);

my $same = sub {
    my ($left, $right) = @_;
    return !defined $right if !defined $left;
    return 0 if !defined $right || ref $left ne ref $right;
    return ref $left ? $refaddr->($left) == $refaddr->($right) : $left eq $right;
};
my $same_items = sub {
    my ($left, $right) = @_;
    return @$left == @$right && !grep { !$same->($left->[$_], $right->[$_]) } 0 .. $#$left;
};
my $same_pairs = sub {
    my ($left, $right) = @_;
    return keys %$left == keys %$right
        && !grep { !exists $left->{$_} || !$same->($left->{$_}, $right->{$_}) } keys %$right;
};
my $restore = sub {
    no strict 'refs';
    no warnings;
    for my $entry (@recorded) {
        my ($package, $stash, $globs) = @$entry;
        exists $globs->{$_} or $_ =~ /::\z/ or delete $stash->{$_} for keys %$stash;
        while (my ($name, $slots) = each %$globs) {
            my ($glob, $code, $scalar, $value, $array, $items, $hash, $pairs) = @$slots;
            $stash->{$name} = *$glob
                unless $refaddr->(\*{"${package}::$name"}) == $refaddr->($glob);
            *$glob = $scalar if $refaddr->(*$glob{SCALAR}) != $refaddr->($scalar);
            $$scalar = $value unless $same->($$scalar, $value);
            if ($array) {
                *$glob = $array if $refaddr->(*$glob{ARRAY} // \0) != $refaddr->($array);
                @$array = @$items unless $same_items->($array, $items);
            }
            if ($hash) {
                *$glob = $hash if $refaddr->(*$glob{HASH} // \0) != $refaddr->($hash);
                %$hash = %$pairs unless $same_pairs->($hash, $pairs);
            }
            if ($code) {
                *$glob = $code unless ($refaddr->(*$glob{CODE} // \0)) == $refaddr->($code);
            } elsif (*$glob{CODE}) {
                undef &{*$glob};
            }
        }
        mro::method_changed_in($package);
    }
    *main::INC = $inc_array;
    *main::INC = $inc_hash;
    @INC = @inc_path;
    %INC = %inc_loaded;
    1;
};

# A copy of what the program handed a comparison, in plain data (blessed as it was).
my $plain;
$plain = sub {
    my ($value, $seen) = @_;
    my $type = $reftype->($value);
    return $value unless defined $type;
    my $address = $refaddr->($value);
    return $seen->{$address} if exists $seen->{$address};
    my $copy;
    if ($type eq 'ARRAY') {
        $copy = $seen->{$address} = [];
        push @$copy, $plain->($_, $seen) for @$value;
    } elsif ($type eq 'HASH') {
        $copy = $seen->{$address} = {};
        $copy->{$_} = $plain->($value->{$_}, $seen) for keys %$value;
    } elsif ($type eq 'SCALAR' || $type eq 'REF') {
        my $inner = $$value;
        $copy = $seen->{$address} = \$inner;
        $inner = $plain->($inner, $seen);
    } else {
        return $value;    # code, glob, regexp: compared as themselves
    }
    my $class = $blessed->($value);
    return defined $class ? bless($copy, $class) : $copy;
};
my $call = sub {
    my $name = shift;
    my @arguments = @_;
    @arguments = ($plain->($arguments[0], {}), @arguments[1 .. $#arguments])
        if @arguments && $name =~ /\A(?:eq|cmp)_/;
    local $SIG{__WARN__};
    local $SIG{__DIE__};
    $restore->() or die "asserts.pl: the test library could not be put back\n";
    return $library{$name}->(@arguments);
};
my $preamble = "package main;\nmy \$verifier_library_call = \$_[1];\n"
    . join("", map { "my sub $_ { \$verifier_library_call->('$_', \@_) }\n" } sort keys %library);

$verifier_eval->("package main;\n#line 1 \"$file\"\n$program\n");
if ($@) {
    print STDERR $@;
    exit 255;
}
# Overrides of builtins the program installed (CORE::GLOBAL::exit, or a sub imported into
# main under a builtin's name, which calls compiled after it would reach) do not reach the
# tests.
delete $CORE::GLOBAL::{$_} for keys %CORE::GLOBAL::;
for my $name (keys %main::) {
    next unless $name =~ /\A\w+\z/ && eval { prototype "CORE::$name"; 1 };
    my $glob = \*{"main::$name"};
    next unless *$glob{CODE} && $gv_flags->($svref_2object->($glob)) & $imported_cv;
    my @slots = grep { defined } (*$glob{SCALAR}, *$glob{ARRAY}, *$glob{HASH});
    delete $main::{$name};
    *{"main::$name"} = $_ for @slots;
}
unless (eval { $restore->() }) {
    print STDERR "asserts.pl: the test library could not be put back: $@";
    exit 255;
}
my $finished = $verifier_eval->("$preamble#line 1 \"tests\"\n$tests\n;1;\n", $call);
unless (defined $finished && $finished eq "1") {
    print STDERR $@ || "the tests did not run to their end\n";
    exit 255;
}
print STDOUT "\n\x1eVERIFIER_DONE $token\n";
