package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/strictjson"
)

// Series holds one field's values by period; a timeless field has a single
// value under the zero Period.
type Series map[Period]Value

// Record is an enterprise with its facts, in the record format of the brief's
// data contract: the unit of policy eval, JSON import and export and the API.
type Record struct {
	USCC         string
	Name         string
	RegisteredOn string // YYYY-MM-DD
	IndustryCode string // GB/T 4754-2017 with its section letter, e.g. C3911
	Park         string // park code; optional
	Tags         []string
	Facts        map[string]Series
}

// Value returns the value of field at period and whether there is one.
func (r *Record) Value(field string, p Period) (Value, bool) {
	v, ok := r.Facts[field][p]
	return v, ok
}

// maxProblems bounds the report of a bad file: enough to fix a systematic
// mistake, not so many that a garbage file fills memory.
const maxProblems = 1000

type rawRecord struct {
	USCC         string                     `json:"uscc"`
	Name         string                     `json:"name"`
	RegisteredOn string                     `json:"registered_on"`
	IndustryCode string                     `json:"industry_code"`
	Park         string                     `json:"park,omitempty"`
	Tags         []string                   `json:"tags,omitempty"`
	Facts        map[string]json.RawMessage `json:"facts"`
}

// DecodeRecords reads one record or a JSON array of records from r, streaming,
// and calls each for every valid record in order. Invalid records are not
// passed on; when there are any, DecodeRecords returns an *apperr.Error whose
// problems name the file, the record (1-based), its USCC and the field. A
// caller that must write all or nothing discards what it got from each when
// the error is non-nil. An error returned by each stops the decoding and is
// returned as it is.
func DecodeRecords(r io.Reader, file string, dict *Dictionary, each func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if err != nil {
		return apperr.InvalidInput("the file holds no JSON record", apperr.Problem{File: file, Reason: "empty input: want a record object or an array of records"})
	}
	dec := json.NewDecoder(br)
	var problems []apperr.Problem
	report := func(p apperr.Problem) {
		if len(problems) < maxProblems {
			p.File = file
			problems = append(problems, p)
		}
	}
	index := 0
	decodeOne := func() (stop bool, err error) {
		index++
		// One record's bytes first: its keys are checked before it is
		// decoded, since decoding keeps the last of two equal keys.
		var text json.RawMessage
		if err := dec.Decode(&text); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				report(apperr.Problem{Record: index, Reason: fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn)})
				return true, nil
			}
			report(apperr.Problem{Record: index, Reason: "malformed JSON: " + err.Error()})
			return true, nil
		}
		var dup *strictjson.DuplicateKeyError
		if errors.As(strictjson.Check(text), &dup) {
			field := ""
			if len(dup.Path) >= 2 && dup.Path[0] == "facts" {
				field = dup.Path[1]
			} else if len(dup.Path) == 1 && dup.Path[0] == "facts" || len(dup.Path) == 0 {
				field = dup.Key
			}
			report(apperr.Problem{Record: index, Field: field, Reason: dup.Error() + ": give each key once"})
			return false, nil
		}
		var raw rawRecord
		rd := json.NewDecoder(bytes.NewReader(text))
		rd.DisallowUnknownFields()
		rd.UseNumber()
		if err := rd.Decode(&raw); err != nil {
			var typ *json.UnmarshalTypeError
			switch {
			case errors.As(err, &typ):
				report(apperr.Problem{Record: index, Field: typ.Field, Reason: fmt.Sprintf("has a JSON %s where %s is wanted", typ.Value, typ.Type)})
			case strings.HasPrefix(err.Error(), "json: unknown field"):
				report(apperr.Problem{Record: index, Reason: strings.TrimPrefix(err.Error(), "json: ") + " (a record has uscc, name, registered_on, industry_code, park, tags and facts)"})
			default:
				report(apperr.Problem{Record: index, Reason: "malformed JSON: " + err.Error()})
			}
			return false, nil
		}
		rec, recProblems := raw.validate(dict)
		for _, p := range recProblems {
			p.Record = index
			report(p)
		}
		if len(recProblems) > 0 {
			return false, nil
		}
		return false, each(rec)
	}
	switch first {
	case '{':
		if stop, err := decodeOne(); err != nil || stop {
			return errOr(err, problems)
		}
	case '[':
		if _, err := dec.Token(); err != nil {
			return apperr.InvalidInput("the file is not valid JSON", apperr.Problem{File: file, Reason: err.Error()})
		}
		for dec.More() {
			stop, err := decodeOne()
			if err != nil {
				return err
			}
			if stop {
				return errOr(nil, problems)
			}
		}
		if _, err := dec.Token(); err != nil {
			report(apperr.Problem{Reason: "the array of records is not closed: " + err.Error()})
		}
	default:
		return apperr.InvalidInput("the file holds no JSON record", apperr.Problem{File: file, Reason: fmt.Sprintf("starts with %q: want a record object or an array of records", first)})
	}
	if _, err := dec.Token(); err != io.EOF {
		report(apperr.Problem{Reason: "unexpected data after the records"})
	}
	return errOr(nil, problems)
}

func errOr(err error, problems []apperr.Problem) error {
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		msg := fmt.Sprintf("%d invalid record(s); nothing was taken", len(problems))
		if len(problems) == maxProblems {
			msg = fmt.Sprintf("at least %d invalid records; nothing was taken", maxProblems)
		}
		return apperr.InvalidInput(msg, problems...)
	}
	return nil
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // a UTF-8 byte-order mark, as spreadsheet tools write
			if rest, err := br.Peek(2); err == nil && rest[0] == 0xBB && rest[1] == 0xBF {
				br.Discard(2)
				continue
			}
		}
		return b, br.UnreadByte()
	}
}

