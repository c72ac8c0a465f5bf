package enterprise

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// The lists the shipped policies use (reference/policies.md).
const (
	vatRefund14Industries = "C, M, D, I63–I65, N77, G" // 2022年第14号
	rdNegativeList        = "C16, H, F, K, L, R90"     // 2023年第7号 / 2015年第119号
	vatRefund2025Four     = "C,M,I63-I65,N77"          // 2025年第7号
	groupAndClassRanges   = "C391-C393, I6511–I6513, G5910"
)

func TestParseIndustryList(t *testing.T) {
	tests := []struct {
		name, in, canonical string
	}{
		{"policy list with en dash and spaces", vatRefund14Industries, "C,M,D,I63-I65,N77,G"},
		{"hyphen, no spaces", "C,I63-I65,M,N77", "C,I63-I65,M,N77"},
		{"second end without letter", "I63–65", "I63-I65"},
		{"Chinese tilde and enumeration comma", "I63～I65、N77", "I63-I65,N77"},
		{"full-width comma", "C16，R90", "C16,R90"},
		{"em dash", "I63—I65", "I63-I65"},
		{"empty entries skipped", "C,,M,", "C,M"},
		{"groups and classes", groupAndClassRanges, "C391-C393,I6511-I6513,G5910"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseIndustryList(tt.in)
			if err != nil {
				t.Fatalf("ParseIndustryList(%q): %v", tt.in, err)
			}
			if l.String() != tt.canonical {
				t.Errorf("String() = %q, want %q", l.String(), tt.canonical)
			}
		})
	}
}

func TestParseIndustryListRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `industry list "" names no industry`},
		{"only separators", " , ，", `industry list " , ，" names no industry`},
		{"unknown class", "C,C3918", `industry list "C,C3918": entry "C3918": industry code "C3918": class 3918 does not exist in GB/T 4754-2017`},
		{"bad code", "C, X-1", `industry list "C, X-1": entry "X-1": industry code "X": section X does not exist in GB/T 4754-2017 (sections are A–T)`},
		{"range across sections", "I63–J66", `industry list "I63–J66": entry "I63–J66": range I63–J66 spans sections I and J: a range must stay within one section`},
		{"range of sections", "A-C", `industry list "A-C": entry "A-C": range A–C spans sections A and C: a range must stay within one section`},
		{"range mixing levels", "C39-C391", `industry list "C39-C391": entry "C39-C391": range C39–C391 mixes a division and a group: both ends must be of the same level`},
		{"range backwards", "I65-I63", `industry list "I65-I63": entry "I65-I63": range I65–I63 runs backwards`},
		{"open range", "I63–", `industry list "I63–": entry "I63–": a range is written FROM–TO, e.g. I63–I65`},
		{"range of one section", "C-C", `industry list "C-C": entry "C-C": range C–C: ranges are of divisions, groups or classes; list sections one by one`},
		{"double dash", "I63--I65", `industry list "I63--I65": entry "I63--I65": a range is written FROM–TO, e.g. I63–I65`},
		{"division of another section", "C01", `industry list "C01": entry "C01": industry code "C01": division 01 belongs to section A, not C`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseIndustryList(tt.in)
			if err == nil {
				t.Fatalf("ParseIndustryList(%q) = nil error, want %q", tt.in, tt.want)
			}
			if got := apperr.MessageOf(err); got != tt.want || apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("ParseIndustryList(%q) error\n got  %s %q\n want invalid %q", tt.in, apperr.CodeOf(err), got, tt.want)
			}
		})
	}
}

