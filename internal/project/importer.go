package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/store"
)

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	File    string   `json:"file"`
	Kind    Kind     `json:"kind"`
	Rows    int      `json:"rows"`
	Created int      `json:"created"`
	Updated int      `json:"updated"`
	DryRun  bool     `json:"dry_run"`
	Ignored []string `json:"ignored_columns"`
}

// errDryRun rolls a dry run's transaction back after every check has run.
var errDryRun = errors.New("dry run")

// Import reads a projects, signings or funds file and writes it, all or
// nothing: every row is checked against the file and the database (codes
// that exist, parks, officers, signing totals that never shrink), and any
// problem writes nothing and is reported with its row and column. A dry
// run checks everything and writes nothing.
func (s *Service) Import(ctx context.Context, p auth.Principal, name string, data []byte, dryRun bool) (ImportReport, error) {
	if err := auth.Can(p, auth.ManageProjects, auth.Resource{}); err != nil {
		return ImportReport{}, err
	}
	f, err := Parse(name, data)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{File: name, Kind: f.Kind, Rows: f.Rows(), DryRun: dryRun, Ignored: f.Ignored}
	if rep.Ignored == nil {
		rep.Ignored = []string{}
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		im := &importer{s: s, tx: tx, p: p, file: name, rep: &rep}
		switch f.Kind {
		case KindProjects:
			err = im.projects(ctx, f.Projects)
		case KindSignings:
			err = im.signings(ctx, f.Signings)
		case KindFunds:
			err = im.funds(ctx, f.Funds)
		}
		if err != nil {
			return err
		}
		if len(im.prob) > 0 {
			return apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was imported", name, len(im.prob)), im.prob...)
		}
		if dryRun {
			return errDryRun
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "project.import", ObjectType: "project_file", ObjectID: name,
			After: map[string]any{"kind": f.Kind, "rows": rep.Rows, "created": rep.Created, "updated": rep.Updated}, At: s.now()})
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// importer holds one import's transaction and the problems found.
type importer struct {
	s    *Service
	tx   *store.Tx
	p    auth.Principal
	file string
	rep  *ImportReport
	prob []apperr.Problem
}

func (im *importer) bad(line int, field, format string, args ...any) {
	im.prob = append(im.prob, apperr.Problem{File: im.file, Row: line, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// project finds a stored project the principal may change, or reports the
// row; ok is false when it did.
func (im *importer) project(ctx context.Context, line int, code string) (projectRef, bool, error) {
	ref, err := lookup(ctx, im.tx, code)
	if errors.Is(err, store.ErrNotFound) || err == nil && canSee(im.p, ref.parkID) != nil {
		im.bad(line, "code", "no project %s: import it in a projects file first", code)
		return ref, false, nil
	}
	if err != nil {
		return ref, false, err
	}
	if canManage(im.p, ref.parkID) != nil {
		im.bad(line, "code", "the project %s belongs to another park", code)
		return ref, false, nil
	}
	return ref, true, nil
}

func (im *importer) projects(ctx context.Context, rows []ProjectRow) error {
	parks := map[string]int64{}
	now := store.FormatTime(im.s.now())
	for _, r := range rows {
		parkID := im.p.ParkID
		if r.Park != "" {
			id, ok := parks[r.Park]
			if !ok {
				err := im.tx.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", r.Park).Scan(&id)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				parks[r.Park] = id
			}
			if id == 0 {
				im.bad(r.Line, "park", "no park with the code %q", r.Park)
				continue
			}
			parkID = id
		}
		if canManage(im.p, parkID) != nil {
			im.bad(r.Line, "park", "you may add projects of your own park only")
			continue
		}
		var officer sql.NullInt64
		if r.Officer != "" {
			err := im.tx.QueryRow(ctx, "SELECT id FROM users WHERE login = ? AND role = 'officer'", r.Officer).Scan(&officer)
			if errors.Is(err, store.ErrNotFound) {
				im.bad(r.Line, "officer", "no officer with the login %q", r.Officer)
				continue
			}
			if err != nil {
				return err
			}
		}
		// The investor is linked to the registry once it registers there:
		// by its USCC or its exact name.
		var ent sql.NullInt64
		if r.Investor != "" {
			err := im.tx.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = ? OR name = ? ORDER BY id LIMIT 1", r.Investor, r.Investor).Scan(&ent)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		on := r.StageSince
		if on == "" {
			on = im.s.today()
		}
		var output any
		if r.ExpectedOutput != nil {
			output = r.ExpectedOutput.String()
		}
		ref, err := lookup(ctx, im.tx, r.Code)
		switch {
		case errors.Is(err, store.ErrNotFound):
			var id int64
			err = im.tx.QueryRow(ctx, `INSERT INTO projects (code, name, investor, enterprise_id, industry_code, park_id, stage, stage_since,
	expected_output, space_kind, space_area, officer_id, last_activity, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				r.Code, r.Name, r.Investor, ent, nullable(r.IndustryCode), nullID(parkID), string(r.Stage), on,
				output, r.SpaceKind, nullable(r.SpaceArea), officer, on, now, now).Scan(&id)
			if err != nil {
				return err
			}
			if _, err := im.tx.Exec(ctx, "INSERT INTO project_stages (project_id, stage, on_date, actor, created_at) VALUES (?, ?, ?, ?, ?)",
				id, string(r.Stage), on, label(im.p), now); err != nil {
				return err
			}
			im.rep.Created++
		case err != nil:
			return err
		default:
			if canSee(im.p, ref.parkID) != nil || canManage(im.p, ref.parkID) != nil {
				im.bad(r.Line, "code", "the code %s is taken by a project of another park", r.Code)
				continue
			}
			if _, err := im.tx.Exec(ctx, `UPDATE projects SET name = ?, investor = ?, enterprise_id = ?, industry_code = ?, park_id = ?,
	expected_output = ?, space_kind = ?, space_area = ?, officer_id = ?, updated_at = ? WHERE id = ?`,
				r.Name, r.Investor, ent, nullable(r.IndustryCode), nullID(parkID), output, r.SpaceKind, nullable(r.SpaceArea), officer, now, ref.id); err != nil {
				return err
			}
			if ref.stage != r.Stage {
				if err := im.s.moveStage(ctx, im.tx, im.p, ref, r.Stage, on); err != nil {
					return err
				}
			}
			im.rep.Updated++
		}
	}
	return nil
}

// signing is one link of a project's chain of signings.
type signing struct {
	line       int // of the file; 0 for a stored signing
	on         string
	total      money.Fen
	ceremonyID sql.NullInt64
	createdAt  string
}

// signings adds the rows to each project's chain and recomputes it: the
// first signing counts the project and its whole total; every later one
// counts only what it adds. A total below an earlier signing's is refused:
// a reduction is not a signing.
func (im *importer) signings(ctx context.Context, rows []SigningRow) error {
	byCode := map[string][]SigningRow{}
	var order []string
	for _, r := range rows {
		if _, ok := byCode[r.Code]; !ok {
			order = append(order, r.Code)
		}
		byCode[r.Code] = append(byCode[r.Code], r)
	}
	now := store.FormatTime(im.s.now())
	for _, code := range order {
		fileRows := byCode[code]
		ref, ok, err := im.project(ctx, fileRows[0].Line, code)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		chain, err := storedSignings(ctx, im.tx, ref.id)
		if err != nil {
			return err
		}
		for _, r := range fileRows {
			var ceremony sql.NullInt64
			if r.Ceremony != "" {
				if ceremony, err = im.ceremony(ctx, r.Ceremony, r.SignedOn, ref.parkID); err != nil {
					return err
				}
			}
			link := signing{line: r.Line, on: r.SignedOn, total: r.TotalInvestment, ceremonyID: ceremony, createdAt: now}
			if i := slices.IndexFunc(chain, func(s signing) bool { return s.on == r.SignedOn }); i >= 0 {
				link.createdAt = chain[i].createdAt
				chain[i] = link
				im.rep.Updated++
			} else {
				chain = append(chain, link)
				im.rep.Created++
			}
		}
		slices.SortFunc(chain, func(a, b signing) int { return compareStrings(a.on, b.on) })
		broken := false
		for i := 1; i < len(chain); i++ {
			if chain[i].total < chain[i-1].total {
				line := chain[i].line
				if line == 0 {
					line = fileRows[0].Line
				}
				im.bad(line, "total_investment", "the total after the signing of %s (%s yuan) is below the total after the signing of %s (%s yuan): a later signing gives the new total, which cannot shrink",
					chain[i].on, chain[i].total, chain[i-1].on, chain[i-1].total)
				broken = true
				break
			}
		}
		if broken {
			continue
		}
		if err := writeChain(ctx, im.tx, ref.id, chain); err != nil {
			return err
		}
		first, last := chain[0], chain[len(chain)-1]
		activity := max(ref.lastActivity, last.on)
		if _, err := im.tx.Exec(ctx, "UPDATE projects SET total_investment = ?, last_activity = ?, updated_at = ? WHERE id = ?",
			last.total.String(), activity, now, ref.id); err != nil {
			return err
		}
		ref.lastActivity = activity
		// A signing moves a project still in talks to signed, dated by
		// its first signing; one further along stays where it is.
		switch ref.stage {
		case Lead, Negotiating:
			if err := im.s.moveStage(ctx, im.tx, im.p, ref, Signed, first.on); err != nil {
				return err
			}
		case Signed:
			// An earlier signing imported after a later one dates the
			// stage back to it.
			if _, err := im.tx.Exec(ctx, "UPDATE projects SET stage_since = ? WHERE id = ? AND stage_since > ?", first.on, ref.id, first.on); err != nil {
				return err
			}
			if _, err := im.tx.Exec(ctx, "UPDATE project_stages SET on_date = ? WHERE project_id = ? AND stage = 'signed' AND on_date > ?", first.on, ref.id, first.on); err != nil {
				return err
			}
		}
	}
	return nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func storedSignings(ctx context.Context, q store.Queryer, projectID int64) ([]signing, error) {
	rows, err := q.Query(ctx, "SELECT signed_on, total_investment, ceremony_id, created_at FROM project_signings WHERE project_id = ? ORDER BY signed_on", projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []signing
	for rows.Next() {
		var s signing
		if err := rows.Scan(&s.on, &s.total, &s.ceremonyID, &s.createdAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// writeChain replaces a project's signings with the chain, sorted by date,
// each with what it adds.
func writeChain(ctx context.Context, tx *store.Tx, projectID int64, chain []signing) error {
	if _, err := tx.Exec(ctx, "DELETE FROM project_signings WHERE project_id = ?", projectID); err != nil {
		return err
	}
	var prev money.Fen
	for i, s := range chain {
		first := 0
		if i == 0 {
			first = 1
		}
		if _, err := tx.Exec(ctx, `INSERT INTO project_signings (project_id, signed_on, total_investment, increase, is_first, ceremony_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`, projectID, s.on, s.total.String(), (s.total - prev).String(), first, s.ceremonyID, s.createdAt); err != nil {
			return err
		}
		prev = s.total
	}
	return nil
}

// ceremony finds or creates the signing ceremony named in a row.
func (im *importer) ceremony(ctx context.Context, name, on string, parkID int64) (sql.NullInt64, error) {
	code := name
	if len(code) > 64 {
		code = code[:64]
	}
	var id int64
	err := im.tx.QueryRow(ctx, "SELECT id FROM signing_ceremonies WHERE code = ?", code).Scan(&id)
	if errors.Is(err, store.ErrNotFound) {
		err = im.tx.QueryRow(ctx, "INSERT INTO signing_ceremonies (code, name, held_on, park_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			code, name, on, nullID(parkID), store.FormatTime(im.s.now())).Scan(&id)
	}
	return sql.NullInt64{Int64: id, Valid: err == nil}, err
}

// funds writes the money that arrived per project and month; a month
// given again replaces what was recorded for it.
func (im *importer) funds(ctx context.Context, rows []FundsRow) error {
	now := store.FormatTime(im.s.now())
	refs := map[string]*projectRef{}
	for _, r := range rows {
		ref, seen := refs[r.Code]
		if !seen {
			got, ok, err := im.project(ctx, r.Line, r.Code)
			if err != nil {
				return err
			}
			if ok {
				ref = &got
			}
			refs[r.Code] = ref
		}
		if ref == nil {
			continue
		}
		res, err := im.tx.Exec(ctx, "UPDATE project_funds SET amount = ? WHERE project_id = ? AND month = ?", r.Amount.String(), ref.id, r.Month)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			im.rep.Updated++
		} else {
			if _, err := im.tx.Exec(ctx, "INSERT INTO project_funds (project_id, month, amount) VALUES (?, ?, ?)", ref.id, r.Month, r.Amount.String()); err != nil {
				return err
			}
			im.rep.Created++
		}
		if day := r.Month + "-01"; day > ref.lastActivity {
			ref.lastActivity = day
			if _, err := im.tx.Exec(ctx, "UPDATE projects SET last_activity = ?, updated_at = ? WHERE id = ?", day, now, ref.id); err != nil {
				return err
			}
		}
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
