package exchange

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Export writes every enterprise record of the database to w: a JSON array
// in the record format, an XLSX workbook with the enterprises and facts
// sheets, or, for CSV, the facts table only (one stream holds one table; see
// ExportCSV for both). Records come in USCC order with the current value of
// each fact.
func Export(ctx context.Context, db *store.DB, w io.Writer, format Format) error {
	var rw recordWriter
	var err error
	switch format {
	case JSON:
		rw = newJSONWriter(w)
	case CSV:
		rw, err = newCSVWriter(nil, w)
	case XLSX:
		rw, err = newXLSXWriter(w)
	default:
		return apperr.Errorf(apperr.Invalid, "unknown export format %q (want json, csv or xlsx)", format)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return export(ctx, db, rw)
}

// ExportCSV writes the enterprises table to enterprises and the facts table
// to factsOut.
func ExportCSV(ctx context.Context, db *store.DB, enterprises, factsOut io.Writer) error {
	rw, err := newCSVWriter(enterprises, factsOut)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return export(ctx, db, rw)
}

func export(ctx context.Context, db *store.DB, rw recordWriter) error {
	err := facts.EachRecord(ctx, db, func(rec facts.Record) error {
		slices.Sort(rec.Tags)
		return rw.write(&rec)
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := rw.finish(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
