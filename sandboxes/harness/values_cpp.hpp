// Value serializer for C++ assert tests judged as calls (verifier_service/code/conversion/cpp.py).
// The candidate (the program, its `main` renamed and its macros undefined, then a generated
// `main`) and the reference (the tests' expected expressions alone) print each value through
// `verifier_values::emit` as a line `\x1eVERIFIER_VALUE <index> [<type>,<value>]`: the static
// type as a JSON tree and the value as JSON, which the service compares as the tests' `==`
// would (conversion/cpp_values.py), compile-time rules included (a `std::vector<int>` is not
// comparable with a `std::vector<long>`). Only the standard library's types are written; a
// value of any other type (or holding one) is "opaque", which equals nothing, so no operator
// of the program's is ever called. The reference exits 3 on an opaque value (the tests'
// shape, not the program, then decides that they run the old way). Strings are written as
// the hex of their bytes, floating values as C's exact `%a` text.

#include <bits/stdc++.h>

namespace verifier_values {

template <class T, class = void>
struct Value {
    static constexpr bool known = false;
    static void type(std::string&) {}
    static void value(std::string&, const T&) {}
};

inline void hex(std::string& out, const char* data, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    out += '"';
    for (std::size_t index = 0; index < size; ++index) {
        unsigned char byte = static_cast<unsigned char>(data[index]);
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    out += '"';
}

template <class T>
struct Integer {
    static constexpr bool known = true;
    static void value(std::string& out, const T& number) {
        out += '"';
        if constexpr (std::is_signed_v<T>) {
            out += std::to_string(static_cast<long long>(number));
        } else {
            out += std::to_string(static_cast<unsigned long long>(number));
        }
        out += '"';
    }
};

#define VERIFIER_INTEGER(kind, tag)                                     \
    template <>                                                         \
    struct Value<kind> : Integer<kind> {                                \
        static void type(std::string& out) { out += "[\"a\",\"" tag "\"]"; } \
    };
VERIFIER_INTEGER(bool, "bool")
VERIFIER_INTEGER(char, "char")
VERIFIER_INTEGER(signed char, "schar")
VERIFIER_INTEGER(unsigned char, "uchar")
VERIFIER_INTEGER(wchar_t, "wchar")
VERIFIER_INTEGER(char16_t, "char16")
VERIFIER_INTEGER(char32_t, "char32")
VERIFIER_INTEGER(short, "short")
VERIFIER_INTEGER(unsigned short, "ushort")
VERIFIER_INTEGER(int, "int")
VERIFIER_INTEGER(unsigned int, "uint")
VERIFIER_INTEGER(long, "long")
VERIFIER_INTEGER(unsigned long, "ulong")
VERIFIER_INTEGER(long long, "llong")
VERIFIER_INTEGER(unsigned long long, "ullong")
#undef VERIFIER_INTEGER

template <class T>
struct Floating {
    static constexpr bool known = true;
    static void value(std::string& out, const T& number) {
        char text[64];
        std::snprintf(text, sizeof text, "\"%a\"", static_cast<double>(number));
        out += text;
    }
};

template <>
struct Value<float> : Floating<float> {
    static void type(std::string& out) { out += "[\"a\",\"float\"]"; }
};

template <>
struct Value<double> : Floating<double> {
    static void type(std::string& out) { out += "[\"a\",\"double\"]"; }
};

template <>
struct Value<std::string> {
    static constexpr bool known = true;
    static void type(std::string& out) { out += "[\"str\"]"; }
    static void value(std::string& out, const std::string& text) {
        hex(out, text.data(), text.size());
    }
};

template <>
struct Value<std::string_view> {
    static constexpr bool known = true;
    static void type(std::string& out) { out += "[\"sv\"]"; }
    static void value(std::string& out, const std::string_view& text) {
        hex(out, text.data(), text.size());
    }
};

// A character array or pointer: `==` with a string compares the text up to its first NUL
// (with another pointer it would compare addresses: the service finds that not comparable).
template <class T>
struct CString {
    static constexpr bool known = true;
    static void type(std::string& out) { out += "[\"cstr\"]"; }
    static void value(std::string& out, const char* text) {
        if (text == nullptr) {
            out += "null";
        } else {
            hex(out, text, std::strlen(text));
        }
    }
};

template <std::size_t N>
struct Value<char[N]> : CString<char[N]> {};
template <>
struct Value<const char*> : CString<const char*> {};
template <>
struct Value<char*> : CString<char*> {};

template <class... T>
constexpr bool all_known = (Value<T>::known && ...);

template <class T>
void items(std::string& out, const T& container) {
    out += '[';
    bool first = true;
    for (const auto& item : container) {
        if (!first) out += ',';
        first = false;
        Value<typename T::value_type>::value(out, item);
    }
    out += ']';
}

template <class T>
struct Sequence {
    static constexpr bool known = Value<typename T::value_type>::known;
    static void value(std::string& out, const T& container) { items(out, container); }
};

#define VERIFIER_SEQUENCE(kind, tag)                          \
    template <class T>                                        \
    struct Value<kind<T>> : Sequence<kind<T>> {               \
        static void type(std::string& out) {                  \
            out += "[\"" tag "\",";                           \
            Value<T>::type(out);                              \
            out += ']';                                       \
        }                                                     \
    };
VERIFIER_SEQUENCE(std::vector, "vector")
VERIFIER_SEQUENCE(std::deque, "deque")
VERIFIER_SEQUENCE(std::list, "list")
VERIFIER_SEQUENCE(std::set, "set")
VERIFIER_SEQUENCE(std::multiset, "multiset")
#undef VERIFIER_SEQUENCE

template <class T, std::size_t N>
struct Value<std::array<T, N>> : Sequence<std::array<T, N>> {
    static void type(std::string& out) {
        out += "[\"array\",";
        Value<T>::type(out);
        out += ",\"" + std::to_string(N) + "\"]";
    }
};

template <class K, class V>
struct Value<std::map<K, V>> {
    static constexpr bool known = all_known<K, V>;
    static void type(std::string& out) {
        out += "[\"map\",";
        Value<K>::type(out);
        out += ',';
        Value<V>::type(out);
        out += ']';
    }
    static void value(std::string& out, const std::map<K, V>& map) {
        out += '[';
        bool first = true;
        for (const auto& entry : map) {
            if (!first) out += ',';
            first = false;
            out += '[';
            Value<K>::value(out, entry.first);
            out += ',';
            Value<V>::value(out, entry.second);
            out += ']';
        }
        out += ']';
    }
};

template <class A, class B>
struct Value<std::pair<A, B>> {
    static constexpr bool known = all_known<A, B>;
    static void type(std::string& out) {
        out += "[\"pair\",";
        Value<A>::type(out);
        out += ',';
        Value<B>::type(out);
        out += ']';
    }
    static void value(std::string& out, const std::pair<A, B>& pair) {
        out += '[';
        Value<A>::value(out, pair.first);
        out += ',';
        Value<B>::value(out, pair.second);
        out += ']';
    }
};

template <class... T>
struct Value<std::tuple<T...>> {
    static constexpr bool known = all_known<T...>;
    static void type(std::string& out) {
        out += "[\"tuple\"";
        ((out += ',', Value<T>::type(out)), ...);
        out += ']';
    }
    static void value(std::string& out, const std::tuple<T...>& tuple) {
        out += '[';
        std::apply(
            [&out](const T&... part) {
                bool first = true;
                ((out += first ? "" : ",", first = false, Value<T>::value(out, part)), ...);
            },
            tuple);
        out += ']';
    }
};

template <class T>
struct Value<std::optional<T>> {
    static constexpr bool known = Value<T>::known;
    static void type(std::string& out) {
        out += "[\"optional\",";
        Value<T>::type(out);
        out += ']';
    }
    static void value(std::string& out, const std::optional<T>& optional) {
        out += '[';
        if (optional.has_value()) Value<T>::value(out, *optional);
        out += ']';
    }
};

template <>
struct Value<std::nullopt_t> {
    static constexpr bool known = true;
    static void type(std::string& out) { out += "[\"nullopt\"]"; }
    static void value(std::string& out, const std::nullopt_t&) { out += "[]"; }
};

// Whether `a == b` compiles for the tests' expected values `a` and `b` (nullopt aside): when
// two of them cannot be compared, no standard type compares with both, so the function
// returns a type of the program's, and the reference exits 3 (the tests then run the old way).
template <class A, class B, class = void>
struct Comparable : std::false_type {};
template <class A, class B>
struct Comparable<A, B, std::void_t<decltype(std::declval<const A&>() == std::declval<const B&>())>>
    : std::true_type {};

template <class A, class B>
constexpr bool comparable() {
    using X = std::decay_t<A>;
    using Y = std::decay_t<B>;
    if constexpr (std::is_same_v<X, std::nullopt_t> || std::is_same_v<Y, std::nullopt_t>) {
        return true;
    } else {
        return Comparable<X, Y>::value;
    }
}

template <class T>
void emit(std::size_t index, const T& value, bool reference) {
    std::string text;
    if constexpr (Value<T>::known) {
        text += '[';
        Value<T>::type(text);
        text += ',';
        Value<T>::value(text, value);
        text += ']';
    } else {
        if (reference) std::exit(3);
        text = "\"opaque\"";
    }
    std::string line = "\n\x1eVERIFIER_VALUE " + std::to_string(index) + " " + text + "\n";
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fflush(stdout)) {
        std::exit(2);
    }
}

}  // namespace verifier_values
