package facts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// fieldColumns are the columns of the fields table, in the order fieldRow
// writes them.
var fieldColumns = []string{"name", "type", "unit", "shape", "enum_values", "min_value", "max_value",
	"department_code", "sensitivity", "freshness_days", "absent_means", "label_zh", "label_en", "builtin", "position",
	"int_digits", "decimals"}

// readColumns are the columns LoadDictionary reads: all but position.
var readColumns = slices.DeleteFunc(slices.Clone(fieldColumns), func(c string) bool { return c == "position" })

func fieldRow(f *Field, position int) ([]any, error) {
	var enum any
	if len(f.Enum) > 0 {
		b, err := json.Marshal(f.Enum)
		if err != nil {
			return nil, err
		}
		enum = string(b)
	}
	var digits, decimals any
	if f.Digits > 0 {
		digits = f.Digits
	}
	if f.Decimals != nil {
		decimals = *f.Decimals
	}
	return []any{f.Name, f.TypeName, f.Unit, f.ShapeName, enum, nullable(f.Min), nullable(f.Max),
		f.Department, string(f.Sensitivity), f.FreshnessDays, nullable(f.AbsentMeans), f.LabelZh, f.LabelEn, f.Builtin, position,
		digits, decimals}, nil
}

// SeedDictionary writes the shipped dictionary's fields, creating or
// updating each, so that the database always holds the definitions this
// program's policies were written against. It is idempotent; fields admins
// added are left alone.
func SeedDictionary(ctx context.Context, q store.Queryer) error {
	builtin := Builtin().Fields()
	return store.WithTx(ctx, q, func(tx *store.Tx) error {
		var rowErr error
		rows := func(yield func([]any) bool) {
			for i, f := range builtin {
				row, err := fieldRow(f, i+1)
				if err != nil {
					rowErr = err
					return
				}
				if !yield(row) {
					return
				}
			}
		}
		var set []string
		for _, c := range fieldColumns[1:] {
			set = append(set, c+" = excluded."+c)
		}
		_, err := tx.InsertRows(ctx, store.Insert{Table: "fields", Columns: fieldColumns,
			Suffix: "ON CONFLICT (name) DO UPDATE SET " + strings.Join(set, ", ")}, rows)
		if err = errors.Join(rowErr, err); err != nil {
			return fmt.Errorf("facts: seed the dictionary: %w", err)
		}
		return nil
	})
}

// LoadDictionary returns the dictionary the database holds: the builtin
// fields in their shipped order, then those admins added, by name.
func LoadDictionary(ctx context.Context, q store.Queryer) (*Dictionary, error) {
	rows, err := q.Query(ctx, "SELECT "+strings.Join(readColumns, ", ")+
		" FROM fields ORDER BY builtin DESC, position, name")
	if err != nil {
		return nil, fmt.Errorf("facts: load the dictionary: %w", err)
	}
	defer rows.Close()
	var fields []*Field
	for rows.Next() {
		f := new(Field)
		var enum, minValue, maxValue, absent sql.NullString
		var digits, decimals sql.NullInt64
		var sensitivity string
		if err := rows.Scan(&f.Name, &f.TypeName, &f.Unit, &f.ShapeName, &enum, &minValue, &maxValue,
			&f.Department, &sensitivity, &f.FreshnessDays, &absent, &f.LabelZh, &f.LabelEn, &f.Builtin,
			&digits, &decimals); err != nil {
			return nil, fmt.Errorf("facts: load the dictionary: %w", err)
		}
		f.Digits = int(digits.Int64)
		if decimals.Valid {
			n := int(decimals.Int64)
			f.Decimals = &n
		}
		f.Sensitivity = Sensitivity(sensitivity)
		f.Min, f.Max, f.AbsentMeans = minValue.String, maxValue.String, absent.String
		if enum.Valid {
			if err := json.Unmarshal([]byte(enum.String), &f.Enum); err != nil {
				return nil, fmt.Errorf("facts: load the dictionary: field %s: enum values: %w", f.Name, err)
			}
		}
		fields = append(fields, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facts: load the dictionary: %w", err)
	}
	d, err := NewDictionary(fields)
	if err != nil {
		return nil, fmt.Errorf("facts: the stored dictionary is invalid: %w", err)
	}
	return d, nil
}

// AddField adds a field an admin defined. Builtin fields come only from
// the shipped dictionary.
func AddField(ctx context.Context, q store.Queryer, f *Field) error {
	f.Builtin = false
	f.Department = strings.TrimSpace(f.Department)
	if err := f.Check(); err != nil {
		return apperr.InvalidInput("the field is not valid", apperr.Problem{Field: f.Name, Reason: err.Error()})
	}
	if f.Department == "" {
		return apperr.InvalidInput("the field is not valid", apperr.Problem{Field: f.Name, Reason: "needs the code of the department that owns it"})
	}
	row, err := fieldRow(f, 0)
	if err != nil {
		return fmt.Errorf("facts: add field %s: %w", f.Name, err)
	}
	_, err = q.Exec(ctx, "INSERT INTO fields ("+strings.Join(fieldColumns, ", ")+") VALUES (?"+strings.Repeat(", ?", len(fieldColumns)-1)+")", row...)
	switch {
	case errors.Is(err, store.ErrConflict):
		return apperr.Errorf(apperr.Conflict, "a field named %s exists", f.Name)
	case errors.Is(err, store.ErrReferenced):
		return apperr.InvalidInput("the field is not valid", apperr.Problem{Field: f.Name, Reason: fmt.Sprintf("no department with code %s", f.Department)})
	case err != nil:
		return fmt.Errorf("facts: add field %s: %w", f.Name, err)
	}
	return store.Bump(ctx, q, store.CounterDictionary)
}

// nullable stores "" as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
