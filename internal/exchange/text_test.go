package exchange

import (
	"context"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestImportTextRule: text is trimmed of the white space around it and
// refused with a control character (NUL first of all) inside it; a JSON
// object that gives a key twice is refused, naming the record and the
// field (issue 11, point 9).
func TestImportTextRule(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		ctx := context.Background()

		bad := []struct {
			file File
			want string // the problem, as apperr.Problem.String shows it
		}{
			{csvFile("nul.csv", entHeader, testUSCC(1)+",甲\x00公司,,,,"), "nul.csv row 2 (USCC " + testUSCC(1) + "): field name: contains a control character, NUL (U+0000), at character 2"},
			{csvFile("tab.csv", entHeader, testUSCC(2)+",\"乙\t公司\",,,,"), "tab.csv row 2 (USCC " + testUSCC(2) + "): field name: contains a control character, U+0009"},
			{File{Name: "nul.json", Data: []byte(`{"uscc":"` + testUSCC(3) + `","name":"丙\u0000","facts":{}}`)}, "nul.json record 1 (USCC " + testUSCC(3) + "): field name: contains a control character, NUL"},
			{File{Name: "dup.json", Data: []byte(`{"uscc":"` + testUSCC(4) + `","name":"丁","name":"戊","facts":{}}`)}, `dup.json record 1: field name: the key "name" is given twice`},
			{File{Name: "dupfact.json", Data: []byte(`{"uscc":"` + testUSCC(5) + `","name":"己","facts":{"revenue":{"2023":1,"2023":1000000000}}}`)}, `dupfact.json record 1: field revenue: the key "2023" is given twice in facts.revenue`},
			{File{Name: "dupperiod.json", Data: []byte(`{"uscc":"` + testUSCC(6) + `","name":"庚","facts":{"revenue":{"2023":1," 2023 ":2}}}`)}, "dupperiod.json record 1 (USCC " + testUSCC(6) + "): field revenue: period 2023 is given twice"},
		}
		for _, tt := range bad {
			before := tableCounts(t, db)
			rep, err := Import(ctx, db, []File{tt.file}, Options{Actor: "test"})
			if apperr.CodeOf(err) != apperr.Invalid || rep.ProblemsTotal != 1 || !strings.HasPrefix(rep.Problems[0].String(), tt.want) {
				t.Errorf("%s: %v (problems %v), want %q", tt.file.Name, err, rep.Problems, tt.want)
			}
			if after := tableCounts(t, db); !sameCounts(before, after) {
				t.Errorf("%s wrote: %v → %v", tt.file.Name, before, after)
			}
		}

		// Surrounding white space, the ideographic space included, is
		// trimmed by rule, in every place a text is taken.
		good := File{Name: "spaces.json", Data: []byte(`{"uscc":" ` + testUSCC(7) + ` ","name":"\u3000辛公司 ","registered_on":" 2016-05-12 ",` +
			`"industry_code":" C3911 ","park":" hz ","tags":[" srdi "],"facts":{"vat_taxpayer_type":" general ","revenue":{" 2023 ":100}}}`)}
		sheet := csvFile("spaces.csv", entHeader, testUSCC(8)+", 壬公司\u3000, 2016-05-12 , C3911 , hz , srdi ")
		mustImport(t, db, good, sheet)
		out := string(mustExport(t, db, JSON))
		for _, want := range []string{
			`{"uscc":"` + testUSCC(7) + `","name":"辛公司","registered_on":"2016-05-12","industry_code":"C3911","park":"hz","tags":["srdi"],"facts":{"revenue":{"2023":100},"vat_taxpayer_type":"general"}}`,
			`{"uscc":"` + testUSCC(8) + `","name":"壬公司","registered_on":"2016-05-12","industry_code":"C3911","park":"hz","tags":["srdi"],"facts":{}}`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("export lacks %s:\n%s", want, out)
			}
		}
	})
}
