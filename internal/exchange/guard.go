package exchange

import (
	"bytes"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// CheckWorkbook is the import's guard against a forged or oversized XLSX
// file, for other packages that read small workbooks of their own (the
// project and indicator imports): nil when excelize may open data, else
// the problem to report. It is the check every workbook of an import
// passes, so that one limit holds for every upload.
func CheckWorkbook(data []byte) *apperr.Problem {
	return checkZip(bytes.NewReader(data), int64(len(data)))
}
