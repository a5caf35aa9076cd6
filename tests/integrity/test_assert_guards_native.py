"""The assert tests' completion guard in Lua, Perl, Java, C/C++, Rust and Go, through the real
server (warm and fresh jails), with the assert-to-call conversion off so that every item takes
the guarded path (the path that test code which cannot become calls still takes).

Each attack is a wrong program that tries to pass anyway: by replacing the test library under
a name built at run time (Lua, Perl), from the function under test while the tests run, by
turning Java's assertions off for the tests' class, or by reading the one-time token from
inside its own process (stdio's buffer, the heap, its stdin) and printing it without the tests
having run. Each must earn 0; the honest programs beside them must earn 1.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

LUA_TESTS = """\
lu = require('luaunit')

function test_humaneval()
local candidate = add
    lu.assertEquals(candidate(1, 2), 3)
    lu.assertEquals(candidate(20, 2), 22)
end

os.exit(lu.LuaUnit.run())
"""
LUA_ADD = "local function add(a, b)\n    return a + b\nend\n"
LUA_HELPER = (
    "function string:twice()\n    return self .. self\nend\n"
    "local function add(a, b)\n    local sum = tostring(a + b)\n"
    "    return tonumber(sum:twice():sub(1, #sum))\nend\n"
)
# The library's name built at run time: the old text refusal of `luaunit` missed it.
LUA_BUILT_NAME = """\
local library = require('lua' .. 'unit')
library.assertEquals = function() end
library.LuaUnit.run = function() return 0 end
local function add(a, b)
    return 0
end
"""
# From inside the function under test, while the tests run: luaunit raises its failures with
# the global `error`, which the program silences after the first assertion has begun.
LUA_DURING_TESTS = """\
function add(a, b)
    error = function() end
    local library = require('lua' .. 'unit')
    library.assertEquals = function() end
    return 0
end
"""
# A local of the program's own, which the tests would see as theirs in one chunk.
LUA_SHADOW = """\
local fake = {assertEquals = function() end, LuaUnit = {run = function() return 0 end}}
local require = function() return fake end
local type = function() return 'number' end
local function add(a, b)
    return 0
end
"""

PERL_TESTS = """\
use Test::Deep;


sub testhumaneval {
    my $candidate = \\&add;
        if(eq_deeply($candidate->(1, 2),3)) {
        print "ok!" }else{
        exit 1;
        }
        if(eq_deeply($candidate->(20, 2),22)) {
        print "ok!" }else{
        exit 1;
        }
}

testhumaneval();
"""
PERL_ADD = "sub add {\n    my ($a, $b) = @_;\n    return $a + $b;\n}\n"
PERL_BUILT_NAME = """\
{
    no strict 'refs';
    no warnings;
    *{"Test::Deep::" . "eq_deeply"} = sub { 1 };
    *{"Test::Deep::" . "cmp_details"} = sub { (1) };
}
sub add { return 0 }
"""
PERL_DURING_TESTS = """\
sub add {
    no strict 'refs';
    no warnings;
    my $library = "Test::" . "Deep";
    *{"${library}::descend"} = sub { 1 };
    *{"${library}::Shallow::descend"} = sub { 1 };
    ${"${library}::LeafWrapper"} = sub { &{"${library}::ignore"}() };
    *{"main::eq_" . "deeply"} = sub { 1 };
    return 0;
}
"""
# `exit` imported into main (a sub assigned from another package) overrides the builtin in
# code compiled after it, such as the tests' `exit 1`.
PERL_IMPORTED_EXIT = """\
BEGIN { package Elsewhere; no strict 'refs'; *{"main::" . "exit"} = sub { 1 }; }
sub add { return 0 }
"""
PERL_FAKE_MODULE = """\
BEGIN {
    my $name = "Te" . "st";
    delete $INC{"$name/Deep.pm"};
    $INC{"$name/Deep.pm"} = 1;
    no strict 'refs';
    no warnings;
    *{"${name}::Deep::import"} = sub { *{"main::eq_" . "deeply"} = sub { 1 } };
}
sub add { return 0 }
"""

JAVA_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
        String note = "assert false;"; // assert false;
        for (int i = 0; i < 2; i++) {
            assert(add(i, 2) == i + 2);
        }
        assert add(20, 2) == 22 : "assert 20 + 2";
        if (args.length > 99) assert false; else assert add(1, 1) == 2;
        java.util.List<?> none = java.util.List.of();
        assert none.isEmpty() ? add(0, 0) == 0 : false : "a ternary, then the message";
        assert java.util.stream.Stream.of(1).map(String::valueOf).count() == add(0, 1);
    }
}
"""
JAVA_ADD = "class Problem {\n    static int add(int a, int b) { return a + b; }\n}\n"
# The tests' class extends the program's: its static initializer runs first and turns
# assertions off for the tests' class before that class is initialized.
JAVA_ASSERTIONS_OFF = """\
class Problem {
    static {
        ClassLoader loader = Problem.class.getClassLoader();
        loader.setDefaultAssertionStatus(false);
        loader.setClassAssertionStatus("VerifierTests", false);
        loader.setPackageAssertionStatus(null, false);
    }
    static int add(int a, int b) { return 0; }
}
"""

