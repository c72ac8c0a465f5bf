package enterprise

import (
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// publishedUSCCs are codes of real organisations, published on their business
// licences and in public registries, or used as the valid case of widely
// used open-source validators. They cover authorities 1, 5 and 9, a type-2
// and a type-3 check that is not a digit, organisation codes from before and
// after 2015 (the "MA…" ones), and check characters X and 0–9 and letters.
var publishedUSCCs = []struct {
	code, holder string
}{
	{"91110108551385082Q", "小米科技有限责任公司 (Xiaomi)"},
	{"914403001922038216", "华为技术有限公司 (Huawei Technologies)"},
	{"91440300708461136T", "深圳市腾讯计算机系统有限公司 (Tencent)"},
	{"91330100799655058B", "阿里巴巴（中国）有限公司 (Alibaba China)"},
	{"91350100M000100Y43", "the valid case of hutool's CreditCodeUtil tests"},
	{"91110105771583283D", "published enterprise, Beijing Chaoyang"},
	{"91110000802100433B", "published enterprise, Beijing"},
	{"91110108740084270C", "published enterprise, Beijing Haidian"},
	{"91110108735106340Y", "published enterprise, Beijing Haidian"},
	{"911101077776591113", "published enterprise, Beijing Shijingshan"},
	{"91440300359143307G", "published enterprise, Shenzhen"},
	{"91110228397176695A", "published enterprise, Beijing Miyun"},
	{"91341000MA2N0ABGXX", "enterprise registered after 2015, Huangshan (organisation check X)"},
	{"112302070019030687", "state organ (机关), Heilongjiang"},
	{"11610923MB2900168E", "state organ (机关), Shaanxi, post-2015 organisation code"},
	{"1134082855783407XL", "state organ (机关), Anhui (organisation check X)"},
	{"51610700305332460K", "social organisation (社会团体), Hanzhong"},
}

func TestValidateUSCCAcceptsPublishedCodes(t *testing.T) {
	for _, c := range publishedUSCCs {
		t.Run(c.code, func(t *testing.T) {
			if err := ValidateUSCC(c.code); err != nil {
				t.Errorf("ValidateUSCC(%s) [%s] = %v, want nil", c.code, c.holder, err)
			}
		})
	}
}

func TestValidateUSCCRejects(t *testing.T) {
	tests := []struct {
		name string
		code string
		want string
	}{
		{"empty", "", "USCC must have 18 characters, got 0"},
		{"too short", "91350100M000100Y4", "USCC must have 18 characters, got 17"},
		{"too long", "91350100M000100Y433", "USCC must have 18 characters, got 19"},
		{"length counts characters not bytes", "9135０100M000100Y43", "USCC character 5 '０' is not allowed: only digits and the letters ABCDEFGHJKLMNPQRTUWXY are used"},
		{"letter I", "9135I100M000100Y43", "USCC character 5 'I' is not allowed (I, O, S, V, Z are never used)"},
		{"letter O", "91350100M0001OOY43", "USCC character 14 'O' is not allowed (I, O, S, V, Z are never used)"},
		{"letter Z at the end", "91350100M000100Y4Z", "USCC character 18 'Z' is not allowed (I, O, S, V, Z are never used)"},
		{"lower case", "91350100m000100Y43", "USCC character 9 'm' must be upper case"},
		{"punctuation", "91350100-000100Y43", "USCC character 9 '-' is not allowed: only digits and the letters ABCDEFGHJKLMNPQRTUWXY are used"},
		{"Chinese character", "91350100M00010中Y43", "USCC character 15 '中' is not allowed: only digits and the letters ABCDEFGHJKLMNPQRTUWXY are used"},
		{"unknown authority 0", "01350100M000100Y43", "USCC registration authority code '0' is unknown"},
		{"unknown authority B", "B1350100M000100Y43", "USCC registration authority code 'B' is unknown"},
		{"type 4 under market regulation", "94350100M000100Y43", "USCC type code '4' is not valid for registration authority '9' (market regulation): expected one of 1, 2, 3"},
		{"type 9 under market regulation", "99350100M000100Y43", "USCC type code '9' is not valid for registration authority '9' (market regulation): expected one of 1, 2, 3"},
		{"type 2 under other", "Y2350100M000100Y43", "USCC type code '2' is not valid for registration authority 'Y' (other): expected one of 1"},
		{"type 3 under the CMC office", "A3350100M000100Y43", "USCC type code '3' is not valid for registration authority 'A' (CMC reform and staffing office): expected one of 1, 9"},
		{"letter in the division", "9135A100M000100Y43", "USCC character 5 'A' must be a digit: characters 3–8 are the administrative division code"},
		{"check digit wrong", "91350100M000100Y4K", "USCC check digit is 'K', expected '3'"},
		{"check digit wrong, Huawei", "914403001922038217", "USCC check digit is '7', expected '6'"},
		{"transposed digits caught by the check digit", "91110180551385082Q", "USCC check digit is 'Q', expected '1'"},
		{"padded with space", " 91350100M000100Y43", "USCC must have 18 characters, got 19"},
		{"invalid UTF-8", "91350100M000100Y4\xff", "USCC character 18 is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateUSCC(tt.code)
			if err == nil {
				t.Fatalf("ValidateUSCC(%q) = nil, want %q", tt.code, tt.want)
			}
			if got := apperr.MessageOf(err); got != tt.want {
				t.Errorf("ValidateUSCC(%q) message\n got  %q\n want %q", tt.code, got, tt.want)
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("ValidateUSCC(%q) code = %s, want invalid", tt.code, apperr.CodeOf(err))
			}
		})
	}
}

