package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// ReadRows reads the rows of a CSV file (UTF-8, or GBK as Excel saves it on
// a Chinese Windows) or of the first sheet of an XLSX file, chosen by the
// name's extension, for the imports that read layouts of their own (the
// technology catalogue, investment projects). A workbook passes the same
// guard as the registry's import first. Blank rows are skipped; lines holds
// each row's line (CSV) or row (XLSX) number. limit is the most rows the
// caller accepts, its header included: reading stops at limit+1 rows, so
// that the caller can refuse a file that is too long.
func ReadRows(name string, data []byte, limit int) (rows [][]string, lines []int, prob []apperr.Problem) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return readCSVRows(name, data, limit)
	case ".xlsx":
		return readXLSXRows(name, data, limit)
	}
	return nil, nil, []apperr.Problem{{File: name, Reason: "not a .csv or .xlsx file"}}
}

func readCSVRows(name string, data []byte, limit int) ([][]string, []int, []apperr.Problem) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) || bytes.ContainsRune(decoded, utf8.RuneError) {
			return nil, nil, []apperr.Problem{{File: name, Reason: "the file is neither UTF-8 nor GBK text: save it as \"CSV UTF-8\""}}
		}
		data = decoded
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var rows [][]string
	var lines []int
	for len(rows) <= limit {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, []apperr.Problem{{File: name, Row: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()}}
			}
			return nil, nil, []apperr.Problem{{File: name, Reason: "cannot be read"}}
		}
		if blankRow(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	return rows, lines, nil
}

func readXLSXRows(name string, data []byte, limit int) (rows [][]string, lines []int, prob []apperr.Problem) {
	if p := CheckWorkbook(data); p != nil {
		p.File = name
		return nil, nil, []apperr.Problem{*p}
	}
	book, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, nil, []apperr.Problem{{File: name, Reason: "not a readable .xlsx workbook"}}
	}
	defer book.Close()
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, []apperr.Problem{{File: name, Reason: "the workbook has no sheet"}}
	}
	defer func() {
		// A malformed sheet can make the library panic; it is the file's fault.
		if r := recover(); r != nil {
			rows, lines, prob = nil, nil, []apperr.Problem{{File: name, Sheet: sheets[0], Reason: "the sheet is malformed"}}
		}
	}()
	all, err := book.GetRows(sheets[0])
	if err != nil {
		return nil, nil, []apperr.Problem{{File: name, Sheet: sheets[0], Reason: "the sheet cannot be read"}}
	}
	for i, r := range all {
		if len(rows) > limit {
			break
		}
		if blankRow(r) {
			continue
		}
		rows = append(rows, r)
		lines = append(lines, i+1)
	}
	return rows, lines, nil
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