CPP_TESTS = """\
#include <cassert>
int main() {
    for (long i = 0; i < 2; i++) {
        assert(add(i, 2) == i + 2);
    }
}
"""
CPP_ADD = "long add(long a, long b) { return a + b; }\n"
# The token read with scanf before the tests stayed in stdio's buffer, a public field of FILE.
CPP_STDIO_BUFFER = """\
#include <cstdio>
#include <cstdlib>
#include <cstring>
long add(long a, long b) {
    char token[128] = {0};
    if (stdin->_IO_read_base != nullptr) {
        std::strncpy(token, stdin->_IO_read_base, 32);
    } else if (std::scanf("%127s", token) != 1) {
        token[0] = 0;
    }
    std::printf("\\n\\036VERIFIER_DONE %s\\n", token);
    std::fflush(stdout);
    std::_Exit(0);
}
"""
C_TESTS = (
    "#include <assert.h>\nint main(void) {\n    int two = 2;\n    assert(add(1, two) == 3);\n}\n"
)
# Had the token been read after the tests, the program's own read of stdin would get it.
C_READS_STDIN = """\
#include <stdio.h>
#include <stdlib.h>
int add(int a, int b) {
    char token[128] = {0};
    if (scanf("%127s", token) == 1) {
        printf("\\n\\036VERIFIER_DONE %s\\n", token);
        fflush(stdout);
        _Exit(0);
    }
    return 0;
}
"""

RUST_TESTS = "fn main() {\n    for i in 0..2 {\n        assert_eq!(add(i, 2), i + 2);\n    }\n}\n"
RUST_ADD = "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"
# The token read through std::io::stdin() stayed in its process-wide buffer on the heap.
RUST_HEAP_SCAN = """\
use std::io::{Read, Seek, SeekFrom};

fn token_in(bytes: &[u8]) -> Option<String> {
    let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    for start in 0..bytes.len().saturating_sub(33) {
        let window = &bytes[start..start + 33];
        if window[32] == b'\\n' && window[..32].iter().all(|&b| hex(b))
            && (start == 0 || !hex(bytes[start - 1]))
        {
            return Some(String::from_utf8_lossy(&window[..32]).into_owned());
        }
    }
    None
}

fn add(_a: i64, _b: i64) -> i64 {
    let mut input = String::new();
    let _ = std::io::stdin().read_line(&mut input);
    let mut found = if input.trim().len() == 32 { Some(input.trim().to_string()) } else { None };
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    let mut memory = std::fs::File::open("/proc/self/mem").ok();
    for line in maps.lines().filter(|line| line.ends_with("[heap]")) {
        let range = line.split_whitespace().next().unwrap_or("0-0");
        let (start, end) = range.split_once('-').unwrap_or(("0", "0"));
        let start = u64::from_str_radix(start, 16).unwrap_or(0);
        let end = u64::from_str_radix(end, 16).unwrap_or(0);
        if let Some(file) = memory.as_mut() {
            let mut bytes = vec![0u8; (end - start) as usize];
            if file.seek(SeekFrom::Start(start)).is_ok() && file.read_exact(&mut bytes).is_ok() {
                found = found.or_else(|| token_in(&bytes));
            }
        }
    }
    print!("\\n\\x1eVERIFIER_DONE {}\\n", found.unwrap_or_default());
    std::process::exit(0);
}
"""

