<?php
// Value serializer for PHP assert tests judged as calls (verifier_service/code/conversion/
// php.py). The candidate (the program, then a generated function of the tests' calls) and the
// reference (the tests' expected expressions alone) both print each value through
// `verifier_emit` as a line `\x1eVERIFIER_VALUE <index> <text>`. The text is canonical for
// `===`: two values are identical exactly when their texts are equal. null `n`, booleans `t`
// and `f`, an int `i<decimal>;`, a float `d<IEEE-754 bits in hex>;` (-0.0 written as 0.0,
// which `===` finds identical), a string `s<bytes in hex>;`, an array `a<count>{` then each
// key (an int or a string) and its value in order `}`. A value `===` finds identical to
// nothing that a literal can build (an object, a resource, NaN, or nesting deeper than the
// bound) is `?`, which equals nothing; in the reference it ends the run with status 3 (the
// tests' shape, not the program, then decides that they run the old way). Only the engine's
// own functions are called, never a method of the program's.

function verifier_value_text(mixed $value, int $depth): ?string
{
    if ($depth > 64) {
        return null;
    }
    if ($value === null) {
        return 'n';
    }
    if (\is_bool($value)) {
        return $value ? 't' : 'f';
    }
    if (\is_int($value)) {
        return 'i' . $value . ';';
    }
    if (\is_float($value)) {
        if (\is_nan($value)) {
            return null;
        }
        return 'd' . \bin2hex(\pack('E', $value == 0.0 ? 0.0 : $value)) . ';';
    }
    if (\is_string($value)) {
        return 's' . \bin2hex($value) . ';';
    }
    if (!\is_array($value)) {
        return null;
    }
    $text = 'a' . \count($value) . '{';
    foreach ($value as $key => $item) {
        $item_text = verifier_value_text($item, $depth + 1);
        if ($item_text === null) {
            return null;
        }
        $text .= (\is_int($key) ? 'i' . $key : 's' . \bin2hex($key)) . ';' . $item_text;
    }
    return $text . '}';
}

function verifier_emit(int $index, mixed $value, bool $reference): void
{
    $text = verifier_value_text($value, 0);
    if ($text === null) {
        if ($reference) {
            exit(3);
        }
        $text = '?';
    }
    echo "\n\x1eVERIFIER_VALUE " . $index . ' ' . $text . "\n";
}
