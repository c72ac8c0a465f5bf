package outreach

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestParseGrants(t *testing.T) {
	t.Parallel()
	const uscc = "91330106MA2GL1234M"
	cases := []struct {
		name     string
		file     string
		rows     int
		problems []string // "row:field" of each problem
	}{
		{"a good file", "\ufeffUSCC,policy,amount,granted_on\n" + uscc + ",hnte,1200.5,2025-06-01\n\n" + uscc + ",tech-sme,1,2025-06-02\n", 2, nil},
		{"columns in any order, with offer", "granted_on,offer,amount,policy,uscc\n2025-06-01,12,10,hnte," + uscc + "\n", 1, nil},
		{"empty", "", 0, []string{"1:"}},
		{"a missing column", "uscc,policy,amount\n", 0, []string{"1:granted_on"}},
		{"an unknown and a repeated column", "uscc,policy,amount,granted_on,uscc,note\n", 0, []string{"1:uscc", "1:note"}},
		{"bad rows", "uscc,policy,amount,granted_on,offer\n" +
			"123,hnte,1.001,2025-13-01,x\n" +
			uscc + ",,-5,2025-06-01,\n", 0,
			[]string{"2:uscc", "2:offer", "2:amount", "2:granted_on", "3:policy", "3:amount"}},
		{"a broken quote", "uscc,policy,amount,granted_on\n\"" + uscc + ",hnte,1,2025-06-01\n", 0, []string{"2:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := ParseGrants("grants.csv", strings.NewReader(c.file))
			var got []string
			for _, p := range apperr.ProblemsOf(err) {
				got = append(got, fmt.Sprintf("%d:%s", p.Row, p.Field))
				if p.File != "grants.csv" {
					t.Errorf("problem %v does not name the file", p)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.problems, " ") {
				t.Errorf("problems %v, want %v (%v)", got, c.problems, err)
			}
			if len(rows) != c.rows {
				t.Errorf("%d rows, want %d", len(rows), c.rows)
			}
			if err == nil && rows[0].Amount != "1200.50" && c.name == "a good file" {
				t.Errorf("amount %q, want 1200.50", rows[0].Amount)
			}
		})
	}
}

func FuzzParseGrants(f *testing.F) {
	f.Add("uscc,policy,amount,granted_on\n91330106MA2GL1234M,hnte,1200.5,2025-06-01\n")
	f.Add("granted_on,offer,amount,policy,uscc\n2025-06-01,12,10,hnte,91330106MA2GL1234M\n")
	f.Add("uscc,policy\n\"unterminated")
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := ParseGrants("f.csv", strings.NewReader(file))
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid || len(apperr.ProblemsOf(err)) == 0 {
				t.Fatalf("an error without the problems: %v", err)
			}
			if rows != nil {
				t.Fatal("rows returned with an error")
			}
			return
		}
		for _, r := range rows {
			f, ok := ParseFen(r.Amount)
			if !ok || f <= 0 || f.String() != r.Amount {
				t.Fatalf("row %d: amount %q is not canonical", r.Row, r.Amount)
			}
			if _, err := time.Parse(time.DateOnly, r.On); err != nil {
				t.Fatalf("row %d: date %q", r.Row, r.On)
			}
		}
	})
}

