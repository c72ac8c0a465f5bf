package web

import (
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// simulatePage runs a draft policy file over the whole population without
// storing anything: how many enterprises, how much money, by industry and
// size class, and who gains or loses against the policy in force.
type simulatePage struct {
	Page
	On     string
	File   string
	Report *match.SimReport
	Title  string
	FormError
	// Charts of the draft against the policy in force.
	IndustryChart, SizeChart chartSpec
	Available                bool // a matcher is wired
}

// maxDraft bounds an uploaded policy file, as the policy loader does.
const maxDraft = 1 << 20

func (s *Server) simulateForm(w http.ResponseWriter, r *http.Request) error {
	if err := auth.Can(principal(r), auth.ManagePolicies, auth.Resource{}); err != nil {
		return err
	}
	page := simulatePage{Page: s.newPage(r, "/policies"), On: s.defaultOn(r), Available: s.deps.Matcher != nil}
	s.render(w, r, http.StatusOK, "simulate", page)
	return nil
}

// defaultOn is the date a simulation evaluates on: the park's matching
// date when it has one, else today.
func (s *Server) defaultOn(r *http.Request) string {
	if on, err := s.results.CurrentOn(r.Context()); err == nil && on != "" {
		return on
	}
	return s.now().Format(time.DateOnly)
}

func (s *Server) simulate(w http.ResponseWriter, r *http.Request) error {
	if err := auth.Can(principal(r), auth.ManagePolicies, auth.Resource{}); err != nil {
		return err
	}
	page := simulatePage{Page: s.newPage(r, "/policies"), Available: s.deps.Matcher != nil}
	page.Charts = true
	// The body is limited by limitBodies (body_limit.go).
	if err := r.ParseMultipartForm(maxDraft); err != nil {
		if isTooLarge(err) {
			return tooLarge(err, maxDraft)
		}
		return apperr.Errorf(apperr.Invalid, "choose a policy file (.yaml) to simulate")
	}
	page.On = r.PostFormValue("on")
	on, err := time.Parse(time.DateOnly, page.On)
	if err != nil {
		return apperr.InvalidInput("the simulation is not valid", apperr.Problem{Field: "on", Reason: "is not a date YYYY-MM-DD"})
	}
	file, header, err := r.FormFile("policy")
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "choose a policy file (.yaml) to simulate")
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, maxDraft+1))
	if err != nil {
		return err
	}
	page.File = filepath.Base(header.Filename)
	if !page.Available {
		return apperr.Errorf(apperr.Conflict, "simulation is not available on this server: it runs without the matcher")
	}
	rep, err := s.deps.Matcher.Simulate(r.Context(), s.deps.Store, page.File, raw, match.SimOptions{On: on, Limit: 20})
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			page.FormError = fe
			s.render(w, r, status, "simulate", page)
			return nil
		})
	}
	page.Report = &rep
	page.Title = rep.Policy
	if pol, ok := s.policyByID(rep.Policy); ok {
		page.Title = pol.Title().In(string(page.L.Lang()))
	}
	page.IndustryChart = simChart(page.L, rep, func(s match.SimSide) []match.Group { return s.ByIndustry }, func(key string) string { return industryName(page.L, key) })
	page.SizeChart = simChart(page.L, rep, func(s match.SimSide) []match.Group { return s.BySize }, func(key string) string { return sizeName(page.L, key) })
	s.render(w, r, http.StatusOK, "simulate", page)
	return nil
}

// simChart sets the draft's amounts against the policy in force's, by the
// groups of one dimension.
func simChart(l *i18n.Localizer, rep match.SimReport, groups func(match.SimSide) []match.Group, name func(string) string) chartSpec {
	c := chartSpec{Kind: "bar", Axis: "money"}
	keys := []string{}
	seen := map[string]bool{}
	sides := []match.SimSide{rep.Draft}
	if rep.Current != nil {
		sides = append(sides, *rep.Current)
	}
	for _, side := range sides {
		for _, g := range groups(side) {
			if !seen[g.Key] {
				seen[g.Key] = true
				keys = append(keys, g.Key)
			}
		}
	}
	for _, k := range keys {
		c.Categories = append(c.Categories, name(k))
	}
	for i, side := range sides {
		label := l.T("simulate.draft")
		if i == 1 {
			label = l.T("simulate.current")
		}
		series := chartSeries{Name: label}
		byKey := map[string]match.Group{}
		for _, g := range groups(side) {
			byKey[g.Key] = g
		}
		for _, k := range keys {
			g := byKey[k]
			f, _ := parseDecimalText(g.Amount)
			series.Data = append(series.Data, f)
			series.Labels = append(series.Labels, l.Money(g.Amount)+" · "+l.N("dashboard.eligible.n", g.Count))
		}
		c.Series = append(c.Series, series)
	}
	return c
}

// sizeName names a size class (大型/中型/小型/微型) in the language.
func sizeName(l *i18n.Localizer, key string) string {
	if key == "" {
		return l.T("simulate.size.unknown")
	}
	if size, err := enterprise.ParseSize(key); err == nil {
		return l.T("size." + string(size))
	}
	return key
}

// simListView is one list of a simulation with its heading's key.
type simListView struct {
	L    *i18n.Localizer
	Key  string
	List match.SimList
}

// SimList wraps a list of the report for the sim-list template.
func (p simulatePage) SimList(key string, list match.SimList) simListView {
	return simListView{L: p.L, Key: key, List: list}
}
