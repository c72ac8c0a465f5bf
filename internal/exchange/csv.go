package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// open returns the content of the file as a stream.
func (f File) open() (io.ReadCloser, error) {
	if f.Path != "" {
		return os.Open(f.Path)
	}
	return io.NopCloser(bytes.NewReader(f.Data)), nil
}

// openCSV opens a CSV file and reads its header, which tells the table. The
// problems returned are of the header (row 1) or of the whole file; with any
// of them the table is not returned.
func openCSV(f File) (*tableReader, []apperr.Problem, error) {
	ofFile := func(reason string) []apperr.Problem { return []apperr.Problem{{File: f.Name, Reason: reason}} }
	ofHeader := func(reasons ...string) []apperr.Problem {
		ps := make([]apperr.Problem, len(reasons))
		for i, r := range reasons {
			ps[i] = apperr.Problem{File: f.Name, Row: 1, Reason: r}
		}
		return ps
	}
	rc, err := f.open()
	if err != nil {
		return nil, ofFile(openReason(err)), nil
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	// A UTF-8 byte-order mark, as Excel's "CSV UTF-8" writes, is not data.
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // rows of the wrong width are reported by the caller, row by row
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		rc.Close()
		return nil, ofFile("the file is empty: want a header row (" + joinColumns(enterpriseColumns) + " or " + joinColumns(factColumns) + ")"), nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		rc.Close()
		return nil, ofHeader(csvReason(err)), nil
	}
	if err != nil {
		rc.Close()
		return nil, ofFile("cannot be read: " + err.Error()), nil
	}
	if reason := checkUTF8(head); reason != "" {
		rc.Close()
		return nil, ofFile(reason), nil
	}
	kind := recognize(head)
	if kind == 0 {
		rc.Close()
		return nil, ofHeader(fmt.Sprintf("the header %q is neither an enterprises table (%s) nor a facts table (%s)",
			joinColumns(head), joinColumns(enterpriseColumns), joinColumns(factColumns))), nil
	}
	h, reasons := parseHeader(head, kind)
	if len(reasons) > 0 {
		rc.Close()
		return nil, ofHeader(reasons...), nil
	}
	t := &tableReader{file: f.Name, header: h, close: rc.Close}
	broken := false
	t.next = func() ([]string, int, error) {
		for {
			if broken {
				return nil, 0, io.EOF
			}
			rec, err := cr.Read()
			if err == io.EOF {
				return nil, 0, io.EOF
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					return nil, pe.StartLine, &rowError{row: pe.StartLine, reason: csvReason(err)}
				}
				return nil, 0, err
			}
			line, _ := cr.FieldPos(0)
			if reason := checkUTF8(rec); reason != "" {
				// Every later row is in the same wrong encoding: one problem says it.
				broken = true
				return nil, line, &rowError{row: line, reason: reason}
			}
			if blank(rec) {
				continue
			}
			return rec, line, nil
		}
	}
	return t, nil, nil
}

func openReason(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "no such file"
	}
	if errors.Is(err, os.ErrPermission) {
		return "permission denied"
	}
	return "cannot be read: " + err.Error()
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Sprintf("a quote inside an unquoted cell (column %d): quote the whole cell and double the quote inside", pe.Column)
		case errors.Is(pe.Err, csv.ErrQuote):
			return fmt.Sprintf("a quoted cell is not closed properly (line %d, column %d)", pe.Line, pe.Column)
		}
		return fmt.Sprintf("malformed CSV: %v", pe.Err)
	}
	return "cannot be read: " + err.Error()
}

// checkUTF8 returns a reason when a row is not UTF-8. Excel on Chinese
// Windows saves "CSV" in GBK (code page 936); such bytes get a reason that
// says what to do.
func checkUTF8(row []string) string {
	for _, cell := range row {
		if utf8.ValidString(cell) {
			continue
		}
		if looksGBK(cell) {
			return `the file is not UTF-8: it looks like GBK/GB18030 (as Excel saves "CSV" on Chinese Windows); save it as "CSV UTF-8" and import it again`
		}
		return `the file is not UTF-8 text: save it as "CSV UTF-8" and import it again`
	}
	return ""
}

// looksGBK reports whether every non-ASCII byte of s pairs into a GBK
// double-byte character: a lead byte 0x81–0xFE and a trail byte 0x40–0xFE
// other than 0x7F.
func looksGBK(s string) bool {
	pairs := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 >= len(s) {
			return false
		}
		t := s[i+1]
		if t < 0x40 || t == 0x7F || t == 0xFF {
			return false
		}
		i++
		pairs++
	}
	return pairs > 0
}

func joinColumns(cols []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(cols)
	w.Flush()
	return string(bytes.TrimRight(b.Bytes(), "\r\n"))
}
