package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// techCataloguePage is the catalogue: search, filters, the list, and for
// officers the import and the link to add one.
type techCataloguePage struct {
	Page
	Query        string
	Field        string
	Fields       []tech.Field
	Items        []tech.Achievement
	Pager        Pager
	Manage       bool
	Imported     *tech.ImportReport
	ImportedKind string
	FormError
}

func (s *Server) techCatalogue(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechCatalogue(w, r, http.StatusOK, techCataloguePage{})
}

func (s *Server) renderTechCatalogue(w http.ResponseWriter, r *http.Request, status int, page techCataloguePage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := pagingOf(q)
	page.Query, page.Field = strings.TrimSpace(q.Get("q")), q.Get("field")
	items, total, err := s.techService().Achievements(r.Context(), p, tech.AchievementFilter{Query: page.Query, Field: tech.Field(page.Field),
		Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/tech")
	page.Items, page.Fields = items, tech.Fields()
	page.Pager = newPager(r, pg, total, "")
	page.Manage = auth.Allowed(p, auth.ManageTechCatalogue, auth.Resource{})
	s.render(w, r, status, "tech_catalogue", page)
	return nil
}

// techImport reads a catalogue or needs file, all or nothing.
func (s *Server) techImport(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return err
	}
	kind := "achievements"
	var rep tech.ImportReport
	name, data, err := readOneTable(r)
	if err == nil {
		if r.PostFormValue("kind") == "needs" {
			kind = "needs"
			rep, err = s.techService().ImportNeeds(r.Context(), p, name, data, false)
		} else {
			rep, err = s.techService().ImportAchievements(r.Context(), p, name, data, false)
		}
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechCatalogue(w, r, status, techCataloguePage{FormError: fe})
		})
	}
	return s.renderTechCatalogue(w, r, http.StatusOK, techCataloguePage{Imported: &rep, ImportedKind: kind})
}

// techAchievementPage is one achievement; officers also see the
// enterprises it may suit and introduce them.
type techAchievementPage struct {
	Page
	A          tech.Achievement
	Candidates []tech.Candidate
	Match      bool
	Manage     bool
	Introduce  bool
	FormError
}

func (s *Server) techAchievement(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechAchievement(w, r, http.StatusOK, techAchievementPage{})
}

func (s *Server) renderTechAchievement(w http.ResponseWriter, r *http.Request, status int, page techAchievementPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	svc := s.techService()
	a, err := svc.Achievement(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	page.A = a
	if auth.Allowed(p, auth.MatchTechEnterprises, auth.Resource{}) {
		page.Match = true
		if _, page.Candidates, err = svc.Candidates(r.Context(), p, a.Code, 10); err != nil {
			return err
		}
	}
	page.Manage = auth.Allowed(p, auth.ManageTechCatalogue, auth.Resource{})
	page.Introduce = p.Role == auth.RoleOfficer
	page.Page = s.newPage(r, "/tech")
	s.render(w, r, status, "tech_achievement", page)
	return nil
}

// techAchievementFormPage adds or edits an achievement.
type techAchievementFormPage struct {
	Page
	A          tech.Achievement
	New        bool
	Fields     []tech.Field
	Maturities []tech.Maturity
	Modes      []tech.TransferMode
	FormError
}

func (s *Server) techAchievementForm(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return err
	}
	page := techAchievementFormPage{New: true}
	if code := r.PathValue("code"); code != "" {
		if page.A, err = s.techService().Achievement(r.Context(), p, code); err != nil {
			return err
		}
		page.New = false
	}
	return s.renderTechAchievementForm(w, r, http.StatusOK, page)
}

func (s *Server) renderTechAchievementForm(w http.ResponseWriter, r *http.Request, status int, page techAchievementFormPage) error {
	page.Page = s.newPage(r, "/tech")
	page.Fields, page.Maturities, page.Modes = tech.Fields(), tech.Maturities(), tech.TransferModes()
	s.render(w, r, status, "tech_achievement_form", page)
	return nil
}

