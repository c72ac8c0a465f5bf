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

// The admin's changes to one account from the list: a reset link for a
// forgotten password, and a change of role, scope or phone. auth.Service
// decides and audits both (user.link_reset, user.update).

// userID reads the {id} of an account route.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// resetUser: POST /admin/users/{id}/reset issues a one-time link that sets
// a new password, shown once on the list for the admin to hand over.
func (s *Server) resetUser(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ManageUsers, auth.Resource{}); err != nil {
		return err
	}
	token, _, err := s.deps.Auth.IssueLink(r.Context(), p, id, auth.Reset)
	if err != nil {
		return err
	}
	u, err := s.deps.Auth.User(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderUsers(w, r, http.StatusOK, usersPage{Reset: absoluteURL(r, "/account/reset?token="+url.QueryEscape(token)), Invited: u.Login})
}

// updateUser: POST /admin/users/{id} changes an account's role, its
// department, enterprise or park, its name and phone.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := userID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	// Who may not manage users learns nothing of which accounts exist.
	if err := auth.Can(p, auth.ManageUsers, auth.Resource{}); err != nil {
		return err
	}
	before, err := s.deps.Auth.User(ctx, id)
	if err != nil {
		return err
	}
	form := userForm{DisplayName: r.PostFormValue("display_name"), Role: r.PostFormValue("role"), Department: r.PostFormValue("department"),
		USCC: strings.TrimSpace(r.PostFormValue("uscc")), Park: r.PostFormValue("park"), Phone: r.PostFormValue("phone")}
	spec := auth.UserSpec{Login: before.Login, DisplayName: form.DisplayName, Role: auth.Role(form.Role), Phone: form.Phone}
	if spec.DisplayName == "" {
		spec.DisplayName = before.DisplayName
	}
	if spec.Role == auth.RoleDepartment {
		spec.Department = form.Department
	}
	var problems []apperr.Problem
	if spec.Role == auth.RoleEnterprise {
		spec.EnterpriseID = before.EnterpriseID
		if form.USCC != "" {
			e, err := enterprise.GetByUSCC(ctx, s.deps.Store, form.USCC)
			if err != nil {
				if apperr.CodeOf(err) == apperr.Internal {
					return err
				}
				problems = append(problems, apperr.Problem{Field: "uscc", Reason: "no enterprise has this USCC"})
			}
			spec.EnterpriseID = e.ID
		}
	}
	if form.Park != "" {
		pid, err := strconv.ParseInt(form.Park, 10, 64)
		if err != nil {
			problems = append(problems, apperr.Problem{Field: "park", Reason: "is not a park"})
		}
		spec.ParkID = pid
	}
	err = apperr.InvalidInput("the user is not valid", problems...)
	if len(problems) == 0 {
		if _, err = s.deps.Auth.UpdateUser(ctx, p, id, spec); err == nil {
			http.Redirect(w, r, "/admin/users?updated="+url.QueryEscape(before.Login), http.StatusSeeOther)
			return nil
		}
	}
	return rerender(err, func(status int, fe FormError) error {
		return s.renderUsers(w, r, status, usersPage{FormError: fe, Editing: id})
	})
}
