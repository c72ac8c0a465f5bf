package web

import (
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// touchPortfoliosPage is the commissioners' portfolios and workloads, with
// the forms that assign enterprises.
type touchPortfoliosPage struct {
	Page
	Loads    []touch.Load
	Rules    []touch.RulesEntry
	Parks    []option
	Assigned int // enterprises just assigned automatically, -1 for none
	FormError
}

func (s *Server) touchPortfolios(w http.ResponseWriter, r *http.Request) error {
	return s.renderTouchPortfolios(w, r, http.StatusOK, touchPortfoliosPage{Assigned: -1})
}

func (s *Server) renderTouchPortfolios(w http.ResponseWriter, r *http.Request, status int, page touchPortfoliosPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if page.Loads, err = s.touchService().Loads(r.Context(), p); err != nil {
		return err
	}
	if page.Parks, err = s.parkOptions(r.Context()); err != nil {
		return err
	}
	if page.Rules, err = touch.ListRules(r.Context(), s.deps.Store); err != nil {
		return err
	}
	page.Page = s.newPage(r, "/touch/portfolios")
	s.render(w, r, status, "touch_portfolios", page)
	return nil
}

// touchAssign puts the enterprises of the form (USCCs, one a line or
// separated by commas) in a commissioner's portfolio.
func (s *Server) touchAssign(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return err
	}
	commissioner, _ := strconv.ParseInt(r.PostFormValue("commissioner"), 10, 64)
	var ids []int64
	var problems []apperr.Problem
	usccs := strings.FieldsFunc(r.PostFormValue("usccs"), func(c rune) bool { return c == ',' || c == '\n' || c == ' ' || c == '\r' })
	found, err := enterpriseIDsByUSCC(r, s, usccs)
	if err != nil {
		return err
	}
	for _, u := range usccs {
		if id, ok := found[u]; ok {
			ids = append(ids, id)
		} else {
			problems = append(problems, apperr.Problem{USCC: u, Reason: "no enterprise has this USCC"})
		}
	}
	err = apperr.InvalidInput("some enterprises are unknown; nothing was assigned", problems...)
	if len(problems) == 0 {
		if err = s.touchService().Assign(r.Context(), p, commissioner, ids); err == nil {
			http.Redirect(w, r, "/touch/portfolios", http.StatusSeeOther)
			return nil
		}
	}
	return rerender(namedInForm(err), s.refuseOnPortfolios(w, r))
}

// refuseOnPortfolios shows a refused form on the portfolios page.
func (s *Server) refuseOnPortfolios(w http.ResponseWriter, r *http.Request) func(int, FormError) error {
	return func(status int, fe FormError) error {
		return s.renderTouchPortfolios(w, r, status, touchPortfoliosPage{Assigned: -1, FormError: fe})
	}
}

// namedInForm turns the not-found of an object the form names (the
// commissioner chosen, an enterprise typed) into invalid input, so that
// the form is shown again with the message instead of a missing page.
func namedInForm(err error) error {
	if apperr.CodeOf(err) == apperr.NotFound {
		return apperr.InvalidInput(apperr.MessageOf(err))
	}
	return err
}

func enterpriseIDsByUSCC(r *http.Request, s *Server, usccs []string) (map[string]int64, error) {
	return enterprise.IDsByUSCC(r.Context(), s.deps.Store, usccs)
}

// touchAutoAssign shares the park's unassigned enterprises (of an industry,
// if given) among the commissioners ticked, lightest portfolio first.
func (s *Server) touchAutoAssign(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	spec := touch.AutoAssignSpec{Industry: strings.ToUpper(strings.TrimSpace(r.PostFormValue("industry")))}
	spec.ParkID, _ = strconv.ParseInt(r.PostFormValue("park"), 10, 64)
	for _, c := range r.PostForm["commissioners"] {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			spec.Commissioners = append(spec.Commissioners, id)
		}
	}
	n, err := s.touchService().AutoAssign(r.Context(), p, spec)
	if err != nil {
		return rerender(err, s.refuseOnPortfolios(w, r))
	}
	return s.renderTouchPortfolios(w, r, http.StatusOK, touchPortfoliosPage{Assigned: n})
}

// touchRules records the quiet rules of a park, or of the enterprise whose
// USCC is given; empty windows and caps remove them.
func (s *Server) touchRules(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return err
	}
	var problems []apperr.Problem
	var scope touch.RulesScope
	if uscc := strings.TrimSpace(r.PostFormValue("uscc")); uscc != "" {
		ids, err := enterpriseIDsByUSCC(r, s, []string{uscc})
		if err != nil {
			return err
		}
		if scope.EnterpriseID = ids[uscc]; scope.EnterpriseID == 0 {
			problems = append(problems, apperr.Problem{USCC: uscc, Reason: "no enterprise has this USCC"})
		}
	} else {
		scope.ParkID, _ = strconv.ParseInt(r.PostFormValue("park"), 10, 64)
	}
	windows, err := touch.ParseWindows(r.PostFormValue("windows"))
	if err != nil {
		problems = append(problems, apperr.Problem{Field: "windows", Reason: err.Error()})
	}
	caps := map[string]int{}
	for _, name := range []string{"monthly_cap", "yearly_cap"} {
		text := strings.TrimSpace(r.PostFormValue(name))
		if text == "" {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			problems = append(problems, apperr.Problem{Field: name, Reason: "is not a number of visits (0 for no cap)"})
		}
		caps[name] = n
	}
	err = apperr.InvalidInput("the quiet rules are not valid", problems...)
	if len(problems) == 0 {
		rules := &touch.QuietRules{Windows: windows, MonthlyCap: caps["monthly_cap"], YearlyCap: caps["yearly_cap"]}
		if len(windows) == 0 && !rules.Capped() {
			rules = nil
		}
		if err = s.touchService().SetRules(r.Context(), p, scope, rules); err == nil {
			http.Redirect(w, r, "/touch/portfolios", http.StatusSeeOther)
			return nil
		}
	}
	return rerender(namedInForm(err), s.refuseOnPortfolios(w, r))
}

// touchMeasuresPage is what departments asked of enterprises and how much
// reached them, by month and department.
type touchMeasuresPage struct {
	Page
	From, To workday.Month
	Rows     []touch.Measure
	Totals   touch.Totals
}

func (s *Server) touchMeasures(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	to := workday.Of(s.now()).Month()
	from := to - 11
	page := touchMeasuresPage{From: from, To: to}
	if page.Rows, page.Totals, err = s.touchService().Measures(r.Context(), p, from, to); err != nil {
		return err
	}
	page.Page = s.newPage(r, "/touch/measures")
	s.render(w, r, http.StatusOK, "touch_measures", page)
	return nil
}
