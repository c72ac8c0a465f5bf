package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/formula"
)

// target is where an import writes: the database, inside the import's one
// transaction. Errors it returns end the import; errors a row caused (an
// unknown park, say) it returns as *apperr.Error, which become problems of
// that row.
type target interface {
	// enterpriseExists reports whether the database holds the enterprise;
	// it caches what it found, as one USCC is asked about row after row.
	enterpriseExists(ctx context.Context, uscc string) (bool, error)
	// putEnterprise creates or updates an enterprise from a record (its facts
	// are not written) and reports whether it was created.
	putEnterprise(ctx context.Context, rec facts.Record) (created bool, err error)
	// appendFacts writes a batch of facts.
	appendFacts(ctx context.Context, batch []fact) error
}

// factBatch is how many facts are written at once (facts.BulkAppend: one
// COPY and one merge each): big enough that the per-statement cost fades,
// small enough that memory does not notice.
const factBatch = 20_000

// where an enterprise of this import came from, to name both places when it
// appears twice. Kept small: the importer holds one per enterprise.
type origin struct {
	file   int32 // index in the import's files
	row    int32 // row of a table, or 0
	record int32 // record of a JSON file, or 0
	sheet  bool  // the row is on the enterprises sheet of a workbook
}

// importer runs one import over its files. Memory is bounded by the number of
// enterprises (seen, and the target's cache of ids), never by the number of
// fact rows.
type importer struct {
	files  []File
	dict   *facts.Dictionary
	target target
	rep    *Report
	seen   map[string]origin // enterprises of this import
	batch  []fact
	books  map[int]*workbook // open XLSX files, read in both passes
	// repeats finds the facts given more than once, for the check that
	// they were not given different values.
	repeats *repeatFilter
	// onFile, when set, is told which file the rows that follow come from.
	onFile func(i int)
}

func newImporter(files []File, dict *facts.Dictionary, t target, rep *Report) *importer {
	return &importer{files: files, dict: dict, target: t, rep: rep,
		seen: map[string]origin{}, books: map[int]*workbook{}, repeats: newRepeatFilter(),
		batch: make([]fact, 0, factBatch)}
}

// writing reports whether facts are still written. After the first problem
// the import can only be rolled back, so it validates the remaining facts
// without writing them.
func (im *importer) writing() bool { return im.rep.ProblemsTotal == 0 }

// run reads every file: first everything that names enterprises (JSON
// records, enterprises tables and sheets), then the facts tables, so that a
// fact may refer to an enterprise of any file of the import. It returns only
// errors that are not the input's fault.
func (im *importer) run(ctx context.Context) error {
	defer func() {
		for _, wb := range im.books {
			wb.close()
		}
	}()
	formats := make([]Format, len(im.files))
	for i, f := range im.files {
		format, err := FormatOf(f.Name)
		if err != nil {
			im.rep.problem(apperr.Problem{File: f.Name, Reason: apperr.MessageOf(err)})
			continue
		}
		formats[i] = format
	}
	var factTables []int // CSV files found to be facts tables, read in the second pass
	for i, f := range im.files {
		if err := im.startFile(ctx, i); err != nil {
			return err
		}
		var err error
		switch formats[i] {
		case JSON:
			err = im.readJSON(ctx, i)
		case CSV:
			var isFacts bool
			isFacts, err = im.readCSV(ctx, i, enterpriseTable)
			if isFacts {
				factTables = append(factTables, i)
			}
		case XLSX:
			wb, problems := openWorkbook(f)
			for _, p := range problems {
				p.File = f.Name
				im.rep.problem(p)
			}
			if wb != nil {
				im.books[i] = wb
				err = im.readSheet(ctx, i, enterpriseTable)
			}
		}
		if err != nil {
			return err
		}
	}
	for i := range im.files {
		if err := im.startFile(ctx, i); err != nil {
			return err
		}
		var err error
		switch {
		case slices.Contains(factTables, i):
			_, err = im.readCSV(ctx, i, factTable)
		case im.books[i] != nil:
			err = im.readSheet(ctx, i, factTable)
		}
		if err != nil {
			return err
		}
	}
	return im.flush(ctx)
}

