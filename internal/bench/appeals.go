package bench

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// AppealsReport is what BenchAppeals measured.
type AppealsReport struct {
	Appeals, Open, Enterprises int
	Load                       time.Duration // writing the population
	WorkList                   Percentiles   // a department's open appeals, first page
	Measures                   Percentiles   // twelve months of measures, every department
	Recompute                  time.Duration // loading a calendar correction, every open deadline recomputed
	Recomputed                 int
}

// Percentiles of a repeated operation.
type Percentiles struct {
	N        int
	P50, P99 time.Duration
}

func percentiles(d []time.Duration) Percentiles {
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	return Percentiles{N: len(d), P50: at(0.50), P99: at(0.99)}
}

// appealDepartments are the departments the synthetic appeals go to.
var appealDepartments = []string{"econ", "tax", "market", "stats", "science", "industry", "hrss", "emergency", "ecology", "invest"}

// BenchAppeals writes n appeals over a year (2026) for the enterprises —
// one in fifty still open, the rest replied or closed, as a park's book
// looks — with their running measures, then measures through
// appeal.Service: the department's work list and the measures query,
// repeated, and the recompute of every open deadline after a calendar
// change.
func BenchAppeals(ctx context.Context, db *store.DB, n, enterprises, repeat int, seed uint64) (AppealsReport, error) {
	rep := AppealsReport{Appeals: n, Enterprises: enterprises}
	rng := rand.New(rand.NewPCG(seed, 0x61707065616c))
	start := time.Now()
	year := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	stamp := store.FormatTime(year)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertRows(ctx, store.Insert{Table: "enterprises", Columns: []string{"uscc", "name", "industry_code", "created_at", "updated_at"}},
			func(yield func([]any) bool) {
				for i := range enterprises {
					if !yield([]any{enterprise.MakeUSCC("440116", uint64(i+1)), fmt.Sprintf("诉求测试企业%d", i+1), "C3911", stamp, stamp}) {
						return
					}
				}
			})
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("bench: enterprises: %w", err)
	}
	var firstID int64
	if err := db.QueryRow(ctx, "SELECT MIN(id) FROM enterprises").Scan(&firstID); err != nil {
		return rep, err
	}
	cats := []string{"policy", "approval", "land", "finance", "talent", "utilities", "market", "complaint", "other"}
	days := map[string]int{"policy": 1, "land": 10, "complaint": 10}
	// Written in chunks, each its own transaction, as a real book grows.
	const chunk = 50_000
	for from := 0; from < n; from += chunk {
		to := min(n, from+chunk)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.InsertRows(ctx, store.Insert{Table: "appeals", Columns: []string{"enterprise_id", "category", "title", "source", "status",
				"department_code", "owner", "received_at", "budget_minutes", "used_minutes", "clock_from", "due_at", "next_event_at",
				"replied_at", "on_time", "closed_at", "rating", "updated_at"}}, appealRows(rng, from, to, n, firstID, enterprises, cats, days, year, &rep.Open))
			return err
		})
		if err != nil {
			return rep, fmt.Errorf("bench: appeals: %w", err)
		}
	}
	// The running measures, as the service keeps them change by change.
	if _, err := db.Exec(ctx, `INSERT INTO appeal_measures (month, department_code, category, received, replied, on_time, work_minutes, closed, rated, satisfied, reopened)
SELECT substr(received_at, 1, 7), department_code, category, COUNT(*), SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END),
SUM(CASE WHEN on_time THEN 1 ELSE 0 END), SUM(used_minutes), SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END),
SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END), 0
FROM appeals GROUP BY substr(received_at, 1, 7), department_code, category`); err != nil {
		return rep, fmt.Errorf("bench: measures: %w", err)
	}
	if _, err := db.Exec(ctx, "ANALYZE"); err != nil {
		return rep, err
	}
	rep.Load = time.Since(start)

	now := time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC)
	svc := &appeal.Service{DB: db, Now: func() time.Time { return now }}
	officer := auth.Principal{Label: "bench-officer", Role: auth.RoleOfficer, UserID: 1}
	var work, measures []time.Duration
	for i := range repeat {
		dept := auth.Principal{Label: "bench-dept", Role: auth.RoleDepartment, Department: appealDepartments[i%len(appealDepartments)], UserID: 2}
		t0 := time.Now()
		if _, _, err := svc.List(ctx, dept, appeal.Filter{Status: appeal.OpenStatuses, Limit: 50}); err != nil {
			return rep, err
		}
		work = append(work, time.Since(t0))
		t0 = time.Now()
		if _, err := svc.Measures(ctx, officer, "2026-01", "2026-12"); err != nil {
			return rep, err
		}
		measures = append(measures, time.Since(t0))
	}
	rep.WorkList, rep.Measures = percentiles(work), percentiles(measures)

	t0 := time.Now()
	res, err := svc.LoadCalendar(ctx, auth.System("bench"), strings.NewReader("2026-12-24 holiday 测试更正\n"), "bench-correction.txt")
	if err != nil {
		return rep, err
	}
	rep.Recompute, rep.Recomputed = time.Since(t0), res.Recomputed
	return rep, nil
}

// appealRows generates appeals from..to of n: received through 2026 in
// order, the last one in fifty still open with a running clock.
func appealRows(rng *rand.Rand, from, to, n int, firstID int64, enterprises int, cats []string, days map[string]int, year time.Time, open *int) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		span := 350 * 24 * time.Hour
		for i := from; i < to; i++ {
			received := year.Add(time.Duration(float64(span) * float64(i) / float64(n)))
			cat := cats[rng.IntN(len(cats))]
			d := days[cat]
			if d == 0 {
				d = 5
			}
			budget := d * 420
			dept := appealDepartments[rng.IntN(len(appealDepartments))]
			rec := store.FormatTime(received)
			isOpen := rng.IntN(50) == 0
			var status string
			var clockFrom, due, next, replied, closed, rating, onTime any
			used := 0
			if isOpen {
				*open++
				status = []string{"assigned", "in_progress", "in_progress", "waiting"}[rng.IntN(4)]
				if status != "waiting" {
					clockFrom = rec
					due = store.FormatTime(received.Add(time.Duration(d) * 24 * time.Hour))
					next = due
				}
			} else {
				used = rng.IntN(budget * 5 / 4)
				r := received.Add(time.Duration(used) * time.Minute * 3)
				replied = store.FormatTime(r)
				onTime = used <= budget
				status = "replied"
				if rng.IntN(10) > 0 {
					status = "closed"
					closed = replied
					rating = []string{"satisfied", "satisfied", "satisfied", "basically", "unsatisfied"}[rng.IntN(5)]
					if rating == "unsatisfied" {
						rating = "basically"
					}
				}
			}
			row := []any{firstID + int64(rng.IntN(enterprises)), cat, fmt.Sprintf("测试诉求%d", i+1), "portal", status, dept, "",
				rec, budget, used, clockFrom, due, next, replied, onTime, closed, rating, rec}
			if !yield(row) {
				return
			}
		}
	}
}
