package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// BenchmarkEnterprisePage is one enterprise page of the demo park (about
// 130 facts, ten policies' results) as an officer: "miss" renders it
// afresh (nothing kept: the queries and the templating of every part),
// "kept" serves the kept parts with the dossier and the layout. `parkdesk
// bench http` measures the same under fifty clients.
func BenchmarkEnterprisePage(b *testing.B) {
	on := time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	db := storetest.Open(b, store.SQLite)
	if err := facts.SeedDictionary(b.Context(), db); err != nil {
		b.Fatal(err)
	}
	mustLoadDemoPark(b, db, 20, on)
	f := &webFixture{db: db, srv: New(Deps{DB: db, Store: db, Logger: slog.New(slog.DiscardHandler), Auth: auth.NewService(db),
		Now: func() time.Time { return on }, Matcher: shippedMatcher(b)})}
	mustMatch(b, db, on)
	var id int64
	if err := db.QueryRow(b.Context(), "SELECT MAX(id) FROM enterprises").Scan(&id); err != nil {
		b.Fatal(err)
	}
	path := "/enterprises/" + strconv.FormatInt(id, 10)
	officer := auth.Principal{UserID: 1, Label: "officer", Role: auth.RoleOfficer}
	for _, kept := range []bool{false, true} {
		name := "miss"
		if kept {
			name = "kept"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if !kept {
					f.srv.fragments = newFragmentCache(fragmentBudget)
				}
				if w := f.get(b, officer, "zh-CN", path); w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