GO_TESTS = """\
func TestAdd(t *testing.T) {
	for i := 0; i < 2; i++ {
		if add(i, 2) != i+2 {
			t.Errorf("add(%d, 2)", i)
		}
	}
}
"""
GO_HEAD = 'package add_test\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n\t"testing"\n)\n\n'
GO_ADD = (
    GO_HEAD
    + "var _ = bufio.NewReader\nvar _ = fmt.Sprint\nvar _ = os.Args\n\n"
    + ("func add(a, b int) int {\n\treturn a + b\n}\n")
)
# A variable of the program's that the function under test uses: were the guard's first
# variable to depend on the tests (and so on it), this one would be initialized first and
# read the token before the guard.
GO_VARIABLE_READS_STDIN = (
    GO_HEAD
    + """\
var stolen = steal()

func steal() string {
	line, _ := bufio.NewReader(os.Stdin).ReadString('\\n')
	if len(line) > 1 {
		fmt.Print("\\n\\x1eVERIFIER_DONE " + line)
		os.Exit(0)
	}
	return line
}

func add(a, b int) int {
	_ = stolen
	return 0
}
"""
)
# The guard's start signal, sent by the program itself: it only runs the same tests sooner.
GO_EARLY_START = (
    GO_HEAD
    + """\
var _ = bufio.NewReader
var _ = fmt.Sprint
var _ = os.Args

func init() {
	go func() { verifier_start <- struct{}{} }()
}

func add(a, b int) int {
	return 0
}
"""
)

# Room for a loaded machine: a run past its wall clock would read as a time limit.
LIMITS = {"time_s": 10}

# name -> (language, program, tests, verdict)
CASES: dict[str, tuple[str, str, str, str]] = {
    "lua-honest": ("lua", LUA_ADD, LUA_TESTS, "accepted"),
    "lua-string-helper": ("lua", LUA_HELPER, LUA_TESTS, "accepted"),
    "lua-built-name": ("lua", LUA_BUILT_NAME, LUA_TESTS, "runtime_error"),
    "lua-during-tests": ("lua", LUA_DURING_TESTS, LUA_TESTS, "runtime_error"),
    "lua-shadowing-locals": ("lua", LUA_SHADOW, LUA_TESTS, "runtime_error"),
    "perl-honest": ("perl", PERL_ADD, PERL_TESTS, "accepted"),
    "perl-built-name": ("perl", PERL_BUILT_NAME, PERL_TESTS, "runtime_error"),
    "perl-during-tests": ("perl", PERL_DURING_TESTS, PERL_TESTS, "runtime_error"),
    "perl-imported-exit": ("perl", PERL_IMPORTED_EXIT, PERL_TESTS, "runtime_error"),
    "perl-fake-module": ("perl", PERL_FAKE_MODULE, PERL_TESTS, "runtime_error"),
    "java-honest": ("java", JAVA_ADD, JAVA_TESTS, "accepted"),
    "java-assertions-off": ("java", JAVA_ASSERTIONS_OFF, JAVA_TESTS, "runtime_error"),
    "cpp-honest": ("cpp", CPP_ADD, CPP_TESTS, "accepted"),
    "cpp-stdio-buffer": ("cpp", CPP_STDIO_BUFFER, CPP_TESTS, "wrong_answer"),
    "c-reads-stdin": ("c", C_READS_STDIN, C_TESTS, "runtime_error"),
    "rust-honest": ("rust", RUST_ADD, RUST_TESTS, "accepted"),
    "rust-heap-scan": ("rust", RUST_HEAP_SCAN, RUST_TESTS, "wrong_answer"),
    "go-honest": ("go", GO_ADD, GO_TESTS, "accepted"),
    "go-variable-reads-stdin": ("go", GO_VARIABLE_READS_STDIN, GO_TESTS, "runtime_error"),
    "go-early-start": ("go", GO_EARLY_START, GO_TESTS, "runtime_error"),
}


@pytest.fixture(scope="module")
def results(guarded_judge: Judge) -> dict[str, dict[str, Any]]:
    """Every case judged in one batch by a server that never converts assert tests."""
    return guarded_judge(assert_items(CASES, limits=LIMITS))


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][3])
