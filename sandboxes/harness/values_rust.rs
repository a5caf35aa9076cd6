// Value serializer for Rust assert tests judged as calls (verifier_service/code/conversion/
// rust.py). The candidate (the program, its `main` renamed, then a generated `main`) and the
// reference (the tests' expected expressions alone) both print each value through
// `verifier_emit!` as a line `\x1eVERIFIER_VALUE <index> <json>`: a tagged JSON text that the
// service compares as `assert_eq!` would (conversion/tagged.py). Only the standard library's
// types are written; a value of any other type (or holding one) is ["opaque"], which equals
// nothing, so no `PartialEq` or `Debug` of the program's own is ever called. The generated
// `main` defines `VERIFIER_REFERENCE`: the reference exits 3 on an opaque value (the tests'
// shape, not the program, then decides that they run the old way). Every name comes from
// `::std`, which no item of the program can shadow.

trait VerifierValue {
    fn verifier_write(&self, out: &mut ::std::string::String);
}

fn verifier_tagged(
    out: &mut ::std::string::String,
    tag: &::std::primitive::str,
    text: &::std::primitive::str,
) {
    out.push_str("[\"");
    out.push_str(tag);
    out.push_str("\",\"");
    out.push_str(text);
    out.push_str("\"]");
}

fn verifier_string(out: &mut ::std::string::String, text: &::std::primitive::str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as ::std::primitive::u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{2028}'
                || c == '\u{2029}' =>
            {
                out.push_str(&::std::format!("\\u{:04x}", c as ::std::primitive::u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn verifier_items<'a, T: VerifierValue + 'a, I: ::std::iter::Iterator<Item = &'a T>>(
    out: &mut ::std::string::String,
    tag: &::std::primitive::str,
    items: I,
) {
    out.push_str("[\"");
    out.push_str(tag);
    out.push_str("\",[");
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(',');
        }
        item.verifier_write(out);
    }
    out.push_str("]]");
}

fn verifier_pairs<'a, K: VerifierValue + 'a, V: VerifierValue + 'a, I>(
    out: &mut ::std::string::String,
    pairs: I,
) where
    I: ::std::iter::Iterator<Item = (&'a K, &'a V)>,
{
    out.push_str("[\"map\",[");
    for (index, (key, value)) in pairs.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push('[');
        key.verifier_write(out);
        out.push(',');
        value.verifier_write(out);
        out.push(']');
    }
    out.push_str("]]");
}

macro_rules! verifier_integers {
    ($($kind:ty),*) => {$(
        impl VerifierValue for $kind {
            fn verifier_write(&self, out: &mut ::std::string::String) {
                verifier_tagged(out, "int", &::std::string::ToString::to_string(self));
            }
        }
    )*};
}
verifier_integers!(
    ::std::primitive::i8,
    ::std::primitive::i16,
    ::std::primitive::i32,
    ::std::primitive::i64,
    ::std::primitive::i128,
    ::std::primitive::isize,
    ::std::primitive::u8,
    ::std::primitive::u16,
    ::std::primitive::u32,
    ::std::primitive::u64,
    ::std::primitive::u128,
    ::std::primitive::usize
);

impl VerifierValue for ::std::primitive::f64 {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_tagged(out, "f64", &::std::format!("{:?}", self));
    }
}

impl VerifierValue for ::std::primitive::f32 {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_tagged(out, "f32", &::std::format!("{:?}", self));
    }
}

impl VerifierValue for ::std::primitive::bool {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        out.push_str(if *self {
            "[\"bool\",true]"
        } else {
            "[\"bool\",false]"
        });
    }
}

impl VerifierValue for ::std::primitive::char {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        out.push_str("[\"char\",");
        verifier_string(out, &::std::string::ToString::to_string(self));
        out.push(']');
    }
}

impl VerifierValue for ::std::primitive::str {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        out.push_str("[\"str\",");
        verifier_string(out, self);
        out.push(']');
    }
}

impl VerifierValue for ::std::string::String {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        self.as_str().verifier_write(out);
    }
}

impl VerifierValue for () {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        out.push_str("[\"unit\"]");
    }
}

impl<T: VerifierValue + ?Sized> VerifierValue for &T {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        (**self).verifier_write(out);
    }
}

impl<T: VerifierValue + ?Sized> VerifierValue for &mut T {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        (**self).verifier_write(out);
    }
}

impl<T: VerifierValue + ?Sized> VerifierValue for ::std::boxed::Box<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        (**self).verifier_write(out);
    }
}

impl<T: VerifierValue + ?Sized> VerifierValue for ::std::rc::Rc<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        (**self).verifier_write(out);
    }
}