// TestValidateUSCCCatchesEverySingleSubstitution checks the property the
// check digit is designed for: changing any one character of a valid code to
// another allowed character makes it invalid.
func TestValidateUSCCCatchesEverySingleSubstitution(t *testing.T) {
	for _, c := range publishedUSCCs {
		for pos := 0; pos < 18; pos++ {
			for i := 0; i < len(usccAlphabet); i++ {
				r := usccAlphabet[i]
				if r == c.code[pos] {
					continue
				}
				changed := c.code[:pos] + string(r) + c.code[pos+1:]
				if ValidateUSCC(changed) == nil {
					t.Errorf("%s with character %d changed to %c (%s) is accepted", c.code, pos+1, r, changed)
				}
			}
		}
	}
}

func TestCheckOrganizationCode(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"organisation check wrong", "91350100M000100Y56", "USCC organisation code M000100Y5 has check character '5', expected '4' (GB 11714)"},
		{"organisation check wrong on a numeric code", "914403001922038229", "USCC organisation code 192203822 has check character '2', expected '1' (GB 11714)"},
		{"the brief's sample code", "91330106MA2GL1234M", "USCC organisation code MA2GL1234 has check character '4', expected 'X' (GB 11714)"},
		{"valid", "91350100M000100Y43", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOrganizationCode(tt.code)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("CheckOrganizationCode(%q) = %q, want %q", tt.code, got, tt.want)
			}
		})
	}
}

func TestValidateUSCCAcceptsBriefSample(t *testing.T) {
	// The data contract's sample record: its check digit holds, its GB 11714
	// character does not, and it must import.
	if err := ValidateUSCC("91330106MA2GL1234M"); err != nil {
		t.Errorf("brief sample: %v", err)
	}
}

func TestValidateUSCCAcceptsCorrectedBriefSample(t *testing.T) {
	// The brief's sample with its organisation code completed by its GB 11714
	// check character and the check digit recomputed: a valid code for
	// fixtures that want the brief's Hangzhou Xihu shape.
	if err := ValidateUSCC("91330106MA2GL123X3"); err != nil {
		t.Errorf("corrected sample: %v", err)
	}
}

