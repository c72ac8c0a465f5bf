package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/touch"
)

// The enterprise portal: what a liaison sees of its own enterprise and
// nothing of any other. Every page reads p.EnterpriseID, never an id from
// the request, so there is no id to edit.

// portalPage is one tab of the portal.
type portalPage struct {
	Page
	E       enterpriseProfile
	Tab     string
	Results resultsView
	Facts   []factGroupView
	Asks    []dataAsk
	Saved   int // values just recorded (the missing-data form)
	// Commissioners are the enterprise's service commissioners, its one
	// contact at the park.
	Commissioners []touch.Commissioner
	FormError
}

// dataAsk is one value the enterprise can report once: a field and
// period some policy needs, with the policies it would decide.
type dataAsk struct {
	Field      fieldRow
	Label      string
	Period     string // canonical; "" for a timeless field
	PeriodText string
	Policies   []string
	// Editable: the enterprise may report it; tax data comes from the tax
	// bureau, which the page says instead.
	Editable bool
	Input    string // "number", "select", "date" or "text"
	Choices  []string
	Value    string // what was typed, shown again after a problem
}

// portalEnterprise returns the liaison's enterprise, or refuses anyone
// else: the portal is for enterprises only.
func (s *Server) portalEnterprise(r *http.Request) (auth.Principal, enterpriseProfile, error) {
	p := principal(r)
	if !p.Authenticated() {
		return p, enterpriseProfile{}, auth.ErrUnauthenticated
	}
	if p.Role != auth.RoleEnterprise || p.EnterpriseID <= 0 {
		return p, enterpriseProfile{}, apperr.Errorf(apperr.Forbidden, "the portal is for enterprise liaisons")
	}
	ok, err := auth.EnterpriseVisible(r.Context(), s.deps.Store, p, p.EnterpriseID)
	if err != nil {
		return p, enterpriseProfile{}, err
	}
	if !ok {
		return p, enterpriseProfile{}, errNotFound
	}
	e, err := s.profile(r.Context(), p, p.EnterpriseID)
	return p, e, err
}

func (s *Server) portal(tab string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, e, err := s.portalEnterprise(r)
		if err != nil {
			return err
		}
		page, err := s.portalData(r, p, e, tab)
		if err != nil {
			return err
		}
		if r.URL.Query().Get("saved") != "" {
			page.Saved = 1
		}
		s.render(w, r, http.StatusOK, "portal", page)
		return nil
	}
}

func (s *Server) portalData(r *http.Request, p auth.Principal, e enterpriseProfile, tab string) (portalPage, error) {
	ctx := r.Context()
	href := "/portal"
	if tab != "benefits" {
		href += "/" + tab
	}
	page := portalPage{Page: s.newPage(r, href), E: e, Tab: tab}
	page.E.Industry = industryName(page.L, e.IndustryCode)
	var err error
	if page.Commissioners, err = s.touchService().CommissionersOf(ctx, p, e.ID); err != nil {
		return page, err
	}
	dict, err := s.fields(ctx)
	if err != nil {
		return page, err
	}
	if tab == "data" {
		groups, err := s.currentFacts(ctx, p, e.ID, dict)
		if err != nil {
			return page, err
		}
		page.Facts = factViews(page.L, groups)
		return page, nil
	}
	if tab == "almost" {
		// The near misses say what meeting them is worth and what the gap
		// stands for, which only the policy engine's run on today's facts
		// knows; they are few.
		page.Results, err = s.enterpriseResultsNear(ctx, page.L, p, e.ID, dict)
		return page, err
	}
	var er match.EnterpriseResults
	if page.Results, er, err = s.enterpriseResults(ctx, page.L, p, e.ID, dict); err != nil {
		return page, err
	}
	page.Results = page.Results.forEnterprise()
	if tab == "missing" {
		page.Asks = dataAsks(page, p, e, er.Results, dict)
	}
	return page, nil
}