impl<T: VerifierValue + ?Sized> VerifierValue for ::std::sync::Arc<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        (**self).verifier_write(out);
    }
}

impl<T: VerifierValue> VerifierValue for [T] {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "seq", self.iter());
    }
}

impl<T: VerifierValue, const N: ::std::primitive::usize> VerifierValue for [T; N] {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "seq", self.iter());
    }
}

impl<T: VerifierValue> VerifierValue for ::std::vec::Vec<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "seq", self.iter());
    }
}

impl<T: VerifierValue> VerifierValue for ::std::collections::VecDeque<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "seq", self.iter());
    }
}

impl<T: VerifierValue, S> VerifierValue for ::std::collections::HashSet<T, S> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "set", self.iter());
    }
}

impl<T: VerifierValue> VerifierValue for ::std::collections::BTreeSet<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_items(out, "set", self.iter());
    }
}

impl<K: VerifierValue, V: VerifierValue, S> VerifierValue for ::std::collections::HashMap<K, V, S> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_pairs(out, self.iter());
    }
}

impl<K: VerifierValue, V: VerifierValue> VerifierValue for ::std::collections::BTreeMap<K, V> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        verifier_pairs(out, self.iter());
    }
}

impl<T: VerifierValue> VerifierValue for ::std::option::Option<T> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        match self {
            ::std::option::Option::None => out.push_str("[\"none\"]"),
            ::std::option::Option::Some(value) => {
                out.push_str("[\"some\",");
                value.verifier_write(out);
                out.push(']');
            }
        }
    }
}

impl<T: VerifierValue, E: VerifierValue> VerifierValue for ::std::result::Result<T, E> {
    fn verifier_write(&self, out: &mut ::std::string::String) {
        let (tag, value): (&::std::primitive::str, &dyn VerifierValue) = match self {
            ::std::result::Result::Ok(value) => ("ok", value),
            ::std::result::Result::Err(error) => ("err", error),
        };
        out.push_str("[\"");
        out.push_str(tag);
        out.push_str("\",");
        value.verifier_write(out);
        out.push(']');
    }
}

macro_rules! verifier_tuples {
    ($(($($name:ident $index:tt),+))*) => {$(
        impl<$($name: VerifierValue),+> VerifierValue for ($($name,)+) {
            fn verifier_write(&self, out: &mut ::std::string::String) {
                out.push_str("[\"tuple\",[");
                $(
                    if $index > 0 {
                        out.push(',');
                    }
                    self.$index.verifier_write(out);
                )+
                out.push_str("]]");
            }
        }
    )*};
}
verifier_tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}

// Autoref dispatch: a probe of a writable value finds `VerifierKnown` by value; any other
// finds `VerifierUnknown` one reference further, so every type compiles and is written or
// opaque.
struct VerifierProbe<'a, T: ?Sized>(&'a T);

trait VerifierKnown {
    fn verifier_text(&self) -> ::std::option::Option<::std::string::String>;
}

impl<'a, T: VerifierValue + ?Sized> VerifierKnown for VerifierProbe<'a, T> {
    fn verifier_text(&self) -> ::std::option::Option<::std::string::String> {
        let mut out = ::std::string::String::new();
        self.0.verifier_write(&mut out);
        ::std::option::Option::Some(out)
    }
}

trait VerifierUnknown {
    fn verifier_text(&self) -> ::std::option::Option<::std::string::String>;
}

impl<'a, T: ?Sized> VerifierUnknown for &VerifierProbe<'a, T> {
    fn verifier_text(&self) -> ::std::option::Option<::std::string::String> {
        ::std::option::Option::None
    }
}

fn verifier_print(
    index: ::std::primitive::usize,
    text: ::std::option::Option<::std::string::String>,
) {
    let text = match text {
        ::std::option::Option::Some(text) => text,
        ::std::option::Option::None if VERIFIER_REFERENCE => ::std::process::exit(3),
        ::std::option::Option::None => ::std::string::String::from("[\"opaque\"]"),
    };
    let line = ::std::format!("\n\x1eVERIFIER_VALUE {} {}\n", index, text);
    let mut stdout = ::std::io::stdout().lock();
    if ::std::io::Write::write_all(&mut stdout, line.as_bytes()).is_err()
        || ::std::io::Write::flush(&mut stdout).is_err()
    {
        ::std::process::exit(2);
    }
}

macro_rules! verifier_emit {
    ($index:expr, $value:expr) => {{
        let verifier_value = $value;
        verifier_print($index, (&VerifierProbe(&verifier_value)).verifier_text());
    }};
}
