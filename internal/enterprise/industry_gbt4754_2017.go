package enterprise

import (
	_ "embed"
	"fmt"
	"strings"
)

// industryTSV is GB/T 4754-2017 国民经济行业分类: every section, division,
// group and class with its Chinese name, and English names for sections,
// divisions and the codes the policies name. See the file header for its
// format.
//
//go:embed industry_gbt4754_2017.tsv
var industryTSV string

// industryTable is the parsed classification.
type industryTable struct {
	byCode    map[string]Industry // full codes with their section letter: "C", "C39", "C391", "C3911"
	sections  []Industry          // in code order
	divisions []Industry          // in code order
	// sectionOfDivision maps a division number (01–97) to its section
	// letter, 0 where no such division exists. It is what lets hot paths
	// check a code without a map lookup.
	sectionOfDivision [100]byte
}

// industries is loaded once at start-up from the embedded table; a malformed
// table is a build defect, so loading panics rather than returning an error.
var industries = mustParseIndustryTable(industryTSV)

func mustParseIndustryTable(text string) *industryTable {
	t, err := parseIndustryTable(text)
	if err != nil {
		panic("enterprise: embedded GB/T 4754-2017 table: " + err.Error())
	}
	return t
}

func parseIndustryTable(text string) (*industryTable, error) {
	t := &industryTable{byCode: make(map[string]Industry, 2000)}
	var section byte
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields) > 3 || fields[1] == "" {
			return nil, fmt.Errorf("line %d: want code, Chinese name and an optional English name separated by tabs", n+1)
		}
		code, zh, en := fields[0], fields[1], ""
		if len(fields) == 3 {
			en = fields[2]
		}
		switch {
		case len(code) == 1 && code[0] >= 'A' && code[0] <= 'T':
			section = code[0]
			ind := Industry{Code: code, Section: code, NameZh: zh, NameEn: en}
			if err := t.add(ind); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
			t.sections = append(t.sections, ind)
		case len(code) >= 2 && len(code) <= 4 && isDigits(code):
			if section == 0 {
				return nil, fmt.Errorf("line %d: code %s comes before any section", n+1, code)
			}
			div := int(code[0]-'0')*10 + int(code[1]-'0')
			if len(code) == 2 {
				if t.sectionOfDivision[div] != 0 {
					return nil, fmt.Errorf("line %d: division %s appears twice", n+1, code)
				}
				t.sectionOfDivision[div] = section
			} else if t.sectionOfDivision[div] != section {
				return nil, fmt.Errorf("line %d: code %s is not under a division of section %c", n+1, code, section)
			}
			full := string(section) + code
			ind := Industry{Code: full, Section: string(section), Division: code[:2], NameZh: zh, NameEn: en}
			if len(code) == 4 {
				// A group holding one class is printed in the standard on
				// the class's line only, so the group takes its names.
				group := full[:4]
				if _, ok := t.byCode[group]; !ok {
					g := ind
					g.Code = group
					if err := t.add(g); err != nil {
						return nil, fmt.Errorf("line %d: %w", n+1, err)
					}
				}
			}
			if err := t.add(ind); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
			if len(code) == 2 {
				t.divisions = append(t.divisions, ind)
			}
		default:
			return nil, fmt.Errorf("line %d: %q is not a section letter A–T or a code of 2 to 4 digits", n+1, code)
		}
	}
	return t, nil
}

func (t *industryTable) add(ind Industry) error {
	if _, dup := t.byCode[ind.Code]; dup {
		return fmt.Errorf("code %s appears twice", ind.Code)
	}
	t.byCode[ind.Code] = ind
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
