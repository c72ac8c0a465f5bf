package bench

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// syntheticFields are the monthly fields that synthetic facts tables fill:
// the VAT figures a tax bureau reports every month, the bulk of a real park's
// fact rows.
var syntheticFields = []string{"vat_credit_end", "input_vat_qualifying", "input_vat_total", "vat_sales_month"}

// The tables' header rows, as docs/import-format.md gives them: the
// importer refuses a file whose header differs, so a change there shows
// here at once.
var (
	enterpriseHeader = []string{"uscc", "name", "registered_on", "industry_code", "park", "tags"}
	factHeader       = []string{"uscc", "field", "period", "value"}
)

// SyntheticUSCC is the n-th enterprise of synthetic imports: valid codes of a
// Hangzhou district.
func SyntheticUSCC(n int) string { return enterprise.MakeUSCC("330106", uint64(n)) }

// WriteSyntheticCSV writes an enterprises table of n enterprises and a facts
// table of rows fact rows over them, for the import benchmark: every row is
// valid and names a distinct (enterprise, field, month), enterprise after
// enterprise, as a tax bureau's monthly export runs. It streams, so that a
// million-row table costs no memory to make.
func WriteSyntheticCSV(enterprises, factsOut io.Writer, n, rows int) error {
	if n <= 0 {
		return fmt.Errorf("synthetic import: need at least one enterprise")
	}
	perEnterprise := (rows + n - 1) / n
	if months := (perEnterprise + len(syntheticFields) - 1) / len(syntheticFields); months > 12*900 {
		return fmt.Errorf("synthetic import: %d rows over %d enterprises need %d months each: use more enterprises", rows, n, months)
	}
	ew := csv.NewWriter(enterprises)
	ew.Write(enterpriseHeader)
	for i := range n {
		ew.Write([]string{SyntheticUSCC(i), "合成企业" + strconv.Itoa(i) + "有限公司", "2016-05-12", "C3911", "", ""})
	}
	ew.Flush()
	if err := ew.Error(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(factsOut, 64<<10)
	fw := csv.NewWriter(bw)
	fw.Write(factHeader)
	start := facts.Month(2010, 1)
	row := make([]string, len(factHeader))
	written := 0
	for i := 0; i < n && written < rows; i++ {
		row[0] = SyntheticUSCC(i)
		for k := 0; k < perEnterprise && written < rows; k++ {
			row[1] = syntheticFields[k%len(syntheticFields)]
			row[2] = start.AddMonths(k / len(syntheticFields)).String()
			row[3] = strconv.Itoa((i*7919+k*104729)%10000000) + "." + strconv.Itoa(k%100/10) + strconv.Itoa(k%10)
			fw.Write(row)
			written++
		}
	}
	fw.Flush()
	if err := fw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
