package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Enterprise is an entry of the registry (企业库). Its facts are kept by
// package facts.
type Enterprise struct {
	ID           int64  `json:"id"`
	USCC         string `json:"uscc"`
	Name         string `json:"name"`
	RegisteredOn string `json:"registered_on,omitempty"` // YYYY-MM-DD, "" when unknown
	IndustryCode string `json:"industry_code,omitempty"` // GB/T 4754-2017 with its section letter, e.g. C3911
	// Park is the code of the enterprise's park, "" for none. Writes name
	// the park by code; ParkID is filled on reads.
	Park      string    `json:"park,omitempty"`
	ParkID    int64     `json:"park_id,omitempty"`
	Tags      []string  `json:"tags,omitempty"` // tag codes, sorted
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// maxNameBytes bounds an enterprise name: the longest registered Chinese
// names are under 100 characters (300 bytes).
const maxNameBytes = 600

// normalize puts e into canonical form and returns what is wrong with it.
func (e *Enterprise) normalize() []apperr.Problem {
	var problems []apperr.Problem
	bad := func(field, reason string) {
		problems = append(problems, apperr.Problem{USCC: e.USCC, Field: field, Reason: reason})
	}
	e.USCC = NormalizeUSCC(e.USCC)
	if err := ValidateUSCC(e.USCC); err != nil {
		bad("uscc", apperr.MessageOf(err))
	}
	clean := func(field string, s string) string {
		out, err := CleanLine(s)
		if err != nil {
			bad(field, err.Error())
		}
		return out
	}
	e.Name = clean("name", e.Name)
	switch {
	case e.Name == "":
		bad("name", "is required")
	case len(e.Name) > maxNameBytes:
		bad("name", fmt.Sprintf("is longer than %d bytes", maxNameBytes))
	}
	e.RegisteredOn = clean("registered_on", e.RegisteredOn)
	if e.RegisteredOn != "" {
		if _, err := ParseRegistrationDate(e.RegisteredOn, time.Now()); err != nil {
			bad("registered_on", err.Error())
		}
	}
	if strings.TrimSpace(e.IndustryCode) != "" {
		code, err := NormalizeIndustryCode(e.IndustryCode)
		if err != nil {
			bad("industry_code", apperr.MessageOf(err))
		} else {
			e.IndustryCode = code
		}
	} else {
		e.IndustryCode = ""
	}
	e.Park = clean("park", e.Park)
	tags := make([]string, 0, len(e.Tags))
	for _, t := range e.Tags {
		if t = clean("tags", t); t != "" {
			tags = append(tags, t)
		}
	}
	slices.Sort(tags)
	e.Tags = slices.Compact(tags)
	return problems
}

// Create adds an enterprise with its park and tags and sets its ID and
// timestamps. A second enterprise with the same USCC is a conflict.
func Create(ctx context.Context, q store.Queryer, e *Enterprise) error {
	return store.WithTx(ctx, q, func(tx *store.Tx) error {
		parkID, err := checkForWrite(ctx, tx, e)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		err = tx.QueryRow(ctx, `INSERT INTO enterprises (uscc, name, registered_on, industry_code, park_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.USCC, e.Name, nullable(e.RegisteredOn), nullable(e.IndustryCode), nullableID(parkID),
			store.FormatTime(now), store.FormatTime(now)).Scan(&e.ID)
		if err != nil {
			return writeError(e, "create", err)
		}
		e.ParkID, e.CreatedAt, e.UpdatedAt = parkID, now, now
		if err := setTags(ctx, tx, e.ID, e.Tags); err != nil {
			return err
		}
		return store.Bump(ctx, tx, store.CounterRegistry)
	})
}

// Update writes every attribute of the enterprise with e.ID, its USCC,
// park and tags included, and sets UpdatedAt.
func Update(ctx context.Context, q store.Queryer, e *Enterprise) error {
	return store.WithTx(ctx, q, func(tx *store.Tx) error {
		parkID, err := checkForWrite(ctx, tx, e)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		err = tx.QueryRow(ctx, `UPDATE enterprises SET uscc = ?, name = ?, registered_on = ?, industry_code = ?, park_id = ?, updated_at = ?
WHERE id = ? RETURNING created_at`,
			e.USCC, e.Name, nullable(e.RegisteredOn), nullable(e.IndustryCode), nullableID(parkID),
			store.FormatTime(now), e.ID).Scan(store.ScanTime(&e.CreatedAt))
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Errorf(apperr.NotFound, "no enterprise with id %d", e.ID)
		}
		if err != nil {
			return writeError(e, "update", err)
		}
		e.ParkID, e.UpdatedAt = parkID, now
		if err := setTags(ctx, tx, e.ID, e.Tags); err != nil {
			return err
		}
		return store.Bump(ctx, tx, store.CounterRegistry)
	})
}

// Put creates the enterprise or, when one with its USCC exists, updates
// that one; it reports whether it created. Imports use it.
func Put(ctx context.Context, q store.Queryer, e *Enterprise) (created bool, err error) {
	err = store.WithTx(ctx, q, func(tx *store.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = ?", NormalizeUSCC(e.USCC)).Scan(&id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			created = true
			return Create(ctx, tx, e)
		case err != nil:
			return fmt.Errorf("enterprise: put %s: %w", e.USCC, err)
		}
		e.ID = id
		return Update(ctx, tx, e)
	})
	return created, err
}

// Check normalises e and checks it as Create, Update and Put do before they
// write, only reading: its fields, its park and its tags. An import checks
// its rows so before it writes anything.
func Check(ctx context.Context, q store.Queryer, e *Enterprise) error {
	_, err := checkForWrite(ctx, q, e)
	return err
}

// checkForWrite normalises e, checks it, and resolves its park and tags,
// so that every problem is reported at once and before anything is written.
func checkForWrite(ctx context.Context, tx store.Queryer, e *Enterprise) (parkID int64, err error) {
	problems := e.normalize()
	if e.Park != "" {
		err := tx.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", e.Park).Scan(&parkID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems = append(problems, apperr.Problem{USCC: e.USCC, Field: "park", Reason: fmt.Sprintf("no park with code %s", e.Park)})
		case err != nil:
			return 0, fmt.Errorf("enterprise: look up park %s: %w", e.Park, err)
		}
	}
	if len(e.Tags) > 0 {
		known, err := existingTags(ctx, tx, e.Tags)
		if err != nil {
			return 0, err
		}
		for _, t := range e.Tags {
			if !known[t] {
				problems = append(problems, apperr.Problem{USCC: e.USCC, Field: "tags", Reason: fmt.Sprintf("no tag with code %s", t)})
			}
		}
	}
	if len(problems) > 0 {
		return 0, apperr.InvalidInput("the enterprise is not valid", problems...)
	}
	return parkID, nil
}

func existingTags(ctx context.Context, q store.Queryer, codes []string) (map[string]bool, error) {
	rows, err := q.Query(ctx, "SELECT code FROM tags WHERE code IN ("+placeholders(len(codes))+")", anys(codes)...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: look up tags: %w", err)
	}
	defer rows.Close()
	known := make(map[string]bool, len(codes))
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("enterprise: look up tags: %w", err)
		}
		known[code] = true
	}
	return known, rows.Err()
}

// setTags makes the enterprise's tags exactly codes, which exist.
func setTags(ctx context.Context, tx *store.Tx, id int64, codes []string) error {
	if _, err := tx.Exec(ctx, "DELETE FROM enterprise_tags WHERE enterprise_id = ?", id); err != nil {
		return fmt.Errorf("enterprise: set tags of %d: %w", id, err)
	}
	if len(codes) == 0 {
		return nil
	}
	args := append([]any{id}, anys(codes)...)
	if _, err := tx.Exec(ctx, "INSERT INTO enterprise_tags (enterprise_id, tag_id) SELECT ?, id FROM tags WHERE code IN ("+placeholders(len(codes))+")", args...); err != nil {
		return fmt.Errorf("enterprise: set tags of %d: %w", id, err)
	}
	return nil
}

// writeError turns a failed insert or update into what the user may see.
func writeError(e *Enterprise, verb string, err error) error {
	switch {
	case errors.Is(err, store.ErrConflict):
		return apperr.Errorf(apperr.Conflict, "an enterprise with USCC %s exists", e.USCC)
	case errors.Is(err, store.ErrReferenced):
		// The park went between the check and the write.
		return apperr.InvalidInput("the enterprise is not valid", apperr.Problem{USCC: e.USCC, Field: "park", Reason: fmt.Sprintf("no park with code %s", e.Park)})
	}
	return fmt.Errorf("enterprise: %s %s: %w", verb, e.USCC, err)
}

// Get returns the enterprise with the id.
func Get(ctx context.Context, q store.Queryer, id int64) (Enterprise, error) {
	return getOne(ctx, q, "e.id = ?", id, fmt.Sprintf("no enterprise with id %d", id))
}

// GetByUSCC returns the enterprise with the USCC (normalised first, so that
// a code typed with spaces or in lower case is found).
func GetByUSCC(ctx context.Context, q store.Queryer, uscc string) (Enterprise, error) {
	uscc = NormalizeUSCC(uscc)
	return getOne(ctx, q, "e.uscc = ?", uscc, fmt.Sprintf("no enterprise with USCC %s", uscc))
}

func getOne(ctx context.Context, q store.Queryer, where string, arg any, notFound string) (Enterprise, error) {
	var e Enterprise
	err := scanEnterprise(q.QueryRow(ctx, selectEnterprise+" WHERE "+where, arg), &e)
	if errors.Is(err, store.ErrNotFound) {
		return e, apperr.Errorf(apperr.NotFound, "%s", notFound)
	}
	if err != nil {
		return e, fmt.Errorf("enterprise: get: %w", err)
	}
	byID, err := tagsOf(ctx, q, []int64{e.ID})
	if err != nil {
		return e, err
	}
	e.Tags = byID[e.ID]
	return e, nil
}

// IDsByUSCC returns the ids of the enterprises with the USCCs given (in
// canonical form); codes not in the registry are absent from the map.
func IDsByUSCC(ctx context.Context, q store.Queryer, usccs []string) (map[string]int64, error) {
	ids := make(map[string]int64, len(usccs))
	const perQuery = 500
	for chunk := range slices.Chunk(usccs, perQuery) {
		rows, err := q.Query(ctx, "SELECT uscc, id FROM enterprises WHERE uscc IN ("+placeholders(len(chunk))+")", anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("enterprise: ids by USCC: %w", err)
		}
		for rows.Next() {
			var uscc string
			var id int64
			if err := rows.Scan(&uscc, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("enterprise: ids by USCC: %w", err)
			}
			ids[uscc] = id
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("enterprise: ids by USCC: %w", err)
		}
	}
	return ids, nil
}

const selectEnterprise = `SELECT e.id, e.uscc, e.name, e.registered_on, e.industry_code, e.park_id, p.code, e.created_at, e.updated_at
FROM enterprises e LEFT JOIN parks p ON p.id = e.park_id`

type scanner interface{ Scan(dest ...any) error }

func scanEnterprise(s scanner, e *Enterprise) error {
	var registered, industry, park sql.NullString
	var parkID sql.NullInt64
	err := s.Scan(&e.ID, &e.USCC, &e.Name, &registered, &industry, &parkID, &park,
		store.ScanTime(&e.CreatedAt), store.ScanTime(&e.UpdatedAt))
	e.RegisteredOn, e.IndustryCode, e.Park, e.ParkID = registered.String, industry.String, park.String, parkID.Int64
	return err
}

// tagsOf returns the sorted tag codes of each enterprise.
func tagsOf(ctx context.Context, q store.Queryer, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string)
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.Query(ctx, `SELECT et.enterprise_id, t.code FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id
WHERE et.enterprise_id IN (`+placeholders(len(ids))+`) ORDER BY et.enterprise_id, t.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: read tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("enterprise: read tags: %w", err)
		}
		out[id] = append(out[id], code)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// nullable stores "" as NULL: the column has no value rather than an empty one.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
