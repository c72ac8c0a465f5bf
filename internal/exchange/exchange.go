// Package exchange imports and exports enterprise records: JSON in the record
// format of the data contract, and CSV and XLSX in the two-table layout of
// docs/import-format.md (an enterprises table and a long facts table).
//
// An import is all or nothing. Every file is read as a stream, every bad row
// or record is reported with where it is, and everything is written in one
// transaction that is rolled back when there is any problem, and always on a
// dry run. Memory stays bounded by the number of enterprises, not by the
// number of fact rows: facts are validated and written in batches.
package exchange

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Format is a file format of import and export.
type Format string

// The formats.
const (
	JSON Format = "json"
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat parses "json", "csv" or "xlsx".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case JSON, CSV, XLSX:
		return f, nil
	}
	return "", apperr.Errorf(apperr.Invalid, "unknown format %q (want json, csv or xlsx)", s)
}

// FormatOf returns the format named by a file's extension.
func FormatOf(name string) (Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	if ext == "" {
		return "", apperr.Errorf(apperr.Invalid, "%s: no file extension: name the file .csv, .xlsx or .json", name)
	}
	f, err := ParseFormat(ext)
	if err != nil {
		return "", apperr.Errorf(apperr.Invalid, "%s: unknown file type .%s (want .csv, .xlsx or .json)", name, ext)
	}
	return f, nil
}

// File is one input of an import. Its Name is what problems refer to and its
// extension picks the format. The content is read from Path when it is set,
// else from Data; a path is read as a stream (an XLSX workbook is opened
// in place, its large sheets unpacked to temporary files by excelize).
type File struct {
	Name string
	Path string
	Data []byte
}

// PathFile is the File read from path, named as given.
func PathFile(path string) File { return File{Name: path, Path: path} }

// Options are the choices of one import.
type Options struct {
	// DryRun validates everything, as a real import does, and writes nothing.
	DryRun bool
	// Actor is who imports: the user name kept in the facts' provenance.
	Actor string
	// Source is the provenance source of the facts, "import" when empty.
	Source string
}

// Report is what an import did, or on a dry run or with problems, what it
// would have done: it is counted inside the transaction that is then rolled
// back, so the counts are those a real import gives.
type Report struct {
	DryRun             bool             `json:"dry_run"`
	Written            bool             `json:"written"` // committed: not a dry run and no problems
	Files              int              `json:"files"`
	RowsRead           int              `json:"rows_read"` // table rows and JSON records, headers excluded
	EnterprisesCreated int              `json:"enterprises_created"`
	EnterprisesUpdated int              `json:"enterprises_updated"`
	FactsWritten       int              `json:"facts_written"`
	Problems           []apperr.Problem `json:"problems,omitempty"`
	// ProblemsTotal counts every problem found, also those beyond the
	// MaxProblems kept in Problems.
	ProblemsTotal int `json:"problems_total"`
	// Changed lists the enterprises whose current facts an import that
	// was written changed, and ChangedFields the fields it brought: what
	// matching has to evaluate again.
	Changed       []int64  `json:"-"`
	ChangedFields []string `json:"-"`
	// Steps is how long each step of the import took, in order, for
	// `parkdesk bench import` to say where the time goes.
	Steps []Step `json:"-"`
}

// Step is one step of an import and its wall time.
type Step struct {
	Name string
	Took time.Duration
}

// MaxProblems bounds the problems kept in a report: enough to fix a
// systematic mistake, not so many that a garbage file fills memory.
const MaxProblems = 1000

func (r *Report) problem(p apperr.Problem) {
	r.ProblemsTotal++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	}
}

// Err is the error of a report with problems: an invalid-input error listing
// them, or nil when there are none.
func (r *Report) Err() error {
	if r.ProblemsTotal == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d problem(s) in the import; nothing was written", r.ProblemsTotal)
	if r.ProblemsTotal > len(r.Problems) {
		msg = fmt.Sprintf("%d problems in the import (the first %d shown); nothing was written", r.ProblemsTotal, len(r.Problems))
	}
	return apperr.InvalidInput(msg, r.Problems...)
}
