package outreach

import (
	"context"
	"sort"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Figures are the realized benefits of one row of the report: what was
// pushed (offers in delivered packages), taken up (confirmed, applied for
// or granted) and granted, in number and money.
type Figures struct {
	Pushed          int
	PushedAmount    Fen
	Confirmed       int
	ConfirmedAmount Fen // the amounts offered of the offers taken up
	Granted         int
	GrantedAmount   Fen // the amounts actually received
	Declined        int
}

// ReportRow is the figures of one policy, channel or month.
type ReportRow struct {
	Key string // a policy id, a channel, or a month YYYY-MM
	Figures
}

// Report is the realized benefits ("落实成效") of the park.
type Report struct {
	Total     Figures
	ByPolicy  []ReportRow // by policy id
	ByChannel []ReportRow // an offer counts under every channel its package was delivered by
	// ByMonth counts pushes by the month of delivery, take-ups by the
	// month of the answer, grants by the month the money arrived.
	ByMonth []ReportRow
}

// fen sums a stored amount (always two decimals) as whole fen, exactly, on
// both databases.
func fen(column string) string {
	return "CAST(REPLACE(COALESCE(" + column + ", '0.00'), '.', '') AS BIGINT)"
}

// sum totals fen as a BIGINT on both databases (PostgreSQL's SUM of
// bigints is a numeric).
func sum(expr string) string { return "CAST(SUM(" + expr + ") AS BIGINT)" }

// Report sums the realized benefits; a park-limited principal gets its
// park's.
func (s *Service) Report(ctx context.Context, actor auth.Principal) (Report, error) {
	var r Report
	if err := auth.Can(actor, auth.ViewDashboard, auth.Resource{}); err != nil {
		return r, err
	}
	park, args := "", []any{}
	if actor.ParkID != 0 {
		park, args = " AND e.park_id = ?", []any{actor.ParkID}
	}
	err := store.WithReadTx(ctx, s.DB, func(tx *store.Tx) error {
		from := ` FROM outreach_items i JOIN outreach_packages p ON p.id = i.package_id
JOIN enterprises e ON e.id = i.enterprise_id WHERE p.delivered_at IS NOT NULL` + park
		sums := `COUNT(*), ` + sum(fen("i.amount")) + `, ` + sum(fen("i.granted_amount"))
		byPolicy, err := statusSums(ctx, tx, "SELECT i.policy, i.status, "+sums+from+" GROUP BY i.policy, i.status", args)
		if err != nil {
			return err
		}
		channelFrom := ` FROM outreach_items i JOIN outreach_packages p ON p.id = i.package_id
JOIN outreach_deliveries d ON d.package_id = p.id AND d.status = 'sent'
JOIN enterprises e ON e.id = i.enterprise_id WHERE p.delivered_at IS NOT NULL` + park
		byChannel, err := statusSums(ctx, tx, "SELECT d.channel, i.status, "+sums+channelFrom+" GROUP BY d.channel, i.status", args)
		if err != nil {
			return err
		}
		r.ByPolicy, r.Total = rowsOf(byPolicy), totalOf(byPolicy)
		r.ByChannel = rowsOf(byChannel)
		months, err := monthly(ctx, tx, from, args)
		r.ByMonth = months
		return err
	})
	return r, err
}

// statusSum is one group's count and sums for one offer status.
type statusSum struct {
	key, status   string
	n             int
	offered, paid Fen
}

func statusSums(ctx context.Context, q store.Queryer, query string, args []any) ([]statusSum, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []statusSum
	for rows.Next() {
		var s statusSum
		var offered, paid *int64
		if err := rows.Scan(&s.key, &s.status, &s.n, &offered, &paid); err != nil {
			return nil, err
		}
		if offered != nil {
			s.offered = Fen(*offered)
		}
		if paid != nil {
			s.paid = Fen(*paid)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// add counts one group's offers of one status into the figures.
func (f *Figures) add(s statusSum) {
	f.Pushed += s.n
	f.PushedAmount += s.offered
	switch ItemStatus(s.status) {
	case ItemConfirmed, ItemApplied, ItemGranted:
		f.Confirmed += s.n
		f.ConfirmedAmount += s.offered
	case ItemDeclined:
		f.Declined += s.n
	}
	if ItemStatus(s.status) == ItemGranted {
		f.Granted += s.n
		f.GrantedAmount += s.paid
	}
}

func rowsOf(sums []statusSum) []ReportRow {
	index := map[string]int{}
	var out []ReportRow
	for _, s := range sums {
		i, ok := index[s.key]
		if !ok {
			i = len(out)
			index[s.key] = i
			out = append(out, ReportRow{Key: s.key})
		}
		out[i].add(s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func totalOf(sums []statusSum) Figures {
	var f Figures
	for _, s := range sums {
		f.add(s)
	}
	return f
}

// monthly counts each event in its own month: pushes by delivery, take-ups
// by answer (or grant, for a benefit granted without an answer), grants by
// the day the money arrived.
func monthly(ctx context.Context, q store.Queryer, from string, args []any) ([]ReportRow, error) {
	months := map[string]*ReportRow{}
	row := func(m string) *ReportRow {
		if r, ok := months[m]; ok {
			return r
		}
		r := &ReportRow{Key: m}
		months[m] = r
		return r
	}
	type series struct {
		query string
		add   func(r *ReportRow, n int, offered, paid Fen)
	}
	for _, s := range []series{
		{"SELECT SUBSTR(p.delivered_at, 1, 7), COUNT(*), " + sum(fen("i.amount")) + ", 0" + from + " GROUP BY SUBSTR(p.delivered_at, 1, 7)",
			func(r *ReportRow, n int, offered, _ Fen) { r.Pushed += n; r.PushedAmount += offered }},
		{"SELECT SUBSTR(COALESCE(i.responded_at, i.granted_at), 1, 7), COUNT(*), " + sum(fen("i.amount")) + ", 0" + from +
			" AND i.status IN ('confirmed', 'applied', 'granted') GROUP BY SUBSTR(COALESCE(i.responded_at, i.granted_at), 1, 7)",
			func(r *ReportRow, n int, offered, _ Fen) { r.Confirmed += n; r.ConfirmedAmount += offered }},
		{"SELECT SUBSTR(i.granted_on, 1, 7), COUNT(*), 0, " + sum(fen("i.granted_amount")) + from +
			" AND i.status = 'granted' GROUP BY SUBSTR(i.granted_on, 1, 7)",
			func(r *ReportRow, n int, _, paid Fen) { r.Granted += n; r.GrantedAmount += paid }},
		{"SELECT SUBSTR(i.responded_at, 1, 7), COUNT(*), 0, 0" + from + " AND i.status = 'declined' GROUP BY SUBSTR(i.responded_at, 1, 7)",
			func(r *ReportRow, n int, _, _ Fen) { r.Declined += n }},
	} {
		rows, err := q.Query(ctx, s.query, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var m *string
			var n int
			var offered, paid *int64
			if err := rows.Scan(&m, &n, &offered, &paid); err != nil {
				rows.Close()
				return nil, err
			}
			if m == nil {
				continue
			}
			var o, p Fen
			if offered != nil {
				o = Fen(*offered)
			}
			if paid != nil {
				p = Fen(*paid)
			}
			s.add(row(*m), n, o, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]ReportRow, 0, len(months))
	for _, r := range months {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
