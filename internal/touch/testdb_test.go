package touch

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// withDB runs fn on a fresh migrated SQLite database and, when
// PARKDESK_TEST_POSTGRES is set, PostgreSQL.
func withDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.Run(t, fn)
}

func mustDate(t testing.TB, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
