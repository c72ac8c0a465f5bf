package facts

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// AddFieldAs adds a field to the data dictionary as p, an admin
// (auth.ManageSettings): checked, written and audited in one transaction,
// and the dictionary's change counter advanced, so that every instance's
// pages show it at once.
func AddFieldAs(ctx context.Context, db *store.DB, p auth.Principal, f *Field) error {
	if err := auth.Can(p, auth.ManageSettings, auth.Resource{}); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		if err := AddField(ctx, tx, f); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "field.create", ObjectType: "field", ObjectID: f.Name, After: f})
	})
}
