package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
)

// Files attached to an appeal: one upload route and one download route for
// every reader; appeal.Service decides who may attach and who sees what.

// maxAttachmentBody is the upload form's body: the file and the form's
// few fields (bodyLimits).
const maxAttachmentBody = appeal.MaxAttachmentBytes + 64<<10

// appealViewOf returns the page and path the reader's appeal lives on.
func appealViewOf(p auth.Principal) (view, base string) {
	if p.Role == auth.RoleEnterprise {
		return "appeal_portal_detail", "/portal/appeals"
	}
	return "appeal", "/appeals"
}

func (s *Server) appealAttach(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.Authenticated() {
		return auth.ErrUnauthenticated
	}
	id, err := appealID(r)
	if err != nil {
		return err
	}
	// Who may see the appeal is decided before the upload is read.
	if err := s.appealService().MaySee(r.Context(), p, id); err != nil {
		return err
	}
	view, base := appealViewOf(p)
	refused := func(err error) error {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderAppeal(w, r, status, view, base, appealDetailPage{FormError: fe})
		})
	}
	// The body is bounded by bodyLimits; what does not fit in memory here
	// goes to a temporary file the middleware removes.
	if err := r.ParseMultipartForm(maxAttachmentBody); err != nil {
		if isTooLarge(err) {
			return refused(apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: "the file is larger than 10 MB"}))
		}
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return refused(apperr.InvalidInput("the attachment is not valid", apperr.Problem{Field: "file", Reason: "choose a file"}))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, appeal.MaxAttachmentBytes+1))
	if err != nil {
		return err
	}
	if _, err := s.appealService().Attach(r.Context(), p, id, h.Filename, data, r.PostFormValue("confidential") == "on"); err != nil {
		return refused(err)
	}
	http.Redirect(w, r, base+"/"+strconv.FormatInt(id, 10)+"#attachments", http.StatusSeeOther)
	return nil
}

// appealAttachment sends one file as a download, never shown inline: a
// file someone uploaded is not a page of the platform.
func (s *Server) appealAttachment(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.Authenticated() {
		return auth.ErrUnauthenticated
	}
	id, err := appealID(r)
	if err != nil {
		return err
	}
	attID, err := strconv.ParseInt(r.PathValue("att"), 10, 64)
	if err != nil || attID <= 0 {
		return errNotFound
	}
	a, data, err := s.appealService().OpenAttachment(r.Context(), p, id, attID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(data)
	return err
}
