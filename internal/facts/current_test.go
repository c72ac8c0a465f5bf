package facts

import (
	"fmt"
	"slices"
	"testing"
)

// TestMergeCurrent holds the rules of a current value: a new key is added
// in key order; a different value recorded at the same time or later
// replaces the current one; an equal value, or one recorded before, leaves
// it as it was and is not counted.
func TestMergeCurrent(t *testing.T) {
	const early, late = "2024-01-01T00:00:00.000Z", "2024-06-01T00:00:00.000Z"
	current := []currentValue{
		{"revenue", "2023", "100", 1 << 16, early},
		{"revenue", "2024", "200", 2 << 16, late},
		{"staff", "", "30", 3 << 16, early},
	}
	newer := []currentValue{
		{"revenue", "2023", "110", 9 << 16, early},   // different, same time: replaces
		{"revenue", "2024", "250", 9<<16 + 1, early}, // recorded before the current: history only
		{"staff", "", "30", 9<<16 + 2, late},         // equal: keeps the current and its time
		{"assets", "2024", "5", 9<<16 + 3, early},    // new key: added first
	}
	got, changed := mergeCurrent(slices.Clone(current), newer)
	want := []currentValue{
		{"assets", "2024", "5", 9<<16 + 3, early},
		{"revenue", "2023", "110", 9 << 16, early},
		{"revenue", "2024", "200", 2 << 16, late},
		{"staff", "", "30", 3 << 16, early},
	}
	if changed != 2 || !slices.Equal(got, want) {
		t.Errorf("merged %v (%d changed), want %v (2 changed)", got, changed, want)
	}
}

// TestCurrentRoundTrip encodes current values, text that needs escaping
// included, and decodes them back.
func TestCurrentRoundTrip(t *testing.T) {
	values := []currentValue{
		{"name_note", "", "a \"quoted\" 值\\ \n\t<&>", 1, "2024-01-01T00:00:00.000Z"},
		{"revenue", "2024Q1", "-12.5", 1<<47 + 65535, "2024-01-01T00:00:00.000Z"},
	}
	doc, err := encodeCurrent(values)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeCurrent(doc)
	if err != nil || !slices.Equal(back, values) {
		t.Errorf("decoded %v (%v), want %v; stored %s", back, err, values, doc)
	}
	if doc, _ := encodeCurrent(nil); string(doc) != "[]" {
		t.Errorf("no values stored as %s, want []", doc)
	}
}

// TestDecodeCurrentRefusesOtherShapes names what is wrong with a stored
// row that is not an array of five-item arrays.
func TestDecodeCurrentRefusesOtherShapes(t *testing.T) {
	for _, doc := range []string{
		`{}`, `[1]`, `[["a","b","c"]]`, `[["a","b","c",1,"t","extra"]]`, `[["a","b","c","1","t"]]`,
		`[["a","b","c",1.5,"t"]]`, `[["a",2,"c",1,"t"]]`, `[["a","b","c",1,"t"]`,
	} {
		if got, err := decodeCurrent([]byte(doc)); err == nil {
			t.Errorf("%s decoded as %v, want an error", doc, got)
		}
	}
}

// FuzzDecodeCurrent: whatever a row holds, decoding it fails cleanly or
// gives values that encode and decode to themselves.
func FuzzDecodeCurrent(f *testing.F) {
	f.Add([]byte(`[["revenue","2024","100",65536,"2024-01-01T00:00:00.000Z"]]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[["a","b","c",1,"t"],["a","b","c",-1,""]]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		values, err := decodeCurrent(doc)
		if err != nil {
			return
		}
		again, err := encodeCurrent(values)
		if err != nil {
			t.Fatalf("decoded %v from %q, which does not encode: %v", values, doc, err)
		}
		back, err := decodeCurrent(again)
		if err != nil || fmt.Sprint(back) != fmt.Sprint(values) {
			t.Fatalf("%q → %v → %s → %v (%v)", doc, values, again, back, err)
		}
	})
}

// TestNewerValuesKeepTheLastOfEachKey: a write's values by key, the last
// given of each, whether the keys come in order, out of order or again.
func TestNewerValuesKeepTheLastOfEachKey(t *testing.T) {
	v := func(field, period, value string) currentValue {
		return currentValue{Field: field, Period: period, Value: value}
	}
	for _, tc := range []struct {
		name string
		in   []currentValue
		want []currentValue
	}{
		{"in order", []currentValue{v("a", "2023", "1"), v("a", "2024", "2"), v("b", "", "3")},
			[]currentValue{v("a", "2023", "1"), v("a", "2024", "2"), v("b", "", "3")}},
		{"the last again", []currentValue{v("a", "2023", "1"), v("a", "2023", "2")},
			[]currentValue{v("a", "2023", "2")}},
		{"out of order, an earlier key again", []currentValue{v("b", "", "1"), v("a", "2023", "2"), v("c", "", "3"), v("b", "", "4")},
			[]currentValue{v("b", "", "4"), v("a", "2023", "2"), v("c", "", "3")}},
	} {
		var n newerValues
		for _, x := range tc.in {
			n.add(x)
		}
		if !slices.Equal(n.values, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, n.values, tc.want)
		}
	}
}
