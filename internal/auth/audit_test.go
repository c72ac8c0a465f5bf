package auth

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := Audit(ctx, db, Entry{Actor: System("test"), Action: "test.entry", After: map[string]int{"n": 1}}); err != nil {
			t.Fatal(err)
		}
		attacks := []string{
			"UPDATE audit_log SET actor_label = 'someone else'",
			"UPDATE audit_log SET outcome = 'failure' WHERE id > 0",
			"DELETE FROM audit_log",
			"DELETE FROM audit_log WHERE action = 'test.entry'",
		}
		if db.Dialect() == store.Postgres {
			attacks = append(attacks, "TRUNCATE audit_log")
		}
		for _, stmt := range attacks {
			if _, err := db.Exec(ctx, stmt); err == nil {
				t.Errorf("%s succeeded", stmt)
			}
			// Inside a transaction too, which then rolls back.
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, stmt)
				return err
			})
			if err == nil {
				t.Errorf("%s succeeded in a transaction", stmt)
			}
		}
		var label, outcome string
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*), MIN(actor_label), MIN(outcome) FROM audit_log").Scan(&n, &label, &outcome); err != nil {
			t.Fatal(err)
		}
		if n != 1 || label != "cli:test" || outcome != "success" {
			t.Errorf("after the attempts: %d entries, %q, %q", n, label, outcome)
		}
	})
}

func TestAuditInTheChangesTransaction(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := Audit(ctx, tx, Entry{Actor: System("test"), Action: "test.rolled_back"}); err != nil {
				return err
			}
			return apperr.Errorf(apperr.Conflict, "the change failed")
		})
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatal(err)
		}
		if got := auditActions(t, db); len(got) != 0 {
			t.Errorf("a rolled-back change left %v in the log", got)
		}
		if err := Audit(ctx, db, Entry{Actor: System("test")}); err == nil {
			t.Error("an entry without an action was written")
		}
	})
}

func TestAuditLogFilterAndExport(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db)
		t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		zhang := Principal{UserID: 7, Label: "zhang", Role: RoleOfficer}
		entries := []Entry{
			{Actor: zhang, Action: "user.create", ObjectType: "user", ObjectID: "1", At: t0},
			{Actor: zhang, Action: "user.update", ObjectType: "user", ObjectID: "1", At: t0.Add(time.Hour)},
			{Actor: Principal{TokenID: 3, Label: "token:tax"}, Action: "facts.import", ObjectType: "import_batch", ObjectID: "9", At: t0.Add(2 * time.Hour)},
			{Actor: Principal{Label: "login:x"}, Action: "login", ObjectID: "=HYPERLINK(\"http://evil\")", Outcome: Failure, At: t0.Add(3 * time.Hour)},
			{Actor: zhang, Action: "users.other", At: t0.Add(4 * time.Hour)},
		}
		for _, e := range entries {
			if err := Audit(ctx, db, e); err != nil {
				t.Fatal(err)
			}
		}
		admin := Principal{UserID: 1, Label: "root", Role: RoleAdmin}
		tests := []struct {
			name string
			f    AuditFilter
			want []string // actions, newest first
		}{
			{"all", AuditFilter{}, []string{"users.other", "login", "facts.import", "user.update", "user.create"}},
			{"by actor", AuditFilter{Actor: "zhang"}, []string{"users.other", "user.update", "user.create"}},
			{"by action prefix", AuditFilter{Action: "user."}, []string{"user.update", "user.create"}},
			{"by exact action", AuditFilter{Action: "login"}, []string{"login"}},
			{"by object", AuditFilter{ObjectType: "import_batch", ObjectID: "9"}, []string{"facts.import"}},
			{"by date", AuditFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []string{"facts.import", "user.update"}},
			{"page", AuditFilter{Limit: 2}, []string{"users.other", "login"}},
		}
		for _, tt := range tests {
			recs, err := s.AuditLog(ctx, admin, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r.Action)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
				continue
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
					break
				}
			}
		}
		if _, err := s.AuditLog(ctx, zhang, AuditFilter{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an officer read the audit log: %v", err)
		}

		var buf bytes.Buffer
		if err := s.ExportAuditCSV(ctx, admin, AuditFilter{From: t0.Add(3 * time.Hour)}, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// The export records itself first, so it is in its own file.
		if len(rows) != 4 || rows[0][2] != "actor" || rows[1][5] != "login" || rows[2][5] != "users.other" || rows[3][5] != "audit.export" {
			t.Fatalf("CSV = %q", rows)
		}
		if rows[1][7] != "'=HYPERLINK(\"http://evil\")" {
			t.Errorf("a formula reached the CSV unescaped: %q", rows[1][7])
		}
		recs, err := s.AuditLog(ctx, admin, AuditFilter{Action: "audit.export"})
		if err != nil || len(recs) != 1 || recs[0].ActorLabel != "root" {
			t.Errorf("the export was not audited: %v, %v", recs, err)
		}
		if err := s.ExportAuditCSV(ctx, zhang, AuditFilter{}, &buf); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an officer exported the audit log: %v", err)
		}
	})
}