func (s *Server) techSaveAchievement(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	a := tech.Achievement{
		Code: strings.TrimSpace(r.PostFormValue("code")), Title: strings.TrimSpace(r.PostFormValue("title")),
		Holder: strings.TrimSpace(r.PostFormValue("holder")), Field: tech.ParseField(r.PostFormValue("field")),
		Keywords: splitWords(r.PostFormValue("keywords")), Abstract: strings.TrimSpace(r.PostFormValue("abstract")),
		Maturity: tech.Maturity(r.PostFormValue("maturity")), IPNumbers: splitWords(r.PostFormValue("ip_numbers")),
		Contact: strings.TrimSpace(r.PostFormValue("contact")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Email: strings.TrimSpace(r.PostFormValue("email")),
	}
	for _, m := range r.PostForm["mode"] {
		a.Modes = append(a.Modes, tech.TransferMode(m))
	}
	var problems []apperr.Problem
	price, reason := tech.ParseYuan(r.PostFormValue("price"))
	if reason != "" {
		problems = append(problems, apperr.Problem{Field: "price", Reason: reason})
	}
	a.Price = price
	if _, ok := tech.ParseMaturity(string(a.Maturity)); !ok && a.Maturity != "" {
		problems = append(problems, apperr.Problem{Field: "maturity", Reason: "choose a maturity"})
	}
	if len(problems) == 0 {
		a, err = s.techService().SaveAchievement(r.Context(), p, a)
	} else {
		err = apperr.InvalidInput("the achievement cannot be saved", problems...)
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechAchievementForm(w, r, status, techAchievementFormPage{A: a, New: r.PostFormValue("new") != "", FormError: fe})
		})
	}
	http.Redirect(w, r, "/tech/achievements/"+a.Code, http.StatusSeeOther)
	return nil
}

// splitWords splits a list typed in a form: by 、 , ， ; ； or lines.
func splitWords(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;；\n\r", r) }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (s *Server) techWithdraw(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	if err := s.techService().WithdrawAchievement(r.Context(), p, code); err != nil {
		return err
	}
	http.Redirect(w, r, "/tech", http.StatusSeeOther)
	return nil
}

// techNeedsPage is the needs an officer or commissioner sees, with the
// officer's form to record one from a visit or an appeal.
type techNeedsPage struct {
	Page
	Items  []tech.Need
	Pager  Pager
	Record bool
	Form   tech.NeedSpec
	FormError
}

func (s *Server) techNeeds(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechNeeds(w, r, http.StatusOK, techNeedsPage{})
}

func (s *Server) renderTechNeeds(w http.ResponseWriter, r *http.Request, status int, page techNeedsPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleEnterprise {
		http.Redirect(w, r, "/portal/tech", http.StatusSeeOther)
		return nil
	}
	// Only officers and commissioners have needs of others to list; the
	// decision for anyone else is the rule's refusal.
	if p.Role != auth.RoleOfficer && p.Role != auth.RoleCommissioner {
		return auth.Can(p, auth.ViewTechNeed, auth.Resource{})
	}
	pg := pagingOf(r.URL.Query())
	items, total, err := s.techService().Needs(r.Context(), p, tech.NeedFilter{Status: tech.Status(r.URL.Query().Get("status")), Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/tech")
	page.Items, page.Pager = items, newPager(r, pg, total, "")
	page.Record = p.Role == auth.RoleOfficer || p.Role == auth.RoleCommissioner
	s.render(w, r, status, "tech_needs", page)
	return nil
}

func (s *Server) techRecordNeed(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	spec := needSpecOf(r)
	spec.USCC = strings.TrimSpace(r.PostFormValue("uscc"))
	n, err := s.techService().PostNeed(r.Context(), p, spec)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechNeeds(w, r, status, techNeedsPage{Form: spec, FormError: fe})
		})
	}
	http.Redirect(w, r, "/tech/needs/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
	return nil
}

