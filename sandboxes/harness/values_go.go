// Value serializer for Go assert tests judged as calls (verifier_service/code/conversion/go.py).
// MultiPL-E's Go tests compare fmt.Sprintf("%v", actual) with fmt.Sprintf("%v", expected),
// both held in interface{}: the candidate (the program as package main, its main renamed)
// and the reference (the tests' expected expressions alone) each print, per case, that %v
// text hex-encoded on a line `\x1eVERIFIER_VALUE <index> h<hex>`, and the service compares
// the two texts. A value holding a type the program declared (whose String or Format method
// %v would call), a non-nil pointer (but to a standard library type that formats itself,
// such as *big.Int), a func, a channel or an unsafe pointer is "opaque" and
// equals nothing; the reference exits 3 on one (the tests' shape then runs the old way). The
// generated code declares verifier_reference and imports the verifier_* packages.

func verifier_plain(value verifier_reflect.Value, budget *int) bool {
	*budget--
	if *budget < 0 {
		return false
	}
	if !value.IsValid() {
		return true
	}
	kind := value.Kind()
	if value.Type().PkgPath() == "main" {
		return false
	}
	switch kind {
	case verifier_reflect.Pointer:
		return value.IsNil() || verifier_library_text(value.Type())
	case verifier_reflect.Interface:
		return verifier_plain(value.Elem(), budget)
	case verifier_reflect.Slice, verifier_reflect.Array:
		for index := 0; index < value.Len(); index++ {
			if !verifier_plain(value.Index(index), budget) {
				return false
			}
		}
		return true
	case verifier_reflect.Map:
		entries := value.MapRange()
		for entries.Next() {
			if !verifier_plain(entries.Key(), budget) || !verifier_plain(entries.Value(), budget) {
				return false
			}
		}
		return true
	case verifier_reflect.Struct:
		for index := 0; index < value.NumField(); index++ {
			if !verifier_plain(value.Field(index), budget) {
				return false
			}
		}
		return true
	case verifier_reflect.Func, verifier_reflect.Chan, verifier_reflect.UnsafePointer:
		return false
	}
	return true
}

// A pointer to a type of the standard library that formats itself (*big.Int): %v prints its
// value through the library's own String, Error or Format method.
func verifier_library_text(pointer verifier_reflect.Type) bool {
	element := pointer.Elem()
	if element.Name() == "" || element.PkgPath() == "" || element.PkgPath() == "main" {
		return false
	}
	return pointer.Implements(verifier_reflect.TypeOf((*verifier_fmt.Stringer)(nil)).Elem()) ||
		pointer.Implements(verifier_reflect.TypeOf((*verifier_fmt.Formatter)(nil)).Elem()) ||
		pointer.Implements(verifier_reflect.TypeOf((*error)(nil)).Elem())
}

func verifier_emit(index int, value interface{}) {
	budget := 1 << 22
	text := "opaque"
	if verifier_plain(verifier_reflect.ValueOf(value), &budget) {
		text = "h" + verifier_hex.EncodeToString([]byte(verifier_fmt.Sprintf("%v", value)))
	} else if verifier_reference {
		verifier_os.Exit(3)
	}
	line := "\n\x1eVERIFIER_VALUE " + verifier_strconv.Itoa(index) + " " + text + "\n"
	if _, err := verifier_os.Stdout.WriteString(line); err != nil {
		verifier_os.Exit(2)
	}
}
