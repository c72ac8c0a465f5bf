package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the API's JSON")

// volatile are the keys whose values change from run to run (times) or
// with every edit of a policy file (versions): the golden files hold a
// placeholder.
var volatile = map[string]bool{"created_at": true, "updated_at": true, "recorded_at": true, "version": true, "evaluated_at": true}

func normalizeJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if volatile[k] && val != nil {
				x[k] = "…"
				continue
			}
			x[k] = normalizeJSON(val)
		}
	case []any:
		for i := range x {
			x[i] = normalizeJSON(x[i])
		}
	}
	return v
}

// The main /api/v1 answers are compared with golden files
// (testdata/api/*.golden.json), as CONVENTIONS.md asks: a change of the
// API's shape shows as a diff to review. Run
// `go test ./internal/web -run TestAPIGolden -update` after an intended
// change.
func TestAPIGolden(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	mustMatch(t, f.db, fixtureNow)
	ent := strconv.FormatInt(f.entA, 10)
	officer, commissioner := f.as[auth.RoleOfficer], f.as[auth.RoleCommissioner]
	tests := []struct {
		name string
		as   auth.Principal
		path string
	}{
		{"enterprises", officer, "/api/v1/enterprises?sort=uscc"},
		{"enterprises-search", officer, "/api/v1/enterprises?q=%E7%A4%BA%E4%BE%8B%E6%99%BA%E8%83%BD"},
		{"enterprise", officer, "/api/v1/enterprises/" + ent},
		{"facts-officer", officer, "/api/v1/enterprises/" + ent + "/facts"},
		{"facts-commissioner", commissioner, "/api/v1/enterprises/" + ent + "/facts"},
		{"fact-history", officer, "/api/v1/enterprises/" + ent + "/facts/revenue/history"},
		{"results-commissioner", commissioner, "/api/v1/enterprises/" + ent + "/results?status=eligible"},
		{"policies", officer, "/api/v1/policies"},
		{"policy-results", officer, "/api/v1/policies/small-low-profit-2023/results"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.get(t, tc.as, "zh-CN", tc.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var v any
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(normalizeJSON(v)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "api", tc.name+".golden.json")
			if *updateGolden {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the golden file (run with -update after reviewing the change):\n%s", path, got.String())
			}
		})
	}
}
