package store

import (
	"database/sql"
	"fmt"
	"time"
)

// TimeLayout is how timestamps are stored on both databases: UTC with
// milliseconds, always 24 characters, so that text order is time order.
// SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes the same form.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime returns t as a stored timestamp.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeLayout)
}

// ParseTime parses a stored timestamp.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: timestamp %q is not in the form %s", s, TimeLayout)
	}
	return t, nil
}

// ScanTime returns a scan destination that parses a stored timestamp into
// dst; NULL gives the zero time.
//
//	rows.Scan(&id, store.ScanTime(&createdAt))
func ScanTime(dst *time.Time) sql.Scanner {
	return timeScanner{dst}
}

type timeScanner struct{ dst *time.Time }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.dst = time.Time{}
		return nil
	case string:
		t, err := ParseTime(v)
		*s.dst = t
		return err
	case []byte:
		t, err := ParseTime(string(v))
		*s.dst = t
		return err
	case time.Time:
		*s.dst = v.UTC()
		return nil
	}
	return fmt.Errorf("store: cannot scan %T as a timestamp", src)
}
