package enterprise

import (
	"context"
	"errors"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Parks, departments and tags are edited by admins (auth.ManageSettings),
// from the shell (`parkdesk park|department|tag add|edit`) as from any
// other adapter: SaveCode decides, writes, audits and advances the
// registry's change counter in one transaction.

// CodeKind is one of the three tables of codes.
type CodeKind string

// The kinds of codes.
const (
	KindPark       CodeKind = "park"
	KindDepartment CodeKind = "department"
	KindTag        CodeKind = "tag"
)

// Code is a park, a department or a tag.
type Code = codeEntry

func (k CodeKind) table() (codeTable, error) {
	switch k {
	case KindPark:
		return parks, nil
	case KindDepartment:
		return departments, nil
	case KindTag:
		return tags, nil
	}
	return codeTable{}, apperr.Errorf(apperr.Invalid, "no kind of code %q: park, department or tag", k)
}

// SaveCode creates a park, department or tag (from is "") or changes the
// one whose code is from (its code may change too), as p.
func SaveCode(ctx context.Context, db *store.DB, p auth.Principal, kind CodeKind, from string, c Code) (Code, error) {
	ct, err := kind.table()
	if err != nil {
		return c, err
	}
	if err := auth.Can(p, auth.ManageSettings, auth.Resource{}); err != nil {
		return c, err
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		entry := auth.Entry{Actor: p, Action: string(kind) + ".create", ObjectType: string(kind), After: c}
		if from == "" {
			if err := ct.create(ctx, tx, &c); err != nil {
				return err
			}
		} else {
			before, err := ct.get(ctx, tx, from)
			if err != nil {
				return err
			}
			c.ID = before.ID
			if err := ct.update(ctx, tx, &c); err != nil {
				return err
			}
			entry.Action, entry.Before = string(kind)+".update", before
		}
		entry.ObjectID, entry.After = fmt.Sprint(c.ID), c
		if err := auth.Audit(ctx, tx, entry); err != nil {
			return err
		}
		return store.Bump(ctx, tx, store.CounterRegistry)
	})
	var ae *apperr.Error
	if err != nil && !errors.As(err, &ae) {
		err = fmt.Errorf("enterprise: save %s %s: %w", kind, c.Code, err)
	}
	return c, err
}

// ListCodes lists the parks, departments or tags by code, for anyone who
// may see the registry.
func ListCodes(ctx context.Context, q store.Queryer, kind CodeKind) ([]Code, error) {
	ct, err := kind.table()
	if err != nil {
		return nil, err
	}
	return listAs[Code](ctx, q, ct)
}
