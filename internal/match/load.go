package match

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// LoadChunk reads the enterprises with ids first … last and the current
// values of the fields the program reads into a chunk: two scans in
// enterprise order, merged.
func LoadChunk(ctx context.Context, q store.Queryer, p *vector.Program, first, last int64) (*vector.Chunk, error) {
	var ents []entRow
	var c *vector.Chunk
	err := store.WithReadTx(ctx, q, func(tx *store.Tx) error {
		var err error
		if ents, err = readEnterprises(ctx, tx, first, last); err != nil {
			return err
		}
		b := p.NewBuilder(len(ents))
		next := 0
		rowID := int64(-1) // the enterprise of the current row
		startRow := func(upTo int64) {
			for next < len(ents) && ents[next].id <= upTo {
				e := &ents[next]
				b.Row(e.id, e.uscc, e.industry, e.registered)
				rowID = e.id
				next++
			}
		}
		if fields := p.FieldsRead(); len(fields) > 0 {
			periods := map[string]facts.Period{}
			err := facts.EachCurrent(ctx, tx, first, last, wantedFields(fields), func(id int64, field, periodText, value string) error {
				startRow(id)
				if rowID != id {
					return nil // a fact of an enterprise outside the range's rows
				}
				per, ok := periods[periodText]
				if !ok {
					var err error
					if per, err = facts.ParsePeriod(periodText); err != nil {
						return fmt.Errorf("match: fact %s of enterprise %d: %w", field, id, err)
					}
					periods[periodText] = per
				}
				b.Text(field, per, value)
				return nil
			})
			if err != nil {
				return err
			}
		}
		startRow(last)
		c = b.Finish()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// loadOne reads one enterprise and the current values of the fields the
// program reads into a chunk of one row (none when there is no such
// enterprise), in one read transaction: an incremental re-evaluation's
// read.
func loadOne(ctx context.Context, q store.Queryer, p *vector.Program, id int64) (*vector.Chunk, error) {
	b := p.NewBuilder(1)
	err := store.WithReadTx(ctx, q, func(tx *store.Tx) error {
		ents, err := readEnterprises(ctx, tx, id, id)
		if err != nil || len(ents) == 0 {
			return err
		}
		e := &ents[0]
		b.Row(id, e.uscc, e.industry, e.registered)
		fields := p.FieldsRead()
		if len(fields) == 0 {
			return nil
		}
		return facts.EachCurrent(ctx, tx, id, id, wantedFields(fields), func(_ int64, field, period, value string) error {
			per, err := facts.ParsePeriod(period)
			if err != nil {
				return fmt.Errorf("match: fact %s of enterprise %d: %w", field, id, err)
			}
			b.Text(field, per, value)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("match: read enterprise %d: %w", id, err)
	}
	return b.Finish(), nil
}

// wantedFields is the set of the fields.
func wantedFields(fields []string) map[string]bool {
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		out[f] = true
	}
	return out
}

type entRow struct {
	id                         int64
	uscc, industry, registered string
}

func readEnterprises(ctx context.Context, q store.Queryer, first, last int64) ([]entRow, error) {
	rows, err := q.Query(ctx, `SELECT id, uscc, industry_code, registered_on FROM enterprises
WHERE id BETWEEN ? AND ? ORDER BY id`, first, last)
	if err != nil {
		return nil, fmt.Errorf("match: read enterprises: %w", err)
	}
	defer rows.Close()
	var out []entRow
	for rows.Next() {
		var e entRow
		var industry, registered sql.NullString
		if err := rows.Scan(&e.id, &e.uscc, &industry, &registered); err != nil {
			return nil, fmt.Errorf("match: read enterprises: %w", err)
		}
		e.industry, e.registered = industry.String, registered.String
		out = append(out, e)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// DBRecords gives the records of enterprises in the database, for the rows
// the vector program leaves to the policy engine.
type DBRecords struct {
	Ctx context.Context
	Q   store.Queryer
}

// Record reads the row's enterprise and its current facts.
func (d DBRecords) Record(c *vector.Chunk, row int) (*facts.Record, error) {
	return d.byID(c.ID[row])
}

func (d DBRecords) byID(id int64) (*facts.Record, error) {
	e, err := enterprise.Get(d.Ctx, d.Q, id)
	if err != nil {
		return nil, err
	}
	fs, err := facts.Current(d.Ctx, d.Q, e.ID)
	if err != nil {
		return nil, err
	}
	return &facts.Record{USCC: e.USCC, Name: e.Name, RegisteredOn: e.RegisteredOn, IndustryCode: e.IndustryCode,
		Park: e.Park, Tags: e.Tags, Facts: fs}, nil
}
