# Value serializer for Ruby assert tests judged as calls (verifier_service/code/conversion/
# ruby.py). Loaded with `ruby -r` before the program, so it keeps Ruby's own methods (a
# program that reopens Array or String changes nothing here). The candidate (the program,
# then the generated calls) prints each value through `VerifierValues.emit`, the reference
# (the tests' expected expressions alone) through `VerifierValues.expected`, as a line
# `\x1eVERIFIER_VALUE <index> <json>`: a tagged text that the service compares as the tests'
# `expected == actual` would (conversion/ruby_values.py). Written: nil, true, false,
# Integer, Float (IEEE bits), Rational, Complex, String and Symbol (encoding, ascii_only?,
# bytes), and anything whose built-in type is an Array or a Hash (a subclass too: `==`
# compares their contents without calling their methods), item by item. Anything else, an
# object of a class of the program's above all (whose `==` would be its own code), a value
# nested in itself or deeper than MAX_DEPTH, and a Hash key of a subclass or one its hash no
# longer finds, is ["opaque"], which equals nothing; the reference exits 3 on one (the
# tests' shape, not the program, then decides that they run the old way).
module VerifierValues
  MAX_DEPTH = 100
  MAX_ITEMS = 1 << 20
  KIND = Module.instance_method(:===)
  CLASS = Kernel.instance_method(:class)
  SAME = BasicObject.instance_method(:equal?)
  ARRAY_ITEMS = Array.instance_method(:to_a)
  ARRAY_EACH = Array.instance_method(:each)
  HASH_PAIRS = Hash.instance_method(:to_a)
  HASH_IDENTITY = Hash.instance_method(:compare_by_identity?)
  HASH_FINDS = Hash.instance_method(:key?)
  PACK = Array.instance_method(:pack)
  UNPACK = String.instance_method(:unpack1)
  ENCODING = String.instance_method(:encoding)
  ASCII_ONLY = String.instance_method(:ascii_only?)
  ENCODING_NAME = Encoding.instance_method(:name)
  SYMBOL_TEXT = Symbol.instance_method(:to_s)
  DECIMAL = Integer.instance_method(:to_s)
  NUMERATOR = Rational.instance_method(:numerator)
  DENOMINATOR = Rational.instance_method(:denominator)
  RATIONAL_FLOAT = Rational.instance_method(:to_f)
  REAL = Complex.instance_method(:real)
  IMAGINARY = Complex.instance_method(:imaginary)
  OUT = STDOUT
  WRITE = IO.instance_method(:write)
  FLUSH = IO.instance_method(:flush)
  KEY_CLASSES = [NilClass, TrueClass, FalseClass, Integer, Float, Rational, String, Symbol,
                 Array].freeze
  NAME = /\A[A-Za-z0-9_.:+-]+\z/

  class Opaque < StandardError; end

  module_function

  def emit(index, value)
    line(index, text(value))
  rescue Opaque
    line(index, '["opaque"]')
  end

  def expected(index, value)
    line(index, text(value))
  rescue Opaque
    WRITE.bind_call(OUT, "verifier: expected value #{index} cannot be compared\n")
    Kernel.exit!(3)
  end

  def text(value)
    out = +""
    write(value, out, { path: {}.compare_by_identity, items: 0 }, 0)
    out
  end

  def line(index, text)
    WRITE.bind_call(OUT, "\n\x1eVERIFIER_VALUE #{DECIMAL.bind_call(index)} #{text}\n")
    FLUSH.bind_call(OUT)
  end

  def write(value, out, state, depth)
    if SAME.bind_call(value, nil) then out << '["nil"]'
    elsif SAME.bind_call(value, true) then out << '["bool",true]'
    elsif SAME.bind_call(value, false) then out << '["bool",false]'
    elsif KIND.bind_call(Integer, value) then out << '["int","' << DECIMAL.bind_call(value) << '"]'
    elsif KIND.bind_call(Float, value) then out << '["float","' << bits(value) << '"]'
    elsif KIND.bind_call(Rational, value) then write_rational(value, out)
    elsif KIND.bind_call(Complex, value) then write_complex(value, out, state, depth)
    elsif KIND.bind_call(String, value) then write_string("str", value, out)
    elsif KIND.bind_call(Symbol, value) then write_string("sym", SYMBOL_TEXT.bind_call(value), out)
    elsif KIND.bind_call(Array, value) || KIND.bind_call(Hash, value)
      write_container(value, out, state, depth)
    else raise Opaque
    end
  end

  def bits(float)
    UNPACK.bind_call(PACK.bind_call([float], "G"), "H*")
  end

  def write_rational(value, out)
    out << '["rational","' << DECIMAL.bind_call(NUMERATOR.bind_call(value)) << '","'
    out << DECIMAL.bind_call(DENOMINATOR.bind_call(value)) << '","'
    out << bits(RATIONAL_FLOAT.bind_call(value)) << '"]'
  end

  def write_complex(value, out, state, depth)
    out << '["complex",'
    write(REAL.bind_call(value), out, state, depth + 1)
    out << ","
    write(IMAGINARY.bind_call(value), out, state, depth + 1)
    out << "]"
  end

  def write_string(tag, string, out)
    name = ENCODING_NAME.bind_call(ENCODING.bind_call(string))
    raise Opaque unless NAME.match?(name)

    out << '["' << tag << '","' << name << '",' << (ASCII_ONLY.bind_call(string) ? "true" : "false")
    out << ',"' << UNPACK.bind_call(string, "H*") << '"]'
  end

  def write_container(value, out, state, depth)
    raise Opaque if depth > MAX_DEPTH || state[:path].key?(value)

    state[:path][value] = true
    if KIND.bind_call(Array, value)
      write_array(value, out, state, depth)
    else
      write_hash(value, out, state, depth)
    end
    state[:path].delete(value)
  end

  def write_array(value, out, state, depth)
    out << '["array",['
    ARRAY_EACH.bind_call(ARRAY_ITEMS.bind_call(value)).with_index do |item, index|
      count(state)
      out << "," if index.positive?
      write(item, out, state, depth + 1)
    end
    out << "]]"
  end

  # A Hash compares key by key through its own table: keys must be of the core classes
  # (whose hash and eql? are Ruby's) and found again by that table.
  def write_hash(value, out, state, depth)
    pairs = HASH_PAIRS.bind_call(value)
    raise Opaque if HASH_IDENTITY.bind_call(value) && !pairs.empty?

    out << '["hash",['
    pairs.each_with_index do |(key, item), index|
      count(state)
      raise Opaque unless plain_key?(key) && HASH_FINDS.bind_call(value, key)

      out << (index.positive? ? ",[" : "[")
      write(key, out, state, depth + 1)
      out << ","
      write(item, out, state, depth + 1)
      out << "]"
    end
    out << "]]"
  end

  def plain_key?(key)
    KEY_CLASSES.any? { |kind| SAME.bind_call(CLASS.bind_call(key), kind) }
  rescue TypeError
    false # a BasicObject
  end

  def count(state)
    state[:items] += 1
    raise Opaque if state[:items] > MAX_ITEMS
  end
end
