package enterprise

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// ListBySQL is Directory.List by SQL alone, for tests that hold the
// in-memory index to it.
func ListBySQL(ctx context.Context, d *Directory, p auth.Principal, f Filter) (Listing, error) {
	d.init()
	return d.listSQL(ctx, p, f)
}
