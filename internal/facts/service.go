package facts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Service is the one home of an enterprise's facts as people and systems
// read and report them: the current values and the history of the fields
// the principal may see, and Report, the one way a value is recorded
// outside the bulk import (validation, per-field authorisation, the
// transaction, the audit entry). After a change it emits one Changed
// event, to which matching subscribes (match.Matcher.FollowFacts), so that
// the results follow the data whoever reported it.
type Service struct {
	DB     *store.DB
	Logger *slog.Logger

	mu          sync.Mutex
	subscribers []func(context.Context, Changed) error
	dict        dictionaryCache // Dictionary's (service_dictionary.go)
}

// Changed says which enterprises' current values changed, in which
// fields: what a subscriber needs to bring what depends on them up to
// date.
type Changed struct {
	Enterprises []int64
	Fields      []string
	Source      string
}

// Subscribe calls fn after every change, once the change is committed. An
// error of fn is logged, not returned to the reporter: the facts are
// recorded, and what follows them can catch up (a batch run).
func (s *Service) Subscribe(fn func(context.Context, Changed) error) {
	s.mu.Lock()
	s.subscribers = append(s.subscribers, fn)
	s.mu.Unlock()
}

// Emit tells the subscribers of a change committed by a caller's own
// transaction (Record), or by the bulk import.
func (s *Service) Emit(ctx context.Context, ch Changed) {
	if len(ch.Enterprises) == 0 {
		return
	}
	s.mu.Lock()
	subs := slices.Clone(s.subscribers)
	s.mu.Unlock()
	for _, fn := range subs {
		if err := fn(ctx, ch); err != nil {
			s.logger().Error("after facts changed", "enterprises", len(ch.Enterprises), "source", ch.Source, "err", err)
		}
	}
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// notFound is what a principal learns of an enterprise or a field it may
// not see: that there is none.
var notFound = apperr.Errorf(apperr.NotFound, "not found")

// visibleEnterprise returns the enterprise's resource when p may see it.
func (s *Service) visibleEnterprise(ctx context.Context, p auth.Principal, enterpriseID int64) (auth.Resource, error) {
	res, err := auth.EnterpriseResource(ctx, s.DB, enterpriseID)
	if errors.Is(err, store.ErrNotFound) {
		return res, notFound
	}
	if err != nil {
		return res, err
	}
	if !auth.Allowed(p, auth.ViewEnterprise, res) {
		return res, notFound
	}
	return res, nil
}

func authField(f *Field) auth.Field {
	return auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}
}

// CurrentValue is one current value with its provenance.
type CurrentValue struct {
	Period     Period
	Value      Value
	Source     string
	Actor      string
	RecordedAt time.Time
}

// FieldValues are the current values of one field, the newest period
// first.
type FieldValues struct {
	Field  *Field
	Values []CurrentValue
}

