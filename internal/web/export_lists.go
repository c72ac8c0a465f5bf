package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// Excel copies of the lists officers work through: the enterprises, a
// policy's results, the benefit packages and the touch requests. Each is
// what its page shows with the same filter, for whoever may see the page,
// every row rather than one page of it; headers and values in the reader's
// language; text cells neutralised against formula injection
// (exchange.Sheet).

// exportPer is how many rows one read of a list export takes.
const exportPer = 200

// maxExportRows bounds one export: a list longer than this is a bulk
// export, which `parkdesk export` does.
const maxExportRows = 100_000

// sendSheet writes the workbook as a download.
func sendSheet(w http.ResponseWriter, name string, sh *exchange.Sheet) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	_, err := sh.WriteTo(w)
	return err
}

func headers(l *i18n.Localizer, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.T(k)
	}
	return out
}

// amountCell is a decimal amount as a number cell, "" for none.
func amountCell(text string) any {
	if f, err := strconv.ParseFloat(text, 64); err == nil {
		return f
	}
	return ""
}

// exportEnterprises: GET /enterprises.xlsx, the registry with the list's filter.
func (s *Server) exportEnterprises(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleEnterprise {
		return apperr.Errorf(apperr.Forbidden, "the registry is for staff")
	}
	q := r.URL.Query()
	f := enterpriseFilter{Query: strings.TrimSpace(q.Get("q")), Industry: strings.TrimSpace(q.Get("industry")), Tag: q.Get("tag"),
		Sort: q.Get("sort"), Desc: q.Get("dir") == "desc"}
	if park, err := strconv.ParseInt(q.Get("park"), 10, 64); err == nil {
		f.Park = park
	}
	l := localizer(r)
	sh, err := exchange.NewSheet(l.T("nav.enterprises"), headers(l, "enterprises.col.uscc", "enterprises.col.name",
		"enterprises.col.industry", "enterprises.col.park", "enterprises.col.tags", "enterprises.col.registered"))
	if err != nil {
		return err
	}
	for pg := (Paging{Page: 1, Per: exportPer}); pg.Offset() < maxExportRows; pg.Page++ {
		rows, total, err := s.enterpriseList(r.Context(), p, f, pg)
		if err != nil {
			return err
		}
		for _, e := range rows {
			var tags []string
			for _, t := range e.Tags {
				tags = append(tags, l.Pick(t.NameZh, t.NameEn))
			}
			if err := sh.Row(e.USCC, e.Name, industryName(l, e.IndustryCode), l.Pick(e.ParkZh, e.ParkEn), strings.Join(tags, l.T("list.sep")),
				l.DateText(e.RegisteredOn)); err != nil {
				return err
			}
		}
		if pg.Offset()+len(rows) >= total || len(rows) == 0 {
			break
		}
	}
	return sendSheet(w, "enterprises", sh)
}

// exportPolicyResults: GET /policies/{id}/results.xlsx, one status of a
// policy's results, as the policy page lists them.
func (s *Server) exportPolicyResults(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	pol, ok := s.library().Policy(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	if p.Role != auth.RoleOfficer && p.Role != auth.RoleCommissioner {
		return apperr.Errorf(apperr.Forbidden, "you may not see whose results these are")
	}
	status := r.URL.Query().Get("status")
	switch status {
	case "eligible", "undetermined", "ineligible":
	default:
		status = "eligible"
	}
	l := localizer(r)
	sh, err := exchange.NewSheet(l.T("status."+status), headers(l, "enterprises.col.uscc", "enterprises.col.name",
		"enterprises.col.industry", "result.col.status", "export.col.amount", "export.col.missing"))
	if err != nil {
		return err
	}
	dict, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, f := range dict {
		labels[f.Name] = l.Pick(f.LabelZh, f.LabelEn)
	}
	for pg := (Paging{Page: 1, Per: exportPer}); pg.Offset() < maxExportRows; pg.Page++ {
		rows, total, err := s.results.Policy(r.Context(), p, pol.ID(), status, pg.Per, pg.Offset())
		if err != nil {
			return err
		}
		for _, row := range rows {
			var missing []string
			for _, m := range row.Missing {
				missing = append(missing, labels[m])
			}
			st := l.T("status." + row.Status)
			if row.NearMiss {
				st = l.T("results.near")
			}
			if err := sh.Row(row.USCC, row.Name, industryName(l, row.IndustryCode), st, amountCell(row.Amount), strings.Join(missing, l.T("list.sep"))); err != nil {
				return err
			}
		}
		if pg.Offset()+len(rows) >= total || len(rows) == 0 {
			break
		}
	}
	return sendSheet(w, "results-"+url.PathEscape(pol.ID()), sh)
}

// exportPackages: GET /outreach.xlsx, the packages of the list's filter,
// one row per offer.
func (s *Server) exportPackages(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := outreach.PackageFilter{Policy: q.Get("policy"), Status: outreach.PackageStatus(q.Get("status"))}
	if f.Status == "all" {
		f.Status = ""
	}
	l := localizer(r)
	sh, err := exchange.NewSheet(l.T("outreach.title"), headers(l, "enterprises.col.uscc", "enterprises.col.name",
		"export.col.package", "outreach.col.policy", "outreach.col.mode", "outreach.col.amount", "outreach.col.deadline", "outreach.col.status"))
	if err != nil {
		return err
	}
	svc := s.outreachService()
	for offset := 0; offset < maxExportRows; offset += exportPer {
		f.Limit, f.Offset = exportPer, offset
		pkgs, total, err := svc.Packages(r.Context(), p, f)
		if err != nil {
			return err
		}
		for _, pk := range pkgs {
			for _, it := range pk.Items {
				if err := sh.Row(pk.USCC, pk.Enterprise, l.T("outreach.status."+string(pk.Status)), l.Pick(it.Title.Zh, it.Title.En),
					l.T("outreach.mode."+string(it.ClaimMode)), amountCell(it.Amount), l.DateText(it.Deadline),
					l.T("outreach.offer."+string(it.Status))); err != nil {
					return err
				}
			}
		}
		if offset+len(pkgs) >= total || len(pkgs) == 0 {
			break
		}
	}
	return sendSheet(w, "packages", sh)
}

// exportRequests: GET /touch.xlsx, the touch requests the principal sees.
func (s *Server) exportRequests(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if !mayFile(p) && p.Role != auth.RoleCommissioner {
		return apperr.Errorf(apperr.Forbidden, "you may not see touch requests")
	}
	list, err := s.touchService().Requests(r.Context(), p, touch.RequestFilter{Status: touch.Status(r.URL.Query().Get("status")), Limit: 1000})
	if err != nil {
		return err
	}
	l := localizer(r)
	depts, _, err := s.deptNames(r.Context(), l)
	if err != nil {
		return err
	}
	sh, err := exchange.NewSheet(l.T("touch.requests.title"), headers(l, "export.col.request", "touch.col.enterprise", "touch.col.department",
		"touch.col.kind", "touch.col.basis", "touch.earliest", "touch.latest", "touch.col.status", "export.col.outcome"))
	if err != nil {
		return err
	}
	for _, req := range list {
		dept := depts[req.Department]
		if dept == "" {
			dept = req.Department
		}
		if err := sh.Row(float64(req.ID), req.EnterpriseName, dept, l.T("touch.kind."+string(req.Kind)), req.Basis,
			l.Date(req.Earliest.Time()), l.Date(req.Latest.Time()), l.T("touch.status."+string(req.Status)), req.OutcomeNote); err != nil {
			return err
		}
	}
	return sendSheet(w, "touch-requests", sh)
}
