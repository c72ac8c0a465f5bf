package web

import (
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/appeal"
)

// The appeals API: what an enterprise's own systems, the 12345 hotline's
// bridge or a department's case system use to raise, follow and answer
// appeals. Every decision is appeal.Service's.

func (s *Server) appealAPIRoutes() {
	s.mux.Handle("GET /api/v1/appeals", s.api(s.apiAppeals))
	s.mux.Handle("POST /api/v1/appeals", s.api(s.apiFileAppeal))
	s.mux.Handle("GET /api/v1/appeals/{id}", s.api(s.apiAppeal))
	s.mux.Handle("POST /api/v1/appeals/{id}/{action}", s.api(s.apiAppealAction))
}

// apiAppealJSON is an appeal as the API writes it.
type apiAppealJSON struct {
	ID           int64      `json:"id"`
	EnterpriseID int64      `json:"enterprise_id"`
	Enterprise   string     `json:"enterprise"`
	Category     string     `json:"category"`
	Title        string     `json:"title"`
	Body         string     `json:"body"`
	Source       string     `json:"source"`
	Status       string     `json:"status"`
	Department   string     `json:"department,omitempty"`
	Cohandlers   []string   `json:"cohandlers,omitempty"`
	ReceivedAt   time.Time  `json:"received_at"`
	AckDue       *time.Time `json:"ack_due,omitempty"`
	Due          *time.Time `json:"due,omitempty"`
	Overdue      bool       `json:"overdue"`
	Level        int        `json:"level"`
	Reply        string     `json:"reply,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
	OnTime       *bool      `json:"on_time,omitempty"`
	Rating       string     `json:"rating,omitempty"`
	Reopened     int        `json:"reopened"`
	Events       []apiEvent `json:"events,omitempty"`
}

type apiEvent struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Note string    `json:"note,omitempty"`
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func appealJSON(a appeal.Appeal) apiAppealJSON {
	out := apiAppealJSON{ID: a.ID, EnterpriseID: a.EnterpriseID, Enterprise: a.Enterprise, Category: a.Category, Title: a.Title, Body: a.Body,
		Source: string(a.Source), Status: string(a.Status), Department: a.Department, Cohandlers: a.Cohandlers, ReceivedAt: a.ReceivedAt,
		AckDue: optionalTime(a.AckDue), Due: optionalTime(a.Due), Overdue: a.Overdue, Level: int(a.Level), Reply: a.Reply,
		RepliedAt: optionalTime(a.RepliedAt), OnTime: a.OnTime, Rating: string(a.Rating), Reopened: a.Reopened}
	for _, e := range a.Events {
		out.Events = append(out.Events, apiEvent{At: e.At, Kind: e.Kind, Note: e.Note})
	}
	return out
}

func (s *Server) apiAppeals(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	st, err := appeal.ParseStatus(q.Get("status"))
	if err != nil {
		return err
	}
	pg := pagingOf(q)
	list, total, err := s.appealService().List(r.Context(), p, appeal.Filter{Status: st, Overdue: q.Get("overdue") == "true",
		Department: q.Get("department"), Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	items := make([]apiAppealJSON, 0, len(list))
	for _, a := range list {
		items = append(items, appealJSON(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": pg.Page, "per": pg.Per, "items": items})
	return nil
}

// apiAppealSpec is the body of POST /api/v1/appeals.
type apiAppealSpec struct {
	EnterpriseID int64    `json:"enterprise_id"`
	Category     string   `json:"category"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	ContactName  string   `json:"contact_name"`
	ContactPhone string   `json:"contact_phone"`
	Department   string   `json:"department"`
	Cohandlers   []string `json:"cohandlers"`
}

func (s *Server) apiFileAppeal(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	var in apiAppealSpec
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.EnterpriseID == 0 {
		in.EnterpriseID = p.EnterpriseID
	}
	svc := s.appealService()
	id, err := svc.File(r.Context(), p, appeal.Spec{EnterpriseID: in.EnterpriseID, Category: in.Category, Title: in.Title, Body: in.Body,
		ContactName: in.ContactName, ContactPhone: in.ContactPhone, Department: in.Department, Cohandlers: in.Cohandlers})
	if err != nil {
		return err
	}
	a, err := svc.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, appealJSON(a))
	return nil
}

func (s *Server) apiAppeal(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	id, err := appealID(r)
	if err != nil {
		return err
	}
	a, err := s.appealService().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appealJSON(a))
	return nil
}

// apiAppealActionBody is the body of POST /api/v1/appeals/{id}/{action}:
// the fields the action needs.
type apiAppealActionBody struct {
	Department string   `json:"department"`
	Cohandlers []string `json:"cohandlers"`
	Reason     string   `json:"reason"`
	Question   string   `json:"question"`
	Answer     string   `json:"answer"`
	Reply      string   `json:"reply"`
	Rating     string   `json:"rating"`
	Comment    string   `json:"comment"`
	Into       string   `json:"into"`
	Note       string   `json:"note"`
}

func (s *Server) apiAppealAction(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	id, err := appealID(r)
	if err != nil {
		return err
	}
	var in apiAppealActionBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	fields := map[string]string{"department": in.Department, "reason": in.Reason, "question": in.Question, "answer": in.Answer,
		"reply": in.Reply, "rating": in.Rating, "comment": in.Comment, "into": in.Into, "note": in.Note}
	err = s.appealDo(r.Context(), p, id, r.PathValue("action"), func(k string) string { return fields[k] },
		func(string) []string { return in.Cohandlers })
	if err != nil {
		return err
	}
	a, err := s.appealService().Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appealJSON(a))
	return nil
}
