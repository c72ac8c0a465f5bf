package facts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// HistoryEntry is one recorded value of a field with its provenance.
type HistoryEntry struct {
	ID         int64     `json:"id"`
	Period     Period    `json:"-"`
	Value      Value     `json:"-"`
	Source     string    `json:"source"`
	Actor      string    `json:"actor"`
	BatchID    int64     `json:"batch_id,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// History returns every value recorded for the enterprise's field, by period
// and then in the order recorded: the last of each period is its current
// value unless a later identical or backdated value was recorded.
func History(ctx context.Context, q store.Queryer, enterpriseID int64, field string) ([]HistoryEntry, error) {
	dict, err := LoadDictionary(ctx, q)
	if err != nil {
		return nil, err
	}
	f, ok := dict.Field(field)
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "no field %s in the data dictionary", field)
	}
	rows, err := q.Query(ctx, `SELECT id, period, value, source, actor, batch_id, recorded_at FROM facts
WHERE enterprise_id = ? AND field = ? ORDER BY period, id`, enterpriseID, field)
	if err != nil {
		return nil, fmt.Errorf("facts: history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var period, value string
		var batch sql.NullInt64
		if err := rows.Scan(&h.ID, &period, &value, &h.Source, &h.Actor, &batch, store.ScanTime(&h.RecordedAt)); err != nil {
			return nil, fmt.Errorf("facts: history: %w", err)
		}
		h.BatchID = batch.Int64
		if h.Period, err = ParsePeriod(period); err != nil {
			return nil, fmt.Errorf("facts: history of %s: %w", field, err)
		}
		if h.Value, err = decodeStored(f, value); err != nil {
			return nil, fmt.Errorf("facts: history: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facts: history: %w", err)
	}
	return out, nil
}

// Current returns the current values of the enterprise by field.
func Current(ctx context.Context, q store.Queryer, enterpriseID int64) (map[string]Series, error) {
	dict, err := LoadDictionary(ctx, q)
	if err != nil {
		return nil, err
	}
	out := map[string]Series{}
	err = readCurrent(ctx, q, dict, []int64{enterpriseID}, func(_ int64, field string, p Period, v Value) {
		s := out[field]
		if s == nil {
			s = Series{}
			out[field] = s
		}
		s[p] = v
	})
	return out, err
}

// readCurrent calls add for every current value of the enterprises.
func readCurrent(ctx context.Context, q store.Queryer, dict *Dictionary, ids []int64, add func(id int64, field string, p Period, v Value)) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// Periods repeat across enterprises: parse each text once.
	periods := map[string]Period{}
	return eachStoredCurrent(ctx, q, "enterprise_id IN ("+placeholders(len(ids))+")", args, nil, func(id int64, field, periodText, value string) error {
		f, ok := dict.Field(field)
		if !ok {
			return fmt.Errorf("facts: current value of %s, which the dictionary lacks", field)
		}
		p, ok := periods[periodText]
		if !ok {
			var err error
			if p, err = ParsePeriod(periodText); err != nil {
				return fmt.Errorf("facts: current value of %s: %w", field, err)
			}
			periods[periodText] = p
		}
		v, err := decodeStored(f, value)
		if err != nil {
			return err
		}
		add(id, field, p, v)
		return nil
	})
}

// LoadRecord returns the enterprise with the USCC and its current facts, in
// the record form of the data contract. An unknown USCC is not_found.
func LoadRecord(ctx context.Context, q store.Queryer, uscc string) (Record, error) {
	var rec Record
	err := store.WithReadTx(ctx, q, func(tx *store.Tx) error {
		e, err := enterprise.GetByUSCC(ctx, tx, uscc)
		if err != nil {
			return err
		}
		facts, err := Current(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		rec = Record{USCC: e.USCC, Name: e.Name, RegisteredOn: e.RegisteredOn, IndustryCode: e.IndustryCode,
			Park: e.Park, Tags: e.Tags, Facts: facts}
		return nil
	})
	return rec, err
}

// eachRecordPage is how many records EachRecord reads at a time: memory
// holds one page, whatever the population.
const eachRecordPage = 500

// EachRecord calls fn with every enterprise's record in USCC order. It
// reads a page of records at a time, each page in one read transaction, and
// holds no query open while fn runs, so fn may use the database. An error
// from fn stops the walk and is returned.
func EachRecord(ctx context.Context, q store.Queryer, fn func(Record) error) error {
	dict, err := LoadDictionary(ctx, q)
	if err != nil {
		return err
	}
	after := ""
	for {
		var page []Record
		err := store.WithReadTx(ctx, q, func(tx *store.Tx) (err error) {
			page, err = readRecordPage(ctx, tx, dict, after)
			return err
		})
		if err != nil {
			return err
		}
		for _, rec := range page {
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(page) < eachRecordPage {
			return nil
		}
		after = page[len(page)-1].USCC
	}
}

// readRecordPage reads the records of the first eachRecordPage enterprises
// whose USCC sorts after the given one.
func readRecordPage(ctx context.Context, q store.Queryer, dict *Dictionary, after string) ([]Record, error) {
	page, _, err := readRecords(ctx, q, dict, "e.uscc > ? ORDER BY e.uscc LIMIT ?", after, eachRecordPage)
	return page, err
}

// RecordsByID returns the records of the enterprises with the ids, by id;
// an id without an enterprise is left out. It reads them a page at a time.
func RecordsByID(ctx context.Context, q store.Queryer, ids []int64) (map[int64]Record, error) {
	dict, err := LoadDictionary(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Record, len(ids))
	for start := 0; start < len(ids); start += eachRecordPage {
		chunk := ids[start:min(start+eachRecordPage, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		err := store.WithReadTx(ctx, q, func(tx *store.Tx) error {
			page, pageIDs, err := readRecords(ctx, tx, dict, "e.id IN ("+placeholders(len(chunk))+")", args...)
			for i := range page {
				out[pageIDs[i]] = page[i]
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readRecords reads the records of the enterprises the condition (and
// order and limit) selects, with their ids.
func readRecords(ctx context.Context, q store.Queryer, dict *Dictionary, where string, whereArgs ...any) ([]Record, []int64, error) {
	rows, err := q.Query(ctx, `SELECT e.id, e.uscc, e.name, e.registered_on, e.industry_code, p.code
FROM enterprises e LEFT JOIN parks p ON p.id = e.park_id
WHERE `+where, whereArgs...)
	if err != nil {
		return nil, nil, fmt.Errorf("facts: read records: %w", err)
	}
	var page []Record
	var ids []int64
	index := map[int64]int{}
	for rows.Next() {
		var id int64
		var rec Record
		var registered, industry, park sql.NullString
		if err := rows.Scan(&id, &rec.USCC, &rec.Name, &registered, &industry, &park); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("facts: read records: %w", err)
		}
		rec.RegisteredOn, rec.IndustryCode, rec.Park = registered.String, industry.String, park.String
		rec.Facts = map[string]Series{}
		index[id] = len(page)
		page = append(page, rec)
		ids = append(ids, id)
	}
	err = errors.Join(rows.Err(), rows.Close())
	if err != nil || len(page) == 0 {
		return page, ids, err
	}

	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	tagRows, err := q.Query(ctx, `SELECT et.enterprise_id, t.code FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id
WHERE et.enterprise_id IN (`+placeholders(len(ids))+`) ORDER BY t.code`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("facts: read tags: %w", err)
	}
	for tagRows.Next() {
		var id int64
		var code string
		if err := tagRows.Scan(&id, &code); err != nil {
			tagRows.Close()
			return nil, nil, fmt.Errorf("facts: read tags: %w", err)
		}
		rec := &page[index[id]]
		rec.Tags = append(rec.Tags, code)
	}
	if err := errors.Join(tagRows.Err(), tagRows.Close()); err != nil {
		return nil, nil, fmt.Errorf("facts: read tags: %w", err)
	}

	err = readCurrent(ctx, q, dict, ids, func(id int64, field string, p Period, v Value) {
		rec := &page[index[id]]
		s := rec.Facts[field]
		if s == nil {
			s = Series{}
			rec.Facts[field] = s
		}
		s[p] = v
	})
	return page, ids, err
}