func needSpecOf(r *http.Request) tech.NeedSpec {
	return tech.NeedSpec{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Field: r.PostFormValue("field"),
		Budget: r.PostFormValue("budget"), WantedBy: r.PostFormValue("wanted_by")}
}

// techNeedPage is a need with the achievements ranked for it and why; an
// officer introduces from here.
type techNeedPage struct {
	Page
	N            tech.Need
	IndustryName string
	Recs         []tech.Recommendation
	Introduce    bool
	Portal       bool
	FormError
}

func (s *Server) techNeed(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechNeed(w, r, http.StatusOK, techNeedPage{})
}

func (s *Server) renderTechNeed(w http.ResponseWriter, r *http.Request, status int, page techNeedPage) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	n, recs, err := s.techService().Recommend(r.Context(), p, id, 10)
	if err != nil {
		return err
	}
	page.N, page.Recs = n, recs
	page.IndustryName = tech.IndustryName(n.Industry, string(localizer(r).Lang()))
	page.Introduce = auth.Allowed(p, auth.ManageDockings, auth.Enterprise(n.EnterpriseID, n.ParkID))
	page.Page = s.newPage(r, "/tech")
	s.render(w, r, status, "tech_need", page)
	return nil
}

func (s *Server) techIntroduce(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	in := tech.Introduction{AchievementCode: r.PostFormValue("achievement"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	in.EnterpriseID, _ = strconv.ParseInt(r.PostFormValue("enterprise"), 10, 64)
	in.NeedID, _ = strconv.ParseInt(r.PostFormValue("need"), 10, 64)
	in.EventID, _ = strconv.ParseInt(r.PostFormValue("event"), 10, 64)
	d, err := s.techService().Introduce(r.Context(), p, in)
	if err != nil {
		if in.NeedID != 0 {
			r.SetPathValue("id", strconv.FormatInt(in.NeedID, 10))
			return rerender(err, func(status int, fe FormError) error {
				return s.renderTechNeed(w, r, status, techNeedPage{FormError: fe})
			})
		}
		return err
	}
	http.Redirect(w, r, "/tech/dockings/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
	return nil
}

// techDockingsPage lists the introductions and their stages.
type techDockingsPage struct {
	Page
	Items  []tech.Docking
	Pager  Pager
	Stage  string
	Stages []tech.Stage
}

func (s *Server) techDockings(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleEnterprise {
		http.Redirect(w, r, "/portal/tech", http.StatusSeeOther)
		return nil
	}
	if p.Role != auth.RoleOfficer && p.Role != auth.RoleCommissioner {
		return auth.Can(p, auth.ViewDockings, auth.Resource{})
	}
	pg := pagingOf(r.URL.Query())
	stage := r.URL.Query().Get("stage")
	items, total, err := s.techService().Dockings(r.Context(), p, tech.DockingFilter{Stage: tech.Stage(stage), Limit: pg.Per, Offset: pg.Offset()})
	if err != nil {
		return err
	}
	page := techDockingsPage{Page: s.newPage(r, "/tech"), Items: items, Pager: newPager(r, pg, total, ""), Stage: stage, Stages: tech.Stages()}
	s.render(w, r, http.StatusOK, "tech_dockings", page)
	return nil
}

// techDockingPage is one docking with its steps and the form of the next.
type techDockingPage struct {
	Page
	D      tech.Docking
	Manage bool
	Modes  []tech.TransferMode
	Form   tech.Progress
	Today  string
	FormError
}

func (s *Server) techDocking(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechDocking(w, r, http.StatusOK, techDockingPage{})
}

func (s *Server) renderTechDocking(w http.ResponseWriter, r *http.Request, status int, page techDockingPage) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	d, err := s.techService().Docking(r.Context(), p, id)
	if err != nil {
		return err
	}
	page.D, page.Modes, page.Today = d, tech.TransferModes(), s.now().Format("2006-01-02")
	page.Manage = auth.Allowed(p, auth.ManageDockings, auth.Enterprise(d.EnterpriseID, d.ParkID)) &&
		(d.Stage == tech.StageIntroduced || d.Stage == tech.StageTalks)
	page.Page = s.newPage(r, "/tech")
	s.render(w, r, status, "tech_docking", page)
	return nil
}

func (s *Server) techAdvance(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	pr := tech.Progress{Stage: tech.Stage(r.PostFormValue("stage")), Note: r.PostFormValue("note"), Amount: r.PostFormValue("amount"),
		Mode: r.PostFormValue("mode"), SignedOn: r.PostFormValue("signed_on"), Reason: r.PostFormValue("reason")}
	if _, err := s.techService().Advance(r.Context(), p, id, pr); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechDocking(w, r, status, techDockingPage{Form: pr, FormError: fe})
		})
	}
	http.Redirect(w, r, "/tech/dockings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// techEventsPage lists docking events, with the officer's form for one.
type techEventsPage struct {
	Page
	Items  []tech.Event
	Manage bool
	Form   tech.EventSpec
	FormError
}

func (s *Server) techEvents(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechEvents(w, r, http.StatusOK, techEventsPage{})
}

func (s *Server) renderTechEvents(w http.ResponseWriter, r *http.Request, status int, page techEventsPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	items, err := s.techService().Events(r.Context(), p)
	if err != nil {
		return err
	}
	page.Page, page.Items = s.newPage(r, "/tech"), items
	page.Manage = auth.Allowed(p, auth.ManageTechEvents, auth.Resource{})
	s.render(w, r, status, "tech_events", page)
	return nil
}

func (s *Server) techCreateEvent(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	spec := tech.EventSpec{Title: r.PostFormValue("title"), HeldOn: r.PostFormValue("held_on"), Place: r.PostFormValue("place"), Note: r.PostFormValue("note")}
	ev, err := s.techService().CreateEvent(r.Context(), p, spec)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechEvents(w, r, status, techEventsPage{Form: spec, FormError: fe})
		})
	}
	http.Redirect(w, r, "/tech/events/"+strconv.FormatInt(ev.ID, 10), http.StatusSeeOther)
	return nil
}

