package workday

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// officialFiles are the State Council's holiday schedules (放假安排), one
// file a year, each declaring its year and notice: the program ships them so
// that every installation answers the same from the first start, and an
// administrator only loads the years published after this release.
//
//go:embed official/*.txt
var officialFiles embed.FS

// Official returns the official calendar shipped with the program. The data
// is checked by tests; a file that does not parse is a build defect, so it
// panics rather than answer from a partial calendar.
var Official = sync.OnceValue(func() *Calendar {
	c, err := loadOfficial(officialFiles)
	if err != nil {
		panic(err)
	}
	return c
})

func loadOfficial(fsys fs.FS) (*Calendar, error) {
	names, err := fs.Glob(fsys, "official/*.txt")
	if err != nil {
		return nil, err
	}
	var (
		years   []Year
		entries []Entry
	)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		c, err := ParseCalendar(bytes.NewReader(b), name)
		if err != nil {
			return nil, fmt.Errorf("workday: the shipped calendar %s: %w", name, err)
		}
		if len(c.Years()) != 1 {
			return nil, fmt.Errorf("workday: the shipped calendar %s declares %d years, want 1", name, len(c.Years()))
		}
		years = append(years, c.Years()...)
		entries = append(entries, c.Entries()...)
	}
	return Bounded(years, entries...)
}
