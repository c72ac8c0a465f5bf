package facts

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// The current values of an enterprise are one row of current_fact_sets
// (migration 0017): the JSON array [[field, period, value, fact id,
// recorded at], …] in field and period order. A row per value cost an
// import of a million facts seconds of index inserts (3.5–4.8 s of upserts
// on PostgreSQL); a row per enterprise costs a row per enterprise. The view
// current_facts gives them back a row per value.

// currentValue is one current value as stored.
type currentValue struct {
	Field, Period, Value string
	FactID               int64 // the fact (sets.go) that recorded it
	RecordedAt           string
}

func compareCurrent(a, b currentValue) int {
	return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(a.Period, b.Period))
}

// decodeCurrent reads an enterprise's stored current values.
func decodeCurrent(doc []byte) ([]currentValue, error) {
	return newCurrentScanner().decode(doc)
}

// currentScanner reads stored rows of current values token by token. It
// keeps the names of the fields and periods it has read, which repeat from
// one enterprise to the next: reading a population's rows through
// json.Unmarshal spent three quarters of a population build in decoding.
type currentScanner struct {
	dec   *jsontext.Decoder
	names map[string]string
}

func newCurrentScanner() *currentScanner {
	return &currentScanner{dec: jsontext.NewDecoder(bytes.NewReader(nil)), names: map[string]string{}}
}

// name reads a string that names a field or a period.
func (s *currentScanner) name(item string) (string, error) {
	if kind := s.dec.PeekKind(); kind != '"' {
		return "", fmt.Errorf("a current value's %s is %v, not a string", item, kind)
	}
	raw, err := s.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if n, ok := s.names[string(raw)]; ok {
		return n, nil
	}
	unquoted, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return "", err
	}
	n := string(unquoted)
	s.names[string(raw)] = n
	return n, nil
}

// text reads a string.
func (s *currentScanner) text(item string) (string, error) {
	if kind := s.dec.PeekKind(); kind != '"' {
		return "", fmt.Errorf("a current value's %s is %v, not a string", item, kind)
	}
	tok, err := s.dec.ReadToken()
	if err != nil {
		return "", err
	}
	return tok.String(), nil
}

// delim reads the delimiter kind, '[' or ']'.
func (s *currentScanner) delim(kind jsontext.Kind) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != kind {
		return fmt.Errorf("a current value has %v where %v belongs", tok.Kind(), kind)
	}
	return nil
}

// decode reads all of doc's values.
func (s *currentScanner) decode(doc []byte) ([]currentValue, error) {
	var out []currentValue
	err := s.scan(doc, nil, true, func(v currentValue) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// scan calls fn with each value of doc whose field keep accepts (every
// value when keep is nil). Without full, a value's fact id and time are
// skipped, not read.
func (s *currentScanner) scan(doc []byte, keep func(field string) bool, full bool, fn func(currentValue) error) error {
	s.dec.Reset(bytes.NewReader(doc))
	if err := s.delim('['); err != nil {
		return err
	}
	for s.dec.PeekKind() == '[' {
		if err := s.delim('['); err != nil {
			return err
		}
		var v currentValue
		var err error
		if v.Field, err = s.name("field"); err != nil {
			return err
		}
		if keep != nil && !keep(v.Field) {
			for range 4 {
				if err := s.dec.SkipValue(); err != nil {
					return err
				}
			}
			if err := s.delim(']'); err != nil {
				return err
			}
			continue
		}
		if v.Period, err = s.name("period"); err != nil {
			return err
		}
		if v.Value, err = s.text("value"); err != nil {
			return err
		}
		if full {
			if kind := s.dec.PeekKind(); kind != '0' {
				return fmt.Errorf("a current value's fact id is %v, not a number", kind)
			}
			raw, err := s.dec.ReadValue()
			if err != nil {
				return err
			}
			// The raw number, so that 1.5 or 1e3 are refused rather than
			// rounded.
			if v.FactID, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
				return fmt.Errorf("a current value's fact id: %w", err)
			}
			if v.RecordedAt, err = s.text("time"); err != nil {
				return err
			}
		} else {
			for range 2 {
				if err := s.dec.SkipValue(); err != nil {
					return err
				}
			}
		}
		if err := s.delim(']'); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := s.delim(']'); err != nil {
		return err
	}
	if _, err := s.dec.ReadToken(); err != io.EOF {
		return fmt.Errorf("a row of current values goes on after its array (%v)", err)
	}
	return nil
}

// encodeCurrent writes an enterprise's current values as stored. It
// appends each array itself, the strings quoted by jsontext: a million
// values an import, through the encoder's token calls, cost twice as much.
func encodeCurrent(values []currentValue) ([]byte, error) {
	buf := make([]byte, 0, 2+len(values)*80)
	buf = append(buf, '[')
	var err error
	for i := range values {
		v := &values[i]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for _, text := range [...]string{v.Field, v.Period, v.Value} {
			if buf, err = jsontext.AppendQuote(buf, text); err != nil {
				return nil, err
			}
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, v.FactID, 10)
		buf = append(buf, ',')
		if buf, err = jsontext.AppendQuote(buf, v.RecordedAt); err != nil {
			return nil, err
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}