// techEventPage is one event: who signed up, the pairs that met there and
// what came of them.
type techEventPage struct {
	Page
	E        tech.Event
	Dockings []tech.Docking
	Holders  []tech.Holder
	Manage   bool
	FormError
}

func (s *Server) techEvent(w http.ResponseWriter, r *http.Request) error {
	return s.renderTechEvent(w, r, http.StatusOK, techEventPage{})
}

func (s *Server) renderTechEvent(w http.ResponseWriter, r *http.Request, status int, page techEventPage) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	svc := s.techService()
	if page.E, err = svc.Event(r.Context(), p, id); err != nil {
		return err
	}
	if page.Dockings, _, err = svc.Dockings(r.Context(), p, tech.DockingFilter{EventID: id, Limit: 200}); err != nil {
		return err
	}
	page.Manage = auth.Allowed(p, auth.ManageTechEvents, auth.Resource{})
	if page.Manage {
		if page.Holders, err = svc.Holders(r.Context(), p); err != nil {
			return err
		}
	}
	page.Page = s.newPage(r, "/tech")
	s.render(w, r, status, "tech_event", page)
	return nil
}

func (s *Server) techEventHolder(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	holder, _ := strconv.ParseInt(r.PostFormValue("holder"), 10, 64)
	if err := s.techService().SignUpHolder(r.Context(), p, id, holder); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderTechEvent(w, r, status, techEventPage{FormError: fe})
		})
	}
	http.Redirect(w, r, "/tech/events/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
