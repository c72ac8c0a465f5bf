package enterprise

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// divisionRanges is the layout of GB/T 4754-2017 written out independently of
// the embedded table: the divisions each section holds.
var divisionRanges = []struct {
	section  string
	from, to int
}{
	{"A", 1, 5}, {"B", 6, 12}, {"C", 13, 43}, {"D", 44, 46}, {"E", 47, 50},
	{"F", 51, 52}, {"G", 53, 60}, {"H", 61, 62}, {"I", 63, 65}, {"J", 66, 69},
	{"K", 70, 70}, {"L", 71, 72}, {"M", 73, 75}, {"N", 76, 79}, {"O", 80, 82},
	{"P", 83, 83}, {"Q", 84, 85}, {"R", 86, 90}, {"S", 91, 96}, {"T", 97, 97},
}

func TestIndustryTableLayout(t *testing.T) {
	sections := Sections()
	if len(sections) != 20 {
		t.Fatalf("Sections() has %d entries, want 20", len(sections))
	}
	divisions := Divisions()
	if len(divisions) != 97 {
		t.Fatalf("Divisions() has %d entries, want 97", len(divisions))
	}
	for i, r := range divisionRanges {
		if sections[i].Code != r.section || sections[i].NameZh == "" || sections[i].NameEn == "" {
			t.Errorf("section %d = %+v, want %s with both names", i, sections[i], r.section)
		}
		for d := r.from; d <= r.to; d++ {
			div := divisions[d-1]
			want := fmt.Sprintf("%s%02d", r.section, d)
			if div.Code != want || div.Section != r.section || div.Division != want[1:] {
				t.Errorf("division %d = %+v, want code %s in section %s", d, div, want, r.section)
			}
			if div.NameZh == "" || div.NameEn == "" {
				t.Errorf("division %s lacks a name: %+v", want, div)
			}
		}
	}
	// Published counts differ: the 2017 text says 1380 classes, summaries
	// after amendment No. 1 (2019) say 1381 or 1382. The table has 473
	// groups, which every source agrees on, and 1381 classes.
	groups, classes := 0, 0
	for code := range industries.byCode {
		switch len(code) {
		case 4:
			groups++
		case 5:
			classes++
		}
	}
	if groups != 473 || classes != 1381 {
		t.Errorf("table has %d groups and %d classes, want 473 and 1381", groups, classes)
	}
}

func TestIndustryTableIsConsistent(t *testing.T) {
	for code, ind := range industries.byCode {
		if ind.Code != code || ind.Section != code[:1] || ind.NameZh == "" {
			t.Errorf("entry %s = %+v", code, ind)
		}
		if len(code) > 1 && ind.Division != code[1:3] {
			t.Errorf("entry %s has division %q", code, ind.Division)
		}
		if len(code) > 3 {
			if _, ok := industries.byCode[code[:len(code)-1]]; !ok {
				t.Errorf("entry %s has no parent %s", code, code[:len(code)-1])
			}
		}
	}
}

func TestLookupIndustry(t *testing.T) {
	tests := []struct {
		code   string
		nameZh string
		nameEn string
	}{
		{"C", "制造业", "Manufacturing"},
		{"C16", "烟草制品业", "Manufacture of Tobacco"},
		{"C39", "计算机、通信和其他电子设备制造业", "Manufacture of Computers, Communication and Other Electronic Equipment"},
		{"C391", "计算机制造", "Manufacture of Computers"},
		{"C3911", "计算机整机制造", "Manufacture of Complete Computers"},
		{"C3973", "集成电路制造", "Manufacture of Integrated Circuits"},
		{"I63", "电信、广播电视和卫星传输服务", "Telecommunications, Broadcasting, Television and Satellite Transmission Services"},
		{"I65", "软件和信息技术服务业", "Software and Information Technology Services"},
		{"I6513", "应用软件开发", "Application Software Development"},
		{"K701", "房地产开发经营", "Real Estate Development and Operation"}, // a group the standard prints on its class's line
		{"K7010", "房地产开发经营", "Real Estate Development and Operation"},
		{"N77", "生态保护和环境治理业", "Ecological Protection and Environmental Governance"},
		{"R90", "娱乐业", "Entertainment"},
		{"A0190", "其他农业", ""},
		{"T9700", "国际组织", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := LookupIndustry(tt.code)
			if err != nil {
				t.Fatalf("LookupIndustry(%s): %v", tt.code, err)
			}
			if got.Code != tt.code || got.NameZh != tt.nameZh || got.NameEn != tt.nameEn || got.Section != tt.code[:1] {
				t.Errorf("LookupIndustry(%s) = %+v, want %s / %s", tt.code, got, tt.nameZh, tt.nameEn)
			}
		})
	}
}

