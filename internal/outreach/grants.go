package outreach

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// GrantRow is one line of a grant file: what an enterprise received for a
// policy, and when. Offer, when given, names the offer exactly; otherwise
// the enterprise's newest delivered offer of the policy is meant.
type GrantRow struct {
	Row    int // the line in the file, 1-based, the header being line 1
	USCC   string
	Policy string
	Offer  int64
	Grant
}

// The columns of a grant file. Their order is free; offer may be left out.
var grantColumns = []string{"uscc", "policy", "amount", "granted_on", "offer"}

// MaxGrantRows bounds a grant file: a year of grants of a large zone.
const MaxGrantRows = 100000

// ParseGrants reads a grant file: CSV in UTF-8 (a byte-order mark is
// allowed) with a header naming the columns uscc, policy, amount and
// granted_on, and optionally offer. It checks each row's form; every
// problem is reported with its row and field, and any problem means no
// row is returned.
func ParseGrants(file string, r io.Reader) ([]GrantRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, apperr.InvalidInput("the grant file is empty", apperr.Problem{File: file, Row: 1, Reason: "no header line"})
	}
	if err != nil {
		return nil, apperr.InvalidInput("the grant file is not CSV", apperr.Problem{File: file, Row: 1, Reason: csvReason(err)})
	}
	col := map[string]int{}
	var problems []apperr.Problem
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !slices.Contains(grantColumns, name) {
			problems = append(problems, apperr.Problem{File: file, Row: 1, Field: name, Reason: "is not a column of a grant file (uscc, policy, amount, granted_on, offer)"})
			continue
		}
		if _, dup := col[name]; dup {
			problems = append(problems, apperr.Problem{File: file, Row: 1, Field: name, Reason: "is named twice"})
			continue
		}
		col[name] = i
	}
	for _, need := range grantColumns[:4] {
		if _, ok := col[need]; !ok {
			problems = append(problems, apperr.Problem{File: file, Row: 1, Field: need, Reason: "column is missing"})
		}
	}
	if len(problems) > 0 {
		return nil, apperr.InvalidInput("the grant file's header is not valid", problems...)
	}
	var out []GrantRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, apperr.Problem{File: file, Row: line, Reason: csvReason(err)})
			break
		}
		if len(out)+len(problems) >= MaxGrantRows {
			problems = append(problems, apperr.Problem{File: file, Row: line, Reason: fmt.Sprintf("a grant file holds at most %d rows", MaxGrantRows)})
			break
		}
		if blank(rec) {
			continue
		}
		field := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		g := GrantRow{Row: line, USCC: strings.ToUpper(field("uscc")), Policy: field("policy"), Grant: Grant{Amount: field("amount"), On: field("granted_on")}}
		bad := func(f, reason string) {
			problems = append(problems, apperr.Problem{File: file, Row: line, USCC: g.USCC, Field: f, Reason: reason})
		}
		if len(g.USCC) != 18 {
			bad("uscc", "is not an 18-character unified social credit code")
		}
		if g.Policy == "" || len(g.Policy) > 64 {
			bad("policy", "is not a policy id")
		}
		if v := field("offer"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				bad("offer", "is not an offer number")
			}
			g.Offer = id
		}
		for _, p := range g.Grant.checkForm() {
			bad(p.Field, p.Reason)
		}
		out = append(out, g)
	}
	if len(problems) > 0 {
		return nil, apperr.InvalidInput("the grant file has invalid rows: nothing was recorded", problems...)
	}
	return out, nil
}

// checkForm checks the grant's own form, without the clock: whether the
// date is past is checked when the file is recorded.
func (g *Grant) checkForm() []apperr.Problem {
	return g.check(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not valid CSV: " + pe.Err.Error()
	}
	return "could not be read"
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ImportReport says what ImportGrants recorded.
type ImportReport struct {
	Grants int
	Total  Fen
}

// ImportGrants records the grants of a file, all or none: a row that does
// not parse, names an enterprise or offer the officer cannot find, or an
// offer declined or granted already, is reported with its row, and then
// nothing is written.
func (s *Service) ImportGrants(ctx context.Context, actor auth.Principal, file string, r io.Reader) (ImportReport, error) {
	var report ImportReport
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return report, err
	}
	rows, err := ParseGrants(file, r)
	if err != nil {
		return report, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var problems []apperr.Problem
		seen := map[int64]int{}
		type pending struct {
			it Item
			g  Grant
		}
		var todo []pending
		for _, row := range rows {
			bad := func(field, reason string) {
				problems = append(problems, apperr.Problem{File: file, Row: row.Row, USCC: row.USCC, Field: field, Reason: reason})
			}
			if future := row.Grant.check(now); len(future) > 0 {
				bad(future[0].Field, future[0].Reason)
				continue
			}
			it, h, err := s.grantTarget(ctx, tx, row)
			if err != nil {
				if apperr.CodeOf(err) == apperr.NotFound {
					bad("", apperr.MessageOf(err))
					continue
				}
				return err
			}
			if mayManage(actor, h.enterprise) != nil {
				bad("uscc", "no enterprise with this code")
				continue
			}
			if err := grantable(it, h); err != nil {
				bad("offer", apperr.MessageOf(err))
				continue
			}
			if first, dup := seen[it.ID]; dup {
				bad("offer", fmt.Sprintf("the same offer is granted on row %d", first))
				continue
			}
			seen[it.ID] = row.Row
			todo = append(todo, pending{it, row.Grant})
		}
		if len(problems) > 0 {
			return apperr.InvalidInput("the grant file has rows that cannot be recorded: nothing was recorded", problems...)
		}
		for _, p := range todo {
			if err := writeGrant(ctx, tx, actor, p.it, p.g, now); err != nil {
				return err
			}
			f, _ := ParseFen(p.g.Amount)
			report.Total += f
			report.Grants++
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.grants.import", ObjectType: "file", ObjectID: file,
			After: map[string]any{"grants": report.Grants, "total": report.Total.String()}, At: now})
	})
	if err != nil {
		return ImportReport{}, err
	}
	return report, nil
}

// grantTarget finds the offer a row means: the one it names, or the
// enterprise's newest delivered offer of the policy.
func (s *Service) grantTarget(ctx context.Context, tx *store.Tx, row GrantRow) (Item, head, error) {
	var enterpriseID int64
	if err := tx.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = ?", row.USCC).Scan(&enterpriseID); err != nil {
		if isNotFound(err) {
			return Item{}, head{}, apperr.Errorf(apperr.NotFound, "no enterprise with this code")
		}
		return Item{}, head{}, err
	}
	itemID := row.Offer
	if itemID == 0 {
		err := tx.QueryRow(ctx, `SELECT i.id FROM outreach_items i JOIN outreach_packages p ON p.id = i.package_id
WHERE i.enterprise_id = ? AND i.policy = ? AND p.status IN ('delivered', 'read') ORDER BY i.id DESC LIMIT 1`,
			enterpriseID, row.Policy).Scan(&itemID)
		if isNotFound(err) {
			return Item{}, head{}, apperr.Errorf(apperr.NotFound, "the enterprise was offered nothing of policy %s", row.Policy)
		}
		if err != nil {
			return Item{}, head{}, err
		}
	}
	it, h, err := itemWithHead(ctx, tx, itemID)
	if err != nil {
		return it, h, err
	}
	if it.EnterpriseID != enterpriseID || it.Policy != row.Policy {
		return it, h, apperr.Errorf(apperr.NotFound, "offer %d is not this enterprise's offer of policy %s", itemID, row.Policy)
	}
	return it, h, nil
}