// validate checks a decoded record against the data contract and the
// dictionary, collecting every problem rather than stopping at the first.
func (raw *rawRecord) validate(dict *Dictionary) (Record, []apperr.Problem) {
	var problems []apperr.Problem
	bad := func(field, reason string) {
		problems = append(problems, apperr.Problem{USCC: raw.USCC, Field: field, Reason: reason})
	}
	// Text is trimmed, and refused with a control character inside
	// (enterprise.CleanLine).
	clean := func(field, s string) string {
		out, err := enterprise.CleanLine(s)
		if err != nil {
			bad(field, err.Error())
		}
		return out
	}
	rec := Record{USCC: clean("uscc", raw.USCC), Name: clean("name", raw.Name), RegisteredOn: clean("registered_on", raw.RegisteredOn),
		IndustryCode: clean("industry_code", raw.IndustryCode), Park: clean("park", raw.Park)}
	for _, tag := range raw.Tags {
		rec.Tags = append(rec.Tags, clean("tags", tag))
	}
	if err := enterprise.ValidateUSCC(rec.USCC); err != nil {
		bad("uscc", err.Error())
	}
	if rec.Name == "" {
		bad("name", "is required")
	}
	if rec.RegisteredOn != "" {
		if _, err := enterprise.ParseRegistrationDate(rec.RegisteredOn, time.Now()); err != nil {
			bad("registered_on", err.Error())
		}
	}
	if rec.IndustryCode != "" {
		if _, err := enterprise.LookupIndustry(rec.IndustryCode); err != nil {
			bad("industry_code", err.Error())
		}
	}
	rec.Facts = make(map[string]Series, len(raw.Facts))
	names := make([]string, 0, len(raw.Facts))
	for name := range raw.Facts {
		names = append(names, name)
	}
	slices.Sort(names) // a stable order of problems
	for _, name := range names {
		series, err := DecodeFact(dict, name, raw.Facts[name])
		if err != nil {
			bad(name, err.Error())
			continue
		}
		rec.Facts[name] = series
	}
	return rec, problems
}

// DecodeFact parses the JSON of one fact of a record: a scalar for a
// timeless field, an object from period to scalar for the others.
func DecodeFact(dict *Dictionary, name string, raw json.RawMessage) (Series, error) {
	f, ok := dict.Field(name)
	if !ok {
		return nil, errors.New("unknown field: not in the data dictionary")
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		if f.Shape == Timeless {
			return nil, errors.New(ShapeMismatch(f, Annual))
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var byPeriod map[string]json.RawMessage
		if err := dec.Decode(&byPeriod); err != nil {
			return nil, fmt.Errorf("malformed object: %v", err)
		}
		series := make(Series, len(byPeriod))
		for key, rawValue := range byPeriod {
			// A period is trimmed like any text; " 2023" and "2023" are
			// then the same period, given twice.
			p, err := ParsePeriod(strings.TrimSpace(key))
			if err != nil {
				return nil, err
			}
			if _, dup := series[p]; dup {
				return nil, fmt.Errorf("period %s is given twice", p)
			}
			if p.Shape != f.Shape {
				return nil, fmt.Errorf("period %s: %s", key, ShapeMismatch(f, p.Shape))
			}
			v, err := decodeScalar(f, rawValue)
			if err != nil {
				return nil, fmt.Errorf("period %s: %w", key, err)
			}
			series[p] = v
		}
		return series, nil
	}
	if f.Shape != Timeless {
		return nil, errors.New(ShapeMismatch(f, Timeless))
	}
	v, err := decodeScalar(f, raw)
	if err != nil {
		return nil, err
	}
	return Series{{}: v}, nil
}

func decodeScalar(f *Field, raw json.RawMessage) (Value, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return Value{}, errors.New("no value")
	}
	switch raw[0] {
	case 'n':
		return Value{}, errors.New("null is not a value: leave the fact out when it is unknown")
	case '{', '[':
		return Value{}, fmt.Errorf("a %s value must be a single number, string or boolean", f.Type)
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Value{}, fmt.Errorf("malformed string: %v", err)
		}
		return f.ParseValue(s)
	case 't', 'f':
		if f.Type != Bool {
			return Value{}, fmt.Errorf("a boolean where a %s is wanted", f.Type)
		}
		return f.ParseValue(string(raw))
	}
	if !f.Type.Numeric() {
		return Value{}, fmt.Errorf("a number where a %s is wanted", f.Type)
	}
	return f.ParseValue(string(raw))
}

// MarshalJSON writes the record in the data contract's format, facts sorted
// by name and periods in time order, so that export then import is lossless
// and exports are stable under diff.
func (r Record) MarshalJSON() ([]byte, error) {
	type out struct {
		USCC         string         `json:"uscc"`
		Name         string         `json:"name"`
		RegisteredOn string         `json:"registered_on,omitempty"`
		IndustryCode string         `json:"industry_code,omitempty"`
		Park         string         `json:"park,omitempty"`
		Tags         []string       `json:"tags,omitempty"`
		Facts        map[string]any `json:"facts"`
	}
	o := out{USCC: r.USCC, Name: r.Name, RegisteredOn: r.RegisteredOn, IndustryCode: r.IndustryCode,
		Park: r.Park, Tags: r.Tags, Facts: make(map[string]any, len(r.Facts))}
	for name, series := range r.Facts {
		if v, ok := series[Period{}]; ok && len(series) == 1 {
			o.Facts[name] = v.JSON()
			continue
		}
		// encoding/json sorts map keys; period texts of one shape sort in time order.
		byPeriod := make(map[string]any, len(series))
		for p, v := range series {
			byPeriod[p.String()] = v.JSON()
		}
		o.Facts[name] = byPeriod
	}
	return json.Marshal(o)
}
