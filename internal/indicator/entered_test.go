package indicator

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func TestParseEntries(t *testing.T) {
	es, err := ParseEntries("stats.csv", []byte("园区,指标,期间,数值,来源\nhz,gdp,2023Q1,18.76亿,统计局\nhz,tax_revenue,2023-03,120000000,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Value != "1876000000.00" || es[1].Source != "stats.csv" {
		t.Errorf("%+v", es)
	}
	_, err = ParseEntries("stats.csv", []byte("park,indicator,period,value\nhz,gdp,2023Q9,1\n,projects_signed,2023,x\n"))
	probs := apperr.ProblemsOf(err)
	if len(probs) != 4 || probs[0].Row != 2 || probs[0].Field != "period" || probs[1].Row != 3 || probs[1].Field != "indicator" {
		t.Errorf("problems %+v", probs)
	}
}

func FuzzParseEntries(f *testing.F) {
	f.Add([]byte("park,indicator,period,value,source\nhz,gdp,2023Q1,18.76亿,统计局\n"))
	f.Add([]byte("park,indicator,period,value\nhz,gdp,2023-13,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := ParseEntries("f.csv", data)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error of code %s: %v", apperr.CodeOf(err), err)
			}
			return
		}
		for _, e := range es {
			if e.Park == "" || e.Source == "" {
				t.Fatalf("accepted %+v", e)
			}
			if _, err := parsePeriod(e.Period); err != nil {
				t.Fatalf("accepted period %q", e.Period)
			}
		}
	})
}
