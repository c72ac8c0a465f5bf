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
		fields := p.FieldsRead()
		if len(fields) > 0 {
			args := []any{first, last}
			for _, f := range fields {
				args = append(args, f)
			}
			rows, err := tx.Query(ctx, `SELECT enterprise_id, field, period, value FROM current_facts
WHERE enterprise_id BETWEEN ? AND ? AND field IN (`+placeholders(len(fields))+`)
ORDER BY enterprise_id`, args...)
			if err != nil {
				return fmt.Errorf("match: read facts: %w", err)
			}
			defer rows.Close()
			periods := map[string]facts.Period{}
			var id int64
			var field, periodText, value string
			for rows.Next() {
				if err := rows.Scan(&id, &field, &periodText, &value); err != nil {
					return fmt.Errorf("match: read facts: %w", err)
				}
				startRow(id)
				if rowID != id {
					continue // a fact of an enterprise outside the range's rows
				}
				per, ok := periods[periodText]
				if !ok {
					if per, err = facts.ParsePeriod(periodText); err != nil {
						return fmt.Errorf("match: fact %s of enterprise %d: %w", field, id, err)
					}
					periods[periodText] = per
				}
				b.Text(field, per, value)
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("match: read facts: %w", err)
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
// enterprise), in one query: an incremental re-evaluation's read.
func loadOne(ctx context.Context, q store.Queryer, p *vector.Program, id int64) (*vector.Chunk, error) {
	fields := p.FieldsRead()
	args := make([]any, 0, len(fields)+1)
	on := "1 = 0"
	if len(fields) > 0 {
		on = "f.field IN (" + placeholders(len(fields)) + ")"
		for _, f := range fields {
			args = append(args, f)
		}
	}
	args = append(args, id)
	rows, err := q.Query(ctx, `SELECT e.uscc, e.industry_code, e.registered_on, f.field, f.period, f.value
FROM enterprises e LEFT JOIN current_facts f ON f.enterprise_id = e.id AND `+on+`
WHERE e.id = ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: read enterprise %d: %w", id, err)
	}
	defer rows.Close()
	b := p.NewBuilder(1)
	started := false
	for rows.Next() {
		var uscc string
		var industry, registered, field, period, value sql.NullString
		if err := rows.Scan(&uscc, &industry, &registered, &field, &period, &value); err != nil {
			return nil, fmt.Errorf("match: read enterprise %d: %w", id, err)
		}
		if !started {
			b.Row(id, uscc, industry.String, registered.String)
			started = true
		}
		if !field.Valid {
			continue // no fact the program reads
		}
		per, err := facts.ParsePeriod(period.String)
		if err != nil {
			return nil, fmt.Errorf("match: fact %s of enterprise %d: %w", field.String, id, err)
		}
		b.Text(field.String, per, value.String)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("match: read enterprise %d: %w", id, err)
	}
	return b.Finish(), nil
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
