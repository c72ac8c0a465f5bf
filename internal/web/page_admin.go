package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// usersPage is the admins' list of accounts, with the form that invites a
// new one and, right after, the invitation link to hand over.
type usersPage struct {
	Page
	Users   []userRow
	Roles   []auth.Role
	Depts   []option
	Parks   []option
	Form    userForm
	Invite  string // the invitation link of the user just created, shown once
	Invited string // that user's login (or the one whose password is reset)
	Reset   string // a password reset link just issued, shown once
	Updated string // the login of the account just changed
	Editing int64  // the account whose change was refused, opened again
	FormError
}

type userRow struct {
	auth.User
	Enterprise string // the liaison's enterprise, by name
}

// userForm is what the admin typed, shown again when it was not valid.
type userForm struct {
	Login, DisplayName, Role, Department, USCC, Park, Phone string
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, usersPage{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, page usersPage) error {
	p := principal(r)
	if err := auth.Can(p, auth.ManageUsers, auth.Resource{}); err != nil {
		return err
	}
	ctx := r.Context()
	list, err := s.deps.Auth.ListUsers(ctx, p)
	if err != nil {
		return err
	}
	var ids []int64
	for _, u := range list {
		if u.EnterpriseID != 0 {
			ids = append(ids, u.EnterpriseID)
		}
	}
	names, err := s.registry.Names(ctx, p, ids)
	if err != nil {
		return err
	}
	page.Page = s.newPage(r, "/admin/users")
	if page.Updated == "" {
		page.Updated = r.URL.Query().Get("updated")
	}
	page.Roles = auth.Roles
	for _, u := range list {
		page.Users = append(page.Users, userRow{User: u, Enterprise: names[u.EnterpriseID]})
	}
	if page.Depts, err = s.departmentOptions(ctx); err != nil {
		return err
	}
	if page.Parks, err = s.parkOptions(ctx); err != nil {
		return err
	}
	s.render(w, r, status, "users", page)
	return nil
}

// createUser makes an account without a password and issues its
// invitation link, which the page shows once for the admin to hand over.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ManageUsers, auth.Resource{}); err != nil {
		return err
	}
	ctx := r.Context()
	form := userForm{Login: r.PostFormValue("login"), DisplayName: r.PostFormValue("display_name"), Role: r.PostFormValue("role"),
		Department: r.PostFormValue("department"), USCC: strings.TrimSpace(r.PostFormValue("uscc")), Park: r.PostFormValue("park"),
		Phone: r.PostFormValue("phone")}
	spec := auth.UserSpec{Login: form.Login, DisplayName: form.DisplayName, Role: auth.Role(form.Role), Phone: form.Phone}
	if spec.Role == auth.RoleDepartment {
		spec.Department = form.Department
	}
	var problems []apperr.Problem
	if spec.Role == auth.RoleEnterprise {
		e, err := enterprise.GetByUSCC(ctx, s.deps.Store, form.USCC)
		if err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				return err
			}
			problems = append(problems, apperr.Problem{Field: "uscc", Reason: "no enterprise has this USCC"})
		}
		spec.EnterpriseID = e.ID
	}
	if form.Park != "" {
		id, err := strconv.ParseInt(form.Park, 10, 64)
		if err != nil {
			problems = append(problems, apperr.Problem{Field: "park", Reason: "is not a park"})
		}
		spec.ParkID = id
	}
	var err error = apperr.InvalidInput("the user is not valid", problems...)
	if len(problems) == 0 {
		var u auth.User
		if u, err = s.deps.Auth.CreateUser(ctx, p, spec); err == nil {
			token, _, err := s.deps.Auth.IssueLink(ctx, p, u.ID, auth.Invite)
			if err != nil {
				return err
			}
			page := usersPage{Invited: u.Login, Invite: absoluteURL(r, "/account/reset?token="+url.QueryEscape(token))}
			return s.renderUsers(w, r, http.StatusCreated, page)
		}
	}
	return rerender(err, func(status int, fe FormError) error {
		return s.renderUsers(w, r, status, usersPage{Form: form, FormError: fe})
	})
}

// setUserDisabled disables or enables an account; a disabled user's
// sessions end at their next request.
func (s *Server) setUserDisabled(disabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principal(r)
		if err := auth.Can(p, auth.ManageUsers, auth.Resource{}); err != nil {
			return err
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return errNotFound
		}
		if err := s.deps.Auth.SetUserDisabled(r.Context(), p, id, disabled); err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return nil
	}
}

// absoluteURL is path on the host the request came to, for links handed
// over outside the browser.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// auditPage browses the audit log, newest first, a page at a time.
type auditPage struct {
	Page
	Filter  auth.AuditFilter
	Query   url.Values
	Entries []auth.AuditRecord
	Older   string // the link to the next page, "" at the end
	CSV     string // the export of the same filter
}

const auditPageSize = 50

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewAudit, auth.Resource{}); err != nil {
		return err
	}
	q := r.URL.Query()
	f, err := parseAuditFilter(q)
	if err != nil {
		return err
	}
	f.Limit = auditPageSize
	entries, err := s.deps.Auth.AuditLog(r.Context(), p, f)
	if err != nil {
		return err
	}
	page := auditPage{Page: s.newPage(r, "/admin/audit"), Filter: f, Query: q, Entries: entries}
	export := url.Values{}
	for _, k := range []string{"actor", "action", "object_type", "object_id", "from", "to"} {
		if v := q.Get(k); v != "" {
			export.Set(k, v)
		}
	}
	page.CSV = "/api/v1/audit.csv"
	if len(export) > 0 {
		page.CSV += "?" + export.Encode()
	}
	if len(entries) == auditPageSize {
		older := export
		older.Set("before_id", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		page.Older = "/admin/audit?" + older.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", page)
	return nil
}
