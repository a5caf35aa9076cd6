"""Every language of sandboxes/languages.toml, judged end to end through the HTTP API.

Each language has two programs: a solution of "print the sum of two integers" with planted
faults selected by its input (2 2 prints 5, 3 3 exits with status 3, 4 4 spins forever), and
a broken one that does not compile (or, with no compile step, does not parse). The one
solution gives the accepted, wrong_answer, runtime_error and time_limit verdicts and, fenced
under each alias without a `language`, shows the fence tag names the language; so each
language compiles twice. Every item goes out in one batch, which the service judges in
parallel.
"""

from __future__ import annotations

import json
import textwrap
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import RunningServer

LANGUAGES_FILE = Path(__file__).resolve().parents[2] / "sandboxes" / "languages.toml"
BATCH_TIMEOUT_S = 600
LIMITS = {"time_s": 2, "memory_mb": 256}
TIME_LIMIT_LIMITS = {"time_s": 1, "memory_mb": 256}
ACCEPTED_CASES = [
    {"stdin": "1 2\n", "stdout": "3\n"},
    {"stdin": "-7 7\n", "stdout": "0\n"},
    {"stdin": "1000000000 1000000000\n", "stdout": "2000000000\n"},
    {"stdin": "  40\n  2  \n", "stdout": "42\n"},
]
WRONG_ANSWER_CASES = [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "2 2\n", "stdout": "4\n"}]
RUNTIME_ERROR_CASES = [{"stdin": "3 3\n", "stdout": "6\n"}]
TIME_LIMIT_CASES = [{"stdin": "4 4\n", "stdout": "8\n"}]
PLANTED_EXIT_CODE = 3


def _declared() -> dict[str, dict[str, Any]]:
    with LANGUAGES_FILE.open("rb") as handle:
        tables: dict[str, dict[str, Any]] = tomllib.load(handle)["languages"]
    return tables


DECLARED = _declared()
LANGUAGES = sorted(DECLARED)


@dataclass(frozen=True)
class Programs:
    solution: str  # the sum of two integers, with the planted faults
    broken: str  # a compile error, or a syntax error where nothing compiles