func TestIndustryListContains(t *testing.T) {
	tests := []struct {
		name string
		list string
		code string
		want bool
	}{
		{"class under a section", vatRefund14Industries, "C3911", true},
		{"the section itself", vatRefund14Industries, "C", true},
		{"class under a division range", vatRefund14Industries, "I6410", true},
		{"division at the range start", vatRefund14Industries, "I63", true},
		{"division at the range end", vatRefund14Industries, "I65", true},
		{"group in the range", vatRefund14Industries, "I651", true},
		{"section of a range is not below it", vatRefund14Industries, "I", false},
		{"class under a division", vatRefund14Industries, "N7722", true},
		{"sibling division", vatRefund14Industries, "N76", false},
		{"rail transport under section G", vatRefund14Industries, "G5311", true},
		{"finance is not listed", vatRefund14Industries, "J6621", false},
		{"code without its letter", vatRefund14Industries, "3911", true},
		{"letter that contradicts the division", vatRefund14Industries, "A3911", false},
		{"empty", vatRefund14Industries, "", false},
		{"garbage", vatRefund14Industries, "C39X1", false},
		{"too long", vatRefund14Industries, "C39111", false},
		{"section beyond T", vatRefund14Industries, "Z", false},
		{"tobacco on the negative list", rdNegativeList, "C1620", true},
		{"other manufacturing not on it", rdNegativeList, "C3911", false},
		{"entertainment on it", rdNegativeList, "R9011", true},
		{"sport not on it", rdNegativeList, "R8911", false},
		{"real estate on it", rdNegativeList, "K7010", true},
		{"software in the four industries", vatRefund2025Four, "I6513", true},
		{"retail not in them", vatRefund2025Four, "F5211", false},
		{"class in a group range", groupAndClassRanges, "C3921", true},
		{"group at the end of a group range", groupAndClassRanges, "C393", true},
		{"group after the range", groupAndClassRanges, "C3940", false},
		{"division above a group range", groupAndClassRanges, "C39", false},
		{"class in a class range", groupAndClassRanges, "I6512", true},
		{"class after the class range", groupAndClassRanges, "I6519", false},
		{"group above a class range", groupAndClassRanges, "I651", false},
		{"single class", groupAndClassRanges, "G5910", true},
		{"sibling class", groupAndClassRanges, "G5920", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := MustParseIndustryList(tt.list)
			if got := l.Contains(tt.code); got != tt.want {
				t.Errorf("%q.Contains(%q) = %v, want %v", tt.list, tt.code, got, tt.want)
			}
		})
	}
}

func TestZeroIndustryListContainsNothing(t *testing.T) {
	var l IndustryList
	for _, code := range []string{"C", "C3911", "3911", ""} {
		if l.Contains(code) {
			t.Errorf("zero IndustryList contains %q", code)
		}
	}
}

func TestIndustryListContainsDoesNotAllocate(t *testing.T) {
	l := MustParseIndustryList(vatRefund14Industries + "," + groupAndClassRanges)
	for _, code := range []string{"C3911", "I6513", "J6621", "C3940", "garbage"} {
		if allocs := testing.AllocsPerRun(100, func() { _ = l.Contains(code) }); allocs != 0 {
			t.Errorf("Contains(%q) allocates %.0f times per call, want 0", code, allocs)
		}
	}
}

func BenchmarkIndustryListContains(b *testing.B) {
	l := MustParseIndustryList(vatRefund14Industries + "," + groupAndClassRanges)
	codes := []string{"C3911", "I6513", "J6621", "C3940", "F5211", "I6512"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = l.Contains(codes[i%len(codes)])
	}
}

func FuzzParseIndustryList(f *testing.F) {
	for _, s := range []string{vatRefund14Industries, rdNegativeList, vatRefund2025Four, groupAndClassRanges,
		"", "I63–65", "A-C", "I65-I63", "C39-C391", "，、,", "I63--I65", "C\xff"} {
		f.Add(s, "C3911")
	}
	f.Fuzz(func(t *testing.T, list, code string) {
		l, err := ParseIndustryList(list)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ParseIndustryList(%q) error %v is not an invalid-input error", list, err)
			}
			return
		}
		// The canonical text parses back to the same list.
		again, err := ParseIndustryList(l.String())
		if err != nil || again.String() != l.String() {
			t.Fatalf("canonical %q of %q does not round-trip: %q, %v", l.String(), list, again.String(), err)
		}
		if l.Contains(code) != again.Contains(code) {
			t.Fatalf("%q and its canonical form disagree on %q", list, code)
		}
		// A code in a list has a valid section; so does everything it contains.
		if l.Contains(code) && SectionOf(code) == "" {
			t.Fatalf("%q contains malformed code %q", list, code)
		}
	})
}