func TestLookupIndustryRejects(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"empty", "", "industry code is empty"},
		{"digits only", "3911", `industry code "3911" must start with its section letter: C3911`},
		{"one digit", "C3", `industry code "C3" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
		{"five digits", "C39111", `industry code "C39111" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
		{"lower-case letter", "c3911", `industry code "c3911" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
		{"letter in digits", "C39X1", `industry code "C39X1" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
		{"section U", "U", `industry code "U": section U does not exist in GB/T 4754-2017 (sections are A–T)`},
		{"division 98", "T98", `industry code "T98": division 98 does not exist in GB/T 4754-2017`},
		{"division 00", "A00", `industry code "A00": division 00 does not exist in GB/T 4754-2017`},
		{"division of another section", "C01", `industry code "C01": division 01 belongs to section A, not C`},
		{"group that does not exist", "C388", `industry code "C388": group 388 does not exist in GB/T 4754-2017`},
		{"class that does not exist", "C3918", `industry code "C3918": class 3918 does not exist in GB/T 4754-2017`},
		{"class of the 2011 edition", "I6510", `industry code "I6510": class 6510 does not exist in GB/T 4754-2017`},
		{"space", "C 3911", `industry code "C 3911" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LookupIndustry(tt.code)
			if err == nil {
				t.Fatalf("LookupIndustry(%q) = nil error, want %q", tt.code, tt.want)
			}
			if got := apperr.MessageOf(err); got != tt.want || apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("LookupIndustry(%q) error\n got  %s %q\n want invalid %q", tt.code, apperr.CodeOf(err), got, tt.want)
			}
		})
	}
}

func TestNormalizeIndustryCode(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"record form", "C3911", "C3911", ""},
		{"digits only", "3911", "C3911", ""},
		{"division digits", "65", "I65", ""},
		{"lower-case letter and spaces", " i6513 ", "I6513", ""},
		{"unknown class", "3918", "", `industry code "C3918": class 3918 does not exist in GB/T 4754-2017`},
		{"unknown division", "98", "", `industry code "98" is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeIndustryCode(tt.in)
			if got != tt.want || apperr.MessageOf(err) != orInternal(tt.wantErr) {
				t.Errorf("NormalizeIndustryCode(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// orInternal maps "no error expected" to what apperr.MessageOf(nil) returns.
func orInternal(msg string) string {
	if msg == "" {
		return apperr.MessageOf(nil)
	}
	return msg
}

func TestSectionOf(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"C3911", "C"}, {"C", "C"}, {"T", "T"}, {"3911", "C"}, {"65", "I"}, {"I651", "I"},
		{"K7010", "K"}, {"A0111", "A"},
		{"", ""}, {"U", ""}, {"Z", ""}, {"A3911", ""}, {"C3", ""}, {"C39111", ""},
		{"98", ""}, {"00", ""}, {"C39X", ""}, {"c3911", ""},
	}
	for _, tt := range tests {
		if got := SectionOf(tt.code); got != tt.want {
			t.Errorf("SectionOf(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = SectionOf("C3911") }); allocs != 0 {
		t.Errorf("SectionOf allocates %.0f times per call, want 0", allocs)
	}
}

func TestIndustryName(t *testing.T) {
	c, _ := LookupIndustry("C")
	cls, _ := LookupIndustry("A0111")
	tests := []struct {
		name string
		ind  Industry
		lang string
		want string
	}{
		{"English when asked", c, "en", "Manufacturing"},
		{"English with region", c, "en-GB", "Manufacturing"},
		{"Chinese by default", c, "zh-CN", "制造业"},
		{"Chinese when no English name", cls, "en", "稻谷种植"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ind.Name(tt.lang); got != tt.want {
				t.Errorf("Name(%q) = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestSectionsAndDivisionsAreCopies(t *testing.T) {
	s := Sections()
	s[0].NameZh = "changed"
	d := Divisions()
	d[0].NameZh = "changed"
	if Sections()[0].NameZh == "changed" || Divisions()[0].NameZh == "changed" {
		t.Error("callers can change the table through Sections or Divisions")
	}
}

func TestParseIndustryTableRejects(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"code before section", "01\t农业\n", "line 1: code 01 comes before any section"},
		{"duplicate", "A\t农\n01\t农业\n01\t农业\n", "line 3: division 01 appears twice"},
		{"class outside its section", "A\t农\n01\t农业\nB\t采矿\n0111\t稻谷\n", "line 4: code 0111 is not under a division of section B"},
		{"missing name", "A\n", "line 1: want code, Chinese name and an optional English name separated by tabs"},
		{"bad code", "A\t农\n1\tx\n", `line 2: "1" is not a section letter A–T or a code of 2 to 4 digits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseIndustryTable(tt.text)
			if err == nil || err.Error() != tt.want {
				t.Errorf("parseIndustryTable error = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzLookupIndustry(f *testing.F) {
	for _, s := range []string{"C3911", "C", "I65", "K701", "3911", "C01", "U", "", "C39111", "c3911", "T9700", "A0\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		ind, err := LookupIndustry(code)
		section := SectionOf(code)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid || !strings.HasPrefix(apperr.MessageOf(err), "industry code") {
				t.Fatalf("LookupIndustry(%q) error %v is not an invalid-input error naming the code", code, err)
			}
			return
		}
		if ind.Code != code || ind.Section != section || ind.NameZh == "" {
			t.Fatalf("LookupIndustry(%q) = %+v, SectionOf = %q", code, ind, section)
		}
		if n, err := NormalizeIndustryCode(code); err != nil || n != code {
			t.Fatalf("NormalizeIndustryCode(%q) = %q, %v; want it unchanged", code, n, err)
		}
		if len(code) > 1 {
			if n, err := NormalizeIndustryCode(code[1:]); err != nil || n != code {
				t.Fatalf("NormalizeIndustryCode(%q) = %q, %v; want %q", code[1:], n, err, code)
			}
		}
	})
}
