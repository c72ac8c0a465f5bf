package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// importPage uploads CSV, XLSX and JSON files: a dry run first, its report
// row by row, then the user confirms and the same files are written, all
// or nothing.
type importPage struct {
	Page
	Report   *exchange.Report
	Files    []string
	StageID  string // set when the dry run passed: the confirmation names it
	Done     bool   // the import was written
	Expired  bool   // the confirmation came too late (or to another instance)
	Problems []apperr.Problem
}

// maxUpload bounds one import's files: a million fact rows of CSV are
// about 40 MB.
const maxUpload = 64 << 20

// canImport decides whether p may import through the console. An import
// writes any field of any enterprise it names, and the importer does not
// check each row against the principal, so only those who may change
// every field of every enterprise may run one here: officers of the whole
// zone. Department imports of their own fields go through the API or the
// command line until the importer can check rows itself.
func canImport(p auth.Principal) error {
	if err := auth.Can(p, auth.Import, auth.Resource{}); err != nil {
		return err
	}
	if p.Role != auth.RoleOfficer || p.ParkID != 0 {
		return apperr.Errorf(apperr.Forbidden, "you may not import data through the console: an import may change fields your role may not")
	}
	return nil
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	if err := canImport(principal(r)); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "import", importPage{Page: s.newPage(r, "/import")})
	return nil
}

// importDryRun reads the upload and validates it without writing.
func (s *Server) importDryRun(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := canImport(p); err != nil {
		return err
	}
	files, err := readUpload(r)
	if err != nil {
		return err
	}
	page := importPage{Page: s.newPage(r, "/import")}
	for _, f := range files {
		page.Files = append(page.Files, f.Name)
	}
	rep, err := exchange.Import(r.Context(), s.deps.Store, files, exchange.Options{DryRun: true, Actor: p.Label, Source: "import"})
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return err
	}
	page.Report = &rep
	page.Problems = rep.Problems
	status := http.StatusOK
	switch {
	case err != nil && rep.ProblemsTotal == 0:
		// Not a row's fault: no file, an unknown extension.
		page.Problems = append(page.Problems, apperr.Problem{Reason: apperr.MessageOf(err)})
		status = http.StatusUnprocessableEntity
	case rep.ProblemsTotal > 0:
		status = http.StatusUnprocessableEntity
	default:
		if page.StageID, err = exchange.StageUpload(r.Context(), s.deps.Store, p.UserID, files, s.now()); err != nil {
			return err
		}
	}
	s.render(w, r, status, "import", page)
	return nil
}

// importConfirm writes the upload of a dry run that passed.
func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := canImport(p); err != nil {
		return err
	}
	page := importPage{Page: s.newPage(r, "/import")}
	files, ok, err := exchange.TakeUpload(r.Context(), s.deps.Store, r.PostFormValue("stage"), p.UserID, s.now())
	if err != nil {
		return err
	}
	if !ok {
		page.Expired = true
		s.render(w, r, http.StatusConflict, "import", page)
		return nil
	}
	for _, f := range files {
		page.Files = append(page.Files, f.Name)
	}
	rep, err := exchange.Import(r.Context(), s.deps.Store, files, exchange.Options{Actor: p.Label, Source: "import"})
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return err
	}
	page.Report, page.Problems, page.Done = &rep, rep.Problems, rep.Written
	if rep.Written {
		// The results follow the import as they follow every report.
		s.facts.Emit(r.Context(), facts.Changed{Enterprises: rep.Changed, Fields: rep.ChangedFields, Source: "import"})
		s.results.Invalidate()
		s.registry.Invalidate()
	}
	status := http.StatusOK
	if !rep.Written {
		// The data changed between the dry run and now.
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "import", page)
	return nil
}

// readUpload reads the files of the form's "files" field into memory.
func readUpload(r *http.Request) ([]exchange.File, error) {
	// The body is limited to maxUpload by limitBodies (body_limit.go).
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if isTooLarge(err) {
			return nil, tooLarge(err, maxUpload)
		}
		return nil, apperr.Errorf(apperr.Invalid, "the upload could not be read: choose one or more .csv, .xlsx or .json files")
	}
	headers := r.MultipartForm.File["files"]
	if len(headers) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "choose one or more .csv, .xlsx or .json files to import")
	}
	var files []exchange.File
	for _, h := range headers {
		data, err := readPart(h)
		if err != nil {
			return nil, err
		}
		files = append(files, exchange.File{Name: filepath.Base(h.Filename), Data: data})
	}
	return files, nil
}

func readPart(h *multipart.FileHeader) ([]byte, error) {
	f, err := h.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload %s: %w", h.Filename, err)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// readOneTable reads the one .csv or .xlsx file of the form's "file" field,
// for the imports of one table at a time (projects, the technology
// catalogue): its base name and its bytes.
func readOneTable(r *http.Request) (string, []byte, error) {
	// The body is limited to maxUpload by limitBodies (body_limit.go).
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if isTooLarge(err) {
			return "", nil, tooLarge(err, maxUpload)
		}
		return "", nil, apperr.Errorf(apperr.Invalid, "the upload could not be read: choose a .csv or .xlsx file")
	}
	headers := r.MultipartForm.File["file"]
	if len(headers) != 1 {
		return "", nil, apperr.Errorf(apperr.Invalid, "choose one .csv or .xlsx file")
	}
	data, err := readPart(headers[0])
	return filepath.Base(headers[0].Filename), data, err
}
