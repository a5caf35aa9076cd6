"""Which Rust programs assert tests refuse as able to run code before `main`: the attributes
(wherever an attribute can carry them), not a variable of the same name."""

from __future__ import annotations

import pytest

from verifier_service.code.rust_refusals import rust_before_main

ADD = "fn add(a: i64, b: i64) -> i64 { a + b }\n"


@pytest.mark.parametrize(
    ("program", "refused"),
    [
        ('#[no_mangle]\npub extern "C" fn f() {}\n', "no_mangle"),
        ('#[unsafe(no_mangle)]\npub extern "C" fn f() {}\n', "no_mangle"),
        ('# [ export_name = "    " ]\npub fn f() {}\n', "export_name"),
        ('#[cfg_attr(all(), link_section = "    ")]\nstatic X: u8 = 0;\n', "link_section"),
        (
            '#![allow(dead_code)]\n#[used]\n#[link_section = "    "]\nstatic X: u8 = 0;\n',
            "link_section",
        ),
        ("use std::arch::global_asm as assembly;\n", "global_asm"),
        ("macro_rules! m { ($a:meta) => { #[$a] fn f() {} } }\nm!(no_mangle);\n", "no_mangle"),
        ('macro_rules! m { ($h:tt) => { $h [export_name = "  "] fn f() {} } }\n', "export_name"),
    ],
)
def test_a_way_to_run_before_main_is_refused(program: str, refused: str) -> None:
    assert rust_before_main(program + ADD) == refused


@pytest.mark.parametrize(
    "program",
    [
        "fn add(a: i64, b: i64) -> i64 {\n    let no_mangle = a + b;\n    no_mangle\n}\n",
        "struct Symbol { export_name: String, link_section: u8 }\n" + ADD,
        "#[derive(Debug, Clone)]\nstruct P { no_mangle: [u8; 2] }\n" + ADD,
        "#[inline]\nfn f(x: [i64; 3]) -> i64 { let no_mangle = x[0]; no_mangle }\n" + ADD,
    ],
)
def test_a_name_that_is_no_attribute_is_not_refused(program: str) -> None:
    assert rust_before_main(program) is None
