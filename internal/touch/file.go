package touch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// RequestSpec is what a department files.
type RequestSpec struct {
	EnterpriseID int64
	// Department files the request; a department user files for its own.
	Department string
	Kind       Kind
	Basis      string
	Earliest   workday.Date
	Latest     workday.Date
	OnSite     bool
	Minutes    int
	Exemption  Exemption
	Note       string
	Fields     []FieldWant
	CheckItems []string
}

// FieldWant is a data field a request wants, for a period ("" for the
// field's latest complete period, or for timeless fields).
type FieldWant struct {
	Field  string
	Period string
}

// Limits of a request: a window of more than a year is not a window, and a
// request with more items than this is a census, not a touch.
const (
	maxWindowDays = 366
	maxItems      = 50
	maxLabelRunes = 200
	maxBasisRunes = 1000
	maxNoteRunes  = 2000
)

// File records a department's touch request. Data fields on file and still
// fresh (the dictionary's freshness) are answered at once from the
// registry, with their provenance; the others wait for the enterprise's
// form. A request whose every item is answered so needs no touch at all and
// is answered; the others wait for a visit (on site) or the form (remote).
func (s *Service) File(ctx context.Context, actor auth.Principal, spec RequestSpec) (Request, error) {
	if actor.Role == auth.RoleDepartment && spec.Department == "" {
		spec.Department = actor.Department
	}
	res, err := auth.EnterpriseResource(ctx, s.DB, spec.EnterpriseID)
	if err != nil {
		return Request{}, notFoundAs(err, "no such enterprise")
	}
	res.Department = spec.Department
	if err := auth.Can(actor, auth.FileTouchRequest, res); err != nil {
		return Request{}, err
	}
	dict, err := facts.LoadDictionary(ctx, s.DB)
	if err != nil {
		return Request{}, err
	}
	today := s.today()
	wants, err := spec.validate(actor, dict, today)
	if err != nil {
		return Request{}, err
	}
	now := s.now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO touch_requests
	(enterprise_id, department_code, kind, basis, earliest, latest, on_site, minutes, exemption, note, status, filed_by, filed_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
			spec.EnterpriseID, spec.Department, string(spec.Kind), spec.Basis, spec.Earliest.String(), spec.Latest.String(),
			spec.OnSite, spec.Minutes, string(spec.Exemption), spec.Note, actor.Label, store.FormatTime(now), store.FormatTime(now)).Scan(&id)
		if err != nil {
			if errors.Is(err, store.ErrReferenced) {
				return apperr.Errorf(apperr.NotFound, "no department %s", spec.Department)
			}
			return fmt.Errorf("touch: file request: %w", err)
		}
		answered := 0
		for pos, w := range wants {
			item, err := answerFromRegistry(ctx, tx, dict, spec.EnterpriseID, w, now)
			if err != nil {
				return err
			}
			if item.Answered() {
				answered++
			}
			if err := insertItem(ctx, tx, id, pos, item); err != nil {
				return err
			}
		}
		for k, label := range spec.CheckItems {
			if err := insertItem(ctx, tx, id, len(wants)+k, Item{Label: label}); err != nil {
				return err
			}
		}
		items := len(wants) + len(spec.CheckItems)
		if items > 0 && answered == items {
			if _, err := tx.Exec(ctx, "UPDATE touch_requests SET status = 'answered' WHERE id = ?", id); err != nil {
				return fmt.Errorf("touch: file request: %w", err)
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "touch_request.file", ObjectType: "touch_request",
			ObjectID: strconv.FormatInt(id, 10), After: spec.auditView(), At: now})
	})
	if err != nil {
		return Request{}, err
	}
	return GetRequest(ctx, s.DB, id)
}

func (spec RequestSpec) auditView() map[string]any {
	return map[string]any{"enterprise_id": spec.EnterpriseID, "department": spec.Department, "kind": spec.Kind,
		"basis": spec.Basis, "earliest": spec.Earliest.String(), "latest": spec.Latest.String(), "on_site": spec.OnSite,
		"minutes": spec.Minutes, "exemption": spec.Exemption, "fields": spec.Fields, "check_items": spec.CheckItems}
}

