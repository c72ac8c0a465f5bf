package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestCodesAndFieldCommands keeps parks, departments and tags and adds a
// dictionary field from the shell, each change audited and the registry's
// and the dictionary's change counters advanced.
func TestCodesAndFieldCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parkdesk.db")
	steps := []struct {
		args []string
		want string
		code apperr.Code
	}{
		{[]string{"park", "add", "east", "--name-zh", "东园"}, "park east saved", ""},
		{[]string{"park", "edit", "east", "--name-en", "East Park", "--code", "east2"}, "park east2 saved", ""},
		{[]string{"park", "add", "east2", "--name-zh", "重复"}, "", apperr.Conflict},
		{[]string{"park", "edit", "nowhere", "--name-zh", "无"}, "", apperr.NotFound},
		{[]string{"tag", "add", "pre-ipo", "--name-zh", "拟上市", "--name-en", "Pre-IPO"}, "tag pre-ipo saved", ""},
		{[]string{"department", "add", "stats", "--name-zh", "统计局重复"}, "", apperr.Conflict},
		{[]string{"department", "edit", "science", "--name-en", "Science Bureau"}, "department science saved", ""},
		{[]string{"park", "list"}, "East Park", ""},
		{[]string{"field", "add", "--name", "green_factory", "--type", "enum", "--enum", "national,provincial", "--shape", "annual",
			"--department", "science", "--label-zh", "绿色工厂", "--label-en", "Green factory"}, "field green_factory added", ""},
		{[]string{"field", "add", "--name", "bad_field", "--type", "integer", "--department", "nowhere", "--label-zh", "坏", "--label-en", "Bad"}, "", apperr.Invalid},
	}
	for _, s := range steps {
		out, _, err := runCLI(t, db, "", s.args...)
		if s.code != "" {
			if apperr.CodeOf(err) != s.code {
				t.Errorf("%v: %v, want %s", s.args, err, s.code)
			}
			continue
		}
		if err != nil || !strings.Contains(out, s.want) {
			t.Errorf("%v: %q, %v; want %q", s.args, out, err, s.want)
		}
	}
	ctx := context.Background()
	d, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var audited int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('park.create', 'park.update', 'tag.create', 'department.update', 'field.create')`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 5 {
		t.Errorf("%d changes audited, want 5", audited)
	}
	c, err := store.ReadCounters(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if c[store.CounterRegistry] != 4 || c[store.CounterDictionary] != 1 {
		t.Errorf("counters %v: want registry 4 (four codes saved) and dictionary 1", c)
	}
}