def _program(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PYTHON = Programs(
    solution=_program(
        r"""
        import sys

        a, b = map(int, sys.stdin.read().split())
        if (a, b) == (2, 2):
            print(5)
        elif (a, b) == (3, 3):
            sys.exit(3)
        elif (a, b) == (4, 4):
            while True:
                pass
        else:
            print(a + b)
        """
    ),
    broken="print(int(input()) +)\n",
)

PROGRAMS: dict[str, Programs] = {
    "python": PYTHON,
    "pypy": PYTHON,
    "c": Programs(
        solution=_program(
            r"""
            #include <stdio.h>

            int main(void) {
                long long a, b;
                if (scanf("%lld %lld", &a, &b) != 2) return 1;
                if (a == 2 && b == 2) { puts("5"); return 0; }
                if (a == 3 && b == 3) return 3;
                if (a == 4 && b == 4) { volatile unsigned long n = 0; for (;;) n = n + 1; }
                printf("%lld\n", a + b);
                return 0;
            }
            """
        ),
        broken="int main(void) { return undeclared; }\n",
    ),
    "cpp": Programs(
        solution=_program(
            r"""
            #include <bits/stdc++.h>
            using namespace std;

            int main() {
                long long a, b;
                cin >> a >> b;
                if (a == 2 && b == 2) { cout << 5 << '\n'; return 0; }
                if (a == 3 && b == 3) exit(3);
                if (a == 4 && b == 4) { volatile unsigned long n = 0; for (;;) n = n + 1; }
                cout << a + b << '\n';
            }
            """
        ),
        broken="#include <vector>\nint main() { std::vector<int> v; v.push_bak(1); }\n",
    ),
    # Defaulted operator<=> (and the == it brings) is C++20: `cpp` (C++17) must reject it.
    "cpp20": Programs(
        solution=_program(
            r"""
            #include <bits/stdc++.h>

            struct Pair {
                long long a, b;
                auto operator<=>(const Pair&) const = default;
            };

            int main() {
                Pair p{};
                std::cin >> p.a >> p.b;
                if (p == Pair{2, 2}) { std::cout << 5 << '\n'; return 0; }
                if (p == Pair{3, 3}) std::exit(3);
                if (p == Pair{4, 4}) { volatile unsigned long n = 0; for (;;) n = n + 1; }
                std::cout << p.a + p.b << '\n';
            }
            """
        ),
        broken="#include <concepts>\nstatic_assert(std::same_as<int, long>);\nint main() {}\n",
    ),
    # The public class is not Main: the file must be named after it.
    "java": Programs(
        solution=_program(
            r"""
            import java.util.Scanner;

            public class Solution {
                public static void main(String[] args) {
                    Scanner in = new Scanner(System.in);
                    long a = in.nextLong(), b = in.nextLong();
                    if (a == 2 && b == 2) { System.out.println(5); return; }
                    if (a == 3 && b == 3) System.exit(3);
                    if (a == 4 && b == 4) while (true) {}
                    System.out.println(a + b);
                }
            }
            """
        ),
        broken=_program(
            r"""
            public class Main {
                public static void main(String[] args) { int x = "three"; }
            }
            """
        ),
    ),
    "javascript": Programs(
        solution=_program(
            r"""
            const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
            if (a === 2 && b === 2) console.log(5);
            else if (a === 3 && b === 3) process.exit(3);
            else if (a === 4 && b === 4) for (;;) {}
            else console.log(a + b);
            """
        ),
        broken="console.log(1 +);\n",
    ),
    # A type error is a compile error: tsc type-checks.
    "typescript": Programs(
        solution=_program(
            r"""
            import * as fs from "fs";

            const [a, b]: number[] = fs.readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
            if (a === 2 && b === 2) {
              console.log(5);
            } else if (a === 3 && b === 3) {
              process.exit(3);
            } else if (a === 4 && b === 4) {
              for (;;) {}
            } else {
              console.log(a + b);
            }
            """
        ),
        broken='const total: number = "three";\nconsole.log(total);\n',
    ),
    "go": Programs(
        solution=_program(
            r"""
            package main

            import (
                "fmt"
                "os"
            )

            func main() {
                var a, b int64
                fmt.Scan(&a, &b)
                switch {
                case a == 2 && b == 2:
                    fmt.Println(5)
                case a == 3 && b == 3:
                    os.Exit(3)
                case a == 4 && b == 4:
                    for {
                    }
                default:
                    fmt.Println(a + b)
                }
            }
            """
        ),
        broken="package main\n\nfunc main() {\n\tunused := 1\n}\n",
    ),
    "rust": Programs(
        solution=_program(
            r"""
            use std::io::Read;

            fn main() {
                let mut input = String::new();
                std::io::stdin().read_to_string(&mut input).unwrap();
                let v: Vec<i64> = input.split_whitespace().map(|x| x.parse().unwrap()).collect();
                let (a, b) = (v[0], v[1]);
                if a == 2 && b == 2 {
                    println!("5");
                } else if a == 3 && b == 3 {
                    std::process::exit(3);
                } else if a == 4 && b == 4 {
                    loop {}
                } else {
                    println!("{}", a + b);
                }
            }
            """
        ),
        broken='fn main() {\n    let x: i32 = "three";\n}\n',
    ),
    "ruby": Programs(
        solution=_program(
            r"""
            a, b = $stdin.read.split.map(&:to_i)
            if a == 2 && b == 2
              puts 5
            elsif a == 3 && b == 3
              exit 3
            elsif a == 4 && b == 4
              loop {}
            else
              puts a + b
            end
            """
        ),
        broken="puts(1 +)\n",
    ),
    "php": Programs(
        solution=_program(
            r"""
            <?php
            [$a, $b] = array_map('intval', preg_split('/\s+/', trim(stream_get_contents(STDIN))));
            if ($a === 2 && $b === 2) {
                echo 5, "\n";
            } elseif ($a === 3 && $b === 3) {
                exit(3);
            } elseif ($a === 4 && $b === 4) {
                while (true) {}
            } else {
                echo $a + $b, "\n";
            }
            """
        ),
        broken="<?php\necho 1 +;\n",
    ),
    "perl": Programs(
        solution=_program(
            r"""
            use strict;
            use warnings;

            my ($x, $y) = split ' ', do { local $/; <STDIN> };
            if ($x == 2 && $y == 2) { print "5\n"; }
            elsif ($x == 3 && $y == 3) { exit 3; }
            elsif ($x == 4 && $y == 4) { 1 while 1; }
            else { print $x + $y, "\n"; }
            """
        ),
        broken="print 1 +;\n",
    ),
    "lua": Programs(
        solution=_program(
            r"""
            local a, b = io.read("n", "n")
            if a == 2 and b == 2 then
              print(5)
            elseif a == 3 and b == 3 then
              os.exit(3)
            elseif a == 4 and b == 4 then
              while true do end
            else
              print(math.tointeger(a + b))
            end
            """
        ),
        broken="print(1 +)\n",
    ),
    "bash": Programs(
        solution=_program(
            r"""
            read -r -d '' a b || true
            if (( a == 2 && b == 2 )); then
              echo 5
            elif (( a == 3 && b == 3 )); then
              exit 3
            elif (( a == 4 && b == 4 )); then
              while :; do :; done
            else
              echo $(( a + b ))
            fi
            """
        ),
        broken="if then fi\n",
    ),
    "haskell": Programs(
        solution=_program(
            r"""
            import System.Exit

            spin :: Int -> Int
            spin n = if n < 0 then n else spin (n + 1)

            main :: IO ()
            main = do
              [a, b] <- map read . words <$> getContents :: IO [Integer]
              case (a, b) of
                (2, 2) -> putStrLn "5"
                (3, 3) -> exitWith (ExitFailure 3)
                (4, 4) -> print (spin 1)
                _ -> print (a + b)
            """
        ),
        broken="main :: IO ()\nmain = putStrLn 42\n",
    ),
    "ocaml": Programs(
        solution=_program(
            r"""
            let () =
              Scanf.scanf " %d %d" (fun a b ->
                  if a = 2 && b = 2 then print_endline "5"
                  else if a = 3 && b = 3 then exit 3
                  else if a = 4 && b = 4 then
                    while true do () done
                  else Printf.printf "%d\n" (a + b))
            """
        ),
        broken="let () = print_endline 42\n",
    ),
    "csharp": Programs(
        solution=_program(
            r"""
            using System;

            class Program {
                static void Main() {
                    var parts = Console.In.ReadToEnd()
                        .Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
                    long a = long.Parse(parts[0]), b = long.Parse(parts[1]);
                    if (a == 2 && b == 2) Console.WriteLine(5);
                    else if (a == 3 && b == 3) Environment.Exit(3);
                    else if (a == 4 && b == 4) while (true) {}
                    else Console.WriteLine(a + b);
                }
            }
            """
        ),
        broken='class Program { static void Main() { int x = "three"; } }\n',
    ),
    "kotlin": Programs(
        solution=_program(
            r"""
            import kotlin.system.exitProcess

            fun main() {
                val input = generateSequence(::readLine).joinToString(" ").trim()
                val (a, b) = input.split(Regex("\\s+")).map { it.toLong() }
                when {
                    a == 2L && b == 2L -> println(5)
                    a == 3L && b == 3L -> exitProcess(3)
                    a == 4L && b == 4L -> { while (true) {} }
                    else -> println(a + b)
                }
            }
            """
        ),
        broken='fun main() {\n    val x: Int = "three"\n}\n',
    ),
    # The object is not Main: the class that runs is the one holding `main`.
    "scala": Programs(
        solution=_program(
            r"""
            object Solution {
              def main(args: Array[String]): Unit = {
                val Array(a, b) = scala.io.Source.stdin.mkString.trim.split("\\s+").map(_.toLong)
                if (a == 2 && b == 2) println(5)
                else if (a == 3 && b == 3) sys.exit(3)
                else if (a == 4 && b == 4) while (true) {}
                else println(a + b)
              }
            }
            """
        ),
        broken=_program(
            r"""
            object Main {
              def main(args: Array[String]): Unit = { val x: Int = "three" }
            }
            """
        ),
    ),
    "r": Programs(
        solution=_program(
            r"""
            x <- scan(file("stdin"), what = numeric(), quiet = TRUE)
            a <- x[1]
            b <- x[2]
            if (a == 2 && b == 2) {
              cat("5\n")
            } else if (a == 3 && b == 3) {
              quit(status = 3)
            } else if (a == 4 && b == 4) {
              repeat {}
            } else {
              cat(sprintf("%.0f\n", a + b))
            }
            """
        ),
        broken="cat(1 +)\n",
    ),
    "racket": Programs(
        solution=_program(
            r"""
            #lang racket/base
            (define a (read))
            (define b (read))
            (cond
              [(and (= a 2) (= b 2)) (displayln 5)]
              [(and (= a 3) (= b 3)) (exit 3)]
              [(and (= a 4) (= b 4)) (let loop () (loop))]
              [else (displayln (+ a b))])
            """
        ),
        broken="#lang racket/base\n(displayln (+ 1 2)\n",
    ),
    "d": Programs(
        solution=_program(
            r"""
            import core.stdc.stdlib : exit;
            import std.stdio;

            void main() {
                long a, b;
                readf(" %d %d", &a, &b);
                if (a == 2 && b == 2) writeln(5);
                else if (a == 3 && b == 3) exit(3);
                else if (a == 4 && b == 4) {
                    for (ulong n = 0;; ++n) if (n == ulong.max) writeln(n);
                }
                else writeln(a + b);
            }
            """
        ),
        broken='void main() { int x = "three"; }\n',
    ),
    "fortran": Programs(
        solution=_program(
            r"""
            program main
              implicit none
              integer(8) :: a, b
              read (*, *) a, b
              if (a == 2 .and. b == 2) then
                print '(I0)', 5
              else if (a == 3 .and. b == 3) then
                stop 3
              else if (a == 4 .and. b == 4) then
                do
                end do
              else
                print '(I0)', a + b
              end if
            end program main
            """
        ),
        broken="program main\n  integer :: x\n  x = 'three'\nend program main\n",
    ),
    "nim": Programs(
        solution=_program(
            r"""
            import strutils

            let xs = stdin.readAll().splitWhitespace()
            let a = parseBiggestInt(xs[0])
            let b = parseBiggestInt(xs[1])
            if a == 2 and b == 2:
              echo 5
            elif a == 3 and b == 3:
              quit(3)
            elif a == 4 and b == 4:
              while true:
                discard
            else:
              echo a + b
            """
        ),
        broken='let x: int = "three"\n',
    ),
    "commonlisp": Programs(
        solution=_program(
            r"""
            (let ((a (read)) (b (read)))
              (cond ((and (= a 2) (= b 2)) (format t "5~%"))
                    ((and (= a 3) (= b 3)) (sb-ext:exit :code 3))
                    ((and (= a 4) (= b 4)) (loop))
                    (t (format t "~D~%" (+ a b)))))
            """
        ),
        broken='(format t "~D~%" (+ 1 2)\n',
    ),
}


# Idioms of real solutions that depend on how the sandbox is laid out, each an accepted program.
IDIOMS: dict[str, tuple[str, str]] = {
    "python-reads-dev-stdin": (
        "python",
        'print(sum(map(int, open("/dev/stdin").read().split())))\n',
    ),
    "javascript-reads-dev-stdin": (
        "javascript",
        'const xs = require("fs").readFileSync("/dev/stdin", "utf8").trim().split(/\\s+/);\n'
        "console.log(xs.map(Number).reduce((x, y) => x + y));\n",
    ),
    # Codeforces-style solutions read input.txt unless ONLINE_JUDGE is defined.
    "cpp-online-judge": (
        "cpp",
        _program(
            r"""
            #include <bits/stdc++.h>

            int main() {
            #ifndef ONLINE_JUDGE
                freopen("input.txt", "r", stdin);
            #endif
                long long a, b;
                std::cin >> a >> b;
                std::cout << a + b << '\n';
            }
            """
        ),
    ),
}


def _fenced(tag: str, code: str) -> str:
    return f"Here is my solution.\n\n```{tag}\n{code}```\n"


def _item(
    item_id: str,
    language: str | None,
    code: str,
    cases: list[dict[str, str]],
    *,
    fence: str,
    limits: dict[str, int] = LIMITS,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "task": "code",
        "id": item_id,
        "response": _fenced(fence, code),
        "tests": {"kind": "stdio", "cases": cases},
        "limits": limits,
    }
    if language is not None:
        item["language"] = language
    return item


def _aliases(language: str) -> list[str]:
    return sorted({language, *(str(alias) for alias in DECLARED[language]["aliases"])})


def _items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name in LANGUAGES:
        programs = PROGRAMS.get(name)
        if programs is None:
            continue
        solution = programs.solution
        items += [
            _item(f"{name}/accepted", name, solution, ACCEPTED_CASES, fence=name),
            _item(f"{name}/wrong_answer", name, solution, WRONG_ANSWER_CASES, fence=name),
            _item(f"{name}/runtime_error", name, solution, RUNTIME_ERROR_CASES, fence=name),
            _item(
                f"{name}/time_limit",
                name,
                solution,
                TIME_LIMIT_CASES,
                fence=name,
                limits=TIME_LIMIT_LIMITS,
            ),
            _item(f"{name}/broken", name, programs.broken, ACCEPTED_CASES[:1], fence=name),
        ]
        # No `language`: the fence tag alone names it, under every alias.
        items += [
            _item(f"{name}/alias/{alias}", None, solution, ACCEPTED_CASES[:1], fence=alias)
            for alias in _aliases(name)
        ]
    items += [
        _item(f"idiom/{idiom}", language, code, ACCEPTED_CASES, fence=language)
        for idiom, (language, code) in IDIOMS.items()
    ]
    if "cpp" in DECLARED and "cpp20" in PROGRAMS:
        items.append(
            _item(
                "cpp/rejects-cpp20",
                "cpp",
                PROGRAMS["cpp20"].solution,
                ACCEPTED_CASES[:1],
                fence="cpp",
            )
        )
    return items


@pytest.fixture(scope="module")
def verdicts(server: RunningServer) -> Iterator[dict[str, dict[str, Any]]]:
    """Every item of this module, judged in one batch: result by item id."""
    items = _items()
    with httpx.Client(base_url=server.base_url, timeout=BATCH_TIMEOUT_S) as http:
        response = http.post("/v1/verify", json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert [result["id"] for result in results] == [item["id"] for item in items]
    yield {str(result["id"]): result for result in results}


def _result(verdicts: dict[str, dict[str, Any]], language: str, check: str) -> dict[str, Any]:
    assert language in PROGRAMS, f"no test programs for {language}: add them to PROGRAMS"
    return verdicts[f"{language}/{check}"]


def _describe(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=1)


def _test_verdicts(result: dict[str, Any]) -> list[str]:
    return [test["verdict"] for test in result["tests"]]


def test_every_declared_language_has_programs() -> None:
    assert sorted(PROGRAMS) == LANGUAGES


def test_every_declared_language_is_installed(client: httpx.Client) -> None:
    response = client.get("/v1/languages")
    assert response.status_code == 200, response.text
    listed = {entry["name"]: entry for entry in response.json()["languages"]}
    missing = [name for name in LANGUAGES if name not in listed]
    assert not missing, f"declared but their toolchain did not answer in the jail: {missing}"
    for name in LANGUAGES:
        assert listed[name]["version"].strip(), name
        assert set(_aliases(name)) <= set(listed[name]["aliases"]), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_accepted(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    result = _result(verdicts, language, "accepted")
    assert result["verdict"] == "accepted", _describe(result)
    assert result["reward"] == 1.0
    assert result["language"] == language
    assert _test_verdicts(result) == ["accepted"] * len(ACCEPTED_CASES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_answer(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    result = _result(verdicts, language, "wrong_answer")
    assert result["verdict"] == "wrong_answer", _describe(result)
    assert result["reward"] == 0.0
    assert _test_verdicts(result) == ["accepted", "wrong_answer"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_runtime_error(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    result = _result(verdicts, language, "runtime_error")
    assert result["verdict"] == "runtime_error", _describe(result)
    assert result["reward"] == 0.0
    assert _test_verdicts(result) == ["runtime_error"]
    assert result["tests"][0]["exit_code"] == PLANTED_EXIT_CODE


@pytest.mark.parametrize("language", LANGUAGES)
def test_time_limit(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    result = _result(verdicts, language, "time_limit")
    assert result["verdict"] == "time_limit", _describe(result)
    assert result["reward"] == 0.0
    assert _test_verdicts(result) == ["time_limit"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_broken_program(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    """A compile error where the language compiles; otherwise the syntax error fails the run."""
    result = _result(verdicts, language, "broken")
    assert result["reward"] == 0.0
    if "compile" in DECLARED[language]:
        assert result["verdict"] == "compile_error", _describe(result)
        assert result["reason"].strip(), "a compile error carries the compiler's message"
    else:
        assert result["verdict"] == "runtime_error", _describe(result)
        assert _test_verdicts(result) == ["runtime_error"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_fence_tag_names_the_language(verdicts: dict[str, dict[str, Any]], language: str) -> None:
    for alias in _aliases(language):
        result = _result(verdicts, language, f"alias/{alias}")
        assert result["verdict"] == "accepted", f"{alias}: {_describe(result)}"
        assert result["language"] == language, alias


def test_cpp17_rejects_cpp20_code(verdicts: dict[str, dict[str, Any]]) -> None:
    result = verdicts["cpp/rejects-cpp20"]
    assert result["verdict"] == "compile_error", _describe(result)


@pytest.mark.parametrize("idiom", sorted(IDIOMS))
def test_common_idioms(verdicts: dict[str, dict[str, Any]], idiom: str) -> None:
    result = verdicts[f"idiom/{idiom}"]
    assert result["verdict"] == "accepted", _describe(result)
