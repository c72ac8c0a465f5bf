package touch

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// withDB runs fn on a fresh migrated SQLite database and, when
// PARKDESK_TEST_POSTGRES is set, PostgreSQL.
func withDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	storetest.Run(t, fn)
}
