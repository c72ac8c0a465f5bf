package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runShipped runs parkdesk without a database, in an empty directory: the
// workday subcommands answer from the shipped calendar.
func runShipped(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	code := exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

func TestWorkdayCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	adds := [][3]string{
		{"2026-09-24", "5", "2026-10-09"}, // 中秋 and 国庆 2026
		{"2025-01-24", "1", "2025-01-26"}, // Sunday 26 January 2025 worked
		{"2025-01-26", "1", "2025-01-27"},
		{"2025-01-27", "1", "2025-02-05"}, // 春节 2025
		{"2025-04-03", "1", "2025-04-07"}, // 清明 2025
		{"2025-04-30", "1", "2025-05-06"}, // 劳动节 2025
		{"2025-05-30", "1", "2025-06-03"}, // 端午 2025
		{"2025-09-30", "1", "2025-10-09"}, // 国庆、中秋 2025
		{"2025-12-31", "1", "2026-01-04"}, // 元旦 2026, Sunday the 4th worked
		{"2026-02-13", "2", "2026-02-24"}, // 春节 2026: Saturday the 14th worked
		{"2026-04-03", "1", "2026-04-07"}, // 清明 2026
		{"2026-04-30", "1", "2026-05-06"}, // 劳动节 2026
		{"2026-05-08", "1", "2026-05-09"}, // Saturday 9 May 2026 worked
		{"2026-06-18", "1", "2026-06-22"}, // 端午 2026
		{"2026-10-09", "-5", "2026-09-24"},
	}
	for _, a := range adds {
		out, errOut, code := runShipped(t, "workday", "add", "--from", a[0], "--days", a[1])
		if code != 0 || strings.TrimSpace(out) != a[2] {
			t.Errorf("add --from %s --days %s: %q %q exit %d, want %s", a[0], a[1], out, errOut, code, a[2])
		}
	}
	is := map[string]string{
		"2025-01-01": "rest", "2025-01-26": "working", "2025-01-28": "rest", "2025-02-04": "rest", "2025-02-08": "working",
		"2025-04-04": "rest", "2025-04-27": "working", "2025-05-05": "rest", "2025-06-02": "rest", "2025-09-28": "working",
		"2025-10-08": "rest", "2025-10-11": "working", "2026-01-02": "rest", "2026-01-04": "working", "2026-02-14": "working",
		"2026-02-23": "rest", "2026-02-28": "working", "2026-04-06": "rest", "2026-05-05": "rest", "2026-05-09": "working",
		"2026-06-19": "rest", "2026-09-20": "working", "2026-09-25": "rest", "2026-10-07": "rest", "2026-10-10": "working",
		"2026-12-03": "working", "2026-12-05": "rest",
	}
	for d, want := range is {
		out, errOut, code := runShipped(t, "workday", "is", d)
		if code != 0 || strings.TrimSpace(out) != want {
			t.Errorf("is %s: %q %q exit %d, want %s", d, out, errOut, code, want)
		}
	}
	for _, args := range [][]string{
		{"workday", "is", "2027-01-04"},
		{"workday", "add", "--from", "2026-12-30", "--days", "5"},
		{"workday", "add", "--from", "2027-03-01", "--days", "1"},
	} {
		out, errOut, code := runShipped(t, args...)
		if code != 1 || out != "" || !strings.Contains(errOut, "no calendar for 2027") {
			t.Errorf("%v: %q %q exit %d, want exit 1 and no calendar for 2027", args, out, errOut, code)
		}
	}
	if _, errOut, code := runShipped(t, "workday", "is", "2026-02-30"); code != 1 || !strings.Contains(errOut, "not a date") {
		t.Errorf("a bad date: %q exit %d", errOut, code)
	}
	if _, err := os.Stat("parkdesk.db"); err == nil {
		t.Error("the shipped calendar created a database")
	}
}

func TestWorkdayLoadRecordsAYear(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parkdesk.db")
	file := filepath.Join(t.TempDir(), "2027.txt")
	if err := os.WriteFile(file, []byte("year 2027 国办发明电〔2026〕测试号\n2027-01-01 holiday 元旦\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, db, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, db, "", "workday", "load", file)
	if err != nil || !strings.Contains(out, "year 2027") {
		t.Fatalf("load: %q %v", out, err)
	}
	out, _, err = runCLI(t, db, "", "workday", "is", "2027-01-01")
	if err != nil || strings.TrimSpace(out) != "rest" {
		t.Fatalf("is 2027-01-01 after loading: %q %v", out, err)
	}
	out, _, err = runCLI(t, db, "", "workday", "years")
	if err != nil || !strings.Contains(out, "2027  国办发明电〔2026〕测试号") || !strings.Contains(out, "2026  国办发明电〔2025〕7号") {
		t.Fatalf("years: %q %v", out, err)
	}
}
