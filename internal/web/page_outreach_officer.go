package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// outreachNav is the officers' entry to benefit packages, and the leaders'
// to the realized benefits.
func outreachNav(p auth.Principal) []NavItem {
	switch {
	case auth.Allowed(p, auth.ManagePackages, auth.Resource{}):
		return []NavItem{{Key: "nav.outreach", Href: "/outreach"}}
	case auth.Allowed(p, auth.ViewDashboard, auth.Resource{}):
		return []NavItem{{Key: "nav.outreach.report", Href: "/outreach/report"}}
	}
	return nil
}

// outreachPackagesPage is the officers' list of packages, drafts to review
// first.
type outreachPackagesPage struct {
	Page
	Status   string
	Statuses []outreach.PackageStatus
	Packages []outreach.Package
	Pager    Pager
	Built    *outreach.BuildReport
	// The bulk review: the policy filter, its choices, how many packages
	// the filter selects, and what the last bulk approval did.
	Policy   string
	Policies []option
	Total    int
	Bulk     *outreach.BulkReport
	FormError
}

func (s *Server) outreachPackages(w http.ResponseWriter, r *http.Request) error {
	return s.renderPackages(w, r, http.StatusOK, outreachPackagesPage{})
}

func (s *Server) renderPackages(w http.ResponseWriter, r *http.Request, status int, page outreachPackagesPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page.Status = q.Get("status")
	if page.Status == "" {
		page.Status = string(outreach.PackageDraft)
	}
	filter := outreach.PackageFilter{Policy: q.Get("policy")}
	if page.Status != "all" {
		filter.Status = outreach.PackageStatus(page.Status)
	}
	page.Policy, page.Total = filter.Policy, 0
	for _, pol := range s.library().Policies() {
		page.Policies = append(page.Policies, option{Value: pol.ID(), LabelZh: pol.Title().Zh, LabelEn: pol.Title().En})
	}
	if n, err := strconv.Atoi(q.Get("approved")); err == nil {
		page.Bulk = &outreach.BulkReport{Approved: n}
		page.Bulk.Skipped, _ = strconv.Atoi(q.Get("skipped"))
	}
	pg := pagingOf(q)
	filter.Limit, filter.Offset = pg.Per, pg.Offset()
	pkgs, total, err := s.outreachService().Packages(r.Context(), p, filter)
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/outreach")
	page.Packages, page.Statuses = pkgs, outreach.PackageStatuses
	page.Pager, page.Total = newPager(r, pg, total, ""), total
	if n, err := strconv.Atoi(q.Get("built")); err == nil {
		page.Built = &outreach.BuildReport{Offers: n}
		page.Built.Drafts, _ = strconv.Atoi(q.Get("drafts"))
		page.Built.AutoApproved, _ = strconv.Atoi(q.Get("auto"))
	}
	s.render(w, r, status, "outreach_packages", page)
	return nil
}

// outreachBuild builds packages from the results matching found since the
// last build.
func (s *Server) outreachBuild(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	rep, err := s.outreachService().Build(r.Context(), p)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPackages(w, r, status, outreachPackagesPage{FormError: fe})
		})
	}
	if rep.AutoApproved > 0 {
		s.kickOutbox()
	}
	return backTo(w, r, "/outreach?built="+strconv.Itoa(rep.Offers)+"&drafts="+strconv.Itoa(rep.Drafts)+"&auto="+strconv.Itoa(rep.AutoApproved))
}

// outreachPackagePage is one package for an officer: its offers, where it
// went, and the grants.
type outreachPackagePage struct {
	Page
	P       outreach.Package
	Contact outreach.Contact
	Today   string
	FormError
}

func (s *Server) outreachPackage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPackage(w, r, http.StatusOK, FormError{})
}

func (s *Server) renderPackage(w http.ResponseWriter, r *http.Request, status int, fe FormError) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManagePackages, auth.Resource{}); err != nil {
		return err
	}
	svc := s.outreachService()
	pkg, err := svc.Package(r.Context(), p, id)
	if err != nil {
		return err
	}
	contact, err := svc.Contact(r.Context(), p, pkg.EnterpriseID)
	if err != nil {
		return err
	}
	page := outreachPackagePage{Page: s.newPage(r, "/outreach"), P: pkg, Contact: contact, FormError: fe,
		Today: s.now().Format("2006-01-02")}
	s.render(w, r, status, "outreach_package", page)
	return nil
}

// outreachDecide approves (or withdraws) a draft package.
func (s *Server) outreachDecide(approve bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		id, err := pathID(r)
		if err != nil {
			return err
		}
		svc := s.outreachService()
		if approve {
			err = svc.Approve(r.Context(), p, id)
		} else {
			err = svc.Withdraw(r.Context(), p, id)
		}
		if err != nil {
			return rerender(err, func(status int, fe FormError) error {
				return s.renderPackage(w, r, status, fe)
			})
		}
		if approve {
			s.kickOutbox()
		}
		next := r.PostFormValue("next")
		if !strings.HasPrefix(next, "/outreach") || strings.HasPrefix(next, "//") {
			next = "/outreach/packages/" + strconv.FormatInt(id, 10)
		}
		return backTo(w, r, next)
	}
}

