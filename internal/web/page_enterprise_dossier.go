package web

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// dossier is the part of the enterprise's page (一企一档) that says who
// serves it and what happened: its commissioners, its liaison's contact,
// its visits, the departments' requests and its benefit packages. Each
// comes from its service with the reader's principal, so a part the reader
// may not see is empty, not an error.
type dossier struct {
	Commissioners []touch.Commissioner
	Contact       *outreach.Contact
	Visits        []touch.JointVisit
	Requests      []touch.Request
	Packages      []outreach.Package
	CanPackages   bool
	Depts         map[string]string // department names by code
}

func (s *Server) dossierOf(ctx context.Context, l *i18n.Localizer, p auth.Principal, id int64) (dossier, error) {
	var d dossier
	var err error
	if d.Depts, _, err = s.deptNames(ctx, l); err != nil {
		return d, err
	}
	svc := s.touchService()
	if d.Commissioners, err = svc.CommissionersOf(ctx, p, id); err != nil {
		return d, err
	}
	if c, err := s.outreachService().Contact(ctx, p, id); err == nil && (c.Name != "" || c.Phone != "" || c.Email != "") {
		d.Contact = &c
	} else if err != nil {
		return d, err
	}
	if p.Role == auth.RoleOfficer || p.Role == auth.RoleCommissioner {
		if d.Visits, err = svc.Visits(ctx, p, touch.VisitFilter{EnterpriseID: id, Limit: 20}); err != nil {
			return d, err
		}
	}
	if mayFile(p) || p.Role == auth.RoleCommissioner {
		if d.Requests, err = svc.Requests(ctx, p, touch.RequestFilter{EnterpriseID: id, Limit: 20}); err != nil {
			return d, err
		}
	}
	if d.CanPackages = auth.Allowed(p, auth.ManagePackages, auth.Resource{}); d.CanPackages {
		if d.Packages, _, err = s.outreachService().Packages(ctx, p, outreach.PackageFilter{EnterpriseID: id, Limit: 10}); err != nil {
			return d, err
		}
	}
	return d, nil
}
