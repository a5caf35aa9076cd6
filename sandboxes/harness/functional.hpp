// Functional-test support for C++ programs (compiled into the program, runs in the jail):
// prints a value as JSON after the marker, as the last line of output.
#pragma once
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace verifier {

inline void emit(std::ostream& out, bool value) { out << (value ? "true" : "false"); }
inline void emit(std::ostream& out, const std::string& value) {
  out << '"';
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') out << '\\' << c;
    else if (c < 0x20) out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << int(c) << std::dec;
    else out << c;
  }
  out << '"';
}
inline void emit(std::ostream& out, const char* value) { emit(out, std::string(value)); }
inline void emit(std::ostream& out, char value) { emit(out, std::string(1, value)); }
inline void emit(std::ostream& out, std::nullptr_t) { out << "null"; }
template <class T>
std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>>
emit(std::ostream& out, T value) { out << +value; }
template <class T>
std::enable_if_t<std::is_floating_point_v<T>> emit(std::ostream& out, T value) {
  if (std::isnan(value)) out << "NaN";
  else if (std::isinf(value)) out << (value > 0 ? "Infinity" : "-Infinity");
  else out << std::setprecision(17) << value;
}
template <class T> void emit(std::ostream& out, const std::optional<T>& value);
template <class A, class B> void emit(std::ostream& out, const std::pair<A, B>& value);
template <class... T> void emit(std::ostream& out, const std::tuple<T...>& value);
template <class T> void emit(std::ostream& out, const std::vector<T>& value);
template <class T> void emit(std::ostream& out, const std::set<T>& value);
template <class K, class V> void emit(std::ostream& out, const std::map<K, V>& value);
template <class K, class V> void emit(std::ostream& out, const std::unordered_map<K, V>& value);

template <class Range> void emit_list(std::ostream& out, const Range& range) {
  out << '[';
  bool first = true;
  for (const auto& item : range) { if (!first) out << ','; first = false; emit(out, item); }
  out << ']';
}
template <class K> std::string key_text(const K& key) {
  if constexpr (std::is_convertible_v<K, std::string>) return std::string(key);
  else { std::ostringstream text; emit(text, key); return text.str(); }
}
template <class Map> void emit_map(std::ostream& out, const Map& map) {
  std::map<std::string, const typename Map::mapped_type*> ordered;
  for (const auto& [key, value] : map) ordered[key_text(key)] = &value;
  out << '{';
  bool first = true;
  for (const auto& [key, value] : ordered) {
    if (!first) out << ',';
    first = false;
    emit(out, key);
    out << ':';
    emit(out, *value);
  }
  out << '}';
}
template <class T> void emit(std::ostream& out, const std::optional<T>& value) {
  if (value) emit(out, *value); else out << "null";
}
template <class A, class B> void emit(std::ostream& out, const std::pair<A, B>& value) {
  out << '['; emit(out, value.first); out << ','; emit(out, value.second); out << ']';
}
template <class... T> void emit(std::ostream& out, const std::tuple<T...>& value) {
  out << '[';
  std::apply([&out](const auto&... item) { bool first = true; ((out << (first ? "" : ","), first = false, emit(out, item)), ...); }, value);
  out << ']';
}
template <class T> void emit(std::ostream& out, const std::vector<T>& value) { emit_list(out, value); }
template <class T> void emit(std::ostream& out, const std::set<T>& value) { emit_list(out, value); }
template <class K, class V> void emit(std::ostream& out, const std::map<K, V>& value) { emit_map(out, value); }
template <class K, class V> void emit(std::ostream& out, const std::unordered_map<K, V>& value) { emit_map(out, value); }

template <class T> void result(const T& value) {
  std::ostringstream text;
  emit(text, value);
  std::cout << std::flush << "\n\x1eVERIFIER_RESULT " << text.str() << std::endl;
}

}  // namespace verifier
