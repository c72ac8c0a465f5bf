package web

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
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
	current, err := s.facts.CurrentOf(r.Context(), p, id)
	if err != nil {
		return err
	}
	only := r.URL.Query().Get("field")
	out := struct {
		Enterprise int64      `json:"enterprise"`
		Facts      []factJSON `json:"facts"`
	}{Enterprise: id, Facts: []factJSON{}}
	for _, fv := range current {
		if only != "" && fv.Field.Name != only {
			continue
		}
		for _, v := range fv.Values {
			out.Facts = append(out.Facts, factJSON{Field: fv.Field.Name, Period: v.Period.String(), Value: v.Value.String(),
				Source: v.Source, Actor: v.Actor, RecordedAt: v.RecordedAt})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiFactHistory: every value recorded for one field, by period and in
// the order recorded (facts.Service.HistoryOf), as the page lists them.
func (s *Server) apiFactHistory(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	field, history, err := s.facts.HistoryOf(r.Context(), p, id, r.PathValue("field"))
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

// factsReport is the body of POST /api/v1/enterprises/{id}/facts: facts
// in the record format of the data contract, a scalar for a timeless
// field and an object from period to value for the others.
type factsReport struct {
	Facts map[string]json.RawMessage `json:"facts"`
}

// maxFactsBody bounds a report of facts: one enterprise's data.
const maxFactsBody = 1 << 20

// apiReportFacts records facts of one enterprise sent by another system
// (a tax bureau's, with an API token) or a person, through
// facts.Service.Report: every field must be one the caller may change,
// every value valid, or nothing is written.
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
	n, err := s.facts.Report(r.Context(), p, facts.Report{EnterpriseID: id, Source: facts.SourceOf(p), JSON: body.Facts})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"rows": n.Rows, "changed": n.Changed})
	return nil
}
