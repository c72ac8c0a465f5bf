package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestTwoInstancesOnOneDatabase runs two app instances, each with its own
// handle of one database as two `serve` processes have (on PostgreSQL when
// PARKDESK_TEST_POSTGRES names one, as CI sets it): an import's dry run on
// A is confirmed on B, and both lists, warmed before, show the new
// enterprise at once; a field added on A's database is in B's dictionary
// page at once. Nothing an instance keeps in memory may hide another's
// write.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			a := newWebFixtureOn(t, open())
			b := *a
			b.db = open()
			b.srv = New(Deps{DB: b.db, Store: b.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				Auth: auth.NewService(b.db), Now: func() time.Time { return fixtureNow }, Matcher: shippedMatcher(t)})
			officer := a.as[auth.RoleOfficer]
			const name = "杭州跨实例导入科技有限公司"

			// Both instances list the registry first, so that whatever they
			// keep of it is warm.
			for _, f := range []*webFixture{a, &b} {
				if w := f.get(t, officer, "en", "/enterprises"); w.Code != http.StatusOK || strings.Contains(w.Body.String(), name) {
					t.Fatalf("the list before the import: status %d, lists %q: %v", w.Code, name, strings.Contains(w.Body.String(), name))
				}
			}
			csv := "uscc,name,registered_on,industry_code,park,tags\n" + enterprise.MakeUSCC("330106", 88) + "," + name + ",2021-03-04,I6513,hq,\n"
			w := a.postFiles(t, officer, "/import", map[string]string{"new.csv": csv})
			m := stageField.FindStringSubmatch(w.Body.String())
			if w.Code != http.StatusOK || m == nil {
				t.Fatalf("dry run on A: status %d, no confirmation:\n%s", w.Code, w.Body)
			}
			w = b.postForm(t, officer, "/import/confirm", "stage="+m[1])
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "The data has been written.") {
				t.Fatalf("confirmation on B of A's dry run: status %d\n%s", w.Code, w.Body)
			}
			// Used once, whichever instance is asked next.
			if w := a.postForm(t, officer, "/import/confirm", "stage="+m[1]); w.Code != http.StatusConflict {
				t.Errorf("confirming again on A: status %d, want 409", w.Code)
			}
			for i, f := range []*webFixture{a, &b} {
				if w := f.get(t, officer, "en", "/enterprises"); !strings.Contains(w.Body.String(), name) {
					t.Errorf("instance %c does not list the enterprise just imported (status %d)", 'A'+i, w.Code)
				}
			}

			// The dictionary: warm on B, a field added through A's handle.
			admin := a.as[auth.RoleAdmin]
			if w := b.get(t, admin, "en", "/dictionary"); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "cross_instance_field") {
				t.Fatalf("B's dictionary before: status %d", w.Code)
			}
			field := &facts.Field{Name: "cross_instance_field", TypeName: "integer", ShapeName: "annual", Department: "tax",
				Sensitivity: facts.Public, LabelZh: "跨实例字段", LabelEn: "Cross-instance field"}
			if err := facts.AddField(ctx, a.db, field); err != nil {
				t.Fatal(err)
			}
			if w := b.get(t, admin, "en", "/dictionary"); !strings.Contains(w.Body.String(), "cross_instance_field") {
				t.Errorf("B's dictionary does not show the field A added (status %d)", w.Code)
			}
		})
	}
}
