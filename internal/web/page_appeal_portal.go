package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// appealPortalPage is the liaison's appeals: the form to raise one, the
// answers the knowledge base already has, and its appeals with their state.
type appealPortalPage struct {
	Page
	E          enterpriseProfile
	Categories []appeal.Category
	Appeals    []appealView
	Query      string
	Answers    []appeal.Answer
	Form       appeal.Spec
	Filed      int64
	FormError
}

func (s *Server) portalAppeals(w http.ResponseWriter, r *http.Request) error {
	page := appealPortalPage{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	page.Filed, _ = strconv.ParseInt(r.URL.Query().Get("filed"), 10, 64)
	page.Form.Title = page.Query
	return s.renderPortalAppeals(w, r, http.StatusOK, page)
}

func (s *Server) renderPortalAppeals(w http.ResponseWriter, r *http.Request, status int, page appealPortalPage) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	page.Page, page.E = s.newPage(r, "/portal/appeals"), e
	cats, list, err := s.categoryMap(ctx, p)
	if err != nil {
		return err
	}
	for _, c := range list {
		if c.Active {
			page.Categories = append(page.Categories, c)
		}
	}
	depts, _, err := s.deptNames(ctx, page.L)
	if err != nil {
		return err
	}
	appeals, _, err := s.appealService().List(ctx, p, appeal.Filter{EnterpriseID: e.ID, Limit: 100})
	if err != nil {
		return err
	}
	for _, a := range appeals {
		page.Appeals = append(page.Appeals, viewAppeal(page.L, a, cats, depts))
	}
	if page.Query != "" {
		if page.Answers, err = s.appealService().Search(ctx, p, page.Query, 5); err != nil {
			return err
		}
	}
	s.render(w, r, status, "appeal_portal", page)
	return nil
}

func (s *Server) portalFileAppeal(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	spec := appeal.Spec{EnterpriseID: p.EnterpriseID, Category: r.PostFormValue("category"), Title: r.PostFormValue("title"),
		Body: r.PostFormValue("body"), ContactName: r.PostFormValue("contact_name"), ContactPhone: r.PostFormValue("contact_phone")}
	if _, _, err := s.portalEnterprise(r); err != nil {
		return err
	}
	id, err := s.appealService().File(r.Context(), p, spec)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalAppeals(w, r, status, appealPortalPage{Form: spec, FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/appeals/"+strconv.FormatInt(id, 10)+"?filed=1", http.StatusSeeOther)
	return nil
}

// appealDetailPage is one appeal, for the liaison or for staff.
type appealDetailPage struct {
	Page
	A          appealView
	Events     []eventView
	Depts      map[string]string
	DeptList   []deptOption
	Duplicates []appealView
	Filed      bool
	// The files the reader may see, and whether more may be attached.
	Attachments []appeal.Attachment
	CanAttach   bool
	// What the reader may do now.
	CanRoute, CanHandle, CanAnswer bool
	FormError
}

type deptOption struct{ Code, Name string }

type eventView struct {
	appeal.Event
	Text string
}

func (s *Server) portalAppeal(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.portalEnterprise(r); err != nil {
		return err
	}
	return s.renderAppeal(w, r, http.StatusOK, "appeal_portal_detail", "/portal/appeals", appealDetailPage{Filed: r.URL.Query().Get("filed") != ""})
}

func (s *Server) portalAppealAction(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.portalEnterprise(r); err != nil {
		return err
	}
	return s.appealActionAs(w, r, "appeal_portal_detail", "/portal/appeals")
}

func (s *Server) appealActionAs(w http.ResponseWriter, r *http.Request, view, base string) error {
	id, err := appealID(r)
	if err != nil {
		return err
	}
	form := func(k string) string { return r.PostFormValue(k) }
	list := func(k string) []string { return r.PostForm[k] }
	if err := s.appealDo(r.Context(), principal(r), id, r.PathValue("action"), form, list); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderAppeal(w, r, status, view, base, appealDetailPage{FormError: fe})
		})
	}
	http.Redirect(w, r, base+"/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// renderAppeal shows one appeal with the actions its reader may take.
func (s *Server) renderAppeal(w http.ResponseWriter, r *http.Request, status int, view, active string, page appealDetailPage) error {
	id, err := appealID(r)
	if err != nil {
		return err
	}
	p, ctx := principal(r), r.Context()
	svc := s.appealService()
	a, err := svc.Get(ctx, p, id)
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, active)
	cats, _, err := s.categoryMap(ctx, p)
	if err != nil {
		return err
	}
	depts, ds, err := s.deptNames(ctx, page.L)
	if err != nil {
		return err
	}
	page.Depts = depts
	for _, d := range ds {
		page.DeptList = append(page.DeptList, deptOption{d.Code, page.L.Pick(d.NameZh, d.NameEn)})
	}
	page.A = viewAppeal(page.L, a, cats, depts)
	for _, e := range a.Events {
		ev := eventView{Event: e, Text: page.L.T("appeal.event." + e.Kind)}
		ev.Note = eventNote(page.L, e, depts)
		page.Events = append(page.Events, ev)
	}
	if page.Attachments, err = svc.Attachments(ctx, p, id); err != nil {
		return err
	}
	page.CanAttach = a.Status.Open() || a.Status == appeal.Replied
	page.CanRoute = appeal.MayRoute(p)
	page.CanHandle = appeal.MayHandle(p, a)
	page.CanAnswer = appeal.MayAnswer(p, a)
	if page.CanRoute && a.Status.Open() {
		dups, err := svc.Duplicates(ctx, p, id)
		if err != nil {
			return err
		}
		for _, d := range dups {
			page.Duplicates = append(page.Duplicates, viewAppeal(page.L, d, cats, depts))
		}
	}
	s.render(w, r, status, view, page)
	return nil
}

// eventNote is a timeline note in the reader's words: some moves note a
// code (the channel an appeal came by, the co-handling departments, the
// rating given), which the page names; the others note what a person
// wrote.
func eventNote(l *i18n.Localizer, e appeal.Event, depts map[string]string) string {
	switch e.Kind {
	case "filed":
		if e.Note != "" {
			return l.T("appeal.source." + e.Note)
		}
	case "assign":
		var names []string
		for _, code := range strings.Split(e.Note, ",") {
			if code = strings.TrimSpace(code); code != "" {
				names = append(names, cmp.Or(depts[code], code))
			}
		}
		if len(names) > 0 {
			return l.T("appeal.cohandlers") + "：" + l.Join(names)
		}
		return ""
	case "rate":
		rating, comment, _ := strings.Cut(e.Note, " ")
		if rating != "" {
			return strings.TrimSpace(l.T("appeal.rating."+rating) + " " + comment)
		}
	}
	return e.Note
}