// dataAsks lists the values missing from undetermined results, one per
// field and period, with the policies each would decide.
func dataAsks(page portalPage, p auth.Principal, e enterpriseProfile, results []policy.Result, dict []fieldRow) []dataAsk {
	l := page.L
	byName := map[string]fieldRow{}
	for _, f := range dict {
		byName[f.Name] = f
	}
	asks := map[string]*dataAsk{}
	var order []string
	for _, res := range results {
		if res.Status != policy.Undetermined {
			continue
		}
		title := res.Policy
		for _, rv := range page.Results.Undetermined {
			if rv.PolicyID == res.Policy {
				title = rv.Title
			}
		}
		for _, read := range missingReads(res, page.Results.On, byName) {
			f, ok := byName[read.Name]
			if !ok {
				continue
			}
			key := read.Name + "@" + read.Period
			a, ok := asks[key]
			if !ok {
				a = &dataAsk{Field: f, Label: l.Pick(f.LabelZh, f.LabelEn), Period: read.Period, PeriodText: l.Period(read.Period)}
				a.Editable = auth.Allowed(p, auth.EditFacts, auth.Resource{EnterpriseID: e.ID, ParkID: e.ParkID, Field: f.authField()})
				a.Input, a.Choices = inputFor(f)
				asks[key] = a
				order = append(order, key)
			}
			a.Policies = append(a.Policies, title)
		}
	}
	out := make([]dataAsk, 0, len(order))
	for _, k := range order {
		out = append(out, *asks[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Editable && !out[j].Editable })
	return out
}

// missingReads are the facts a result could not read, with their periods.
// A result that names its missing fields without the reads (one the data
// moved away from since matching) asks for the period a policy reads most:
// the last fiscal year, the last quarter, the filing month.
func missingReads(res policy.Result, on time.Time, fields map[string]fieldRow) []policy.Read {
	seen := map[string]bool{}
	var out []policy.Read
	add := func(r policy.Read) {
		if r.Kind != "" && r.Kind != "fact" {
			return
		}
		key := r.Name + "@" + r.Period
		if !seen[key] {
			seen[key] = true
			out = append(out, r)
		}
	}
	for _, c := range res.Criteria {
		for _, r := range c.Read {
			if r.Missing {
				add(r)
			}
		}
	}
	for _, name := range res.Missing {
		found := false
		for _, r := range out {
			found = found || r.Name == name
		}
		if !found {
			add(policy.Read{Name: name, Kind: "fact", Period: defaultPeriod(fields[name].Shape, on)})
		}
	}
	return out
}

// defaultPeriod is the period of a field's shape that policies read on
// the date: the last fiscal year, the last full quarter, the month before.
func defaultPeriod(shape string, on time.Time) string {
	if on.IsZero() {
		return ""
	}
	switch shape {
	case "annual":
		return facts.Year(on.Year() - 1).String()
	case "quarterly":
		return facts.Quarter(on.Year(), (int(on.Month())-1)/3+1).AddQuarters(-1).String()
	case "monthly":
		return facts.Month(on.Year(), int(on.Month())).AddMonths(-1).String()
	}
	return ""
}

func inputFor(f fieldRow) (string, []string) {
	switch f.Type {
	case "enum":
		return "select", strings.Split(f.Enum, " / ")
	case "bool":
		return "select", []string{"true", "false"}
	case "date":
		return "date", nil
	case "number", "integer", "money", "ratio":
		return "number", nil
	}
	return "text", nil
}

// portalReport records the values the liaison typed into the missing-data
// form, as self-reported facts, all or nothing.
func (s *Server) portalReport(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	dict, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	body := formFacts(r, dict)
	if len(body) == 0 {
		http.Redirect(w, r, "/portal/missing", http.StatusSeeOther)
		return nil
	}
	if _, err := s.facts.Report(r.Context(), p, facts.Report{EnterpriseID: e.ID, Source: "self-report", JSON: body}); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			page, err := s.portalData(r, p, e, "missing")
			if err != nil {
				return err
			}
			page.FormError = fe
			for i := range page.Asks {
				a := &page.Asks[i]
				a.Value = r.PostFormValue("f:" + a.Field.Name + ":" + a.Period)
			}
			s.render(w, r, status, "portal", page)
			return nil
		})
	}
	http.Redirect(w, r, "/portal/missing?saved=1", http.StatusSeeOther)
	return nil
}

// jsonValue writes a typed form value as the JSON of the record format:
// numbers and booleans bare when they look like one, so that the fact
// store's validation names the problem otherwise.
func jsonValue(typ, v string) json.RawMessage {
	switch typ {
	case "number", "integer", "money", "ratio":
		if json.Valid([]byte(v)) && strings.IndexFunc(v, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == '-') }) < 0 {
			return json.RawMessage(v)
		}
	case "bool":
		if v == "true" || v == "false" {
			return json.RawMessage(v)
		}
	}
	b, _ := json.Marshal(v)
	return b
}

// formFacts reads the values typed into a missing-data form (inputs named
// f:FIELD:PERIOD) as the record format's facts, empty inputs left out.
func formFacts(r *http.Request, dict []fieldRow) map[string]json.RawMessage {
	raw := map[string]map[string]string{} // field → period → value
	scalar := map[string]string{}
	for key, values := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "f:")
		if !ok || len(values) != 1 || strings.TrimSpace(values[0]) == "" {
			continue
		}
		field, period, _ := strings.Cut(rest, ":")
		v := strings.TrimSpace(values[0])
		if period == "" {
			scalar[field] = v
			continue
		}
		if raw[field] == nil {
			raw[field] = map[string]string{}
		}
		raw[field][period] = v
	}
	types := map[string]string{}
	for _, f := range dict {
		types[f.Name] = f.Type
	}
	body := map[string]json.RawMessage{}
	for field, v := range scalar {
		body[field] = jsonValue(types[field], v)
	}
	for field, byPeriod := range raw {
		obj := map[string]json.RawMessage{}
		for period, v := range byPeriod {
			obj[period] = jsonValue(types[field], v)
		}
		b, _ := json.Marshal(obj)
		body[field] = b
	}
	return body
}
