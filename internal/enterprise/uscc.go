// Package enterprise holds the registry rules for the enterprises of a park:
// the unified social credit code (GB 32100-2015), the industrial
// classification (GB/T 4754-2017) and the size class of 工信部联企业〔2011〕300号.
package enterprise

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// The unified social credit code (统一社会信用代码) of GB 32100-2015
// 《法人和其他组织统一社会信用代码编码规则》 has 18 characters:
//
//	1      registration authority (登记管理部门代码)
//	2      organisation type within that authority (机构类别代码)
//	3–8    administrative division of the registering office (GB/T 2260)
//	9–17   organisation code (主体标识码) of GB 11714, its own check character at 17
//	18     check character over the first 17
//
// The alphabet leaves out I, O, S, V and Z, which are too easily misread.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for positions 1–17 (GB 32100-2015 §4.3).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCodeWeights are the weights of the eight body characters of a GB 11714
// organisation code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// usccValue maps a byte to its index in usccAlphabet, or -1.
var usccValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		v[usccAlphabet[i]] = int8(i)
	}
	return v
}()

// registrationAuthority is one registration authority of the code table of
// GB 32100-2015 with the organisation types it may register. The table
// includes A (中央军委改革和编制办公室) and N (农业, rural collective economic
// organisations), which registries issue today although early summaries of
// the standard list only 1, 5, 9 and Y.
type registrationAuthority struct {
	code   byte
	nameZh string
	nameEn string
	types  string // the valid second characters
}

var registrationAuthorities = []registrationAuthority{
	{'1', "机构编制", "institutional staffing", "1239"},               // 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
	{'2', "外交", "foreign affairs", "19"},                          // 外国常驻新闻机构, 其他
	{'3', "司法行政", "judicial administration", "123459"},            // 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
	{'4', "文化", "culture", "19"},                                  // 外国在华文化中心, 其他
	{'5', "民政", "civil affairs", "1239"},                          // 社会团体, 民办非企业单位, 基金会, 其他
	{'6', "旅游", "tourism", "129"},                                 // 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
	{'7', "宗教", "religious affairs", "129"},                       // 宗教活动场所, 宗教院校, 其他
	{'8', "工会", "trade unions", "19"},                             // 基层工会, 其他
	{'9', "工商", "market regulation", "123"},                       // 企业, 个体工商户, 农民专业合作社
	{'A', "中央军委改革和编制办公室", "CMC reform and staffing office", "19"}, // 军队事业单位, 其他
	{'N', "农业", "agriculture", "1239"},                            // 组级、村级、乡镇级集体经济组织, 其他
	{'Y', "其他", "other", "1"},                                     // not divided into types
}

func authorityOf(c byte) *registrationAuthority {
	for i := range registrationAuthorities {
		if registrationAuthorities[i].code == c {
			return &registrationAuthorities[i]
		}
	}
	return nil
}

// ValidateUSCC checks a unified social credit code against GB 32100-2015 and
// returns nil when it is valid. The error is an *apperr.Error with code
// Invalid whose message names the first rule broken, so that importers can use
// it as the reason of a problem. Codes must already be in canonical form
// (upper case, no spaces): see NormalizeUSCC.
func ValidateUSCC(s string) error {
	if n := utf8.RuneCountInString(s); n != 18 {
		return invalidUSCC("USCC must have 18 characters, got %d", n)
	}
	if err := checkUSCCAlphabet(s); err != nil {
		return err
	}
	auth := authorityOf(s[0])
	if auth == nil {
		return invalidUSCC("USCC registration authority code '%c' is unknown", s[0])
	}
	if strings.IndexByte(auth.types, s[1]) < 0 {
		return invalidUSCC("USCC type code '%c' is not valid for registration authority '%c' (%s): expected one of %s",
			s[1], auth.code, auth.nameEn, strings.Join(strings.Split(auth.types, ""), ", "))
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return invalidUSCC("USCC character %d '%c' must be a digit: characters 3–8 are the administrative division code", i+1, s[i])
		}
	}
	if want := usccCheck(s[:17]); s[17] != want {
		return invalidUSCC("USCC check digit is '%c', expected '%c'", s[17], want)
	}
	return nil
}