func TestUSCCCheckDigit(t *testing.T) {
	for _, c := range publishedUSCCs {
		got, err := USCCCheckDigit(c.code[:17])
		if err != nil || got != c.code[17] {
			t.Errorf("USCCCheckDigit(%s) = %q, %v; want %q", c.code[:17], got, err, c.code[17])
		}
	}
	errs := []struct {
		name, in, want string
	}{
		{"full code", "91350100M000100Y43", "USCC check digit needs the first 17 characters, got 18"},
		{"forbidden letter", "91350100M000100S4", "USCC character 16 'S' is not allowed (I, O, S, V, Z are never used)"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := USCCCheckDigit(tt.in)
			if got := apperr.MessageOf(err); err == nil || got != tt.want {
				t.Errorf("USCCCheckDigit(%q) error = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestNormalizeUSCC(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"canonical unchanged", "91350100M000100Y43", "91350100M000100Y43"},
		{"lower case", "91350100m000100y43", "91350100M000100Y43"},
		{"surrounding space", "  91350100M000100Y43\t", "91350100M000100Y43"},
		{"full-width characters", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"},
		{"ideographic space inside", "913501　00M000100Y43", "91350100M000100Y43"},
		{"grouped as on a licence", "9135 0100 M000 100Y 43", "91350100M000100Y43"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeUSCC(tt.in); got != tt.want {
				t.Errorf("NormalizeUSCC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMakeUSCC(t *testing.T) {
	seen := map[string]uint64{}
	for _, serial := range []uint64{0, 1, 2, 30, 31, 961, 123456, orgSerialBase - 1} {
		code := MakeUSCC("440305", serial)
		if err := ValidateUSCC(code); err != nil {
			t.Errorf("MakeUSCC(440305, %d) = %s, invalid: %v", serial, code, err)
		}
		if !strings.HasPrefix(code, "91440305MA") {
			t.Errorf("MakeUSCC(440305, %d) = %s, want an enterprise code of division 440305 with an MA organisation code", serial, code)
		}
		if other, dup := seen[code]; dup {
			t.Errorf("MakeUSCC gives %s for serials %d and %d", code, other, serial)
		}
		seen[code] = serial
	}
	if got, want := MakeUSCC("440305", orgSerialBase), MakeUSCC("440305", 0); got != want {
		t.Errorf("serial 31^6 = %s, want it to wrap to serial 0's %s", got, want)
	}
}

func TestMakeUSCCPanicsOnBadDivision(t *testing.T) {
	for _, div := range []string{"", "44030", "4403055", "44O305"} {
		t.Run(div, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("MakeUSCC(%q, 1) did not panic", div)
				}
			}()
			MakeUSCC(div, 1)
		})
	}
}

func FuzzValidateUSCC(f *testing.F) {
	for _, c := range publishedUSCCs {
		f.Add(c.code)
	}
	f.Add("")
	f.Add("91350100M000100Y4")
	f.Add("9135０100M000100Y43")
	f.Add("\xff\xfe91350100M000100Y4")
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateUSCC(s)
		if err == nil {
			// Anything accepted is canonical, rebuilds from its parts, and
			// carries a check digit that a change at the end would break.
			if NormalizeUSCC(s) != s {
				t.Fatalf("accepted %q is not canonical", s)
			}
			d, cerr := USCCCheckDigit(s[:17])
			if cerr != nil || s[:17]+string(d) != s {
				t.Fatalf("accepted %q does not round-trip: check digit %q, %v", s, d, cerr)
			}
			if orgCodeCheck(s[8:16]) != s[16] {
				t.Fatalf("accepted %q has a wrong organisation check", s)
			}
			return
		}
		if apperr.CodeOf(err) != apperr.Invalid || apperr.MessageOf(err) == "" {
			t.Fatalf("ValidateUSCC(%q) = %v, want an invalid-input error with a message", s, err)
		}
		// The fix people try first must never make an invalid code pass
		// without also being canonical.
		if n := NormalizeUSCC(s); ValidateUSCC(n) == nil && NormalizeUSCC(n) != n {
			t.Fatalf("NormalizeUSCC(%q) = %q is valid but not stable", s, n)
		}
	})
}

func FuzzMakeUSCC(f *testing.F) {
	f.Add(uint32(440305), uint64(0))
	f.Add(uint32(110108), uint64(887503680))
	f.Add(uint32(0), uint64(1<<63))
	f.Fuzz(func(t *testing.T, div uint32, serial uint64) {
		division := strings.Repeat("0", 6)
		d := div % 1000000
		b := []byte(division)
		for i := 5; i >= 0; i-- {
			b[i] = byte('0' + d%10)
			d /= 10
		}
		code := MakeUSCC(string(b), serial)
		if err := ValidateUSCC(code); err != nil {
			t.Fatalf("MakeUSCC(%s, %d) = %s, invalid: %v", b, serial, code, err)
		}
	})
}
