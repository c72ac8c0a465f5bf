package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// TestOpenAPIMatchesRoutes holds the served OpenAPI document to the routes
// the app registers under /api/v1, both ways, and checks that it is an
// OpenAPI 3 document whose references all resolve.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	srv := New(Deps{Auth: &auth.Service{}})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    map[string]any                        `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info["title"] == nil {
		t.Fatalf("not an OpenAPI 3 document: openapi %q, info %v", doc.OpenAPI, doc.Info)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
			var op struct {
				Summary   string                     `json:"summary"`
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if op.Summary == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s has no summary or no responses", method, path)
			}
		}
	}
	var registered []string
	for _, p := range srv.mux.Patterns() {
		if _, path, _ := strings.Cut(p, " "); strings.HasPrefix(path, "/api/") {
			registered = append(registered, p)
		}
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.yaml documents %s, which is not registered", d)
		}
	}
	if len(registered) < 10 {
		t.Errorf("only %d API routes registered", len(registered))
	}

	// Every $ref points into the document.
	var whole map[string]any
	if err := json.Unmarshal(openAPIJSON, &whole); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok && !resolves(whole, ref) {
				t.Errorf("$ref %s does not resolve", ref)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(whole)
}

func resolves(doc map[string]any, ref string) bool {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var cur any = doc
	for _, part := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}