// startFile writes the facts of the file before, which carry its name as
// their source, and tells onFile.
func (im *importer) startFile(ctx context.Context, i int) error {
	if err := im.flush(ctx); err != nil {
		return err
	}
	if im.onFile != nil {
		im.onFile(i)
	}
	return nil
}

// readJSON reads a file of enterprise records.
func (im *importer) readJSON(ctx context.Context, i int) error {
	f := im.files[i]
	rc, err := f.open()
	if err != nil {
		im.rep.problem(apperr.Problem{File: f.Name, Reason: openReason(err)})
		return nil
	}
	defer rc.Close()
	index := 0
	err = facts.DecodeRecords(rc, f.Name, im.dict, func(rec facts.Record) error {
		index++
		im.rep.RowsRead++
		return im.record(ctx, rec, origin{file: int32(i), record: int32(index)}, apperr.Problem{File: f.Name, Record: index, USCC: rec.USCC})
	})
	if problems := apperr.ProblemsOf(err); len(problems) > 0 && apperr.CodeOf(err) == apperr.Invalid {
		// DecodeRecords passes on only valid records; count the bad ones read.
		bad := map[int]bool{}
		for _, p := range problems {
			im.rep.problem(p)
			if p.Record > 0 && !bad[p.Record] {
				bad[p.Record] = true
				im.rep.RowsRead++
			}
		}
		return nil
	}
	if err != nil && apperr.CodeOf(err) == apperr.Invalid {
		im.rep.problem(apperr.Problem{File: f.Name, Reason: apperr.MessageOf(err)})
		return nil
	}
	return err
}

// record takes one valid enterprise record: the enterprise and its facts.
func (im *importer) record(ctx context.Context, rec facts.Record, from origin, at apperr.Problem) error {
	if !im.enterprise(ctx, rec, from, at) {
		return nil
	}
	if err := im.putEnterprise(ctx, rec, at); err != nil {
		return err
	}
	names := make([]string, 0, len(rec.Facts))
	for name := range rec.Facts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		field, _ := im.dict.Field(name) // DecodeRecords checked it
		series := rec.Facts[name]
		periods := make([]facts.Period, 0, len(series))
		for p := range series {
			periods = append(periods, p)
		}
		slices.SortFunc(periods, func(a, b facts.Period) int { return a.Index() - b.Index() })
		for _, p := range periods {
			if err := im.fact(ctx, fact{USCC: rec.USCC, Field: field, Period: p, Value: series[p]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// enterprise registers an enterprise of this import and reports whether it
// is the first time the import names it; a second time is a problem that
// names both places.
func (im *importer) enterprise(_ context.Context, rec facts.Record, from origin, at apperr.Problem) bool {
	if first, dup := im.seen[rec.USCC]; dup {
		at.Field = "uscc"
		at.Reason = "the enterprise appears twice in this import: also at " + im.describe(first)
		im.rep.problem(at)
		return false
	}
	im.seen[rec.USCC] = from
	return true
}

func (im *importer) describe(o origin) string {
	s := im.files[o.file].Name
	if o.sheet {
		s += " sheet " + sheetNames[enterpriseTable]
	}
	if o.row > 0 {
		s += fmt.Sprintf(" row %d", o.row)
	}
	if o.record > 0 {
		s += fmt.Sprintf(" record %d", o.record)
	}
	return s
}

// putEnterprise writes an enterprise even after a problem (unlike facts):
// its park and tags are checked against the database as it is written, and
// every row's problems should be found in one run. Enterprises are few; the
// transaction is rolled back anyway.
func (im *importer) putEnterprise(ctx context.Context, rec facts.Record, at apperr.Problem) error {
	created, err := im.target.putEnterprise(ctx, rec)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code != apperr.Internal {
			if len(ae.Problems) == 0 {
				at.Reason = ae.Message
				im.rep.problem(at)
			}
			for _, p := range ae.Problems {
				at.Field, at.Reason = p.Field, p.Reason
				im.rep.problem(at)
			}
			return nil
		}
		return fmt.Errorf("import %s: %w", rec.USCC, err)
	}
	if created {
		im.rep.EnterprisesCreated++
	} else {
		im.rep.EnterprisesUpdated++
	}
	return nil
}

// fact queues one valid fact for writing.
func (im *importer) fact(ctx context.Context, f fact) error {
	if !im.writing() {
		return nil
	}
	im.repeats.add(factKey{USCC: f.USCC, Field: f.Field.Name, Period: f.Period})
	im.batch = append(im.batch, f)
	if len(im.batch) >= factBatch {
		return im.flush(ctx)
	}
	return nil
}

func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 || !im.writing() {
		im.batch = im.batch[:0]
		return nil
	}
	if err := im.target.appendFacts(ctx, im.batch); err != nil {
		return fmt.Errorf("import facts: %w", err)
	}
	im.rep.FactsWritten += len(im.batch)
	im.batch = im.batch[:0]
	return nil
}

// readCSV reads a CSV file if it holds a table of kind; it reports whether
// the file is a facts table, which the first pass leaves for the second.
func (im *importer) readCSV(ctx context.Context, i int, kind tableKind) (isFacts bool, err error) {
	f := im.files[i]
	t, problems, err := openCSV(f)
	if err != nil {
		return false, err
	}
	for _, p := range problems {
		im.rep.problem(p)
	}
	if t == nil {
		return false, nil
	}
	defer t.close()
	if t.header.kind != kind {
		return t.header.kind == factTable, nil
	}
	return false, im.readTable(ctx, i, t)
}

// readSheet reads the sheet of kind of an open workbook, if it has one.
func (im *importer) readSheet(ctx context.Context, i int, kind tableKind) error {
	wb := im.books[i]
	t, headerRow, reasons := wb.table(kind)
	for _, r := range reasons {
		im.rep.problem(apperr.Problem{File: wb.name, Sheet: wb.sheets[kind], Row: headerRow, Reason: r})
	}
	if t == nil {
		return nil
	}
	defer t.close()
	return im.readTable(ctx, i, t)
}

// readTable validates and takes every row of a table.
func (im *importer) readTable(ctx context.Context, i int, t *tableReader) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		cells, row, err := t.next()
		if err == io.EOF {
			return nil
		}
		var re *rowError
		switch {
		case errors.As(err, &re):
			im.rep.RowsRead++
			im.rep.problem(t.at(re.row, "", "", re.reason))
			continue
		case err != nil:
			im.rep.problem(t.at(row, "", "", "cannot be read: "+err.Error()))
			return nil
		}
		im.rep.RowsRead++
		for i, c := range cells {
			// The quote an export put in front of a formula-like text.
			cells[i] = formula.Restore(c)
		}
		if t.header.kind == enterpriseTable {
			err = im.enterpriseRow(ctx, i, t, cells, row)
		} else {
			err = im.factRow(ctx, t, cells, row)
		}
		if err != nil {
			return err
		}
	}
}

