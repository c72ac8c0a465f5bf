package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var benchLine = regexp.MustCompile(`^visits: (\d+) lower-bound: (\d+) gap: (\d+\.\d\d)% time: (\d+\.\d\d)s$`)

func TestBenchSchedulePrintsTheFigures(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unused.db")
	out, _, err := runCLI(t, db, "", "bench", "schedule", "--requests", "2000", "--enterprises", "400")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	m := benchLine.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line %q is not the figures line", lines[len(lines)-1])
	}
	visits, _ := strconv.Atoi(m[1])
	bound, _ := strconv.Atoi(m[2])
	if visits < bound || bound == 0 {
		t.Errorf("visits %d, lower bound %d", visits, bound)
	}
}

func TestBenchScheduleRefusesBadArguments(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unused.db")
	for _, args := range [][]string{{"--requests", "0"}, {"--enterprises", "-3"}, {"extra"}} {
		if _, _, err := runCLI(t, db, "", append([]string{"bench", "schedule"}, args...)...); err == nil {
			t.Errorf("bench schedule %v succeeded", args)
		}
	}
}
