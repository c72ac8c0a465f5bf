package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
)

// The JSON API of API tokens and of the audit log, for admins. API tokens
// cannot be admins, so these answer to an admin's browser session (and its
// X-CSRF-Token header on the requests that change something).

// listTokens: GET /api/v1/tokens.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.deps.Auth.ListAPITokens(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		return err
	}
	if tokens == nil {
		tokens = []auth.APIToken{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": tokens})
	return nil
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	Name          string    `json:"name"`
	Role          auth.Role `json:"role"`
	Department    string    `json:"department"`
	ParkID        int64     `json:"park_id"`
	ExpiresInDays int       `json:"expires_in_days"` // 0: the default (90)
}

// createToken: POST /api/v1/tokens. The token is in this response and
// nowhere else, ever.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := auth.Can(p, auth.ManageTokens, auth.Resource{}); err != nil {
		return err
	}
	var req tokenRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.ExpiresInDays < 0 {
		return apperr.InvalidInput("the API token is not valid", apperr.Problem{Field: "expires_in_days", Reason: "must be positive"})
	}
	token, t, err := s.deps.Auth.CreateAPIToken(r.Context(), p, auth.APITokenSpec{Name: req.Name, Role: req.Role,
		Department: req.Department, ParkID: req.ParkID, ExpiresIn: time.Duration(req.ExpiresInDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": token, "api_token": t})
	return nil
}

// revokeToken: the HTTP method delete on /api/v1/tokens/{id}.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := auth.Can(p, auth.ManageTokens, auth.Resource{}); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := s.deps.Auth.RevokeAPIToken(r.Context(), p, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// auditLog: GET /api/v1/audit?actor=&action=&object_type=&object_id=&from=&to=&before_id=&limit=
// returns a page of entries, newest first, and the before_id of the next.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := auth.Can(p, auth.ViewAudit, auth.Resource{}); err != nil {
		return err
	}
	f, err := parseAuditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	entries, err := s.deps.Auth.AuditLog(r.Context(), p, f)
	if err != nil {
		return err
	}
	body := map[string]any{"entries": entries}
	if entries == nil {
		body["entries"] = []auth.AuditRecord{}
	}
	if n := len(entries); n > 0 {
		body["next_before_id"] = entries[n-1].ID
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// auditCSV: GET /api/v1/audit.csv with the filters of auditLog: every
// matching entry, oldest first, as a download. The export is audited.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := auth.Can(p, auth.ViewAudit, auth.Resource{}); err != nil {
		return err
	}
	f, err := parseAuditFilter(r.URL.Query())
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="parkdesk-audit-%s.csv"`, time.Now().UTC().Format("20060102-150405")))
	h.Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	if err := s.deps.Auth.ExportAuditCSV(r.Context(), p, f, cw); err != nil {
		if cw.n == 0 {
			h.Del("Content-Disposition")
			return err
		}
		// Half a file is out: cut the download short so that it does
		// not pass for a whole one.
		s.deps.Logger.Error("audit export failed", "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

type countingWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// parseAuditFilter reads the filter of the audit log's query. Dates are
// YYYY-MM-DD (UTC days; to is inclusive) or RFC 3339 instants.
func parseAuditFilter(q url.Values) (auth.AuditFilter, error) {
	f := auth.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	var problems []apperr.Problem
	parseTime := func(field string, day time.Duration) time.Time {
		v := q.Get(field)
		if v == "" {
			return time.Time{}
		}
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Add(day)
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			problems = append(problems, apperr.Problem{Field: field, Reason: "is not a date (YYYY-MM-DD) or time (RFC 3339)"})
		}
		return t
	}
	f.From = parseTime("from", 0)
	f.To = parseTime("to", 24*time.Hour)
	if v := q.Get("before_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			problems = append(problems, apperr.Problem{Field: "before_id", Reason: "is not an entry id"})
		}
		f.BeforeID = id
	}
	if v := q.Get("limit"); v != "" {
		limit, err := strconv.Atoi(v)
		if err != nil || limit < 1 || limit > 1000 {
			problems = append(problems, apperr.Problem{Field: "limit", Reason: "must be between 1 and 1000"})
		}
		f.Limit = limit
	}
	if len(problems) > 0 {
		return auth.AuditFilter{}, apperr.InvalidInput("the audit log filter is not valid", problems...)
	}
	return f, nil
}

// maxJSONBody caps the body of a JSON request of these handlers.
const maxJSONBody = 64 << 10

// decodeJSON reads one JSON object into v, refusing unknown fields, so
// that a typo in a field name is an error rather than a default.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.InvalidInput("the request body is not valid JSON for this call", apperr.Problem{Reason: err.Error()})
	}
	if dec.More() {
		return apperr.InvalidInput("the request body holds more than one JSON value")
	}
	return nil
}