func (im *importer) enterpriseRow(ctx context.Context, i int, t *tableReader, cells []string, row int) error {
	rec, problems := t.enterpriseRow(cells, row)
	for _, p := range problems {
		im.rep.problem(p)
	}
	from := origin{file: int32(i), row: int32(row), sheet: t.sheet != ""}
	at := t.at(row, rec.USCC, "", "")
	if len(problems) > 0 {
		// Still claim the USCC, so that its facts are not reported as
		// unknown and a second row with it is still a duplicate.
		if enterprise.ValidateUSCC(rec.USCC) == nil {
			im.enterprise(ctx, rec, from, at)
		}
		return nil
	}
	return im.record(ctx, rec, from, at)
}

func (im *importer) factRow(ctx context.Context, t *tableReader, cells []string, row int) error {
	f, problems := t.factRow(cells, row, im.dict)
	for _, p := range problems {
		im.rep.problem(p)
	}
	if len(problems) > 0 {
		return nil
	}
	ok, err := im.exists(ctx, f.USCC)
	if err != nil {
		return err
	}
	if !ok {
		im.rep.problem(t.at(row, f.USCC, "uscc", "unknown enterprise: not in this import nor in the database"))
		return nil
	}
	return im.fact(ctx, f)
}

// exists reports whether a fact may refer to the enterprise: it is in this
// import or in the database.
func (im *importer) exists(ctx context.Context, uscc string) (bool, error) {
	if _, ok := im.seen[uscc]; ok {
		return true, nil
	}
	ok, err := im.target.enterpriseExists(ctx, uscc)
	if err != nil {
		return false, fmt.Errorf("import: look up %s: %w", uscc, err)
	}
	return ok, nil
}