// CurrentOf returns the current values of the fields p may see of an
// enterprise p may see, with their provenance, in dictionary order. A
// field p may not see is left out entirely, not shown masked: its mere
// periods would say too much.
func (s *Service) CurrentOf(ctx context.Context, p auth.Principal, enterpriseID int64) ([]FieldValues, error) {
	if _, err := s.visibleEnterprise(ctx, p, enterpriseID); err != nil {
		return nil, err
	}
	dict, err := s.Dictionary(ctx)
	if err != nil {
		return nil, err
	}
	// A fact's set is its id ÷ 65536 (sets.go).
	rows, err := s.DB.Query(ctx, `SELECT cf.field, cf.period, cf.value, fs.source, fs.actor, fs.recorded_at
FROM current_facts cf JOIN fact_sets fs ON fs.id = cf.fact_id / 65536
WHERE cf.enterprise_id = ? ORDER BY cf.field, cf.period DESC`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("facts: current values of enterprise %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	byField := map[string][]CurrentValue{}
	for rows.Next() {
		var field, period, value string
		var v CurrentValue
		if err := rows.Scan(&field, &period, &value, &v.Source, &v.Actor, store.ScanTime(&v.RecordedAt)); err != nil {
			return nil, err
		}
		f, ok := dict.Field(field)
		if !ok || !auth.FieldVisible(p, authField(f)) {
			continue
		}
		if v.Period, err = ParsePeriod(period); err != nil {
			return nil, fmt.Errorf("facts: current value of %s: %w", field, err)
		}
		if v.Value, err = decodeStored(f, value); err != nil {
			return nil, err
		}
		byField[field] = append(byField[field], v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []FieldValues
	for _, f := range dict.Fields() {
		if values, ok := byField[f.Name]; ok {
			out = append(out, FieldValues{Field: f, Values: values})
		}
	}
	return out, nil
}

// HistoryOf returns every value recorded for one field of an enterprise,
// by period and then in the order recorded (History), when p may see the
// field (auth.ViewField); a field p may not see is not found, as if it did
// not exist.
func (s *Service) HistoryOf(ctx context.Context, p auth.Principal, enterpriseID int64, field string) (*Field, []HistoryEntry, error) {
	res, err := s.visibleEnterprise(ctx, p, enterpriseID)
	if err != nil {
		return nil, nil, err
	}
	dict, err := s.Dictionary(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, ok := dict.Field(field)
	if !ok {
		return nil, nil, notFound
	}
	res.Field = authField(f)
	if auth.Can(p, auth.ViewField, res) != nil {
		return nil, nil, notFound
	}
	h, err := History(ctx, s.DB, enterpriseID, field)
	return f, h, err
}

// Report is what a person or a system reports of one enterprise: values
// in the record format of the data contract (JSON, a scalar for a
// timeless field, an object from period to value for the others), or
// typed into a form (Text).
type Report struct {
	EnterpriseID int64
	// Source is the provenance source ("api", "self-report",
	// "department", "console"); SourceOf gives the usual one.
	Source string
	// At is when the values were recorded; zero is now.
	At   time.Time
	JSON map[string]json.RawMessage
	Text []TextValue
}

// TextValue is one value as typed into a form.
type TextValue struct {
	Field, Period, Text string
}

// SourceOf is the provenance source of values a principal reports.
func SourceOf(p auth.Principal) string {
	switch {
	case p.TokenID != 0:
		return "api"
	case p.Role == auth.RoleEnterprise:
		return "self-report"
	case p.Role == auth.RoleDepartment:
		return "department"
	case p.IsSystem():
		return "system"
	}
	return "console"
}

// Checked is a report validated and authorised, ready to record.
type Checked struct {
	report Report
	facts  []Fact
	fields []string
	audit  map[string]map[string]string
}

// Facts are the values the report holds.
func (c *Checked) Facts() []Fact { return c.facts }

// Check validates a report and decides, field by field, whether p may
// change each value (auth.EditFacts): a field p may not change refuses the
// whole report (forbidden, with the fields), as does any invalid value
// (invalid, with every problem). It writes nothing.
func (s *Service) Check(ctx context.Context, p auth.Principal, rep Report) (*Checked, error) {
	if len(rep.JSON) == 0 && len(rep.Text) == 0 {
		return nil, apperr.InvalidInput("no facts to record", apperr.Problem{Field: "facts", Reason: "is empty"})
	}
	if rep.Source == "" {
		rep.Source = SourceOf(p)
	}
	res, err := s.visibleEnterprise(ctx, p, rep.EnterpriseID)
	if err != nil {
		return nil, err
	}
	dict, err := s.Dictionary(ctx)
	if err != nil {
		return nil, err
	}
	c := &Checked{report: rep, audit: map[string]map[string]string{}}
	var problems, refused []apperr.Problem
	allowed := func(f *Field) bool {
		res.Field = authField(f)
		if err := auth.Can(p, auth.EditFacts, res); err != nil {
			refused = append(refused, apperr.Problem{Field: f.Name, Reason: apperr.MessageOf(err)})
			return false
		}
		return true
	}
	add := func(f *Field, period Period, v Value) {
		c.facts = append(c.facts, Fact{EnterpriseID: rep.EnterpriseID, Field: f.Name, Period: period, Value: v})
		if c.audit[f.Name] == nil {
			c.audit[f.Name] = map[string]string{}
			c.fields = append(c.fields, f.Name)
		}
		c.audit[f.Name][period.String()] = v.String()
	}
	names := make([]string, 0, len(rep.JSON))
	for name := range rep.JSON {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, ok := dict.Field(name)
		if !ok {
			problems = append(problems, apperr.Problem{Field: name, Reason: "unknown field: not in the data dictionary"})
			continue
		}
		if !allowed(f) {
			continue
		}
		series, err := DecodeFact(dict, name, rep.JSON[name])
		if err != nil {
			problems = append(problems, apperr.Problem{Field: name, Reason: err.Error()})
			continue
		}
		periods := make([]Period, 0, len(series))
		for period := range series {
			periods = append(periods, period)
		}
		slices.SortFunc(periods, func(a, b Period) int { return strings.Compare(a.String(), b.String()) })
		for _, period := range periods {
			add(f, period, series[period])
		}
	}
	for _, tv := range rep.Text {
		f, ok := dict.Field(tv.Field)
		if !ok {
			problems = append(problems, apperr.Problem{Field: tv.Field, Reason: "unknown field: not in the data dictionary"})
			continue
		}
		if !allowed(f) {
			continue
		}
		period, err := ParsePeriod(strings.TrimSpace(tv.Period))
		if err == nil && period.Shape != f.Shape {
			err = errors.New(ShapeMismatch(f, period.Shape))
		}
		if err != nil {
			problems = append(problems, apperr.Problem{Field: tv.Field, Reason: err.Error()})
			continue
		}
		v, err := f.ParseValue(strings.TrimSpace(tv.Text))
		if err != nil {
			problems = append(problems, apperr.Problem{Field: tv.Field, Reason: err.Error()})
			continue
		}
		add(f, period, v)
	}
	if len(refused) > 0 {
		return nil, &apperr.Error{Code: apperr.Forbidden, Message: "you may not change some of these fields; nothing was recorded", Problems: refused}
	}
	if len(problems) > 0 {
		return nil, apperr.InvalidInput("the facts were not recorded", problems...)
	}
	return c, nil
}

// Record appends a checked report in the caller's transaction and audits
// it there. The caller emits the change (Emit) once it commits.
func (s *Service) Record(ctx context.Context, tx *store.Tx, p auth.Principal, c *Checked) (Appended, Changed, error) {
	rep := c.report
	out, err := AppendFacts(ctx, tx, Provenance{Source: rep.Source, Actor: p.Label, At: rep.At}, slices.Values(c.facts))
	if err != nil {
		return out, Changed{}, err
	}
	err = auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "facts.report", ObjectType: "enterprise",
		ObjectID: strconv.FormatInt(rep.EnterpriseID, 10), After: map[string]any{"source": rep.Source, "facts": c.audit}})
	if err != nil {
		return out, Changed{}, err
	}
	ch := Changed{Fields: c.fields, Source: rep.Source}
	if out.Changed > 0 {
		ch.Enterprises = []int64{rep.EnterpriseID}
	}
	return out, ch, nil
}

// Report checks, records and audits a report in one transaction, then
// emits the change: nothing is written when any field is refused or
// invalid.
func (s *Service) Report(ctx context.Context, p auth.Principal, rep Report) (Appended, error) {
	c, err := s.Check(ctx, p, rep)
	if err != nil {
		return Appended{}, err
	}
	var out Appended
	var ch Changed
	err = s.DB.InTx(ctx, func(tx *store.Tx) (err error) {
		out, ch, err = s.Record(ctx, tx, p, c)
		return err
	})
	if err != nil {
		return out, err
	}
	s.Emit(ctx, ch)
	return out, nil
}
