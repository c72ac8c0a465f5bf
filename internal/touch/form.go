package touch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// SelfReport is the provenance source of the values an enterprise gives on
// its form.
const SelfReport = "self-report"

// Form is the one form (一表通) that asks an enterprise everything the
// departments want and the registry cannot answer: each field once,
// whichever departments want it, and the remote requests' other items.
type Form struct {
	EnterpriseID int64
	Fields       []FormField
	Items        []FormItem
}

// FormField is one data field asked, with who wants it.
type FormField struct {
	Field       string
	Period      string
	Departments []string // sorted
	Requests    []int64
	// Stale is the value on file that went stale, shown to be confirmed or
	// corrected; "" when none is on file.
	Stale         string
	StaleRecorded time.Time
}

// FormItem is a remote request's item other than a data field: material or
// a question answered in words.
type FormItem struct {
	ItemID     int64
	RequestID  int64
	Department string
	Label      string
}

// Empty reports whether there is nothing to ask.
func (f Form) Empty() bool { return len(f.Fields) == 0 && len(f.Items) == 0 }

// Form returns what the enterprise is asked. A liaison sees its own
// enterprise's form; fields the liaison may not report (tax data, which
// comes from the tax bureau) are not asked of it and stay with the
// departments.
func (s *Service) Form(ctx context.Context, actor auth.Principal, enterpriseID int64) (Form, error) {
	res, err := auth.EnterpriseResource(ctx, s.DB, enterpriseID)
	if err != nil {
		return Form{}, notFoundAs(err, "no such enterprise")
	}
	if err := auth.Can(actor, auth.ViewEnterprise, res); err != nil {
		return Form{}, err
	}
	dict, err := facts.LoadDictionary(ctx, s.DB)
	if err != nil {
		return Form{}, err
	}
	form := Form{EnterpriseID: enterpriseID}
	err = s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT i.id, i.request_id, r.department_code, i.field, i.period, i.label, r.on_site
FROM touch_items i JOIN touch_requests r ON r.id = i.request_id
WHERE r.enterprise_id = ? AND r.status IN ('pending', 'planned') AND i.answer IS NULL
ORDER BY i.field, i.period, r.department_code, i.request_id`, enterpriseID)
		if err != nil {
			return fmt.Errorf("touch: read the form: %w", err)
		}
		defer rows.Close()
		index := map[FieldWant]int{}
		for rows.Next() {
			var itemID, requestID int64
			var dept, period, label string
			var field *string
			var onSite bool
			if err := rows.Scan(&itemID, &requestID, &dept, &field, &period, &label, &onSite); err != nil {
				return fmt.Errorf("touch: read the form: %w", err)
			}
			if field == nil {
				if !onSite { // on-site items are checked at the visit
					form.Items = append(form.Items, FormItem{ItemID: itemID, RequestID: requestID, Department: dept, Label: label})
				}
				continue
			}
			f, ok := dict.Field(*field)
			if !ok || !auth.Allowed(actor, auth.EditFacts, fieldResource(res, f)) {
				continue
			}
			key := FieldWant{Field: *field, Period: period}
			k, ok := index[key]
			if !ok {
				k = len(form.Fields)
				index[key] = k
				form.Fields = append(form.Fields, FormField{Field: key.Field, Period: key.Period})
			}
			ff := &form.Fields[k]
			if !slices.Contains(ff.Departments, dept) {
				ff.Departments = append(ff.Departments, dept)
			}
			ff.Requests = append(ff.Requests, requestID)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for k := range form.Fields {
			ff := &form.Fields[k]
			err := tx.QueryRow(ctx, "SELECT value, recorded_at FROM current_facts WHERE enterprise_id = ? AND field = ? AND period = ?",
				enterpriseID, ff.Field, ff.Period).Scan(&ff.Stale, store.ScanTime(&ff.StaleRecorded))
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("touch: read the form: %w", err)
			}
		}
		return nil
	})
	return form, err
}

func fieldResource(res auth.Resource, f *facts.Field) auth.Resource {
	res.Field = auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}
	return res
}

// FormAnswers are the values an enterprise gives: data fields by field and
// period, and remote items by item id.
type FormAnswers struct {
	Fields map[FieldWant]string
	Items  map[int64]string
}

// SubmitForm records the enterprise's answers. Values are checked against
// the dictionary first: any bad value, and nothing is recorded. The field
// values become facts with the provenance self-report, and answer every
// open item that wants them, whichever department filed it; a remote
// request whose items are all answered is answered.
func (s *Service) SubmitForm(ctx context.Context, actor auth.Principal, enterpriseID int64, answers FormAnswers) error {
	form, err := s.Form(ctx, actor, enterpriseID)
	if err != nil {
		return err
	}
	dict, err := facts.LoadDictionary(ctx, s.DB)
	if err != nil {
		return err
	}
	var problems []apperr.Problem
	var values []facts.Fact
	var texts []facts.TextValue
	asked := map[FieldWant]bool{}
	for _, ff := range form.Fields {
		asked[FieldWant{Field: ff.Field, Period: ff.Period}] = true
	}
	for _, key := range sortedWants(answers.Fields) {
		text := strings.TrimSpace(answers.Fields[key])
		if text == "" {
			continue
		}
		f, ok := dict.Field(key.Field)
		if !ok || !asked[key] {
			problems = append(problems, apperr.Problem{Field: key.Field, Reason: "this field is not asked on the form"})
			continue
		}
		texts = append(texts, facts.TextValue{Field: f.Name, Period: key.Period, Text: text})
	}
	// The values are checked and authorised, field by field, by the one
	// home of reported facts.
	now := s.now()
	var checked *facts.Checked
	if len(texts) > 0 {
		var err error
		checked, err = s.facts().Check(ctx, actor, facts.Report{EnterpriseID: enterpriseID, Source: SelfReport, At: now, Text: texts})
		var ae *apperr.Error
		switch {
		case err == nil:
			values = checked.Facts()
		case errors.As(err, &ae) && len(ae.Problems) > 0:
			problems = append(problems, ae.Problems...)
		default:
			return err
		}
	}
	openItems := map[int64]FormItem{}
	for _, it := range form.Items {
		openItems[it.ItemID] = it
	}
	var itemIDs []int64
	for id, text := range answers.Items {
		if strings.TrimSpace(text) == "" {
			continue
		}
		if _, ok := openItems[id]; !ok {
			problems = append(problems, apperr.Problem{Field: "item " + strconv.FormatInt(id, 10), Reason: "this item is not asked on the form"})
			continue
		}
		if utf8.RuneCountInString(text) > maxNoteRunes {
			problems = append(problems, apperr.Problem{Field: "item " + strconv.FormatInt(id, 10), Reason: fmt.Sprintf("longer than %d characters", maxNoteRunes)})
			continue
		}
		itemIDs = append(itemIDs, id)
	}
	slices.Sort(itemIDs)
	if len(problems) > 0 {
		return apperr.InvalidInput("some answers are not valid; nothing was recorded", problems...)
	}
	if len(values) == 0 && len(itemIDs) == 0 {
		return apperr.Errorf(apperr.Invalid, "the form holds no answer")
	}
	var changed facts.Changed
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if checked != nil {
			var err error
			if _, changed, err = s.facts().Record(ctx, tx, actor, checked); err != nil {
				return err
			}
		}
		for _, f := range values {
			if err := answerWithCurrent(ctx, tx, enterpriseID, f.Field, f.Period.String(), now); err != nil {
				return err
			}
		}
		for _, id := range itemIDs {
			if _, err := tx.Exec(ctx, `UPDATE touch_items SET answer = 'reported', value = ?, source = ?, answered_at = ?
WHERE id = ? AND answer IS NULL`, strings.TrimSpace(answers.Items[id]), SelfReport, store.FormatTime(now), id); err != nil {
				return fmt.Errorf("touch: record answer: %w", err)
			}
		}
		if err := closeAnswered(ctx, tx, enterpriseID, now); err != nil {
			return err
		}
		reported := make([]string, 0, len(values))
		for _, f := range values {
			reported = append(reported, f.Field+" "+f.Period.String())
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "touch_form.submit", ObjectType: "enterprise",
			ObjectID: strconv.FormatInt(enterpriseID, 10), After: map[string]any{"fields": reported, "items": itemIDs}, At: now})
	})
	if err != nil {
		return err
	}
	// Matching follows the reported values, as it follows every report.
	s.facts().Emit(ctx, changed)
	return nil
}

func sortedWants(m map[FieldWant]string) []FieldWant {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b FieldWant) int {
		return strings.Compare(a.Field+"\x00"+a.Period, b.Field+"\x00"+b.Period)
	})
	return keys
}

// answerWithCurrent answers every open item of the enterprise's live
// requests that wants the field for the period with its current value.
func answerWithCurrent(ctx context.Context, tx *store.Tx, enterpriseID int64, field, period string, now time.Time) error {
	var value string
	var factID int64
	var recorded time.Time
	if err := tx.QueryRow(ctx, "SELECT value, fact_id, recorded_at FROM current_facts WHERE enterprise_id = ? AND field = ? AND period = ?",
		enterpriseID, field, period).Scan(&value, &factID, store.ScanTime(&recorded)); err != nil {
		return fmt.Errorf("touch: read the reported %s: %w", field, err)
	}
	_, err := tx.Exec(ctx, `UPDATE touch_items SET answer = 'reported', value = ?, source = ?, fact_id = ?, recorded_at = ?, answered_at = ?
WHERE field = ? AND period = ? AND answer IS NULL
	AND request_id IN (SELECT id FROM touch_requests WHERE enterprise_id = ? AND status IN ('pending', 'planned'))`,
		value, SelfReport, factID, store.FormatTime(recorded), store.FormatTime(now), field, period, enterpriseID)
	if err != nil {
		return fmt.Errorf("touch: answer %s: %w", field, err)
	}
	return nil
}

// closeAnswered marks answered the enterprise's pending requests with
// nothing left open: remote ones, and on-site ones whose items were all
// data (no visit is needed for them any more).
func closeAnswered(ctx context.Context, tx *store.Tx, enterpriseID int64, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE touch_requests SET status = 'answered', updated_at = ?
WHERE enterprise_id = ? AND status = 'pending'
	AND EXISTS (SELECT 1 FROM touch_items i WHERE i.request_id = touch_requests.id)
	AND NOT EXISTS (SELECT 1 FROM touch_items i WHERE i.request_id = touch_requests.id AND i.answer IS NULL)`,
		store.FormatTime(now), enterpriseID)
	if err != nil {
		return fmt.Errorf("touch: close answered requests: %w", err)
	}
	return nil
}