// CheckOrganizationCode checks the GB 11714 check character (position 17)
// of the organisation code inside a valid USCC. ValidateUSCC does not require
// it: GB 32100-2015 protects the code with the check digit at position 18,
// and codes in circulation — the sample record of the project's data
// contract among them — carry body codes whose GB 11714 character does not
// hold. Stricter checks (lint, data-quality reports) call this.
func CheckOrganizationCode(s string) error {
	if err := ValidateUSCC(s); err != nil {
		return err
	}
	if want := orgCodeCheck(s[8:16]); s[16] != want {
		return invalidUSCC("USCC organisation code %s has check character '%c', expected '%c' (GB 11714)", s[8:17], s[16], want)
	}
	return nil
}

// USCCCheckDigit returns the check character (position 18) for the first 17
// characters of a unified social credit code. It checks only their number and
// alphabet, not their meaning.
func USCCCheckDigit(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != 17 {
		return 0, invalidUSCC("USCC check digit needs the first 17 characters, got %d", n)
	}
	if err := checkUSCCAlphabet(first17); err != nil {
		return 0, err
	}
	return usccCheck(first17), nil
}

// NormalizeUSCC puts a code as people type or paste it into canonical form:
// white space removed (a code never contains any, but spreadsheets and
// licences group its characters), full-width characters (common with Chinese
// input methods) made ASCII, letters upper-cased. It does not validate.
func NormalizeUSCC(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		if r >= '！' && r <= '～' { // full-width ASCII block
			r -= '！' - '!'
		}
		return unicode.ToUpper(r)
	}, s)
}

// orgSerialBase is the number of distinct serials MakeUSCC encodes before it
// wraps: six characters of the 31-character alphabet.
const orgSerialBase = 31 * 31 * 31 * 31 * 31 * 31

// MakeUSCC builds a valid code for the demo park: registration authority 9
// (market regulation), type 1 (enterprise), the given six-digit division
// code, an organisation code "MA" + six characters encoding serial (the shape
// market regulators have issued since 2015) with its GB 11714 check
// character, and the check digit. Serials below 31^6 (887,503,681) give
// distinct codes. It panics when divisionCode is not six digits, which is a
// programming error in the caller.
func MakeUSCC(divisionCode string, serial uint64) string {
	if len(divisionCode) != 6 || strings.Trim(divisionCode, "0123456789") != "" {
		panic(fmt.Sprintf("enterprise.MakeUSCC: division code %q is not six digits", divisionCode))
	}
	var b [18]byte
	b[0], b[1] = '9', '1'
	copy(b[2:8], divisionCode)
	b[8], b[9] = 'M', 'A'
	n := serial % orgSerialBase
	for i := 15; i >= 10; i-- {
		b[i] = usccAlphabet[n%31]
		n /= 31
	}
	b[16] = orgCodeCheck(string(b[8:16]))
	b[17] = usccCheck(string(b[:17]))
	return string(b[:])
}

// checkUSCCAlphabet reports the first character outside the alphabet, with
// the reason people most often get it wrong.
func checkUSCCAlphabet(s string) error {
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case r < utf8.RuneSelf && usccValue[r] >= 0:
			continue
		case r == 'I' || r == 'O' || r == 'S' || r == 'V' || r == 'Z':
			return invalidUSCC("USCC character %d '%c' is not allowed (I, O, S, V, Z are never used)", pos, r)
		case r >= 'a' && r <= 'z':
			return invalidUSCC("USCC character %d '%c' must be upper case", pos, r)
		case r == utf8.RuneError:
			return invalidUSCC("USCC character %d is not valid UTF-8", pos)
		default:
			return invalidUSCC("USCC character %d %q is not allowed: only digits and the letters %s are used", pos, r, usccAlphabet[10:])
		}
	}
	return nil
}

// usccCheck computes the GB 32100-2015 check character of 17 characters
// already known to be in the alphabet.
func usccCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(usccValue[first17[i]]) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c]
}

// orgCodeCheck computes the GB 11714-1997 check character of the eight body
// characters of an organisation code: digits count their value, letters
// A=10 … Z=35, C9 = 11 - (Σ Ci·Wi mod 11), where 10 is written X and 11 is 0.
func orgCodeCheck(body string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func invalidUSCC(format string, args ...any) error {
	return apperr.Errorf(apperr.Invalid, format, args...)
}