func TestImportGrants(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		e1, _ := mustEnterprise(t, db, "甲", "a")
		e2, _ := mustEnterprise(t, db, "乙", "b")
		p1, p2 := deliveredPackage(t, s, db, e1), deliveredPackage(t, s, db, e2)
		u1, u2 := usccOf(t, db, e1), usccOf(t, db, e2)
		if err := s.Respond(ctx, liaison(e2), p2.Items[1].ID, Answer{Status: ItemDeclined, Reason: "不需要"}); err != nil {
			t.Fatal(err)
		}
		header := "uscc,policy,amount,granted_on\n"
		bad := header +
			u1 + ",hnte,100000,2025-06-10\n" + // fine
			u1 + ",tech-sme,1,2025-06-10\n" + // never offered
			"91330106MA2GL0000X,hnte,1,2025-06-10\n" + // no such enterprise
			u2 + ",small-low-profit-2023,1,2025-06-10\n" + // declined
			u1 + ",hnte,5,2025-06-11\n" + // the same offer again
			u1 + ",small-low-profit-2023,5,2099-01-01\n" // in the future
		_, err := s.ImportGrants(ctx, officer(0), "bad.csv", strings.NewReader(bad))
		var rows []int
		for _, p := range apperr.ProblemsOf(err) {
			rows = append(rows, p.Row)
		}
		if fmt.Sprint(rows) != "[3 4 5 6 7]" {
			t.Errorf("problems on rows %v, want [3 4 5 6 7]: %v", rows, err)
		}
		if got, _ := s.Package(ctx, system, p1.ID); got.Items[0].Status == ItemGranted {
			t.Error("a refused file recorded a grant")
		}
		// A park-limited officer cannot grant another park's enterprise.
		_, err = s.ImportGrants(ctx, officer(1), "park.csv", strings.NewReader(header+u2+",hnte,1,2025-06-10\n"))
		if len(apperr.ProblemsOf(err)) != 1 {
			t.Errorf("a park-1 officer granted park 2's offer: %v", err)
		}
		good := header + u1 + ",hnte,100000,2025-06-10\n" + u2 + ",hnte,99999.99,2025-06-12\n"
		report, err := s.ImportGrants(ctx, officer(0), "good.csv", strings.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		if report.Grants != 2 || report.Total.String() != "199999.99" {
			t.Errorf("report %+v, want 2 grants of 199999.99", report)
		}
		r, err := s.Report(ctx, officer(0))
		if err != nil {
			t.Fatal(err)
		}
		want := Figures{Pushed: 4, PushedAmount: 100000000, Confirmed: 2, ConfirmedAmount: 24000000,
			Granted: 2, GrantedAmount: 19999999, Declined: 1}
		if r.Total != want {
			t.Errorf("report total %+v, want %+v", r.Total, want)
		}
		if len(r.ByPolicy) != 2 || r.ByPolicy[0].Key != "hnte" || r.ByPolicy[0].Granted != 2 {
			t.Errorf("by policy %+v", r.ByPolicy)
		}
		if len(r.ByChannel) != 1 || r.ByChannel[0].Key != "portal" || r.ByChannel[0].Pushed != 4 {
			t.Errorf("by channel %+v", r.ByChannel)
		}
		if len(r.ByMonth) != 1 || r.ByMonth[0].Key != "2025-06" || r.ByMonth[0].Figures != want {
			t.Errorf("by month %+v, want one month with %+v", r.ByMonth, want)
		}
		parkA, err := s.Report(ctx, officer(parkOf(t, db, e1)))
		if err != nil || parkA.Total.Pushed != 2 {
			t.Errorf("a park's report counts %d offers (%v), want its 2", parkA.Total.Pushed, err)
		}
		if _, err := s.Report(ctx, liaison(e1)); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison read the report: %v", err)
		}
	})
}

func parkOf(t *testing.T, db *store.DB, e int64) int64 {
	t.Helper()
	var park int64
	if err := db.QueryRow(context.Background(), "SELECT park_id FROM enterprises WHERE id = ?", e).Scan(&park); err != nil {
		t.Fatal(err)
	}
	return park
}

func TestFen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want, grouped string
		ok                bool
	}{
		{"1760000", "1760000.00", "1,760,000.00", true},
		{"1760000.5", "1760000.50", "1,760,000.50", true},
		{"0.05", "0.05", "0.05", true},
		{"123.", "", "", false},
		{"1.234", "", "", false},
		{"-1", "", "", false},
		{"1e3", "", "", false},
		{"1,000", "", "", false},
		{"", "", "", false},
		{"99999999999999999", "", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			f, ok := ParseFen(c.in)
			if ok != c.ok {
				t.Fatalf("ParseFen(%q) ok %v, want %v", c.in, ok, c.ok)
			}
			if ok && (f.String() != c.want || f.Grouped() != c.grouped) {
				t.Errorf("ParseFen(%q) = %s / %s, want %s / %s", c.in, f, f.Grouped(), c.want, c.grouped)
			}
		})
	}
}

func FuzzParseFen(f *testing.F) {
	for _, s := range []string{"1760000.00", "0.5", "12.", ".5", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseFen(s)
		if !ok {
			return
		}
		if v < 0 {
			t.Fatalf("%q gave %d", s, v)
		}
		back, ok := ParseFen(v.String())
		if !ok || back != v {
			t.Fatalf("%q → %s does not read back", s, v)
		}
	})
}
