package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// codesPage is the admins' page of parks, departments and tags (基础代码):
// the lists the registry, the dictionary and the users' scopes refer to.
// A park's first week needs its own parks and departments without a shell;
// enterprise.SaveCode decides, writes and audits, as for the CLI.
type codesPage struct {
	Page
	Kinds   []codeSection
	Saved   string // the code just saved, for the notice
	Editing string // "kind/code" of a refused edit, opened again
	FormError
}

// codeSection is one kind of code with its rows and the add form as typed.
type codeSection struct {
	Kind  enterprise.CodeKind
	Codes []enterprise.Code
	Form  enterprise.Code // a refused addition, shown again
}

var codeKinds = []enterprise.CodeKind{enterprise.KindPark, enterprise.KindDepartment, enterprise.KindTag}

func (s *Server) codes(w http.ResponseWriter, r *http.Request) error {
	return s.renderCodes(w, r, http.StatusOK, codesPage{Saved: r.URL.Query().Get("saved")}, "", enterprise.Code{})
}

// renderCodes shows the page; formKind and form are an addition refused,
// typed again into its section.
func (s *Server) renderCodes(w http.ResponseWriter, r *http.Request, status int, page codesPage, formKind enterprise.CodeKind, form enterprise.Code) error {
	p := principal(r)
	if err := auth.Can(p, auth.ManageSettings, auth.Resource{}); err != nil {
		return err
	}
	page.Page = s.newPage(r, "/admin/codes")
	for _, kind := range codeKinds {
		list, err := enterprise.ListCodes(r.Context(), s.deps.Store, kind)
		if err != nil {
			return err
		}
		sec := codeSection{Kind: kind, Codes: list}
		if kind == formKind {
			sec.Form = form
		}
		page.Kinds = append(page.Kinds, sec)
	}
	s.render(w, r, status, "codes", page)
	return nil
}

// saveCode adds a code (POST /admin/codes/{kind}) or changes one (POST
// /admin/codes/{kind}/{code}); the service checks the admin's right.
func (s *Server) saveCode(w http.ResponseWriter, r *http.Request) error {
	kind := enterprise.CodeKind(r.PathValue("kind"))
	if !slices.Contains(codeKinds, kind) {
		// Who asks comes first: a path only an admin could use is no
		// one else's to learn about.
		if err := auth.Can(principal(r), auth.ManageSettings, auth.Resource{}); err != nil {
			return err
		}
		return errNotFound
	}
	from := r.PathValue("code")
	typed := enterprise.Code{Code: r.PostFormValue("code"), NameZh: r.PostFormValue("name_zh"), NameEn: r.PostFormValue("name_en")}
	saved, err := enterprise.SaveCode(r.Context(), s.deps.Store, principal(r), kind, from, typed)
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			page := codesPage{FormError: fe}
			if from != "" {
				page.Editing = string(kind) + "/" + from
				return s.renderCodes(w, r, status, page, "", enterprise.Code{})
			}
			return s.renderCodes(w, r, status, page, kind, typed)
		})
	}
	http.Redirect(w, r, "/admin/codes?saved="+url.QueryEscape(saved.Code)+"#"+string(kind), http.StatusSeeOther)
	return nil
}
