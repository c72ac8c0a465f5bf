package web

import (
	"net/http"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/tech"
)

// The technology desk's API: the catalogue (public to every signed-in
// principal), needs with their ranked achievements and reasons, dockings
// and the measures. Every decision is tech.Service's.

func (s *Server) apiTechAchievements(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	items, total, err := s.techService().Achievements(r.Context(), p, tech.AchievementFilter{Query: q.Get("q"), Field: tech.Field(q.Get("field")),
		Maturity: tech.Maturity(q.Get("maturity")), Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": pg.Page, "per": pg.Per, "items": items})
	return nil
}

func (s *Server) apiTechAchievement(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	a, err := s.techService().Achievement(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiTechSaveAchievement(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	var a tech.Achievement
	if err := decodeJSON(r, &a); err != nil {
		return err
	}
	a, err = s.techService().SaveAchievement(r.Context(), p, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiTechCandidates(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	a, cands, err := s.techService().Candidates(r.Context(), p, r.PathValue("code"), 10)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"achievement": a.Code, "candidates": nonNilSlice(cands)})
	return nil
}

func (s *Server) apiTechNeeds(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	f := tech.NeedFilter{Status: tech.Status(q.Get("status")), Limit: pg.Per, Offset: pg.Offset()}
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise"), 10, 64)
	items, total, err := s.techService().Needs(r.Context(), p, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": pg.Page, "per": pg.Per, "items": items})
	return nil
}

// needBody is a need posted through the API.
type needBody struct {
	Enterprise  int64  `json:"enterprise"`
	USCC        string `json:"uscc"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Field       string `json:"field"`
	Budget      string `json:"budget"`
	WantedBy    string `json:"wanted_by"`
}

func (s *Server) apiTechPostNeed(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	var b needBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	if b.Enterprise == 0 && b.USCC == "" && p.EnterpriseID != 0 {
		b.Enterprise = p.EnterpriseID
	}
	n, err := s.techService().PostNeed(r.Context(), p, tech.NeedSpec{EnterpriseID: b.Enterprise, USCC: b.USCC, Title: b.Title,
		Description: b.Description, Field: b.Field, Budget: b.Budget, WantedBy: b.WantedBy})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

func (s *Server) apiTechMatches(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	top, _ := strconv.Atoi(r.URL.Query().Get("top"))
	n, recs, err := s.techService().Recommend(r.Context(), p, id, top)
	if err != nil {
		return err
	}
	codes := make([]string, len(recs))
	whys := make([]tech.Why, len(recs))
	for i, rec := range recs {
		codes[i], whys[i] = rec.Achievement.Code, rec.Why
	}
	writeJSON(w, http.StatusOK, map[string]any{"need": n.Code, "achievements": codes, "why": whys, "items": recs})
	return nil
}

func (s *Server) apiTechDockings(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	f := tech.DockingFilter{Stage: tech.Stage(q.Get("stage")), Limit: pg.Per, Offset: pg.Offset()}
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise"), 10, 64)
	items, total, err := s.techService().Dockings(r.Context(), p, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "page": pg.Page, "per": pg.Per, "items": items})
	return nil
}

// introductionBody is an introduction made through the API.
type introductionBody struct {
	Enterprise  int64  `json:"enterprise"`
	Achievement string `json:"achievement"`
	Need        int64  `json:"need"`
	Event       int64  `json:"event"`
	Note        string `json:"note"`
}

func (s *Server) apiTechIntroduce(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	var b introductionBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	d, err := s.techService().Introduce(r.Context(), p, tech.Introduction{EnterpriseID: b.Enterprise, AchievementCode: b.Achievement,
		NeedID: b.Need, EventID: b.Event, Note: b.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

// progressBody is a docking's next step through the API.
type progressBody struct {
	Stage    string `json:"stage"`
	Note     string `json:"note"`
	Amount   string `json:"amount"`
	Mode     string `json:"mode"`
	SignedOn string `json:"signed_on"`
	Reason   string `json:"reason"`
}

func (s *Server) apiTechAdvance(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	var b progressBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	d, err := s.techService().Advance(r.Context(), p, id, tech.Progress{Stage: tech.Stage(b.Stage), Note: b.Note, Amount: b.Amount,
		Mode: b.Mode, SignedOn: b.SignedOn, Reason: b.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiTechMeasures(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	months, _ := strconv.Atoi(r.URL.Query().Get("months"))
	m, err := s.techService().Measures(r.Context(), p, months)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
