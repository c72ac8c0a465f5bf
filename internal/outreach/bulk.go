package outreach

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// bulkChunk is how many packages one transaction of a bulk approval
// decides: thousands of drafts go out without holding SQLite's one writer
// for long.
const bulkChunk = 200

// BulkReport says what a bulk approval did.
type BulkReport struct {
	Approved int
	Skipped  int // no longer drafts, or offering nothing, by the time they were reached
}

// ApproveDrafts approves draft packages at once: those named by ids, or,
// with no ids, every draft the filter selects (its status is taken as
// draft whatever it says) — "select all" covers the filter, not one page.
// Each package is approved as Approve does, with its own audit entry and
// deliveries; one more entry records the bulk decision and its filter.
func (s *Service) ApproveDrafts(ctx context.Context, actor auth.Principal, f PackageFilter, ids []int64) (BulkReport, error) {
	var rep BulkReport
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return rep, err
	}
	if len(ids) == 0 {
		f.Status = PackageDraft
		cond, args := f.where(actor)
		rows, err := s.DB.Query(ctx, "SELECT p.id FROM outreach_packages p JOIN enterprises e ON e.id = p.enterprise_id"+cond+" ORDER BY p.id", args...)
		if err != nil {
			return rep, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return rep, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, err
		}
	}
	if len(ids) == 0 {
		return rep, apperr.Errorf(apperr.Conflict, "no draft package to approve")
	}
	for start := 0; start < len(ids); start += bulkChunk {
		chunk := ids[start:min(start+bulkChunk, len(ids))]
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			for _, id := range chunk {
				err := s.decideIn(ctx, tx, actor, id, PackageApproved, s.now())
				switch {
				case err == nil:
					rep.Approved++
				case apperr.CodeOf(err) == apperr.Conflict, apperr.CodeOf(err) == apperr.NotFound:
					rep.Skipped++ // decided meanwhile, or emptied by a build: nothing was written
				default:
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.package.approve_bulk", ObjectType: "package",
			After: map[string]any{"approved": rep.Approved, "skipped": rep.Skipped, "policy": f.Policy, "selected": len(ids)}, At: s.now()})
	})
	return rep, err
}