// outreachGrant records what an enterprise received for an offer.
func (s *Server) outreachGrant(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	svc := s.outreachService()
	g := outreach.Grant{Amount: r.PostFormValue("amount"), On: r.PostFormValue("granted_on")}
	if err := svc.RecordGrant(r.Context(), p, id, g); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderRefusal(w, r, status, fe)
		})
	}
	pkg, err := strconv.ParseInt(r.PostFormValue("package"), 10, 64)
	if err != nil || pkg <= 0 {
		return backTo(w, r, "/outreach/report")
	}
	return backTo(w, r, "/outreach/packages/"+strconv.FormatInt(pkg, 10))
}

// renderRefusal shows a refused form on the page it came from when that is
// a package, else on the packages list.
func (s *Server) renderRefusal(w http.ResponseWriter, r *http.Request, status int, fe FormError) error {
	if pkg := r.PostFormValue("package"); pkg != "" {
		r.SetPathValue("id", pkg)
		return s.renderPackage(w, r, status, fe)
	}
	return s.renderPackages(w, r, status, outreachPackagesPage{FormError: fe})
}

// outreachDeadPage lists the dead letters.
type outreachDeadPage struct {
	Page
	Dead  []outreach.Delivery
	Pager Pager
	FormError
}

func (s *Server) outreachDead(w http.ResponseWriter, r *http.Request) error {
	return s.renderDead(w, r, http.StatusOK, FormError{})
}

func (s *Server) renderDead(w http.ResponseWriter, r *http.Request, status int, fe FormError) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	pg := pagingOf(r.URL.Query())
	dead, total, err := s.outreachService().DeadLetters(r.Context(), p, pg.Per, pg.Offset())
	if err != nil {
		return err
	}
	page := outreachDeadPage{Page: s.newPage(r, "/outreach"), Dead: dead, Pager: newPager(r, pg, total, ""), FormError: fe}
	s.render(w, r, status, "outreach_dead", page)
	return nil
}

func (s *Server) outreachRetry(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	if err := s.outreachService().Retry(r.Context(), p, id); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderDead(w, r, status, fe)
		})
	}
	s.kickOutbox()
	return backTo(w, r, "/outreach/dead")
}

// outreachSettingsPage is how each policy is offered.
type outreachSettingsPage struct {
	Page
	Settings []settingRow
	Saved    string
	FormError
}

type settingRow struct {
	outreach.PolicySetting
	Title policy.Texts
	Mode  policy.Mode
}

func (s *Server) outreachSettings(w http.ResponseWriter, r *http.Request) error {
	return s.renderSettings(w, r, http.StatusOK, FormError{})
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, fe FormError) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	settings, err := s.outreachService().PolicySettings(r.Context(), p)
	if err != nil {
		return err
	}
	page := outreachSettingsPage{Page: s.newPage(r, "/outreach"), Saved: r.URL.Query().Get("saved"), FormError: fe}
	for _, ps := range settings {
		row := settingRow{PolicySetting: ps}
		if pol, ok := s.policyByID(ps.Policy); ok {
			row.Title, row.Mode = pol.Title(), pol.Mode()
		}
		page.Settings = append(page.Settings, row)
	}
	s.render(w, r, status, "outreach_settings", page)
	return nil
}

func (s *Server) outreachSaveSetting(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	days, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("respond_days")))
	ps := outreach.PolicySetting{Policy: r.PostFormValue("policy"), AutoSend: r.PostFormValue("auto_send") == "1",
		Deadline: r.PostFormValue("deadline"), RespondDays: days,
		Where: policy.Texts{Zh: r.PostFormValue("where_zh"), En: r.PostFormValue("where_en")}}
	if err := s.outreachService().SetPolicySetting(r.Context(), p, ps); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderSettings(w, r, status, fe)
		})
	}
	return backTo(w, r, "/outreach/settings?saved="+ps.Policy)
}

// outreachApproveMany: POST /outreach/approve approves the drafts checked,
// or with all=1 every draft of the policy filter.
func (s *Server) outreachApproveMany(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	f := outreach.PackageFilter{Policy: r.PostFormValue("policy")}
	var ids []int64
	if r.PostFormValue("all") != "1" {
		for _, v := range r.PostForm["id"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return apperr.InvalidInput("the selection is not valid", apperr.Problem{Field: "id", Reason: "is not a package"})
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return apperr.InvalidInput("nothing selected", apperr.Problem{Field: "id", Reason: "select the packages to approve"})
		}
	}
	rep, err := s.outreachService().ApproveDrafts(r.Context(), p, f, ids)
	if err != nil {
		return err
	}
	if rep.Approved > 0 {
		s.kickOutbox()
	}
	q := url.Values{"status": {"draft"}, "approved": {strconv.Itoa(rep.Approved)}, "skipped": {strconv.Itoa(rep.Skipped)}}
	if f.Policy != "" {
		q.Set("policy", f.Policy)
	}
	return backTo(w, r, "/outreach?"+q.Encode())
}
