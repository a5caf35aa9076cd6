// Value serializer for Java assert tests judged as calls (verifier_service/code/conversion/
// java.py), appended to the source as a class of its own. Each value is printed on a line
// `\x1eVERIFIER_VALUE <index> <json>` that the service compares as the tests would
// (conversion/java_values.py):
// - `VerifierValues.primitive`, for `assert(call == (literal))`: overloads pick the call's
//   static type, so a primitive is ["p", kind, value] and a boxed one ["b", kind, value]
//   (JSON null when null); any other reference type is "opaque" (`==` would compare
//   identities);
// - `VerifierValues.receiver`, for `assert(call.equals(expected))`: the value's own class
//   decides, as `equals` does (`write`); a primitive is ["primitive"] (`.equals` would not
//   compile on it);
// - `VerifierValues.expected`, the reference's: the expected value as `equals(Object)`
//   receives it, boxed where it is a primitive.
// Only the JDK's values (java.*) and javatuples' tuples are written; any other class, or one
// holding one, is "opaque": it equals nothing, so no method of the program's is ever called
// for equality. The reference exits 3 on an opaque value (the tests' shape then runs the old
// way). Strings are the hex of their UTF-16 units, floating values exact (`toHexString`;
// `equals` compares their bits, which are written too). Output goes to the process's own
// descriptor, whatever the program did to System.out.

final class VerifierValues {
    private static final int BUDGET = 1 << 22;
    private static final java.io.PrintStream OUT =
        new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    static boolean reference = false;

    static void primitive(int index, long value) { line(index, scalar("p", "long", Long.toString(value))); }
    static void primitive(int index, int value) { line(index, scalar("p", "int", Integer.toString(value))); }
    static void primitive(int index, short value) { line(index, scalar("p", "short", Short.toString(value))); }
    static void primitive(int index, byte value) { line(index, scalar("p", "byte", Byte.toString(value))); }
    static void primitive(int index, char value) { line(index, scalar("p", "char", Integer.toString(value))); }
    static void primitive(int index, boolean value) { line(index, scalar("p", "boolean", Boolean.toString(value))); }
    static void primitive(int index, float value) { line(index, scalar("p", "float", Double.toHexString(value))); }
    static void primitive(int index, double value) { line(index, scalar("p", "double", Double.toHexString(value))); }
    static void primitive(int index, Long value) { line(index, boxed("long", value == null ? null : Long.toString(value))); }
    static void primitive(int index, Integer value) { line(index, boxed("int", value == null ? null : Integer.toString(value))); }
    static void primitive(int index, Short value) { line(index, boxed("short", value == null ? null : Short.toString(value))); }
    static void primitive(int index, Byte value) { line(index, boxed("byte", value == null ? null : Byte.toString(value))); }
    static void primitive(int index, Character value) { line(index, boxed("char", value == null ? null : Integer.toString(value))); }
    static void primitive(int index, Boolean value) { line(index, boxed("boolean", value == null ? null : Boolean.toString(value))); }
    static void primitive(int index, Float value) { line(index, boxed("float", value == null ? null : Double.toHexString(value))); }
    static void primitive(int index, Double value) { line(index, boxed("double", value == null ? null : Double.toHexString(value))); }
    static void primitive(int index, Object value) { line(index, null); }

    static void receiver(int index, long value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, int value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, short value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, byte value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, char value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, boolean value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, float value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, double value) { line(index, "[\"primitive\"]"); }
    static void receiver(int index, Object value) { expected(index, value); }

    static void expected(int index, Object value) {
        StringBuilder out = new StringBuilder();
        int[] budget = {BUDGET};
        line(index, write(out, value, budget) ? out.toString() : null);
    }

    private static String scalar(String tag, String kind, String text) {
        return "[\"" + tag + "\",\"" + kind + "\",\"" + text + "\"]";
    }

    private static String boxed(String kind, String text) {
        return text == null ? "[\"b\",\"" + kind + "\",null]" : scalar("b", kind, text);
    }

    private static boolean write(StringBuilder out, Object value, int[] budget) {
        if (--budget[0] < 0) return false;
        if (value == null) {
            out.append("null");
            return true;
        }
        Class<?> type = value.getClass();
        String name = type.getName();
        if (name.startsWith("org.javatuples.") && value instanceof org.javatuples.Tuple) {
            out.append("[\"Tuple\",\"").append(type.getSimpleName()).append("\",");
            return items(out, ((org.javatuples.Tuple) value).toList(), budget);
        }
        if (!name.startsWith("java.")) return false;
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof Boolean) {
            out.append("[\"").append(type.getSimpleName()).append("\",\"").append(value).append("\"]");
        } else if (value instanceof Character) {
            out.append("[\"Character\",\"").append((int) (Character) value).append("\"]");
        } else if (value instanceof Double) {
            double number = (Double) value;
            out.append("[\"Double\",\"").append(Long.toHexString(Double.doubleToLongBits(number)));
            out.append("\",\"").append(Double.toHexString(number)).append("\"]");
        } else if (value instanceof Float) {
            float number = (Float) value;
            out.append("[\"Float\",\"").append(Integer.toHexString(Float.floatToIntBits(number)));
            out.append("\",\"").append(Double.toHexString(number)).append("\"]");
        } else if (value instanceof String) {
            out.append("[\"String\",\"");
            for (char unit : ((String) value).toCharArray()) {
                out.append(String.format("%04x", (int) unit));
            }
            out.append("\"]");
        } else if (value instanceof java.util.List) {
            out.append("[\"List\",");
            return items(out, (java.util.List<?>) value, budget);
        } else if (value instanceof java.util.Optional) {
            java.util.Optional<?> optional = (java.util.Optional<?>) value;
            out.append("[\"Optional\",");
            return items(out, optional.isPresent() ? java.util.List.of(optional.get()) : java.util.List.of(), budget);
        } else if (value instanceof java.util.Map) {
            return entries(out, (java.util.Map<?, ?>) value, budget);
        } else {
            return false;
        }
        return true;
    }

    private static boolean items(StringBuilder out, Iterable<?> values, int[] budget) {
        out.append('[');
        boolean first = true;
        for (Object item : values) {
            if (!first) out.append(',');
            first = false;
            if (!write(out, item, budget)) return false;
        }
        out.append("]]");
        return true;
    }

    private static boolean entries(StringBuilder out, java.util.Map<?, ?> map, int[] budget) {
        out.append("[\"Map\",[");
        boolean first = true;
        for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) out.append(',');
            first = false;
            out.append('[');
            if (!write(out, entry.getKey(), budget)) return false;
            out.append(',');
            if (!write(out, entry.getValue(), budget)) return false;
            out.append(']');
        }
        out.append("]]");
        return true;
    }

    private static void line(int index, String text) {
        if (text == null && reference) {
            Runtime.getRuntime().halt(3);
        }
        OUT.print("\n\036VERIFIER_VALUE " + index + " " + (text == null ? "\"opaque\"" : text) + "\n");
        OUT.flush();
        if (OUT.checkError()) Runtime.getRuntime().halt(2);
    }
}