// validate checks the spec, normalises it, and returns the fields wanted
// with their periods resolved.
func (spec *RequestSpec) validate(actor auth.Principal, dict *facts.Dictionary, today workday.Date) ([]FieldWant, error) {
	var problems []apperr.Problem
	bad := func(field, format string, args ...any) {
		problems = append(problems, apperr.Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	spec.Basis = strings.TrimSpace(spec.Basis)
	spec.Note = strings.TrimSpace(spec.Note)
	if spec.Department == "" {
		bad("department", "name the department filing the request")
	}
	if _, err := ParseKind(string(spec.Kind)); err != nil {
		bad("kind", "%v", err)
	}
	if _, err := ParseExemption(string(spec.Exemption)); err != nil {
		bad("exemption", "%v", err)
	}
	switch n := utf8.RuneCountInString(spec.Basis); {
	case n == 0:
		bad("basis", "give the legal basis or the inspection item")
	case n > maxBasisRunes:
		bad("basis", "longer than %d characters", maxBasisRunes)
	}
	if utf8.RuneCountInString(spec.Note) > maxNoteRunes {
		bad("note", "longer than %d characters", maxNoteRunes)
	}
	switch {
	case spec.Earliest == 0 || spec.Latest == 0:
		bad("window", "give the earliest and the latest date")
	case spec.Latest < spec.Earliest:
		bad("window", "the latest date %s is before the earliest %s", spec.Latest, spec.Earliest)
	case spec.Latest < today:
		bad("window", "the window ended on %s, before today", spec.Latest)
	case int(spec.Latest-spec.Earliest) >= maxWindowDays:
		bad("window", "the window is longer than a year")
	}
	if spec.Minutes < 0 || spec.Minutes > 24*60 {
		bad("minutes", "the duration must be between 0 and 1440 minutes")
	}
	if len(spec.Fields)+len(spec.CheckItems) > maxItems {
		bad("items", "more than %d items", maxItems)
	}
	if !spec.OnSite && len(spec.Fields)+len(spec.CheckItems) == 0 {
		bad("items", "a remote request must name the data fields or the items it wants")
	}
	if spec.Exemption != ExemptNone && !spec.OnSite {
		bad("exemption", "an exemption concerns on-site visits; a remote request needs none")
	}
	var wants []FieldWant
	seen := map[FieldWant]bool{}
	for _, w := range spec.Fields {
		f, ok := dict.Field(w.Field)
		if !ok {
			bad("fields", "%q is not a field of the data dictionary", w.Field)
			continue
		}
		if !auth.FieldVisible(actor, auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}) {
			bad("fields", "you may not see the values of %s", f.Name)
			continue
		}
		period, err := resolvePeriod(f, w.Period, today)
		if err != nil {
			bad("fields", "%s: %v", f.Name, err)
			continue
		}
		w = FieldWant{Field: f.Name, Period: period}
		if !seen[w] {
			seen[w] = true
			wants = append(wants, w)
		}
	}
	var labels []string
	for _, label := range spec.CheckItems {
		label = strings.TrimSpace(label)
		switch n := utf8.RuneCountInString(label); {
		case n == 0:
			continue
		case n > maxLabelRunes:
			bad("check_items", "an item is longer than %d characters", maxLabelRunes)
		}
		labels = append(labels, label)
	}
	spec.CheckItems = labels
	if len(problems) > 0 {
		return nil, apperr.InvalidInput("the touch request is not valid", problems...)
	}
	return wants, nil
}

// resolvePeriod checks a wanted period against the field's shape; "" means
// the latest complete period before today (last year, quarter or month).
func resolvePeriod(f *facts.Field, text string, today workday.Date) (string, error) {
	if f.Shape == facts.Timeless {
		if text != "" {
			return "", errors.New("a timeless field has no period")
		}
		return "", nil
	}
	if text == "" {
		y, m, _ := today.Civil()
		switch f.Shape {
		case facts.Annual:
			return facts.Year(y - 1).String(), nil
		case facts.Quarterly:
			return facts.Quarter(y, (int(m)-1)/3+1).AddQuarters(-1).String(), nil
		default:
			return facts.Month(y, int(m)).AddMonths(-1).String(), nil
		}
	}
	p, err := facts.ParsePeriod(text)
	if err != nil {
		return "", err
	}
	if p.Shape != f.Shape {
		return "", fmt.Errorf("period %s is not %s", text, f.Shape)
	}
	return p.String(), nil
}

// answerFromRegistry returns the item for a wanted field: answered with the
// current value and its provenance when one is on file and still fresh,
// open otherwise.
func answerFromRegistry(ctx context.Context, q store.Queryer, dict *facts.Dictionary, enterpriseID int64, w FieldWant, now time.Time) (Item, error) {
	item := Item{Field: w.Field, Period: w.Period}
	var value, source string
	var factID int64
	var recorded time.Time
	// A fact's set is its id ÷ 65536 (facts/sets.go).
	err := q.QueryRow(ctx, `SELECT c.value, c.fact_id, c.recorded_at, s.source FROM current_facts c JOIN fact_sets s ON s.id = c.fact_id / 65536
WHERE c.enterprise_id = ? AND c.field = ? AND c.period = ?`, enterpriseID, w.Field, w.Period).
		Scan(&value, &factID, store.ScanTime(&recorded), &source)
	if errors.Is(err, store.ErrNotFound) {
		return item, nil
	}
	if err != nil {
		return item, fmt.Errorf("touch: read %s of %d: %w", w.Field, enterpriseID, err)
	}
	f, _ := dict.Field(w.Field)
	if f.FreshnessDays > 0 && now.Sub(recorded) > time.Duration(f.FreshnessDays)*24*time.Hour {
		return item, nil // on file but stale: asked again
	}
	item.Answer, item.Value, item.Source, item.FactID, item.RecordedAt, item.AnsweredAt = AnswerRegistry, value, source, factID, recorded, now
	return item, nil
}

func insertItem(ctx context.Context, q store.Queryer, requestID int64, position int, it Item) error {
	_, err := q.Exec(ctx, `INSERT INTO touch_items
	(request_id, position, field, period, label, answer, value, source, fact_id, recorded_at, answered_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		requestID, position, nullText(it.Field), it.Period, it.Label, nullText(string(it.Answer)), nullText(it.Value),
		nullText(it.Source), nullInt(it.FactID), nullTime(it.RecordedAt), nullTime(it.AnsweredAt))
	if err != nil {
		return fmt.Errorf("touch: record item %d of request %d: %w", position, requestID, err)
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.FormatTime(t)
}
