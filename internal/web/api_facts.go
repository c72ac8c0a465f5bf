package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// factJSON is one value with its provenance in the API. Values are their
// canonical text: decimals exact, as strings, like amounts.
type factJSON struct {
	Field      string    `json:"field"`
	Period     string    `json:"period"`
	Value      string    `json:"value"`
	Source     string    `json:"source"`
	Actor      string    `json:"actor"`
	RecordedAt time.Time `json:"recorded_at"`
}

// apiFacts: the current values of the fields the caller may see, with
// their provenance; ?field= narrows to one field.
func (s *Server) apiFacts(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	dict, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	groups, err := currentFacts(r.Context(), s.deps.Store, p, id, dict)
	if err != nil {
		return err
	}
	only := r.URL.Query().Get("field")
	out := struct {
		Enterprise int64      `json:"enterprise"`
		Facts      []factJSON `json:"facts"`
	}{Enterprise: id, Facts: []factJSON{}}
	for _, g := range groups {
		if only != "" && g.Field.Name != only {
			continue
		}
		for _, v := range g.Values {
			out.Facts = append(out.Facts, factJSON{Field: g.Field.Name, Period: v.Period, Value: v.Value, Source: v.Source, Actor: v.Actor, RecordedAt: v.RecordedAt})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiFactHistory: every value recorded for one field, oldest first.
func (s *Server) apiFactHistory(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	field, err := s.visibleField(ctx, p, id, r.PathValue("field"))
	if err != nil {
		return err
	}
	history, err := facts.History(ctx, s.deps.Store, id, field.Name)
	if err != nil {
		return err
	}
	out := struct {
		Enterprise int64      `json:"enterprise"`
		Field      string     `json:"field"`
		History    []factJSON `json:"history"`
	}{Enterprise: id, Field: field.Name, History: []factJSON{}}
	for _, h := range history {
		out.History = append(out.History, factJSON{Field: field.Name, Period: h.Period.String(), Value: h.Value.String(),
			Source: h.Source, Actor: h.Actor, RecordedAt: h.RecordedAt})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// visibleField returns the dictionary field name of an enterprise p may
// see; a field p may not see is not found, as if it did not exist.
func (s *Server) visibleField(ctx context.Context, p auth.Principal, enterpriseID int64, name string) (fieldRow, error) {
	dict, err := s.fields(ctx)
	if err != nil {
		return fieldRow{}, err
	}
	i := slices.IndexFunc(dict, func(f fieldRow) bool { return f.Name == name })
	if i < 0 {
		return fieldRow{}, errNotFound
	}
	res, err := auth.EnterpriseResource(ctx, s.deps.Store, enterpriseID)
	if err != nil {
		return fieldRow{}, err
	}
	res.Field = dict[i].authField()
	if auth.Can(p, auth.ViewField, res) != nil {
		return fieldRow{}, errNotFound
	}
	return dict[i], nil
}

// factsReport is the body of POST /api/v1/enterprises/{id}/facts: facts
// in the record format of the data contract, a scalar for a timeless
// field and an object from period to value for the others.
type factsReport struct {
	Facts map[string]json.RawMessage `json:"facts"`
}

// maxFactsBody bounds a report of facts: one enterprise's data.
const maxFactsBody = 1 << 20

// apiReportFacts records facts of one enterprise sent by another system
// (a tax bureau's, with an API token) or a person: every field must be one
// the caller may change, every value valid, or nothing is written.
func (s *Server) apiReportFacts(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	var body factsReport
	dec := json.NewDecoder(io.LimitReader(r.Body, maxFactsBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return apperr.InvalidInput("the body is not a facts report", apperr.Problem{Reason: "want {\"facts\": {\"field\": value or {\"period\": value}}}: " + err.Error()})
	}
	n, err := s.reportFacts(r.Context(), p, id, body.Facts, sourceOf(p))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"rows": n.Rows, "changed": n.Changed})
	return nil
}

// sourceOf is the provenance source of facts a principal reports.
func sourceOf(p auth.Principal) string {
	switch {
	case p.TokenID != 0:
		return "api"
	case p.Role == auth.RoleEnterprise:
		return "self-report"
	case p.Role == auth.RoleDepartment:
		return "department"
	}
	return "console"
}

// reportFacts validates and records facts of one enterprise, checking
// EditFacts field by field, and audits the change in the same
// transaction. Nothing is written when any field is refused or invalid.
func (s *Server) reportFacts(ctx context.Context, p auth.Principal, enterpriseID int64, raw map[string]json.RawMessage, source string) (facts.Appended, error) {
	if len(raw) == 0 {
		return facts.Appended{}, apperr.InvalidInput("no facts to record", apperr.Problem{Field: "facts", Reason: "is empty"})
	}
	db := s.deps.Store
	dict, err := facts.LoadDictionary(ctx, db)
	if err != nil {
		return facts.Appended{}, err
	}
	res, err := auth.EnterpriseResource(ctx, db, enterpriseID)
	if err != nil {
		return facts.Appended{}, err
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	var problems, refused []apperr.Problem
	var batch []facts.Fact
	changed := map[string]map[string]string{}
	for _, name := range names {
		f, ok := dict.Field(name)
		if !ok {
			problems = append(problems, apperr.Problem{Field: name, Reason: "unknown field: not in the data dictionary"})
			continue
		}
		res.Field = auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}
		if err := auth.Can(p, auth.EditFacts, res); err != nil {
			refused = append(refused, apperr.Problem{Field: name, Reason: apperr.MessageOf(err)})
			continue
		}
		series, err := facts.DecodeFact(dict, name, raw[name])
		if err != nil {
			problems = append(problems, apperr.Problem{Field: name, Reason: err.Error()})
			continue
		}
		changed[name] = map[string]string{}
		for period, v := range series {
			batch = append(batch, facts.Fact{EnterpriseID: enterpriseID, Field: name, Period: period, Value: v})
			changed[name][period.String()] = v.String()
		}
	}
	if len(refused) > 0 {
		return facts.Appended{}, &apperr.Error{Code: apperr.Forbidden, Message: "you may not change some of these fields; nothing was recorded", Problems: refused}
	}
	if len(problems) > 0 {
		return facts.Appended{}, apperr.InvalidInput("the facts were not recorded", problems...)
	}
	var out facts.Appended
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = facts.AppendFacts(ctx, tx, facts.Provenance{Source: source, Actor: p.Label}, slices.Values(batch))
		if err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "facts.report", ObjectType: "enterprise",
			ObjectID: strconv.FormatInt(enterpriseID, 10), After: map[string]any{"source": source, "facts": changed}})
	})
	if err != nil {
		return out, err
	}
	if out.Changed > 0 {
		s.reevaluate(ctx, enterpriseID, names)
	}
	return out, nil
}

// reevaluate brings the enterprise's stored results up to date with facts
// that changed, on the date of its current results (the park's matching
// date), so that the pages show what the new data decides. A failure is
// logged, not returned: the facts are recorded, and the next batch run
// catches up.
func (s *Server) reevaluate(ctx context.Context, enterpriseID int64, fields []string) {
	if s.deps.Matcher == nil {
		return
	}
	on := s.now()
	var current sql.NullString
	err := s.deps.Store.QueryRow(ctx, `SELECT COALESCE((SELECT MAX(on_date) FROM match_coverage WHERE ? BETWEEN first_id AND last_id),
	(SELECT MAX(on_date) FROM match_coverage))`, enterpriseID).Scan(&current)
	if err == nil && current.Valid {
		if d, err := time.Parse(time.DateOnly, current.String); err == nil {
			on = d
		}
	}
	if _, err := s.deps.Matcher.Reevaluate(ctx, s.deps.Store, on, enterpriseID, fields); err != nil {
		s.deps.Logger.Error("re-evaluate after reported facts", "enterprise", enterpriseID, "err", err)
	}
}
